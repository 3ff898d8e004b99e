"""The steps that install, upgrade, roll back and repair are made of, each with its undo.

A step acts on a `Target` rebuilt from the journal's context, so that a new process (/recover) can rebuild the
very same steps and undo or finish them. Every undo is harmless when its `do` never ran or ran half-way.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import time
from pathlib import Path
from typing import Any

from installer import health, processes
from installer import properties as props_mod
from installer.engine import Step
from installer.layout import Layout
from installer.messages import t
from installer.winsw import ServiceState, WinSW

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0  # until the service manager says Started
STOP_TIMEOUT = 120.0  # WinSW's stoptimeout (60 s) plus the process leaving and the port closing
UNINSTALL_TIMEOUT = 60.0
PROCESS_APPEAR_TIMEOUT = 30.0


class Target:
    """The installation the steps act on, from a JSON-safe context (the journal keeps it)."""

    def __init__(self, ctx: dict[str, Any], *, quiet: bool = True) -> None:
        self.ctx = ctx
        self.layout = Layout(Path(ctx["folder"]), ctx["service_id"], ctx.get("base"))
        self.winsw = WinSW(self.layout.exe, ctx["service_id"], quiet=quiet)

    def forget_winsw_version(self) -> None:
        """The exe may have been swapped for another WinSW build: ask the new one its version (v2 or v3 CLI)."""
        self.winsw = WinSW(self.layout.exe, self.ctx["service_id"], quiet=self.winsw.quiet)

    @property
    def aside(self) -> Path:
        """Where a file that a step replaces waits until the operation ends."""
        return self.layout.private / "aside"

    def ports(self) -> list[int]:
        props = props_mod.read(self.layout.properties)
        return sorted({props_mod.server_port(props), props_mod.management_port(props)})


# --- files ----------------------------------------------------------------------------------------------


def _copy_into_place(src: Path, dest: Path, executable: bool) -> None:
    tmp = dest.with_name(dest.name + ".new")
    shutil.copyfile(src, tmp)
    if executable and os.name != "nt":
        tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(tmp, dest)


def place_file(target: Target, name: str, src: Path, dest: Path, *, executable: bool = False) -> Step:
    """Put `src` at `dest`; a file already there waits aside and comes back on undo."""
    aside = target.aside / dest.name

    def do() -> None:
        if dest.exists() and not aside.exists():
            aside.parent.mkdir(parents=True, exist_ok=True)
            os.replace(dest, aside)
        _copy_into_place(src, dest, executable)
        if dest == target.layout.exe:
            target.forget_winsw_version()

    def undo() -> None:
        dest.with_name(dest.name + ".new").unlink(missing_ok=True)
        if aside.exists():
            _retry_on_lock(lambda: os.replace(aside, dest))
        else:
            _retry_on_lock(lambda: dest.unlink(missing_ok=True))
        if dest == target.layout.exe:
            target.forget_winsw_version()

    return Step(name, do, undo)


def _retry_on_lock(action: Any, timeout: float = 10.0) -> None:
    """Windows keeps an exe locked a moment after its process ends."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            action()
            return
        except PermissionError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)


def make_dirs(target: Target) -> Step:
    """The folder and its log folder. Never undone: a failed install leaves the folder as it was "except the
    logs and .setup/" (CLI.md), so the admin can read why."""

    def do() -> None:
        target.layout.root.mkdir(parents=True, exist_ok=True)
        target.layout.service_logs.mkdir(parents=True, exist_ok=True)

    return Step("make-dirs", do)


def write_text_file(name: str, path: Path, content: str) -> Step:
    """A file that was not there (the admin's new properties file); undo removes it."""

    def do() -> None:
        if path.exists():
            return
        tmp = path.with_name(path.name + ".new")
        tmp.write_text(content, encoding="utf-8")
        if os.name != "nt":
            tmp.chmod(0o600)
        os.replace(tmp, path)

    def undo() -> None:
        path.with_name(path.name + ".new").unlink(missing_ok=True)
        path.unlink(missing_ok=True)

    return Step(name, do, undo)


# --- the service ----------------------------------------------------------------------------------------


def register(target: Target, name: str = "register") -> Step:
    def do() -> None:
        target.winsw.install()

    def undo() -> None:
        if target.winsw.status() is not ServiceState.NON_EXISTENT:
            target.winsw.stop(STOP_TIMEOUT, target.layout.root, target.ports())
            target.winsw.uninstall(UNINSTALL_TIMEOUT)

    return Step(name, do, undo)


def unregister(target: Target, name: str = "unregister") -> Step:
    def do() -> None:
        target.winsw.uninstall(UNINSTALL_TIMEOUT)

    def undo() -> None:
        if target.winsw.status() is ServiceState.NON_EXISTENT:
            target.winsw.install()

    return Step(name, do, undo)


def start(target: Target, name: str = "start") -> Step:
    def do() -> None:
        target.winsw.start(START_TIMEOUT)

    def undo() -> None:
        if target.winsw.status() is not ServiceState.NON_EXISTENT:
            target.winsw.stop(STOP_TIMEOUT, target.layout.root, target.ports())

    return Step(name, do, undo)


def stop(target: Target, name: str = "stop") -> Step:
    def do() -> None:
        if target.winsw.status() is ServiceState.NON_EXISTENT:
            return  # a repair of a service that lost its registration
        target.winsw.stop(STOP_TIMEOUT, target.layout.root, target.ports())

    def undo() -> None:
        if target.winsw.status() is ServiceState.STOPPED:
            target.winsw.start(START_TIMEOUT)

    return Step(name, do, undo)


# --- health -----------------------------------------------------------------------------------------------


def process_watch(target: Target, jar: Path, appear_timeout: float = PROCESS_APPEAR_TIMEOUT) -> Any:
    """A `watch` for health.wait_healthy: a reason once the service's Java process for `jar` exits, is
    replaced (a restart by the service manager), or never appears."""
    first_pid: list[int] = []
    started = time.monotonic()

    def watch() -> str | None:
        pids = [p.pid for p in processes.java_processes(target.layout.root) if processes.runs_jar(p, jar)]
        if not first_pid:
            if pids:
                first_pid.append(pids[0])
                return None
            if time.monotonic() - started > appear_timeout:
                return t("operations.health_no_process", seconds=f"{appear_timeout:g}")
            return None
        if first_pid[0] in pids:
            return None
        if pids:
            return t("operations.health_restarted", old=first_pid[0], new=pids[0])
        return t("operations.health_process_gone")

    return watch


def health_check(target: Target, tag: str, kind: str, timeout: float, stable: float, name: str = "health") -> Step:
    def do() -> None:
        props = props_mod.read(target.layout.properties)
        where = health.target_for(kind, props, tag)
        log.info("health check of %s at %s (deadline %g s, stable %g s)", tag, where.url, timeout, stable)
        health.wait_healthy(where, timeout=timeout, stable=stable,
                            watch=process_watch(target, target.layout.jar(tag)))

    return Step(name, do, marks_healthy=True)
