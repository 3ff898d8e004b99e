"""The console: the wizard keeps a window open that a double-click made (GetConsoleProcessList)."""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)


def console_process_ids() -> list[int] | None:
    """The processes attached to this console (GetConsoleProcessList); None off Windows or without a console."""
    if os.name != "nt":
        return None
    import ctypes

    size = 16
    while True:
        buffer = (ctypes.c_uint32 * size)()
        try:
            count = int(ctypes.windll.kernel32.GetConsoleProcessList(buffer, size))  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return None
        if count == 0:
            return None
        if count <= size:
            return list(buffer[:count])
        size = count


def alone_in_console(console_pids: list[int], own_pid: int, launcher_pid: int | None) -> bool:
    """True when no process but setup itself (and its one-file launcher) uses the console: Explorer made the
    window for a double-click, and it closes when setup ends. From a command prompt the shell is there too."""
    return all(pid in (own_pid, launcher_pid) for pid in console_pids)


def _launcher_pid() -> int | None:
    """PyInstaller's one-file launcher: the parent process running the same executable, sharing the console."""
    if not getattr(sys, "frozen", False):
        return None
    import psutil

    try:
        parent = psutil.Process().parent()
        if parent is not None and os.path.normcase(parent.exe()) == os.path.normcase(sys.executable):
            return parent.pid
    except psutil.Error:
        return None
    return None


def started_by_double_click() -> bool:
    """True on Windows when setup has its console to itself (see alone_in_console); False elsewhere."""
    pids = console_process_ids()
    if not pids:
        return False
    alone = alone_in_console(pids, os.getpid(), _launcher_pid())
    log.info("console processes %s: %s", pids, "started by double-click" if alone else "started from a console")
    return alone
