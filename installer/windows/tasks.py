"""Task Scheduler through `%SystemRoot%\\System32\\schtasks.exe` with a task XML (FACTS.md section 7): one writer
of the Task Scheduler 1.2 XML and the five calls setup makes (`/create /xml`, `/run`, `/end`, `/delete`,
`/query /xml`). Whether a task's program runs is not read from schtasks' localised status text (W12): callers
look at the process table."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from installer.commands import CommandFailed, Completed, run_command
from installer.messages import t
from installer.system_tools import system32
from installer.winsw import ServiceError, service_error

log = logging.getLogger(__name__)

NAMESPACE = "http://schemas.microsoft.com/windows/2004/02/mit/task"
LOCAL_SYSTEM_SID = "S-1-5-18"
TIMEOUT = 60.0


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Weekly:
    """A calendar trigger: at `at` ("05:30", local time) on `days` (names of DAY_NAMES), every week."""

    at: str
    days: tuple[str, ...]
    since: str  # the first day, "2026-12-05": Task Scheduler needs a StartBoundary for a calendar trigger


@dataclass(frozen=True)
class TaskDefinition:
    """What a task runs, when and as whom. SYSTEM is its SID with no LogonType (schtasks /xml refuses the
    ServiceAccount that exports show); a user runs with a Password logon whose password goes to `create` once,
    never into the XML."""

    description: str
    command: str
    arguments: str
    working_directory: str
    user_id: str = LOCAL_SYSTEM_SID
    logon_type: str | None = None  # "Password" for a user account, "S4U" for a user setup created
    boot_trigger: bool = True
    restart_interval: str | None = None  # "PT1M": RestartOnFailure (PT1M..P31D) when set
    restart_count: int = 3
    execution_time_limit: str = "PT0S"  # no limit
    multiple_instances: str = "IgnoreNew"
    weekly: Weekly | None = None


def to_xml(definition: TaskDefinition) -> bytes:
    """The definition as Task Scheduler 1.2 XML, UTF-16 LE with a BOM and CRLF as Task Scheduler writes it; the
    elements in the order of its own exports (the schema takes any order)."""
    ET.register_namespace("", NAMESPACE)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attrs)
        element.text = text
        return element

    task = ET.Element(f"{{{NAMESPACE}}}Task", {"version": "1.2"})
    sub(sub(task, "RegistrationInfo"), "Description", definition.description)
    triggers = sub(task, "Triggers")
    if definition.boot_trigger:
        sub(sub(triggers, "BootTrigger"), "Enabled", "true")
    if definition.weekly is not None:
        calendar = sub(triggers, "CalendarTrigger")
        # No time zone in the boundary: the task runs at that local time, also across summer time.
        sub(calendar, "StartBoundary", f"{definition.weekly.since}T{definition.weekly.at}:00")
        sub(calendar, "Enabled", "true")
        by_week = sub(calendar, "ScheduleByWeek")
        days = sub(by_week, "DaysOfWeek")
        for day in definition.weekly.days:
            sub(days, day)
        sub(by_week, "WeeksInterval", "1")
    principal = sub(sub(task, "Principals"), "Principal", id="Author")
    sub(principal, "UserId", definition.user_id)
    if definition.logon_type:
        sub(principal, "LogonType", definition.logon_type)
    sub(principal, "RunLevel", "HighestAvailable")
    settings = sub(task, "Settings")
    for tag, value in (("MultipleInstancesPolicy", definition.multiple_instances),
                       ("DisallowStartIfOnBatteries", "false"), ("StopIfGoingOnBatteries", "false"),
                       ("StartWhenAvailable", "true"), ("ExecutionTimeLimit", definition.execution_time_limit),
                       ("Enabled", "true")):
        sub(settings, tag, value)
    if definition.restart_interval:
        restart = sub(settings, "RestartOnFailure")
        sub(restart, "Interval", definition.restart_interval)
        sub(restart, "Count", str(definition.restart_count))
    run = sub(sub(task, "Actions", Context="Author"), "Exec")
    sub(run, "Command", definition.command)
    if definition.arguments:
        sub(run, "Arguments", definition.arguments)
    sub(run, "WorkingDirectory", definition.working_directory)
    text = '<?xml version="1.0" encoding="UTF-16"?>\n' + ET.tostring(task, encoding="unicode") + "\n"
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


def schtasks(*args: str, secrets: tuple[str, ...] = ()) -> Completed:
    """One schtasks.exe call by its System32 path (W8); ServiceError when it cannot be run or does not answer."""
    try:
        return run_command([system32("schtasks.exe"), *args], timeout=TIMEOUT, secrets=secrets)
    except CommandFailed as exc:
        raise service_error(exc) from None


def _checked(verb: str, name: str, *args: str, secrets: tuple[str, ...] = ()) -> Completed:
    done = schtasks(verb, "/tn", name, *args, secrets=secrets)
    if done.code != 0:
        raise ServiceError(t("task.schtasks_failed", verb=verb, name=name, code=done.code,
                             output=done.output.strip() or "-"))
    return done


def create(name: str, xml_file: Path, definition: TaskDefinition, *, user: str | None = None,
           password: str | None = None) -> None:
    """Write the XML to `xml_file` and register it (replacing a task of that name). A password is handed to
    schtasks once with `/ru`/`/rp`, masked in the log, and kept nowhere."""
    xml_file.parent.mkdir(parents=True, exist_ok=True)
    xml_file.write_bytes(to_xml(definition))
    account = ("/ru", user, "/rp", password) if user is not None and password is not None else ()
    _checked("/create", name, "/xml", str(xml_file), *account, "/f", secrets=(password,) if password else ())


def run(name: str) -> None:
    _checked("/run", name)


def end(name: str) -> bool:
    """End the task's process tree; False when schtasks refuses, e.g. because the task does not run (its text
    is localised, so the caller decides from the process table)."""
    return schtasks("/end", "/tn", name).code == 0


def delete(name: str) -> None:
    _checked("/delete", name, "/f")


def query_xml(name: str) -> str | None:
    """The registered definition as XML text, or None when schtasks knows no such task (or cannot say)."""
    try:
        done = schtasks("/query", "/tn", name, "/xml")
    except ServiceError as exc:
        log.warning("schtasks /query %s: %s", name, exc.message)
        return None
    return done.stdout if done.code == 0 else None
