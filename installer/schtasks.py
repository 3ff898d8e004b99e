"""Scheduled tasks that run integrasjonspunkt's jar from a folder (Digdir's page, "Alt 3": Task Scheduler with a
least-privilege user), read from `schtasks /query /fo csv /v`.

The CSV's column titles follow the Windows display language, their order does not: columns are taken by
position. The title row comes again before every task folder and is skipped wherever it appears.
"""

from __future__ import annotations

import csv
import io
import logging
import ntpath
import os
from dataclasses import dataclass
from pathlib import Path

from installer.commands import CommandFailed, run_command
from installer.service_xml import jar_file_name
from installer.system_tools import system32
from installer.windows_args import split_windows_args

log = logging.getLogger(__name__)

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
