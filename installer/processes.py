"""The service's Java process and its ports, seen from outside: found by the jar in its command line (psutil,
the same on Windows and Linux), ports probed by connecting."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from pathlib import Path

import psutil

log = logging.getLogger(__name__)


def _norm(path: str | Path) -> str:
    try:
        path = os.path.realpath(path)
    except OSError:
        path = os.path.abspath(path)
    return os.path.normcase(os.path.normpath(path))


def jar_paths(proc: psutil.Process) -> list[Path]:
    """The jars named in a process's command line, made absolute with its working directory."""
    try:
        tokens = [a for a in proc.cmdline() if a.lower().endswith(".jar") and not a.startswith("-")]
    except psutil.Error:
        return []
    if not tokens:
        return []
    cwd: str | None = None
    result = []
    for token in tokens:
        if os.path.isabs(token):
            result.append(Path(token))
            continue
        if cwd is None:
            try:
                cwd = proc.cwd()
            except psutil.Error:
                cwd = ""
        if cwd:
            result.append(Path(cwd) / token)
    return result


def runs_jar(proc: psutil.Process, jar: Path) -> bool:
    """Whether `proc`'s command line runs this very jar."""
    wanted = _norm(jar)
    return any(_norm(p) == wanted for p in jar_paths(proc))


def java_processes(folder: Path) -> list[psutil.Process]:
    """Processes whose command line holds a jar in `folder` (absolute, or relative to the process's working
    directory): the service's Java process, or one left behind by it."""
    wanted = _norm(folder)
    found = []
    for proc in psutil.process_iter():
        if proc.pid == os.getpid():
            continue
        if any(_norm(p.parent) == wanted for p in jar_paths(proc)):
            found.append(proc)
    return found


def wrappers_of(java: list[psutil.Process], exe: Path) -> list[psutil.Process]:
    """The parents of these Java processes that run `exe`: the service's own process, WinSW, which starts Java as
    its child (on Windows the exe itself; elsewhere an interpreter may run it as a script)."""
    wanted = _norm(exe)
    found: list[psutil.Process] = []
    for proc in java:
        try:
            parent = proc.parent()
        except psutil.Error:
            continue
        if parent is None or parent in found:
            continue
        names: list[str] = []
        # Each on its own: a process of another account may show its exe but refuse its command line.
        with contextlib.suppress(psutil.Error):
            names.append(parent.exe())
        with contextlib.suppress(psutil.Error):
            names.extend(parent.cmdline()[:2])
        if any(name and _norm(name) == wanted for name in names):
            found.append(parent)
    return found


def describe(proc: psutil.Process) -> str:
    try:
        return f"{proc.name()} (pid {proc.pid})"
    except psutil.Error:
        return f"pid {proc.pid}"


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.25) -> bool:
    """Whether something accepts connections on the port. By connecting, never by binding: a bind test
    sees a port busy for a minute after any connection (TIME_WAIT)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except ConnectionRefusedError:
        return False
    except TimeoutError:
        return True  # something holds it but does not answer in time
    except OSError:
        return False


def port_holder(port: int) -> tuple[int, str] | None:
    """(pid, name) of the process listening on the port, where the system lets us see it."""
    try:
        connections = psutil.net_connections(kind="tcp")
    except (psutil.Error, OSError):
        return None
    for conn in connections:
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
            try:
                return conn.pid, psutil.Process(conn.pid).name()
            except psutil.Error:
                return conn.pid, "?"
    return None
