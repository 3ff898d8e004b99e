"""Scheduled upgrades (`/schedule SPEC`): a Task Scheduler task, as SYSTEM, that runs the folder's own copy of setup
with `/upgrade SPEC /quiet` at `/at` on `/days` (CLI.md). What was scheduled is recorded in the state file.

The task has no restart on failure: a run that fails (the network, a version that does not start and was rolled
back) waits for the next scheduled time, and a failed version is skipped by the next run of a range or `latest`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.messages import t
from installer.windows import tasks
from installer.windows_args import quote_windows_arg

DEFAULT_AT = "05:30"
DEFAULT_DAYS = "MON-FRI"
DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# An upgrade copies the data into a backup: bounded, but generously (Task Scheduler ends a run past it).
RUN_LIMIT = "PT4H"
_AT = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Schedule:
    spec: str  # as given: "latest", "2.x"
    at: str  # "05:30", local time
    days: tuple[str, ...]  # of DAYS, in week order
    allow_major: bool
    task: str  # the task's name, "\\integrasjonspunkt-setup-upgrade-<digest>"

    def to_document(self) -> dict[str, Any]:
        return {**asdict(self), "days": list(self.days)}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Schedule:
        return cls(spec=str(doc["spec"]), at=str(doc["at"]), days=tuple(doc["days"]),
                   allow_major=bool(doc.get("allow_major")), task=str(doc["task"]))


def valid_document(doc: object) -> bool:
    """A schedule as the state file records it (the state file is read by an elevated run)."""
    if not isinstance(doc, dict):
        return False
    return (isinstance(doc.get("spec"), str) and re.fullmatch(r"[A-Za-z0-9.*+-]{1,40}", doc["spec"]) is not None
            and isinstance(doc.get("at"), str) and _AT.match(doc["at"]) is not None
            and isinstance(doc.get("days"), list) and bool(doc["days"]) and all(d in DAYS for d in doc["days"])
            and isinstance(doc.get("task"), str) and re.fullmatch(r"\\[A-Za-z0-9._-]{1,200}", doc["task"]) is not None
            and isinstance(doc.get("allow_major", False), bool))


def _bad(name: str, value: str, key: str) -> SetupError:
    return SetupError(ExitCode.BAD_COMMAND_LINE, t("cli.bad_value", name=name, reason=t(key, value=value)))


def parse_at(text: str) -> str:
    """`HH:MM` (24 hours, local time) as "05:30"; anything else is exit 1639."""
    match = _AT.match(text.strip())
    if match is None:
        raise _bad("at", text, "schedule.bad_at")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_days(text: str) -> tuple[str, ...]:
    """`MON-FRI`, `MON,WED,FRI`, `SAT-SUN`, `DAILY`: the days in week order; anything else is exit 1639."""
    chosen: set[str] = set()
    value = text.strip().upper()
    if value == "DAILY":
        return DAYS
    for part in value.split(","):
        first, _, last = part.strip().partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise _bad("days", text, "schedule.bad_days")
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise _bad("days", text, "schedule.bad_days")
        chosen.update(DAYS[start:end + 1])
    return tuple(d for d in DAYS if d in chosen)


def task_name(layout: Layout) -> str:
    return f"\\{layout.service_id}-setup-upgrade-{layout.folder_digest}"


def setup_command(layout: Layout) -> tuple[str, list[str], str]:
    """The program the task runs, the arguments before setup's own, and its working folder: the folder's copy
    of setup.exe; from source (tests), this Python with `-m installer`, in the folder that holds the package."""
    if getattr(sys, "frozen", False):
        return str(layout.setup_copy), [], str(layout.private)
    package = Path(__file__).resolve().parent
    return sys.executable, ["-m", "installer"], str(package.parent)


def definition(layout: Layout, schedule: Schedule) -> tasks.TaskDefinition:
    command, prefix, workdir = setup_command(layout)
    arguments = [*prefix, "/upgrade", schedule.spec, "/dir", str(layout.root), "/quiet"]
    if schedule.allow_major:
        arguments.append("/allow-major")
    return tasks.TaskDefinition(
        description=t("schedule.task_description", spec=schedule.spec, folder=layout.root),
        command=command,
        arguments=" ".join(quote_windows_arg(a) for a in arguments),
        working_directory=workdir,
        boot_trigger=False,
        execution_time_limit=RUN_LIMIT,
        weekly=tasks.Weekly(at=schedule.at, days=tuple(tasks.DAY_NAMES[DAYS.index(d)] for d in schedule.days),
                            since=date.today().isoformat()),
    )


def task_file(layout: Layout) -> Path:
    return layout.private / "upgrade-task.xml"
