"""H2's lock on its database, imitated on Linux: while the service's Java process runs, any other process that
opens `integrasjonspunkt.mv.db` in the installation folder, or another database a test names with `watch` (a
datasource URL elsewhere in the folder or outside it, D:\\ipdata), is refused (EPERM), as Windows refuses the read
with ERROR_LOCK_VIOLATION while H2 holds the file (FACTS.md W2), and the refusal is recorded so the test fails.

fanotify permission events (FAN_OPEN_PERM on each database's folder, for its children) let a thread of the test
process answer each open: allowed for the service's own Java process and for the test process itself (its
checks of the data), refused for anyone else while a Java process runs a jar of the folder. Needs root
(CAP_SYS_ADMIN).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import select
import struct
import threading
from pathlib import Path

import psutil

from installer import processes

DB_FILE = "integrasjonspunkt.mv.db"
FAN_CLOEXEC = 0x1
FAN_CLASS_CONTENT = 0x4
FAN_MARK_ADD = 0x1
FAN_OPEN_PERM = 0x10000
FAN_EVENT_ON_CHILD = 0x08000000
FAN_ALLOW = 0x1
FAN_DENY = 0x2
AT_FDCWD = -100
_METADATA = struct.Struct("IBBHQii")  # event_len, vers, reserved, metadata_len, mask, fd, pid
_RESPONSE = struct.Struct("iI")  # fd, response


def unavailable() -> str | None:
    """Why fanotify permission events cannot be used here (a reason to skip with), or None."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, os.O_RDONLY)
    if fd < 0:
        return f"fanotify permission events are not allowed here: {os.strerror(ctypes.get_errno())}"
    os.close(fd)
    return None


class H2Lock:
    """Refuses other processes' opens of the folder's database while the service runs; `refused` lists them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.refused: list[str] = []
        self._files = {str(folder / DB_FILE)}
        self._pending = {str(folder)}  # folders not marked yet (setup or the service has not made them)
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._fd = -1
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="h2-lock", daemon=True)
        self._guard = threading.Lock()

    def __enter__(self) -> H2Lock:
        self._fd = self._libc.fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, os.O_RDONLY)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "fanotify_init")
        self._thread.start()
        return self

    def watch(self, database: Path) -> None:
        """Guard another database file too (its folder is marked once it exists)."""
        with self._guard:
            self._files.add(str(database))
            self._pending.add(str(database.parent))
        os.write(self._wake_w, b"w")

    def __exit__(self, *exc: object) -> None:
        os.write(self._wake_w, b"x")
        self._thread.join(10)
        os.close(self._fd)  # any open still waiting for an answer is allowed by the kernel
        os.close(self._wake_r)
        os.close(self._wake_w)

    def _mark(self) -> None:
        """Watch each database's folder once it exists."""
        with self._guard:
            pending = sorted(self._pending)
        for folder in pending:
            mask = ctypes.c_uint64(FAN_OPEN_PERM | FAN_EVENT_ON_CHILD)
            if self._libc.fanotify_mark(self._fd, FAN_MARK_ADD, mask, AT_FDCWD, os.fsencode(folder)) != 0:
                code = ctypes.get_errno()
                if code == errno.ENOENT:
                    continue
                raise OSError(code, "fanotify_mark", folder)
            with self._guard:
                self._pending.discard(folder)

    def _run(self) -> None:
        while True:
            self._mark()
            ready, _, _ = select.select([self._fd, self._wake_r], [], [], 0.02 if self._pending else None)
            if self._wake_r in ready and b"x" in os.read(self._wake_r, 64):
                return
            if self._fd in ready:
                self._answer(os.read(self._fd, 4096))

    def _answer(self, data: bytes) -> None:
        offset = 0
        while offset + _METADATA.size <= len(data):
            length, _, _, _, _, fd, pid = _METADATA.unpack_from(data, offset)
            offset += length
            if fd < 0:
                continue
            verdict = FAN_ALLOW
            try:
                path = os.readlink(f"/proc/self/fd/{fd}")
                with self._guard:
                    guarded = path in self._files
                if guarded:
                    verdict = self._decide(pid, path)
            finally:
                os.write(self._fd, _RESPONSE.pack(fd, verdict))
                os.close(fd)

    def _decide(self, pid: int, path: str) -> int:
        if pid == os.getpid():
            return FAN_ALLOW
        holders = processes.java_processes(self.folder)
        if not holders or pid in {p.pid for p in holders}:
            return FAN_ALLOW
        who = f"pid {pid}"
        with contextlib.suppress(psutil.Error):
            who = f"pid {pid} ({' '.join(psutil.Process(pid).cmdline())[:200]})"
        self.refused.append(f"{who} opened {path} while {processes.describe(holders[0])} held it")
        return FAN_DENY
