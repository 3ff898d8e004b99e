"""integrasjonspunkt as a Task Scheduler task (`/mode task`, Digdir's "Alt 3"): the same five things the steps ask
of WinSW (install, start, stop, uninstall, status), done with a task that runs at boot, whether anyone is logged
on or not, as the chosen account, with exactly the command the service XML describes.

Running or not is read from the process table (the Java process whose command line holds a jar of the folder),
never from schtasks' localised status text (W12); whether the task exists from `schtasks /query /xml`.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

import psutil

from installer import processes, service_xml, windows_args
from installer.layout import Layout
from installer.messages import t
from installer.service_command import service_command
from installer.windows import tasks
from installer.windows.services import ServiceError, ServiceState
from installer.winsw import wait_ports_free, wait_process_gone

log = logging.getLogger(__name__)

POLL = 0.1
# Task Scheduler starts the task again after a failure, every minute, as often as its schema allows.
RESTART_INTERVAL, RESTART_COUNT = "PT1M", 255
# The password for the registrations of a folder's task in this run, in memory only (never in the journal or a
# file): an upgrade registers the task anew, and its undo registers it again.
_passwords: dict[str, str] = {}


def hand_password(folder: Path, password: str | None) -> None:
    """The account's password for the task this run registers; it goes to schtasks once and is kept nowhere."""
    if password:
        _passwords[str(folder)] = password


def _end_trees(running: list[psutil.Process]) -> None:
    for proc in running:
        try:
            tree = [proc, *proc.children(recursive=True)]
        except psutil.Error:
            continue
        for one in tree:
            with contextlib.suppress(psutil.Error):
                one.kill()


def task_name(service_id: str) -> str:
    return "\\" + service_id


class TaskRunner:
    """One folder's task, named after the service id (`\\integrasjonspunkt`)."""

    def __init__(self, layout: Layout, service_id: str, account: str | None = None, *, quiet: bool = True,
                 s4u: bool = False) -> None:
        self.layout = layout
        self.service_id = service_id
        self.name = task_name(service_id)
        # None or LocalSystem: SYSTEM by its SID; else the user the task logs on as with its password.
        self.account = None if account in (None, "LocalSystem") else account
        self.quiet = quiet
        # A user setup created (/create-user) logs on by S4U: no password is stored with the task, and none is
        # needed to register it again (nobody knows that user's password).
        self.s4u = s4u and self.account is not None

    @property
    def xml_file(self) -> Path:
        return self.layout.private / "task.xml"

    def definition(self, xml: Path | None = None) -> tasks.TaskDefinition:
        """The task for the command the service XML describes (`xml`, else the folder's)."""
        command = service_command(self.layout, self.service_id, xml)
        named = [name for name, _ in service_xml.read(xml or self.layout.xml).env]
        if named:
            log.warning("a task carries no environment variables: %s from the XML left out", ", ".join(named))
        return tasks.TaskDefinition(
            description=t("task.description", folder=self.layout.root),
            command=command.argv[0], arguments=windows_args.join_windows_args(command.argv[1:]),
            working_directory=str(command.cwd),
            user_id=self.account or tasks.LOCAL_SYSTEM_SID,
            logon_type=("S4U" if self.s4u else "Password") if self.account else None,
            restart_interval=RESTART_INTERVAL, restart_count=RESTART_COUNT)

    def install(self, username: str | None = None, password: str | None = None, *, xml: Path | None = None) -> None:
        """Register (or replace) the task from the service XML. A user account needs its password, handed to
        schtasks with /ru and /rp and then forgotten."""
        secret = None if self.s4u else password or _passwords.get(str(self.layout.root))
        if self.account and not secret and not self.s4u:
            raise ServiceError(t("task.needs_password", account=self.account))
        tasks.create(self.name, self.xml_file, self.definition(xml), user=self.account,
                     password=secret if self.account else None)

    def registered(self) -> bool:
        return tasks.query_xml(self.name) is not None

    def status(self) -> ServiceState:
        """STARTED while a Java process runs a jar of the folder, whether the task still exists or not (an
        admin may delete the task while its program runs on): what runs must be stopped before a switch."""
        if processes.java_processes(self.layout.root):
            return ServiceState.STARTED
        return ServiceState.STOPPED if self.registered() else ServiceState.NON_EXISTENT

    def start(self, timeout: float, *, settle: float = 0.0) -> None:
        """Run the task and wait until its Java process is there (the health check watches it from then on)."""
        deadline = time.monotonic() + timeout
        tasks.run(self.name)
        while not processes.java_processes(self.layout.root):
            if time.monotonic() >= deadline:
                raise ServiceError(t("task.not_started", name=self.name, seconds=f"{timeout:g}"))
            time.sleep(POLL)

    def stop(self, timeout: float, folder: Path, ports: list[int], *, state: ServiceState | None = None) -> None:
        """End the task (its process tree), then wait until no Java process runs a jar of the folder and the
        ports are free."""
        deadline = time.monotonic() + timeout
        running = processes.java_processes(folder)
        if running and not tasks.end(self.name):
            # The task is gone or did not start this process: end it as schtasks /end would have.
            log.warning("schtasks /end %s refused; ending %s", self.name,
                        ", ".join(processes.describe(p) for p in running))
            _end_trees(running)
        wait_process_gone(self.service_id, folder, deadline, timeout)
        wait_ports_free(self.service_id, ports, deadline, timeout)

    def uninstall(self, timeout: float) -> None:
        if tasks.query_xml(self.name) is not None:
            tasks.delete(self.name)
        self.xml_file.unlink(missing_ok=True)

    def log_tail(self) -> str:
        return ""  # Task Scheduler keeps no output of the program; integrasjonspunkt's own log files remain
