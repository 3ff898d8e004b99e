"""A WinSW stand-in for POSIX: an executable that follows WinSW 2.12's command line (and 3.0's output when
asked) and really starts, supervises and stops the service's process. See WINSW_STANDIN.md, which lists
every way it differs from WinSW on Windows.

`standin_bytes()` is the file the artifact server hands out as the WinSW asset; the installer renames it
`<ID>-service.exe` and runs it as it would run WinSW. The registry of services is machine-wide: the folder
named by WINSW_STANDIN_REGISTRY (service_registry.py). This module is the command line; the XML is read by
standin_config.py and the started service is run by standin_supervisor.py.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from tests.harness.service_registry import Record, Registry, alive, identity, state_of
from tests.harness.standin_config import START_TYPES, Config, ConfigError, load_config, parse_failure_actions
from tests.harness.standin_supervisor import (  # noqa: F401  (the switches are part of this module's API)
    ENV_LINGER,
    ENV_STOP_PENDING,
    POLL,
    SERVICE_MODE,
    Supervisor,
    WrapperLog,
)

VERSION_V2 = "2.12.0"
VERSION_V3 = "3.0.0-alpha.11"
ENV_V3 = "WINSW_STANDIN_V3"  # "1": WinSW 3 command line and output
ENV_DELETE_DELAY = "WINSW_STANDIN_DELETE_DELAY"  # seconds a removed, stopped service stays marked for deletion
REPO_ROOT = Path(__file__).resolve().parents[2]

WIN32_MESSAGES = {
    2: "The system cannot find the file specified.",
    5: "Access is denied.",
    1056: "An instance of the service is already running.",
    1058: "The service cannot be started, either because it is disabled or because it has no enabled devices "
    "associated with it.",
    1060: "The specified service does not exist as an installed service.",
    1061: "The service cannot accept control messages at this time.",
    1072: "The specified service has been marked for deletion.",
    1073: "The specified service already exists.",
}


@cache
def standin_bytes(v3: bool = False) -> bytes:
    """The executable: stable within a test session (the tests pin its SHA-256 in a catalog)."""
    return (
        f"#!{sys.executable}\n"
        "# WinSW stand-in for POSIX tests (tests/harness/winsw_standin.py, WINSW_STANDIN.md)\n"
        "import sys\n"
        f"sys.path.insert(0, {str(REPO_ROOT)!r})\n"
        "from tests.harness.winsw_standin import main\n"
        f"sys.exit(main(sys.argv, v3={v3!r}))\n"
    ).encode()


class Console:
    """WinSW's log lines: v2 `2024-01-31 12:00:00,123 INFO  - text` on stdout, v3 the text alone; all of
    them also in `<base>.wrapper.log` once the configuration is known."""

    def __init__(self, v3: bool) -> None:
        self.v3 = v3
        self.wrapper = WrapperLog()

    def log(self, level: str, message: str) -> None:
        line = self.wrapper.write(level, message)
        print(message if self.v3 else line, flush=True)

    def info(self, message: str) -> None:
        self.log("INFO", message)

    def warn(self, message: str) -> None:
        self.log("WARN", message)

    def error(self, message: str) -> None:
        self.log("ERROR", message)

    def fatal(self, message: str) -> None:
        self.log("FATAL", message)

    def win32(self, code: int) -> int:
        """A failed service call: the Win32 message, and the code as the exit code."""
        self.fatal(WIN32_MESSAGES[code])
        print(f"System.ComponentModel.Win32Exception ({code}): {WIN32_MESSAGES[code]}", file=sys.stderr)
        return code


# --- the service manager's side ------------------------------------------------------------------------


def new_record(config: Config, account: str | None) -> Record:
    return {
        "id": config.service_id,
        "display_name": config.name or config.service_id,
        "description": config.description or "",
        "binary_path": str(config.exe),
        "account": account or "LocalSystem",
        "password_sha256": config.password_sha256,
        "start_type": config.start_type,
        "failure_actions": [],
        "reset_failure": 86400.0,
        "failures": 0,
        "last_failure": None,
        "marked_for_deletion": False,
        "delete_at": None,
        "run": None,
        "installed_at": time.time(),
    }


def _kill(ident: dict[str, Any] | None) -> None:
    if alive(ident):
        assert ident is not None
        with contextlib.suppress(OSError):
            os.kill(int(ident["pid"]), signal.SIGKILL)


def launch(registry: Registry, record: Record) -> int:
    """Start the service (call under the lock): the supervisor runs the registered binary, detached."""
    _kill((record.get("run") or {}).get("supervisor"))  # one waiting for an onfailure restart
    binary = record["binary_path"]
    try:
        proc = subprocess.Popen(
            [binary, SERVICE_MODE, record["id"]], cwd=os.path.dirname(binary) or None,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )
    except FileNotFoundError:
        return 2
    except PermissionError:
        return 5
    record["run"] = {"state": "starting", "supervisor": identity(proc.pid), "child": None}
    registry.save(record)
    return 0


def request_stop(registry: Registry, record: Record) -> None:
    """Ask the supervisor to stop (call under the lock)."""
    run = record["run"]
    run["state"] = "stopping"
    registry.save(record)
    with contextlib.suppress(OSError):
        os.kill(int(run["supervisor"]["pid"]), signal.SIGTERM)


class Cli:
    """What both generations share: the registry, the configuration and waiting for a state."""

    generation = 2

    def __init__(self, exe: Path, registry: Registry) -> None:
        self.exe = exe
        self.registry = registry
        self.console = Console(v3=self.generation == 3)

    def load(self) -> Config:
        config = load_config(self.exe, v3=self.generation == 3)
        self.console.wrapper.path = config.wrapper_log
        return config

    def state(self, service_id: str) -> tuple[Record | None, str]:
        with self.registry.locked(service_id):
            record = self.registry.current(service_id)
            return record, state_of(record)

    def wait_while(self, service_id: str, states: tuple[str, ...], tick: Callable[[], None] | None = None) -> str:
        last_tick = time.monotonic()
        while True:
            _, state = self.state(service_id)
            if state not in states:
                return state
            if tick is not None and time.monotonic() - last_tick >= 1.0:
                tick()
                last_tick = time.monotonic()
            time.sleep(POLL)

    def install_record(self, config: Config, account: str | None) -> int | None:
        """Register the service; None when done, else the Win32 code of the failure."""
        with self.registry.locked(config.service_id):
            existing = self.registry.current(config.service_id)
            if existing is not None:
                # With a handle open the service still opens: WinSW 2.12 finds it and says it exists.
                marked = existing.get("marked_for_deletion") and not self.registry.handle_open(config.service_id)
                return 1072 if marked else 1073
            record = new_record(config, account)
            self.registry.save(record)
            # Windows registers the service before WinSW sets the failure actions: a bad duration leaves
            # the service installed and the command failed.
            record["failure_actions"], record["reset_failure"] = parse_failure_actions(config)
            self.registry.save(record)
        return None

    def uninstall_record(self, service_id: str) -> str:
        """`missing`, `marked` (already), `running` (now marked) or `removed`."""
        with self.registry.locked(service_id):
            record = self.registry.current(service_id)
            if record is None:
                return "missing"
            if record.get("marked_for_deletion"):
                return "marked"
            if state_of(record) != "stopped":
                record.update(marked_for_deletion=True, start_type=START_TYPES["disabled"])
                self.registry.save(record)
                return "running"
            _kill((record.get("run") or {}).get("supervisor"))
            if self.registry.handle_open(service_id):
                # DeleteService with a handle open only marks the service and disables it (MS-SCMR).
                record.update(marked_for_deletion=True, start_type=START_TYPES["disabled"], run=None)
                self.registry.save(record)
                return "removed"
            delay = float(os.environ.get(ENV_DELETE_DELAY) or 0)
            if delay > 0:
                record.update(marked_for_deletion=True, delete_at=time.time() + delay, run=None)
                self.registry.save(record)
            else:
                self.registry.delete(service_id)
            return "removed"


class V2(Cli):
    """WinSW 2.12: `start`/`stop` do not wait, `status` always exits 0."""

    COMMANDS = ("install", "uninstall", "start", "stop", "stopwait", "restart", "status", "version", "help")

    def help(self) -> int:
        print("A wrapper binary that can be used to host executables as Windows services\n\n"
              "Usage: winsw <command> [<args>]\n       Missing arguments triggers the service mode\n\n"
              "Available commands:\n  " + "\n  ".join(self.COMMANDS) + f"\n\nWinSW {VERSION_V2}")
        return 0

    def run(self, args: list[str]) -> int:
        if not args or args[0].lower() in ("help", "--help", "-h", "-?", "/?"):
            return self.help()
        try:
            config = self.load()
        except ConfigError as exc:
            self.console.fatal(str(exc))
            print(exc, file=sys.stderr)
            return -1
        verb = args[0].lower()
        handler = getattr(self, f"cmd_{verb}", None) if verb in self.COMMANDS else None
        if handler is None:
            print(f"Unknown command: {args[0]}")
            self.console.fatal(f"Unhandled exception: Unknown command: {args[0]}")
            return -1
        result: int = handler(config, args[1:])
        return result

    def cmd_version(self, config: Config, rest: list[str]) -> int:
        print(f"WinSW {VERSION_V2}")
        return 0

    def cmd_status(self, config: Config, rest: list[str]) -> int:
        _, state = self.state(config.service_id)
        print({"nonexistent": "NonExistent", "stopped": "Stopped"}.get(state, "Started"))
        return 0

    def cmd_install(self, config: Config, rest: list[str]) -> int:
        sid = config.service_id
        self.console.info(f"Installing the service with id '{sid}'")
        if rest[:1] == ["/p"]:
            self.console.fatal("The stand-in does not prompt for an account (/p); put it in <serviceaccount>")
            return -1
        try:
            failed = self.install_record(config, config.account)
        except ValueError as exc:
            self.console.fatal(f"Unhandled exception: System.FormatException: {exc}")
            return -1
        if failed == 1072:
            self.console.fatal(f"Failed to install the service with id '{sid}'. {WIN32_MESSAGES[1072]}")
            return 1072
        if failed == 1073:
            print(f"Service with id '{sid}' already exists")
            print("To install the service, delete the existing one or change service Id in the configuration file")
            self.console.fatal(f"Installation failure: Service with id '{sid}' already exists")
            return 1073
        return 0

    def cmd_uninstall(self, config: Config, rest: list[str]) -> int:
        sid = config.service_id
        self.console.info(f"Uninstalling the service with id '{sid}'")
        outcome = self.uninstall_record(sid)
        if outcome == "missing":
            self.console.warn(f"The service with id '{sid}' does not exist. Nothing to uninstall")
        elif outcome == "marked":
            self.console.error(f"Failed to uninstall the service with id '{sid}'. It has been marked for deletion.")
        elif outcome == "running":
            self.console.warn(f"The service with id '{sid}' is running. It may be impossible to uninstall it")
        return 0

    def start_service(self, service_id: str) -> int:
        with self.registry.locked(service_id):
            record = self.registry.current(service_id)
            if record is None:
                return self.console.win32(1060)
            if record.get("marked_for_deletion"):
                return self.console.win32(1072)
            if state_of(record) != "stopped":
                self.console.info(f"The service with ID '{service_id}' has already been started")
                return 0
            if record.get("start_type") == START_TYPES["disabled"]:
                return self.console.win32(1058)
            code = launch(self.registry, record)
            return self.console.win32(code) if code else 0

    def cmd_start(self, config: Config, rest: list[str]) -> int:
        self.console.info(f"Starting the service with id '{config.service_id}'")
        return self.start_service(config.service_id)

    def stop_service(self, service_id: str, pending_ok: bool) -> int | None:
        """Ask for a stop; an exit code when the command ends here, None when it has been asked."""
        with self.registry.locked(service_id):
            record = self.registry.current(service_id)
            if record is None:
                return self.console.win32(1060)
            state = state_of(record)
            if state == "stopped":
                self.console.info(f"The service with ID '{service_id}' is not running")
                return 0
            if state == "stopping" and pending_ok:
                return None
            if state != "running":
                return self.console.win32(1061)
            request_stop(self.registry, record)
            return None

    def cmd_stop(self, config: Config, rest: list[str]) -> int:
        self.console.info(f"Stopping the service with id '{config.service_id}'")
        code = self.stop_service(config.service_id, pending_ok=False)
        return 0 if code is None else code

    def cmd_stopwait(self, config: Config, rest: list[str]) -> int:
        self.console.info(f"Stopping the service with id '{config.service_id}'")
        code = self.stop_service(config.service_id, pending_ok=True)
        if code is not None:
            return code
        self.wait_while(config.service_id, ("running", "stopping", "starting"),
                        tick=lambda: self.console.info("Waiting the service to stop..."))
        self.console.info("The service stopped.")
        return 0

    def cmd_restart(self, config: Config, rest: list[str]) -> int:
        sid = config.service_id
        self.console.info(f"Restarting the service with id '{sid}'")
        record, state = self.state(sid)
        if record is None:
            return self.console.win32(1060)
        if state != "stopped":
            code = self.stop_service(sid, pending_ok=True)
            if code:
                return code
            self.wait_while(sid, ("running", "stopping", "starting"))
        return self.start_service(sid)


class V3(Cli):
    """WinSW 3.0.0-alpha.11: `start`/`stop` wait, `status` exit codes say the state."""

    generation = 3
    COMMANDS = ("install", "uninstall", "start", "stop", "restart", "status")
    STATUS: ClassVar[dict[str, tuple[str, int]]] = {
        "nonexistent": ("NonExistent", 1060), "stopped": ("Inactive (stopped)", 0),
        "starting": ("Active (starting)", 1), "running": ("Active (running)", 1),
        "stopping": ("Active (stopping)", 1),
    }

    def run(self, args: list[str]) -> int:
        if args[:1] == ["--version"]:
            print(VERSION_V3)
            return 0
        if not args or args[0] in ("help", "--help", "-h", "-?", "/?"):
            print("Usage:\n  winsw [command] [options]\n\nCommands:\n  " + "\n  ".join(self.COMMANDS))
            return 0
        verb, rest = args[0], args[1:]
        options: dict[str, str | bool] = {}
        while rest:
            token = rest.pop(0)
            if token in ("--username", "--password") and rest:
                options[token] = rest.pop(0)
            elif token in ("--no-elevate", "--no-wait", "--force"):
                options[token] = True
            else:
                print(f"Unrecognized command or argument '{token}'.", file=sys.stderr)
                return 1
        if verb not in self.COMMANDS:
            print(f"Unrecognized command or argument '{verb}'.", file=sys.stderr)
            return 1
        try:
            config = self.load()
        except ConfigError as exc:
            self.console.fatal(str(exc))
            return -1
        result: int = getattr(self, f"cmd_{verb}")(config, options)
        return result

    def cmd_status(self, config: Config, options: dict[str, Any]) -> int:
        _, state = self.state(config.service_id)
        line, code = self.STATUS[state]
        print(line)
        return code

    def cmd_install(self, config: Config, options: dict[str, Any]) -> int:
        self.console.info(f"Installing service '{config.display}'...")
        try:
            # WinSW 3 prefers the XML's account to the command line's.
            failed = self.install_record(config, config.account or options.get("--username"))
        except ValueError as exc:
            self.console.fatal(f"Unhandled exception: System.FormatException: {exc}")
            return -1
        if failed == 1073:
            self.console.error(f"A service with ID '{config.service_id}' already exists.")
            self.console.fatal("Failed to install the service.")
            return 1073
        if failed == 1072:
            return self.console.win32(1072)
        self.console.info(f"Service '{config.display}' was installed successfully.")
        return 0

    def cmd_uninstall(self, config: Config, options: dict[str, Any]) -> int:
        self.console.info(f"Uninstalling service '{config.display}'...")
        outcome = self.uninstall_record(config.service_id)
        if outcome == "missing":
            self.console.warn(f"Service '{config.display}' does not exist.")
            return 0
        if outcome == "marked":
            self.console.error(WIN32_MESSAGES[1072])
            return 0
        if outcome == "running":
            self.console.warn(f"Service '{config.display}' is started. It may be impossible to uninstall it.")
        self.console.info(f"Service '{config.display}' was uninstalled successfully.")
        return 0

    def _start(self, config: Config, wait: bool) -> int:
        sid = config.service_id
        with self.registry.locked(sid):
            record = self.registry.current(sid)
            if record is None:
                return self.console.win32(1060)
            if record.get("marked_for_deletion"):
                return self.console.win32(1072)
            shown = f"{record['display_name']} ({sid})"
            self.console.info(f"Starting service '{shown}'...")
            if state_of(record) != "stopped":
                self.console.info(f"Service '{shown}' has already started.")
                return 0
            code = launch(self.registry, record)
            if code:
                return self.console.win32(code)
        if wait and self.wait_while(sid, ("starting",)) != "running":
            self.console.fatal("Failed to start the service.")
            return -1
        self.console.info(f"Service '{shown}' started successfully.")
        return 0

    def _stop(self, config: Config, wait: bool) -> int:
        sid = config.service_id
        with self.registry.locked(sid):
            record = self.registry.current(sid)
            if record is None:
                return self.console.win32(1060)
            shown = f"{record['display_name']} ({sid})"
            self.console.info(f"Stopping service '{shown}'...")
            state = state_of(record)
            if state == "stopped":
                self.console.info(f"Service '{shown}' has already stopped.")
                return 0
            if state != "running":
                return self.console.win32(1061)
            request_stop(self.registry, record)
        if wait and self.wait_while(sid, ("stopping",)) != "stopped":
            self.console.fatal("Failed to stop the service.")
            return -1
        self.console.info(f"Service '{shown}' stopped successfully.")
        return 0

    def cmd_start(self, config: Config, options: dict[str, Any]) -> int:
        return self._start(config, wait=not options.get("--no-wait"))

    def cmd_stop(self, config: Config, options: dict[str, Any]) -> int:
        return self._stop(config, wait=not options.get("--no-wait"))

    def cmd_restart(self, config: Config, options: dict[str, Any]) -> int:
        _, state = self.state(config.service_id)
        if state != "stopped":
            code = self._stop(config, wait=True)
            if code:
                return code
        return self._start(config, wait=True)


def main(argv: list[str], v3: bool = False) -> int:
    v3 = v3 or os.environ.get(ENV_V3) == "1"
    exe = Path(os.path.abspath(argv[0]))
    args = argv[1:]
    try:
        if args[:1] == [SERVICE_MODE] and len(args) == 2:
            return Supervisor(exe, args[1], v3).serve()
        registry = Registry.from_env()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return -1
    return (V3 if v3 else V2)(exe, registry).run(args)
