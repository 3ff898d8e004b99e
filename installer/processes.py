"""The service's Java process and its ports, seen from outside: found by the jar in its command line (psutil,
the same on Windows and Linux), ports read from the operating system's table of listening sockets."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from pathlib import Path

import psutil

from installer.layout import JAR_PREFIX

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


def _parent_runs_exe_in(proc: psutil.Process, wanted: str) -> bool:
    """Whether `proc`'s parent runs an .exe of the folder (WinSW, the service's own process, starts Java)."""
    try:
        parent = proc.parent()
    except psutil.Error:
        return False
    if parent is None:
        return False
    names: list[str] = []
    with contextlib.suppress(psutil.Error):
        names.append(parent.exe())
    with contextlib.suppress(psutil.Error):
        names.extend(parent.cmdline()[:2])
    return any(n.lower().endswith(".exe") and _norm(Path(n).parent) == wanted for n in names if n)


def _runs_with_dash_jar(proc: psutil.Process, jars: list[Path]) -> bool:
    """Whether the command line runs one of `jars` the way Java runs a jar: `-jar <jar>`."""
    try:
        args = proc.cmdline()
    except psutil.Error:
        return False
    wanted = {p.name.lower() for p in jars}
    return any(a == "-jar" and i + 1 < len(args) and Path(args[i + 1]).name.lower() in wanted
               for i, a in enumerate(args))


def java_processes(folder: Path) -> list[psutil.Process]:
    """The service's own Java processes (or ones left behind by it): an integrasjonspunkt jar of `folder`
    (absolute, or relative to the process's working directory) run with `-jar`, or started by an .exe of the
    folder (WinSW). Another program's jar in the folder (KOSMOS's) and a process that merely names the jar (an
    editor, a search) are not the service and must not hold up a stop."""
    wanted = _norm(folder)
    found = []
    for proc in psutil.process_iter():
        if proc.pid == os.getpid():
            continue
        jars = [p for p in jar_paths(proc) if _norm(p.parent) == wanted and p.name.lower().startswith(JAR_PREFIX)]
        if jars and (_runs_with_dash_jar(proc, jars) or _parent_runs_exe_in(proc, wanted)):
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


def exe_processes(exe: Path) -> list[psutil.Process]:
    """The processes that run `exe` (on Windows the exe itself; elsewhere an interpreter may run it as a script):
    WinSW as the service's own process, or a WinSW command someone runs."""
    wanted = _norm(exe)
    found = []
    for proc in psutil.process_iter():
        names: list[str] = []
        with contextlib.suppress(psutil.Error):
            names.append(proc.exe())
        with contextlib.suppress(psutil.Error):
            names.extend(proc.cmdline()[:2])
        if proc.pid != os.getpid() and any(name and _norm(name) == wanted for name in names):
            found.append(proc)
    return found


def alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def describe(proc: psutil.Process) -> str:
    try:
        return f"{proc.name()} (pid {proc.pid})"
    except psutil.Error:
        return f"pid {proc.pid}"


# /proc/net/tcp{,6}: "sl local_address rem_address st ...", addresses as HEXIP:HEXPORT, state 0A = LISTEN.
_PROC_TCP = ("/proc/net/tcp", "/proc/net/tcp6")
_LISTEN = "0A"
FALLBACK_CONNECT_TIMEOUT = 3.0  # Windows refuses a connect to a closed loopback port only after ~2 s


def _linux_listening() -> set[int] | None:
    """The listening ports from the kernel's tables, without finding each socket's process (which psutil does by
    reading every process's file descriptors: ~70 ms a call, too slow for a probe every 50 ms)."""
    ports: set[int] = set()
    read_any = False
    for table in _PROC_TCP:
        try:
            with open(table, encoding="ascii") as handle:
                lines = handle.readlines()[1:]
        except OSError:
            continue
        read_any = True
        for line in lines:
            fields = line.split()
            if len(fields) > 3 and fields[3] == _LISTEN:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports if read_any else None


def listening_ports() -> set[int] | None:
    """The TCP ports something listens on, from the operating system's table of sockets (GetExtendedTcpTable on
    Windows, through psutil); None when the table cannot be read."""
    if os.path.exists(_PROC_TCP[0]):
        return _linux_listening()
    try:
        connections = psutil.net_connections(kind="tcp")
    except (psutil.Error, OSError):
        return None
    return {c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN and c.laddr}


def port_listening(port: int) -> bool:
    """Whether something listens on the port. Decided from the socket table, never from a short connect: on
    Windows a connect to a closed loopback port is refused only after about 2 s, so a timeout says nothing.
    Never by binding either: a bind sees a port busy for a minute after any connection (TIME_WAIT)."""
    ports = listening_ports()
    if ports is not None:
        return port in ports
    log.info("the table of listening sockets cannot be read: probing port %d by connecting", port)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=FALLBACK_CONNECT_TIMEOUT):
            return True
    except ConnectionRefusedError:
        return False
    except TimeoutError:
        return True  # the harsher reading: something may hold it without answering
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
