"""One run at a time per install folder: an OS lock on `.setup/lock`.

The operating system drops the lock when its holder dies, so a killed run never blocks the next one. The
holder writes who it is into the file so that a refused run can name it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import TracebackType

from installer import setup_files
from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.state import utc_now

# Windows locks a byte range and then refuses reads of it: lock a byte far past the holder's description.
_LOCK_OFFSET = 1 << 20


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def describe_holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8").split("\0", 1)[0] or "{}")
    except (OSError, ValueError):
        return t("operations.lock_holder_unknown")
    return t("operations.lock_holder", pid=info.get("pid", "?"), verb=info.get("verb", "?"),
             since=info.get("since", "?"))


class FolderLock:
    """`with FolderLock(path, verb):` holds the folder or raises exit 1618 naming the holder."""

    def __init__(self, path: Path, verb: str) -> None:
        self.path = path
        self.verb = verb
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = setup_files.open_lock(self.path, create=True)
        assert fd is not None
        if not _try_lock(fd):
            os.close(fd)
            raise SetupError(ExitCode.BUSY, t("operations.busy", holder=describe_holder(self.path)))
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "verb": "/" + self.verb, "since": utc_now()}).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> FolderLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.release()


def holder_if_locked(path: Path) -> str | None:
    """For read-only verbs: who holds the folder now, or None – without taking the lock for longer than a probe."""
    fd = setup_files.open_lock(path, create=False)
    if fd is None:
        return None
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return describe_holder(path)
    finally:
        os.close(fd)
