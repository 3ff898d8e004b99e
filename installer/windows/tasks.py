"""Task Scheduler through `%SystemRoot%\\System32\\schtasks.exe` with a task XML (FACTS.md section 7): one writer
of the Task Scheduler 1.2 XML and the five calls setup makes (`/create /xml`, `/run`, `/end`, `/delete`,
`/query /xml`), and the hand-made tasks that run a folder's jar (`/query /fo csv /v`). Whether a task's program
runs is not read from schtasks' localised status text (W12): callers look at the process table."""

from __future__ import annotations

import csv
import io
import logging
import ntpath
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from installer.commands import CommandFailed, Completed, run_command
from installer.messages import t
from installer.system_tools import system32
from installer.windows.services import ServiceError, service_error
from installer.windows_args import jar_file_name, split_windows_args

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


# --- tasks made by hand (Digdir's page, "Alt 3"), read from `schtasks /query /fo csv /v` -------------------------
# The CSV's column titles follow the Windows display language, their order does not: columns are taken by
# position. The title row comes again before every task folder and is skipped wherever it appears.

QUERY_TIMEOUT = 120.0  # a server with many tasks answers slowly
# Positions in `schtasks /query /fo csv /v` (HostName, TaskName, ..., Task To Run, Start In, ..., Run As User).
_NAME, _COMMAND, _START_IN, _RUN_AS = 1, 8, 9, 14


@dataclass(frozen=True)
class ScheduledTask:
    name: str  # "\integrasjonspunkt"
    command: str  # "JAVA -jar integrasjonspunkt-2.28.1.jar --app.logger.enableSSL=false"
    start_in: str
    run_as: str


def _same_folder(a: str, b: str) -> bool:
    def norm(path: str) -> str:
        return ntpath.normcase(ntpath.normpath(path.strip().strip('"').rstrip("\\/")))

    return bool(a.strip()) and norm(a) == norm(b)


def _runs_jar_in(command: str, start_in: str, folder: str) -> bool:
    for token in split_windows_args(command):
        if not token.lower().endswith(".jar") or not jar_file_name(token).lower().startswith("integrasjonspunkt"):
            continue
        where = ntpath.dirname(token)
        if ntpath.isabs(token) and _same_folder(where, folder):
            return True
        if not ntpath.isabs(token) and _same_folder(ntpath.join(start_in.strip().strip('"'), where), folder):
            return True
    return False


def running_jar_in(csv_text: str, folder: str) -> list[ScheduledTask]:
    """The tasks in `schtasks /query /fo csv /v` output whose action runs an integrasjonspunkt jar of `folder`
    (an absolute jar path there, or a relative one with "Start in" = `folder`). One entry per task name."""
    rows = list(csv.reader(io.StringIO(csv_text)))
    rows = [row for row in rows if len(row) > _RUN_AS]
    if not rows:
        return []
    title = rows[0]
    found: dict[str, ScheduledTask] = {}
    for row in rows[1:]:
        if row == title or row[_NAME] in found:
            continue
        if _runs_jar_in(row[_COMMAND], row[_START_IN], folder):
            found[row[_NAME]] = ScheduledTask(row[_NAME], row[_COMMAND], row[_START_IN], row[_RUN_AS])
    return list(found.values())


def running_jar(folder: Path) -> list[ScheduledTask]:
    """The scheduled tasks of this machine that run integrasjonspunkt from `folder`; [] where there is no
    schtasks.exe and when schtasks cannot be asked (logged)."""
    if os.name != "nt" and not Path(system32("schtasks.exe")).is_file():
        return []  # no Task Scheduler here (the tests put a stand-in where Windows has it)
    try:
        done = run_command([system32("schtasks.exe"), "/query", "/fo", "csv", "/v"], timeout=QUERY_TIMEOUT)
    except CommandFailed as exc:
        log.warning("scheduled tasks were not looked at: %s", exc.message)
        return []
    if done.code != 0:
        return []
    return running_jar_in(done.stdout, str(folder))
