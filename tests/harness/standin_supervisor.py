"""The WinSW stand-in's supervisor: what runs while the service is started (WinSW in service mode).

Runs `executable` + arguments in `workingdirectory` with stdout/stderr appended to `<base>.out.log` and
`<base>.err.log`, answers the child's exit as Windows answers a service's failure (the failure actions stored
at install, `resetfailure`), and on a stop request sends SIGTERM, waits `stoptimeout`, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil

from installer.service_xml import parse_duration
from tests.harness.service_registry import Record, Registry, identity
from tests.harness.standin_config import Config, ConfigError, load_config

SERVICE_MODE = "__service__"  # the hidden verb the stand-in is started with as the service
ENV_STOP_PENDING = "WINSW_STANDIN_STOP_PENDING"  # seconds a stop stays pending before the child is signalled
ENV_LINGER = "WINSW_STANDIN_LINGER"  # "1": Stopped is reported while the child may still run
POLL = 0.02


def stamp() -> str:
    now = datetime.now()
    return now.strftime("%Y-%m-%d %H:%M:%S") + f",{now.microsecond // 1000:03d}"


class WrapperLog:
    """`<base>.wrapper.log` in WinSW 2's layout: `2024-01-31 12:00:00,123 INFO  - text`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path

    def write(self, level: str, message: str) -> str:
        line = f"{stamp()} {level:<5} - {message}"
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
        return line


class Supervisor:
    """Runs `executable` + arguments in `workingdirectory` with stdout/stderr in the log folder, restarts it
    per the failure actions, and on a stop request sends SIGTERM, waits `stoptimeout`, then SIGKILL."""

    def __init__(self, exe: Path, service_id: str, v3: bool) -> None:
        self.exe = exe
        self.service_id = service_id
        self.v3 = v3
        self.registry = Registry.from_env()
        self.log = WrapperLog()
        self.stop_requested = threading.Event()
        self.me = os.getpid()

    def mine(self, record: Record | None) -> bool:
        run = (record or {}).get("run") or {}
        return bool(run) and int((run.get("supervisor") or {}).get("pid", -1)) == self.me

    def update(self, change: Callable[[Record], None]) -> bool:
        """Apply `change` to this service's record while it is still this supervisor's run."""
        with self.registry.locked(self.service_id):
            record = self.registry.load(self.service_id)
            if record is None or not self.mine(record):
                return False
            change(record)
            if record.get("marked_for_deletion") and not record.get("run"):
                self.registry.delete(self.service_id)
            else:
                self.registry.save(record)
            return True

    def stopped(self, record: Record) -> None:
        record["run"] = None

    def serve(self) -> int:
        signal.signal(signal.SIGTERM, lambda *_: self.stop_requested.set())
        while True:
            try:
                config = load_config(self.exe, self.v3)
            except ConfigError as exc:
                self.log.write("ERROR", f"Failed to start the service: {exc}")
                self.update(self.stopped)
                return 1
            self.log.path = config.wrapper_log
            child = self.spawn(config)
            if child is None:
                self.update(self.stopped)
                return 1
            if not self.update(lambda r, c=child: self.running(r, c)):
                child.kill()
                return 0
            outcome = self.watch(config, child)
            if outcome != "restart":
                return 0

    def spawn(self, config: Config) -> subprocess.Popen[bytes] | None:
        config.log_dir.mkdir(parents=True, exist_ok=True)
        command = [config.executable, *config.arguments]
        self.log.write("INFO", f"Starting {' '.join(command)}")
        try:
            with (config.log_dir / f"{config.base_name}.out.log").open("ab") as out, \
                    (config.log_dir / f"{config.base_name}.err.log").open("ab") as err:
                child = subprocess.Popen(command, cwd=config.working_directory, env=config.env,
                                         stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as exc:
            self.log.write("ERROR", f"Failed to start the process: {exc}")
            return None
        self.log.write("INFO", f"Started process {child.pid}")
        return child

    def running(self, record: Record, child: subprocess.Popen[bytes]) -> None:
        run = record["run"]
        run["child"] = identity(child.pid)
        if run["state"] != "stopping":
            run["state"] = "running"

    def watch(self, config: Config, child: subprocess.Popen[bytes]) -> str:
        """Until the child ends or a stop is asked for: `stopped`, `restart` or `ended`."""
        while child.poll() is None:
            if self.stop_requested.is_set():
                self.stop(config, child)
                return "stopped"
            time.sleep(POLL)
        code = child.returncode
        self.log.write("WARN", f"Child process [{child.pid}] finished with {code}")
        decision: dict[str, Any] = {}
        self.update(lambda r: self.after_exit(r, code, decision))
        if decision.get("delay") is None:
            return "ended"
        self.log.write("INFO", f"Restarting in {decision['delay']:g} s (failure {decision['failures']})")
        deadline = time.monotonic() + decision["delay"]
        while time.monotonic() < deadline:
            time.sleep(POLL)
        # A start or an uninstall in the meantime ends this supervisor; otherwise the record is still its own.
        return "restart" if self.update(self.restart_now) else "ended"

    def after_exit(self, record: Record, code: int, decision: dict[str, Any]) -> None:
        """What Windows does when the service's process ends: exit code 0 is a clean stop; any other is a
        failure, answered by the failure action for this count of failures."""
        if record.get("marked_for_deletion") or code == 0:
            record["run"] = None
            return
        now = time.time()
        last = record.get("last_failure")
        if last is not None and now - last > float(record.get("reset_failure") or 0):
            record["failures"] = 0
        record["failures"] = int(record.get("failures") or 0) + 1
        record["last_failure"] = now
        actions = record.get("failure_actions") or []
        action, delay = actions[min(record["failures"], len(actions)) - 1] if actions else ("none", 0.0)
        if action != "restart":
            record["run"] = None
            return
        record["run"].update(state="restart_pending", child=None, restart_at=now + delay)
        decision.update(delay=float(delay), failures=record["failures"])

    def restart_now(self, record: Record) -> None:
        record["run"]["state"] = "starting"

    def stop(self, config: Config, child: subprocess.Popen[bytes]) -> None:
        self.log.write("INFO", f"Stopping {config.service_id}")
        time.sleep(float(os.environ.get(ENV_STOP_PENDING) or 0))
        try:
            timeout = parse_duration(config.stop_timeout)
        except ValueError as exc:
            self.log.write("ERROR", f"Failed to read <stoptimeout>: {exc}; killing the process")
            timeout = 0.0
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
        linger = os.environ.get(ENV_LINGER) == "1"
        if linger:
            self.update(self.stopped)
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.log.write("WARN", f"Process {child.pid} did not stop within {timeout:g} s; killing it")
            kill_tree(child.pid)
            child.wait()
        self.log.write("INFO", f"Child process [{child.pid}] terminated with {child.returncode}")
        if not linger:
            self.update(self.stopped)


def kill_tree(pid: int) -> None:
    try:
        root = psutil.Process(pid)
        family = [*root.children(recursive=True), root]
    except psutil.Error:
        return
    for proc in family:
        with contextlib.suppress(psutil.Error):
            proc.kill()
