"""/run: the installed version in this console, with exactly the command the service runs (Digdir's "Alt 2"),
to see a start-up error in full. The command is read from the installed service XML the way WinSW reads it:
the executable, the arguments (JVM options before `-jar`, the profile, the jar), the working folder and the
`<env>` entries. Nothing is changed: no state, no journal, no service call but the status.

Ctrl+C stops Java gracefully (its shutdown hook runs): a console delivers it to Java as well, so setup only
waits for Java to exit; a signal sent to setup alone (POSIX) is passed on to Java. Exit: Java's exit code
(130 after Ctrl+C); 10 while the service or another copy of the installed version runs; 14 while an interrupted
operation awaits /recover; 15 when nothing is installed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
from collections.abc import Iterator
from types import FrameType

from installer import folder_trust, processes, setup_files, windows_args
from installer import journal as journal_mod
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.location import locate
from installer.lock import FolderLock
from installer.messages import t
from installer.operations.session import attach_log
from installer.result import Result
from installer.service_command import Command, service_command  # noqa: F401 (the command /run starts)
from installer.settings import Settings, require_dir
from installer.ui import UI
from installer.windows.services import ServiceError, ServiceState
from installer.winsw import WinSW

log = logging.getLogger(__name__)

_RUNNING = (ServiceState.STARTED, ServiceState.STARTING, ServiceState.STOPPING)


def _refuse_if_running(layout: Layout, service_id: str) -> None:
    if layout.exe.is_file():
        try:
            service = WinSW(layout.exe, service_id, quiet=True).status()
        except ServiceError:
            service = None  # the process table below still tells
        if service in _RUNNING:
            raise SetupError(ExitCode.PREREQUISITES, t("run.service_runs", service_id=service_id))
    running = processes.java_processes(layout.root)
    if running:
        raise SetupError(ExitCode.PREREQUISITES, t("run.java_runs", process=processes.describe(running[0])))


@contextlib.contextmanager
def _java_handles_stop(children: list[subprocess.Popen[bytes]]) -> Iterator[None]:
    """Ctrl+C and a stop request are Java's to handle: setup says so and waits for Java to exit. A console
    (and a POSIX terminal's process group) gives Ctrl+C to Java too; a signal sent to setup alone is passed on.
    A handler, not SIG_IGN: an ignored SIGINT would be inherited, and Java leaves an ignored SIGINT ignored."""
    said = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal said
        if os.name != "nt":
            for child in children:
                with contextlib.suppress(OSError):
                    child.send_signal(signum)
        if not said:
            said = True
            with contextlib.suppress(OSError, ValueError):
                os.write(2, (t("run.stopping") + "\n").encode("utf-8", "replace"))

    wanted = [signal.SIGINT] + ([signal.SIGTERM] if os.name != "nt" else [])
    if hasattr(signal, "SIGBREAK"):
        wanted.append(signal.SIGBREAK)
    before = {signum: signal.signal(signum, on_signal) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def run(settings: Settings, ui: UI) -> Result:
    folder = require_dir(settings)
    verdict = folder_trust.check(folder)
    if not verdict.trusted:  # nothing is read or run from it
        raise SetupError(ExitCode.PREREQUISITES, verdict.message(folder, "run"))
    if folder.is_dir():
        setup_files.refuse_links(folder)
    located = locate(folder, settings)
    installed = located.installed
    if installed is None:
        return Result(verb="run", exit_code=ExitCode.NOT_INSTALLED, result="not-installed",
                      message=t("upgrade.nothing_installed", folder=folder))
    layout = located.layout
    with FolderLock(layout.lock_file, "run"):  # no upgrade or repair swaps the jar under a running Java
        attach_log(layout)
        opened = journal_mod.load(layout.journal_file)
        if opened is not None:
            raise SetupError(ExitCode.ATTENTION, t("status.interrupted", operation=opened.summary()["operation"],
                                                   folder=folder))
        _refuse_if_running(layout, installed.service_id)
        command = service_command(layout, installed.service_id)
        log.info("run in %s: %s", command.cwd, windows_args.join_windows_args(command.argv))
        ui.info(t("run.starting", version=installed.version, folder=command.cwd))
        children: list[subprocess.Popen[bytes]] = []
        with _java_handles_stop(children):
            try:
                children.append(subprocess.Popen(command.argv, cwd=command.cwd, env=command.env))
            except OSError as exc:
                raise SetupError(ExitCode.PREREQUISITES, t("run.cannot_start", program=command.argv[0],
                                                           error=exc.strerror or str(exc))) from None
            code = children[0].wait()
        if code < 0:  # ended by a signal it did not handle: the shell's way of saying so
            code = 128 - code
    log.info("java exited with %d", code)
    return Result(verb="run", exit_code=code, version=installed.version, result="ok" if code == 0 else "stopped",
                  message=t("run.exited", version=installed.version, code=code))
