"""/schedule SPEC and /unschedule: register or remove the Task Scheduler task that keeps the installation on SPEC
(installer/schedule.py), and record it in the state file. Uninstall removes the task too."""

from __future__ import annotations

import logging

from installer import boot_recovery, schedule
from installer.errors import ExitCode, SetupError, first_line
from installer.layout import Layout
from installer.messages import t
from installer.operations.session import changing
from installer.releases import parse_spec
from installer.result import Result
from installer.settings import Settings
from installer.state import State, save
from installer.ui import UI
from installer.windows import tasks
from installer.windows.services import ServiceError

log = logging.getLogger(__name__)


def run(settings: Settings, ui: UI) -> Result:
    spec = parse_spec(settings.spec or "").text  # a bad SPEC is 1639 before anything is read
    at = schedule.parse_at(settings.at or schedule.DEFAULT_AT)
    days = schedule.parse_days(settings.days or schedule.DEFAULT_DAYS)
    with changing(settings, ui, "schedule") as session:
        installed = session.installed
        if installed is None:
            return session.nothing_installed("schedule")
        layout = session.layout
        planned = schedule.Schedule(spec=spec, at=at, days=days, allow_major=settings.allow_major,
                                    task=schedule.task_name(layout))
        # The task runs the folder's own copy of setup: the file the admin ran may be gone by then.
        boot_recovery.copy_running_setup(layout)
        try:
            tasks.create(planned.task, schedule.task_file(layout), schedule.definition(layout, planned))
        except ServiceError as exc:
            raise SetupError(ExitCode.PREREQUISITES, t("schedule.not_registered", reason=first_line(exc))) from None
        installed.schedule = planned.to_document()
        save(layout.state_file, installed)
        message = t("schedule.done", spec=spec, at=at, days=",".join(days), task=planned.task,
                    major=t("schedule.major_allowed") if planned.allow_major else t("schedule.major_kept"))
        return Result(verb="schedule", version=installed.version, message=message,
                      extra={"schedule": installed.schedule})


def remove(settings: Settings, ui: UI) -> Result:
    """/unschedule."""
    with changing(settings, ui, "unschedule") as session:
        installed = session.installed
        if installed is None:
            return session.nothing_installed("unschedule")
        if installed.schedule is None:
            return Result(verb="unschedule", result="nothing-to-do", version=installed.version,
                          message=t("schedule.none"))
        delete_task(session.layout, installed)
        save(session.layout.state_file, installed)
        return Result(verb="unschedule", version=installed.version, message=t("schedule.removed"))


def delete_task(layout: Layout, installed: State) -> None:
    """Remove the scheduled task, if any, and forget it (the caller saves the state). A task Windows no longer
    has is gone already; one that cannot be deleted stops the verb (exit 14), the state still naming it."""
    if installed.schedule is None:
        return
    name = schedule.Schedule.from_document(installed.schedule).task
    if tasks.query_xml(name) is not None:
        try:
            tasks.delete(name)
        except ServiceError as exc:
            raise SetupError(ExitCode.ATTENTION, t("schedule.not_removed", task=name,
                                                    reason=first_line(exc))) from None
    schedule.task_file(layout).unlink(missing_ok=True)
    installed.schedule = None
