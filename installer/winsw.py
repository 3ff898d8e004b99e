"""The WinSW driver: runs the service's WinSW exe and makes every call mean what it says.

WinSW 2 `start`/`stop` return before anything happened, WinSW 3's wait but report failure by exit code -1,
and Windows answers with codes that POSIX truncates. So each method runs the command, then waits for the
state it promises, decided from `status` output, with a deadline and a message that says what it waited for.
"""

from __future__ import annotations

import logging
import re
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from installer import processes
from installer.commands import DETACHED, NO_WINDOW, CommandFailed, Completed, run_command
from installer.decoding import ansi_text, console_output
from installer.errors import same_exit_code
from installer.messages import t
from installer.windows import services
from installer.windows.services import (
    ERROR_SERVICE_ALREADY_RUNNING,
    ERROR_SERVICE_CANNOT_ACCEPT_CONTROL,
    ERROR_SERVICE_DOES_NOT_EXIST,
    ERROR_SERVICE_EXISTS,
    ERROR_SERVICE_MARKED_FOR_DELETE,
    ERROR_SERVICE_NOT_ACTIVE,
    MarkedForDeletion,
    ServiceError,
    ServiceExists,
    ServiceState,
    service_error,
)

log = logging.getLogger(__name__)

POLL = 0.03  # seconds between polls: the upgrade's downtime is measured
PROCESS_POLL = 0.01  # seconds between looks at a process that is stopping (no program run, only a process query)
# What a failure means, read from the output too: WMI-based WinSW 2 builds exit with WMI return values
# (200 NoSuchService, 16 ServiceMarkedForDeletion, 23 StatusServiceExists) or -1 instead of Win32 codes.
_MISSING = re.compile(r"does not exist|NoSuchService", re.IGNORECASE)
_MARKED = re.compile(r"marked for deletion|MarkedForDeletion", re.IGNORECASE)
_EXISTS = re.compile(r"already exists|ServiceExists", re.IGNORECASE)
MARKED_GRACE = 5.0  # Stopped and still registered this long after uninstall: a program holds it open (W4)
EXISTS_GRACE = 2.0  # an "already exists" may be a service still being deleted: ask again this long
STOP_RETRY = 0.5  # re-ask a stop the service could not accept (1061 while it was starting)
LOG_TAIL_LINES = 15



_STATUS_LINES = {
    "nonexistent": ServiceState.NON_EXISTENT,
    "started": ServiceState.STARTED,
    "stopped": ServiceState.STOPPED,
    "active (running)": ServiceState.STARTED,
    "active (starting)": ServiceState.STARTING,
    "active (stopping)": ServiceState.STOPPING,
    "inactive (stopped)": ServiceState.STOPPED,
}


def parse_status(stdout: str, code: int) -> ServiceState | None:
    """The state in `status` output, WinSW 2 (`Started`) or 3 (`Active (running)`); None when unreadable.
    Decided from the output: the exit code only backs up NonExistent (3 exits 1060)."""
    for line in reversed(stdout.splitlines()):
        state = _STATUS_LINES.get(line.strip().lower())
        if state is not None:
            return state
    if same_exit_code(code, ERROR_SERVICE_DOES_NOT_EXIST):
        return ServiceState.NON_EXISTENT
    return None


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _seconds(value: float) -> str:
    return f"{value:g}"


class WinSW:
    """One service's WinSW exe (`<ID>-service.exe`, or an adopted install's own name)."""

    def __init__(self, exe: Path, service_id: str, *, quiet: bool = True, v3: bool | None = None,
                 log_dir: Path | None = None) -> None:
        self.exe = Path(exe)
        self.service_id = service_id
        self.quiet = quiet
        self._v3 = v3
        self.log_dir = log_dir if log_dir is not None else self.exe.parent / "integrasjonspunkt-logs"
        self._last_status: tuple[str, int] | None = None

    # --- running the exe ---

    def _run(self, *args: str, timeout: float = 60.0, secrets: tuple[str, ...] = ()) -> Completed:
        try:
            return run_command([str(self.exe), *args], max(timeout, 5.0), secrets)
        except CommandFailed as exc:
            raise service_error(exc) from None

    def _changing(self, verb: str) -> list[str]:
        """A verb that changes the service. WinSW 3 would raise a UAC prompt: quiet runs must never wait for
        a person, so they ask it to fail instead (exit 5). Its start and stop would wait on their own
        terms: the driver waits itself, against its own deadline."""
        if not self.is_v3:
            return [verb]
        args = [verb, "--no-elevate"] if self.quiet else [verb]
        return [*args, "--no-wait"] if verb in ("start", "stop") else args

    def version(self) -> str:
        """`2.12.0`, `3.0.0-alpha.11`: WinSW 2 answers `version`, WinSW 3 `--version`."""
        for args in (("version",), ("--version",)):
            done = self._run(*args, timeout=30.0)
            match = re.search(r"\b(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)", done.stdout)
            if done.code == 0 and match:
                return match.group(1)
        raise ServiceError(t("service.version_unreadable", exe=self.exe, output=done.output))

    @property
    def is_v3(self) -> bool:
        if self._v3 is None:
            self._v3 = int(self.version().split(".")[0]) >= 3
        return self._v3

    def status(self) -> ServiceState:
        # Polled many times a second while waiting: log a command once per distinct answer.
        argv = [str(self.exe), "status"]
        began = time.monotonic()
        try:
            proc = subprocess.run(argv, capture_output=True, timeout=30.0, creationflags=NO_WINDOW,
                                  cwd=self.exe.parent, **DETACHED)
        except (subprocess.TimeoutExpired, OSError) as exc:
            raise ServiceError(t("service.exe_failed", exe=self.exe, reason=exc)) from None
        stdout = console_output(proc.stdout)
        answer = (stdout.strip(), proc.returncode)
        if answer != self._last_status:
            self._last_status = answer
            log.info("%s status -> exit %d in %.2f s: %s", self.exe, proc.returncode, time.monotonic() - began,
                     stdout.strip() or "-")
        state = parse_status(stdout, proc.returncode)
        if state is None:
            raise ServiceError(t("service.status_unreadable", service_id=self.service_id, exe=self.exe,
                                 code=proc.returncode, output=(stdout + console_output(proc.stderr)).strip() or "-"))
        return state

    def manager_state(self) -> ServiceState | None:
        """The state as the service manager keeps it (services.manager_state). Unlike WinSW 2.12's `status`, it
        tells a pending stop from a running service, and starts no .NET program inside the downtime."""
        return services.manager_state(self.service_id)

    def _started_state(self) -> ServiceState:
        """Started once the service's Java process runs under this exe: WinSW reports Running as soon as it has
        started it, and a process query starts no program inside the downtime. Else the service manager's
        state (no program on Windows), else `status`."""
        if processes.wrappers_of(processes.java_processes(self.exe.parent), self.exe):
            return ServiceState.STARTED
        return self.manager_state() or self.status()

    def _wait(self, deadline: float, done: Callable[[ServiceState], bool],
              fail: Callable[[ServiceState], bool] = lambda s: False,
              ask: Callable[[], ServiceState] | None = None) -> tuple[bool, ServiceState]:
        """Poll `status` (or `ask`) until `done` (True), `fail` or the deadline (False)."""
        while True:
            state = (ask or self.status)()
            if done(state):
                return True, state
            if fail(state) or time.monotonic() >= deadline:
                return False, state
            time.sleep(POLL)

    # --- the verbs ---

    def install(self, username: str | None = None, password: str | None = None, *, timeout: float = 30.0) -> None:
        """Register the service. WinSW 3 takes the account on the command line; WinSW 2 reads it from the
        XML (<serviceaccount>). An existing service raises ServiceExists; one still marked for deletion
        is waited out."""
        deadline = time.monotonic() + timeout
        args = self._changing("install")
        secrets: tuple[str, ...] = ()
        if self.is_v3:
            if username:
                args += ["--username", username]
            if password:
                args += ["--password", password]
                secrets = (password,)
        elif username:
            log.info("WinSW 2 takes the account %s from <serviceaccount> in the XML", username)
        first_exists: float | None = None
        while True:
            done = self._run(*args, timeout=deadline - time.monotonic(), secrets=secrets)
            if done.code == 0:
                self._wait(deadline, lambda s: s is not ServiceState.NON_EXISTENT)
                return
            if done.means(ERROR_SERVICE_EXISTS, _EXISTS) and not done.means(ERROR_SERVICE_MARKED_FOR_DELETE, _MARKED):
                now = time.monotonic()
                first_exists = first_exists if first_exists is not None else now
                if self.status() is not ServiceState.NON_EXISTENT and now - first_exists >= EXISTS_GRACE:
                    raise ServiceExists(t("service.exists", service_id=self.service_id))
            elif not done.means(ERROR_SERVICE_MARKED_FOR_DELETE, _MARKED):
                raise ServiceError(t("service.install_failed", service_id=self.service_id, code=done.code,
                                     output=done.output))
            if time.monotonic() >= deadline:
                raise ServiceError(t("service.still_marked", service_id=self.service_id,
                                     seconds=_seconds(timeout)))
            time.sleep(POLL)

    def start(self, timeout: float, *, settle: float = 0.0) -> None:
        """Start and wait until Started; fail at once when it drops back to Stopped (within `settle` seconds
        after Started too)."""
        deadline = time.monotonic() + timeout
        done = self._run(*self._changing("start"), timeout=timeout)
        if done.means(ERROR_SERVICE_DOES_NOT_EXIST, _MISSING):
            raise ServiceError(t("service.not_installed", service_id=self.service_id))
        # WinSW 3 exits -1 when the service stopped while starting: that is a stop right after start.
        died = done.is_code(-1) and self.status() is ServiceState.STOPPED
        if done.code != 0 and not done.is_code(ERROR_SERVICE_ALREADY_RUNNING) and not died:
            raise ServiceError(t("service.start_failed", service_id=self.service_id, code=done.code,
                                 output=done.output), self.log_tail())
        started, state = self._wait(deadline, lambda s: s is ServiceState.STARTED,
                                    lambda s: s in (ServiceState.STOPPED, ServiceState.NON_EXISTENT),
                                    ask=self._started_state)
        if started and settle > 0:
            _, state = self._wait(min(deadline, time.monotonic() + settle), lambda s: False,
                                  lambda s: s is not ServiceState.STARTED, ask=self._started_state)
            started = state is ServiceState.STARTED
        if started:
            return
        if state is ServiceState.NON_EXISTENT:
            raise ServiceError(t("service.not_installed", service_id=self.service_id))
        if state is ServiceState.STOPPED:
            raise ServiceError(t("service.stopped_after_start", service_id=self.service_id), self.log_tail())
        raise ServiceError(t("service.start_timeout", service_id=self.service_id, seconds=_seconds(timeout),
                             state=state.value), self.log_tail())

    def stop(self, timeout: float, folder: Path, ports: list[int], *, state: ServiceState | None = None) -> None:
        """Stop and wait until Stopped (or gone), then until no Java process runs a jar of `folder`, then
        until the ports are free. A stop the service cannot accept yet (1061) is asked again. `state` is the
        state the caller has just read: Stopped needs no stop command, only the waits."""
        deadline = time.monotonic() + timeout
        if state not in (ServiceState.STOPPED, ServiceState.NON_EXISTENT):
            running = processes.java_processes(folder)
            wrappers = processes.wrappers_of(running, self.exe)
            self._ask_stop(timeout)
            self._wait_stopped(running, deadline, timeout)
            if self._wrappers_gone(wrappers, deadline):
                log.info("%s: the service's process has ended, so the service is stopped", self.service_id)
            else:
                self._wait_reports_stopped(deadline, timeout)
        self._wait_process_gone(folder, deadline, timeout)
        self._wait_ports_free(ports, deadline, timeout)

    def _wait_stopped(self, running: list[psutil.Process], deadline: float, timeout: float) -> None:
        """While the service's Java process runs, watch the process (cheap) and ask the service only every
        STOP_RETRY, asking it to stop again if it could not accept the stop yet: each `status` is a program run,
        and the stop is over the moment the process exits."""
        asked = time.monotonic()
        while any(_alive(p) for p in running) and time.monotonic() < deadline:
            if time.monotonic() - asked >= STOP_RETRY:
                # WinSW 2.12 says Started for a pending stop too: the service manager tells them apart, so a
                # stop already under way is not asked for again every STOP_RETRY.
                state = self.manager_state() or self.status()
                if state in (ServiceState.STOPPED, ServiceState.NON_EXISTENT):
                    return  # Stopped while the process lingers: _wait_process_gone waits for it
                if state in (ServiceState.STARTED, ServiceState.STARTING):
                    self._ask_stop(deadline - time.monotonic())
                asked = time.monotonic()
            time.sleep(PROCESS_POLL)

    @staticmethod
    def _wrappers_gone(wrappers: list[psutil.Process], deadline: float) -> bool:
        """Whether the service's own processes (WinSW) have ended, waiting a moment for them after Java's exit.
        The service manager counts a service Stopped when its process ends, so this spares a `status` run
        inside the upgrade's downtime."""
        if not wrappers:
            return False
        grace = min(deadline, time.monotonic() + STOP_RETRY)
        while any(_alive(p) for p in wrappers):
            if time.monotonic() >= grace:
                return False
            time.sleep(PROCESS_POLL)
        return True

    def _wait_reports_stopped(self, deadline: float, timeout: float) -> None:
        """Until the service says Stopped (or is gone), asking it to stop again while it still runs."""
        asked = time.monotonic()

        def stopped(state: ServiceState) -> bool:
            nonlocal asked
            if state in (ServiceState.STOPPED, ServiceState.NON_EXISTENT):
                return True
            if state in (ServiceState.STARTED, ServiceState.STARTING) and time.monotonic() - asked >= STOP_RETRY \
                    and self.manager_state() in (ServiceState.STARTED, ServiceState.STARTING, None):
                self._ask_stop(deadline - time.monotonic())
                asked = time.monotonic()
            return False

        ok, state = self._wait(deadline, stopped)
        if not ok:
            raise ServiceError(t("service.stop_timeout_state", service_id=self.service_id,
                                 seconds=_seconds(timeout), state=state.value))

    def _ask_stop(self, timeout: float) -> None:
        done = self._run(*self._changing("stop"), timeout=timeout)
        if done.code == 0 or done.is_code(ERROR_SERVICE_CANNOT_ACCEPT_CONTROL) \
                or done.is_code(ERROR_SERVICE_NOT_ACTIVE):
            return
        if done.means(ERROR_SERVICE_DOES_NOT_EXIST, _MISSING):
            log.info("service %s is not registered: nothing to stop", self.service_id)
            return
        # WinSW 3 exits -1 when its own wait ran out; the state decides.
        if self.status() in (ServiceState.STOPPED, ServiceState.STOPPING, ServiceState.NON_EXISTENT):
            return
        raise ServiceError(t("service.stop_failed", service_id=self.service_id, code=done.code,
                             output=done.output))

    def _wait_process_gone(self, folder: Path, deadline: float, timeout: float) -> None:
        wait_process_gone(self.service_id, folder, deadline, timeout)

    def _wait_ports_free(self, ports: list[int], deadline: float, timeout: float) -> None:
        wait_ports_free(self.service_id, ports, deadline, timeout)

    def uninstall(self, timeout: float) -> None:
        """Remove the service and wait until it is NonExistent (riding out "marked for deletion") and its
        exe can be replaced (Windows locks it a moment after its process ends)."""
        deadline = time.monotonic() + timeout
        done = self._run(*self._changing("uninstall"), timeout=timeout)
        settled = done.means(ERROR_SERVICE_DOES_NOT_EXIST, _MISSING) or done.means(ERROR_SERVICE_MARKED_FOR_DELETE,
                                                                              _MARKED)
        if done.code != 0 and not settled and self.status() is not ServiceState.NON_EXISTENT:
            raise ServiceError(t("service.uninstall_failed", service_id=self.service_id, code=done.code,
                                 output=done.output))
        stopped_since: list[float] = []

        def marked(state: ServiceState) -> bool:
            # Windows deletes a stopped service at once unless a handle to it is open (services.msc, a
            # monitoring agent): then it stays, disabled and Stopped, until that program lets go.
            if state is not ServiceState.STOPPED:
                stopped_since.clear()
                return False
            stopped_since[:] = stopped_since or [time.monotonic()]
            return time.monotonic() - stopped_since[0] >= MARKED_GRACE

        ok, state = self._wait(deadline, lambda s: s is ServiceState.NON_EXISTENT, marked)
        if not ok and state is ServiceState.STOPPED:
            raise MarkedForDeletion(t("service.marked_for_deletion", service_id=self.service_id))
        if not ok:
            raise ServiceError(t("service.uninstall_timeout", service_id=self.service_id,
                                 seconds=_seconds(timeout), state=state.value))
        while not self._exe_writable():
            if time.monotonic() >= deadline:
                raise ServiceError(t("service.exe_locked", exe=self.exe, seconds=_seconds(timeout)))
            time.sleep(POLL)

    def _exe_writable(self) -> bool:
        try:
            with open(self.exe, "r+b"):
                return True
        except FileNotFoundError:
            return True
        except OSError:
            return False

    def log_tail(self) -> str:
        """The last lines of the service's own logs, to show below a failed start."""
        parts = []
        base = self.exe.stem
        for name in (f"{base}.err.log", f"{base}.out.log"):
            path = self.log_dir / name
            try:
                # Java writes its log in the ANSI code page unless told otherwise.
                lines = ansi_text(path.read_bytes()).splitlines()[-LOG_TAIL_LINES:]
            except OSError:
                continue
            if lines:
                parts.append("\n".join([t("service.log_tail", path=path), *lines]))
        return "\n\n".join(parts)


def wait_process_gone(service_id: str, folder: Path, deadline: float, timeout: float) -> None:
    """Until no Java process runs a jar of `folder` (ServiceError at the deadline, naming what still runs)."""
    left = processes.java_processes(folder)
    if left:
        log.info("waiting for %s to exit", ", ".join(processes.describe(p) for p in left))
    while left:
        if time.monotonic() >= deadline:
            raise ServiceError(t("service.stop_timeout_process", service_id=service_id, seconds=_seconds(timeout),
                                 processes=", ".join(processes.describe(p) for p in left)))
        time.sleep(POLL)
        left = processes.java_processes(folder)


def wait_ports_free(service_id: str, ports: list[int], deadline: float, timeout: float) -> None:
    """Until nothing listens on `ports` (ServiceError at the deadline, naming the holder)."""
    for port in ports:
        while processes.port_listening(port):
            if time.monotonic() >= deadline:
                holder = processes.port_holder(port)
                shown = t("service.port_holder", pid=holder[0], name=holder[1]) if holder else ""
                raise ServiceError(t("service.stop_timeout_port", service_id=service_id, port=port,
                                     seconds=_seconds(timeout), holder=shown))
            time.sleep(POLL)


def service_account(service_id: str) -> str | None:
    """The account the service logs on as (services.registered); None when it does not exist."""
    try:
        found = services.registered(service_id)
    except CommandFailed as exc:
        raise service_error(exc) from None
    return found.account if found.exists else None
