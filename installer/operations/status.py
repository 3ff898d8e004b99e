"""/status: what is installed and whether it runs and answers. Read-only: it never starts, stops, recovers
or writes anything, so a monitoring tool can run it every minute.

Exit: 1618 while another run holds the folder; else 14 while an interrupted operation awaits /recover;
else 0 (installed, running, healthy), 14 (needs attention) or 15 (nothing installed).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from installer import (
    backup,
    effective_config,
    folder_trust,
    health,
    java,
    keys,
    schedule,
    setup_files,
    state,
)
from installer import journal as journal_mod
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.location import locate
from installer.lock import holder_if_locked
from installer.messages import joined, t
from installer.prereqs import size_text
from installer.releases import line_for
from installer.result import Result
from installer.settings import Settings, require_dir
from installer.task_runner import TaskRunner
from installer.ui import UI
from installer.windows import tasks
from installer.windows.services import ServiceError, ServiceState
from installer.winsw import WinSW, service_account

log = logging.getLogger(__name__)

# The rows of the table a person sees, in order (each is a key of the JSON document and a `status.row_*` text).
SHOWN = ("version", "env", "service_id", "mode", "service", "account", "healthy", "health_url", "java", "winsw",
         "previous_versions", "failed_versions", "last_operation", "interrupted", "last_recovery", "key_expires",
         "backups", "schedule")
SERVICE_WORDS = {
    ServiceState.STARTED: "running",
    ServiceState.STARTING: "running",
    ServiceState.STOPPING: "stopped",
    ServiceState.STOPPED: "stopped",
    ServiceState.NON_EXISTENT: "absent",
}


def run(settings: Settings, ui: UI) -> Result:
    folder = require_dir(settings)
    layout = Layout(folder)
    verdict = folder_trust.check(folder)
    if not verdict.trusted:  # nothing is read or run from it: report that alone
        return _untrusted(folder, verdict, ui)
    if folder.is_dir():
        setup_files.refuse_links(folder)
    holder = holder_if_locked(layout.lock_file)
    located = locate(folder, settings)
    installed = located.installed
    if holder:
        # The other run may be changing the service: say only what the state file (written atomically) holds.
        busy = {"installed": installed is not None, "version": installed.version if installed else None,
                "env": installed.env if installed else None, "service_id": installed.service_id if installed
                else None, "busy": holder, "folder": str(folder)}
        return Result(verb="status", exit_code=ExitCode.BUSY, result="busy", version=busy["version"], extra=busy,
                      message=t("operations.busy", holder=holder))
    open_journal = journal_mod.load(layout.journal_file) if folder.is_dir() else None
    doc: dict[str, Any] = {
        "installed": installed is not None,
        "version": None,
        "env": None,
        "service_id": None,
        "service": "absent",
        "account": None,
        "account_created": False,
        "healthy": False,
        "health_url": None,
        "java": None,
        "winsw": None,
        "mode": None,
        "previous_versions": [],
        "failed_versions": [],
        "last_operation": None,
        "interrupted": open_journal.summary() if open_journal else None,
        "last_recovery": None,
        "key_expires": None,
        "backups": backup.usage(layout.backups),
        "java_missing": None,
        "schedule": None,
        "folder": str(folder),
        "folder_trusted": True,
    }
    for line in _key_expiry(settings, layout, doc):
        ui.warn(line)
    if installed is None and open_journal is None:
        hand_made = _hand_made(settings, folder)
        if hand_made:
            return Result(verb="status", exit_code=ExitCode.ATTENTION, result="adoptable", extra=doc,
                          message=t("status.adoptable", folder=folder, what=hand_made))
        return Result(verb="status", exit_code=ExitCode.NOT_INSTALLED, result="not-installed",
                      message=t("status.not_installed", folder=folder), extra=doc)
    if installed is not None:
        layout = located.layout
        service = _state(layout, installed)
        config = effective_config.for_installation(layout.root, layout.jar(installed.version), layout.xml)
        where = health.target_from(line_for(installed.version).health, config, installed.version)
        healthy = service is ServiceState.STARTED and health.probe(where).good
        doc.update({
            "version": installed.version,
            "env": installed.env,
            "service_id": installed.service_id,
            "service": SERVICE_WORDS[service],
            "account": _account(installed, service),
            "account_created": installed.account_created,
            "healthy": healthy,
            "health_url": where.url,
            "java": installed.java,
            "winsw": None if installed.mode == "task" else installed.winsw,
            "mode": installed.mode,
            "previous_versions": installed.previous_versions,
            "failed_versions": installed.failed_versions,
            "last_operation": installed.last_operation,
            "last_recovery": installed.last_recovery,
            "java_missing": java.vanished_service_java(layout.xml),
            "schedule": _schedule(layout, installed),
        })
    _show(doc, ui)
    if open_journal is not None:
        return Result(verb="status", exit_code=ExitCode.ATTENTION, result="interrupted", version=doc["version"],
                      message=t("status.interrupted", operation=open_journal.operation, folder=folder), extra=doc)
    if doc["healthy"]:
        return Result(verb="status", version=doc["version"], extra=doc,
                      message=t("status.healthy", version=doc["version"], url=doc["health_url"]))
    if doc["java_missing"] and not doc["healthy"]:
        return Result(verb="status", exit_code=ExitCode.ATTENTION, result="attention", version=doc["version"],
                      extra=doc, message=t("status.java_missing", version=doc["version"],
                                           service=t(f"status.service_{doc['service']}"),
                                           java=doc["java_missing"], folder=folder))
    return Result(verb="status", exit_code=ExitCode.ATTENTION, result="attention", version=doc["version"], extra=doc,
                  message=t("status.unhealthy", version=doc["version"], service=t(f"status.service_{doc['service']}"),
                            url=doc["health_url"]))


def _key_expiry(settings: Settings, layout: Layout, doc: dict[str, Any]) -> list[str]:
    """Put the earliest expiry of a trusted key (refreshed copies in `.setup/keys/` counted) into `doc`; returns
    a line for each key that expires within 60 days."""
    try:
        trusted = keys.trusted(settings, read_from=[layout.private / keys.FOLDER])
    except SetupError as exc:
        log.warning("trusted keys not read: %s", exc.message)
        return []
    earliest = keys.earliest_expiry(trusted)
    doc["key_expires"] = earliest.isoformat() if earliest is not None else None
    return keys.describe_expiring(trusted)


def _untrusted(folder: Path, verdict: folder_trust.Verdict, ui: UI) -> Result:
    doc: dict[str, Any] = {
        "installed": None, "version": None, "env": None, "service_id": None, "service": None, "healthy": False,
        "health_url": None, "java": None, "winsw": None, "mode": None, "previous_versions": [], "failed_versions": [],
        "last_operation": None, "interrupted": None, "last_recovery": None, "key_expires": None, "java_missing": None,
        "folder": str(folder), "folder_trusted": False,
    }
    ui.warn(t("trust.status_untrusted", folder=folder, reason=f"{verdict.path} {verdict.reason}"))
    return Result(verb="status", exit_code=ExitCode.ATTENTION, result="untrusted", extra=doc,
                  message=verdict.message(folder, "status"))


def _hand_made(settings: Settings, folder: Path) -> str | None:
    """A description of a hand-made installation /adopt would take over here, or None."""
    if not folder.is_dir():
        return None
    from installer import adoption, winsw_catalog

    found = adoption.discover(folder, winsw_catalog.load_catalog(settings.winsw_catalog))
    adoptable = [c for c in found.candidates if c.adoptable]
    if not found.candidates and not found.kosmos and len(found.tasks) == 1:  # Digdir's Alt 3 made by hand
        return t("adopt.task_candidate", name=found.tasks[0].name, command=found.tasks[0].command)
    return joined(c.describe() for c in adoptable) or None


def _state(layout: Layout, installed: state.State) -> ServiceState:
    """The service's state from WinSW, or the task's (registered, and whether its Java process runs)."""
    if installed.mode == "task":
        runner = TaskRunner(layout, installed.service_id, installed.account)
        # A program left running by a deleted task: the task is absent all the same (boot will not start it).
        return runner.status() if runner.registered() else ServiceState.NON_EXISTENT
    if not layout.exe.exists():
        return ServiceState.NON_EXISTENT
    return WinSW(layout.exe, installed.service_id, quiet=True).status()


def _account(installed: state.State, service: ServiceState) -> str | None:
    """The account the service logs on as, as the service manager has it; the one setup registered it with when
    the service is not there (or cannot be asked)."""
    if service is not ServiceState.NON_EXISTENT and installed.mode != "task":
        try:
            registered = service_account(installed.service_id)
        except ServiceError as exc:
            log.warning("account not read: %s", exc.message)
        else:
            if registered:
                return registered
    return installed.account


def _schedule(layout: Layout, installed: state.State) -> dict[str, Any] | None:
    """The recorded schedule, whether Task Scheduler still has its task, and the result of the last silent
    /upgrade, or of the repair it made (scheduled or scripted: `.setup/last-run.json`)."""
    if installed.schedule is None:
        return None
    recorded = schedule.Schedule.from_document(installed.schedule)
    return {**installed.schedule, "registered": tasks.query_xml(recorded.task) is not None,
            "last_run": _last_upgrade_run(layout)}


def _last_upgrade_run(layout: Layout) -> dict[str, Any] | None:
    try:
        doc = json.loads(layout.last_run.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("verb") not in ("upgrade", "repair"):  # a run with nothing newer repairs
        return None
    return {key: doc.get(key) for key in ("at", "result", "exit_code", "version")}


def _schedule_text(value: dict[str, Any]) -> str:
    text = t("status.schedule", spec=value["spec"], days=",".join(value["days"]), at=value["at"])
    if not value.get("registered"):
        text += " " + t("status.schedule_missing")
    last = value.get("last_run")
    if last:
        text += " " + t("status.schedule_last", at=last.get("at"), result=last.get("result"),
                        code=last.get("exit_code"))
    return text


def _show(doc: dict[str, Any], ui: UI) -> None:
    rows = [[t(f"status.row_{key}"), _text(key, doc[key])] for key in SHOWN]
    ui.table(t("status.title", folder=doc["folder"]), [t("status.what"), t("status.value")], rows)


def _text(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key == "schedule":
        return _schedule_text(value)
    if key == "backups":
        return t("status.backups", count=value["count"], size=size_text(value["bytes"]), failed=value["failed"])
    if key == "service":  # JSON keeps the word tools compare against; a person reads it in the run's language
        return t(f"status.service_{value}")
    if isinstance(value, bool):
        return t("status.yes") if value else t("status.no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None)
    return str(value)
