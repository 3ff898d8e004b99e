"""The stand-ins' machine-wide service registry: one JSON file per service id in the folder named by
WINSW_STANDIN_REGISTRY, changed under a per-id lock and written atomically.

A record holds what Windows' service manager keeps (display name, description, binary path, account, start
type, failure count, "marked for deletion") plus what it knows at run time (`run`: the state and the
identity of the supervisor and child processes). Liveness is checked with psutil (pid + creation time).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

ENV_REGISTRY = "WINSW_STANDIN_REGISTRY"

Record = dict[str, Any]


def identity(pid: int) -> dict[str, float] | None:
    """pid + creation time, so a reused pid is never taken for the process it replaced."""
    try:
        return {"pid": pid, "created": psutil.Process(pid).create_time()}
    except psutil.Error:
        return None


def alive(ident: dict[str, Any] | None) -> bool:
    if not ident:
        return False
    try:
        proc = psutil.Process(int(ident["pid"]))
        return abs(proc.create_time() - float(ident["created"])) < 0.01 and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


class Registry:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def from_env(cls) -> Registry:
        value = os.environ.get(ENV_REGISTRY)
        if not value:
            raise RuntimeError(f"{ENV_REGISTRY} is not set: the stand-in has no service registry")
        return cls(Path(value))

    def _file(self, service_id: str, suffix: str) -> Path:
        # Windows service names are case-insensitive.
        return self.root / f"{service_id.lower()}{suffix}"

    @contextlib.contextmanager
    def locked(self, service_id: str) -> Iterator[None]:
        import fcntl  # POSIX only, like the stand-ins; conftest loads this module on Windows too

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self._file(service_id, ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def handle_file(self, service_id: str) -> Path:
        """While this file exists, a program (services.msc, a monitoring agent) holds a handle to the service."""
        return self._file(service_id, ".handle")

    def handle_open(self, service_id: str) -> bool:
        return self.handle_file(service_id).exists()

    def load(self, service_id: str) -> Record | None:
        try:
            return json.loads(self._file(service_id, ".json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def save(self, record: Record) -> None:
        path = self._file(record["id"], ".json")
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # writers of one id hold its lock
        tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
        os.replace(tmp, path)

    def delete(self, service_id: str) -> None:
        self._file(service_id, ".json").unlink(missing_ok=True)

    def ids(self) -> list[str]:
        return sorted(p.stem for p in self.root.glob("*.json")) if self.root.is_dir() else []

    def current(self, service_id: str) -> Record | None:
        """The record as the service manager sees it now (call under `locked`): a run whose supervisor died
        is over, and a service marked for deletion goes once nothing of it runs."""
        record = self.load(service_id)
        if record is None:
            return None
        run = record.get("run")
        if run and not alive(run.get("supervisor")):
            record["run"] = None
            self.save(record)
        gone = record.get("marked_for_deletion") and not record.get("run") and not self.handle_open(service_id)
        if gone and time.time() >= float(record.get("delete_at") or 0):
            self.delete(service_id)
            return None
        return record


def state_of(record: Record | None) -> str:
    """`nonexistent`, `stopped`, `starting`, `running` or `stopping` (a pending onfailure restart is
    `stopped`, as Windows shows it)."""
    if record is None:
        return "nonexistent"
    run = record.get("run")
    if not run or run.get("state") == "restart_pending":
        return "stopped"
    return str(run["state"])
