"""Fixtures of the WinSW part of the test harness: `winsw_env`, a fresh machine-wide service registry for the
WinSW, sc.exe and schtasks.exe stand-ins, with `sc.exe` and `schtasks.exe` in a fake Windows folder's System32
(`SystemRoot` names it, PATH does not: the product must run Windows' tools by their System32 path); its teardown
ends every process of that registry, the tasks' processes included."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from tests.harness import schtasks_standin, winsw_standin
from tests.harness.sc_standin import sc_bytes, set_service_account
from tests.harness.service_registry import ENV_REGISTRY, Record, Registry


def _write_executable(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _registry_processes(registry: Path) -> list[psutil.Process]:
    """Every process started for this registry: the stand-ins pass WINSW_STANDIN_REGISTRY on to the
    supervisor and the service's own process, so even an orphan is found."""
    found = []
    for proc in psutil.process_iter():
        if proc.pid == os.getpid():
            continue
        try:
            if proc.environ().get(ENV_REGISTRY) == str(registry):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def kill_registry_processes(registry: Path) -> None:
    # Supervisors first, so none restarts a service process it sees die.
    for _ in range(5):
        procs = _registry_processes(registry)
        if not procs:
            return
        procs.sort(key=lambda p: winsw_standin.SERVICE_MODE not in " ".join(_cmdline(p)))
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        _wait_dead(procs, timeout=5.0)


def _dead(proc: psutil.Process) -> bool:
    # A zombie is dead enough: init reaps an orphan only now and then.
    try:
        return proc.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def _wait_dead(procs: list[psutil.Process], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not all(_dead(p) for p in procs) and time.monotonic() < deadline:
        time.sleep(0.01)


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:
        return []


@dataclass
class WinswEnv:
    registry: Path
    system_root: Path  # the fake Windows folder, %SystemRoot%

    @property
    def system32(self) -> Path:
        return self.system_root / "System32"

    def add_tool(self, name: str, data: bytes) -> Path:
        """Put an executable into the fake System32 (`icacls.exe`, `schtasks.exe`, ...)."""
        return _write_executable(self.system32 / name, data)

    @property
    def asset_bytes(self) -> bytes:
        return winsw_standin.standin_bytes(v3=False)

    @property
    def asset_bytes_v3(self) -> bytes:
        return winsw_standin.standin_bytes(v3=True)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.asset_bytes).hexdigest()

    @property
    def sha256_v3(self) -> str:
        return hashlib.sha256(self.asset_bytes_v3).hexdigest()

    def write_catalog(self, path: Path, version: str = "2.12.0", asset: str = "WinSW-x64.exe",
                      *, v3: bool | None = None) -> Path:
        """A WinSW catalog file naming the stand-in (the v3 one for a 3.x version unless `v3` says)."""
        use_v3 = version.startswith("3") if v3 is None else v3
        build = {"version": version, "asset": asset, "sha256": self.sha256_v3 if use_v3 else self.sha256,
                 "needs": "none", "arch": "any"}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"builds": [build]}, indent=2), encoding="utf-8")
        return path

    def install_exe(self, folder: Path, base: str = "integrasjonspunkt-service", *, v3: bool = False) -> Path:
        """An executable copy of the stand-in at `folder/<base>.exe`, for tests that do not download it."""
        return _write_executable(folder / f"{base}.exe", self.asset_bytes_v3 if v3 else self.asset_bytes)

    def set_account(self, service_id: str, account: str) -> None:
        set_service_account(self.registry, service_id, account)

    def record(self, service_id: str) -> Record | None:
        reg = Registry(self.registry)
        with reg.locked(service_id):
            return reg.current(service_id)

    def open_handle(self, service_id: str) -> None:
        """What services.msc or a monitoring agent does: hold the service open. An uninstall only marks it for
        deletion (and disables it) until `close_handle`."""
        Registry(self.registry).handle_file(service_id).touch()

    def close_handle(self, service_id: str) -> None:
        Registry(self.registry).handle_file(service_id).unlink(missing_ok=True)

    @property
    def tasks(self) -> schtasks_standin.Store:
        """The Task Scheduler stand-in's store: `.load(name)`, `.tasks()`, `.calls()` (every schtasks command line)."""
        return schtasks_standin.Store(schtasks_standin.store_for(self.registry))

    def boot_tasks(self) -> list[str]:
        """What a start of Windows does to tasks: every enabled task with a BootTrigger runs."""
        return schtasks_standin.boot(schtasks_standin.store_for(self.registry))

    def kill_all(self) -> None:
        kill_registry_processes(self.registry)


@pytest.fixture
def winsw_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[WinswEnv]:
    if os.name == "nt":
        pytest.skip("the WinSW stand-in is for POSIX; on Windows the real WinSW runs")
    root = tmp_path_factory.mktemp("winsw")
    env = WinswEnv(registry=root / "registry", system_root=root / "Windows")
    env.registry.mkdir()
    env.add_tool("sc.exe", sc_bytes())
    env.add_tool("schtasks.exe", schtasks_standin.schtasks_bytes())
    monkeypatch.setenv(ENV_REGISTRY, str(env.registry))
    monkeypatch.setenv("SystemRoot", str(env.system_root))
    monkeypatch.delenv(schtasks_standin.ENV_STORE, raising=False)
    for name in (winsw_standin.ENV_V3, winsw_standin.ENV_STOP_PENDING, winsw_standin.ENV_LINGER,
                 winsw_standin.ENV_DELETE_DELAY):
        monkeypatch.delenv(name, raising=False)
    try:
        yield env
    finally:
        env.kill_all()
