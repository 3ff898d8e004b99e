"""Small file-system helpers shared by the state file, the journal and the layout."""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

# Windows refuses to rename or delete a file another process has open without FILE_SHARE_DELETE (a jar a JVM
# runs, a log a reader holds, antivirus scanning a new exe): ERROR_ACCESS_DENIED 5, ERROR_SHARING_VIOLATION 32,
# ERROR_LOCK_VIOLATION 33. The holder lets go in a moment; a rename or delete is tried again until then.
SHARING_WINERRORS = frozenset({5, 32, 33})
RETRY_FOR = 10.0  # seconds
FIRST_PAUSE = 0.05
LONGEST_PAUSE = 1.0


def held_by_another(exc: OSError) -> bool:
    """Whether the error is Windows saying another process has the file open."""
    return getattr(exc, "winerror", None) in SHARING_WINERRORS


def retry_shared(action: Callable[[], T], what: str, timeout: float = RETRY_FOR) -> T:
    """Run `action` (a rename or delete), again with growing pauses while another process holds the file."""
    deadline = time.monotonic() + timeout
    pause = FIRST_PAUSE
    while True:
        try:
            return action()
        except OSError as exc:
            if not held_by_another(exc) or time.monotonic() + pause > deadline:
                raise
            log.info("%s: held by another process, trying again in %.2f s (%s)", what, pause, exc)
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)


def replace(src: str | os.PathLike[str], dest: str | os.PathLike[str]) -> None:
    """os.replace, tried again while another process holds either file."""
    retry_shared(lambda: os.replace(src, dest), f"rename {src} -> {dest}")


def unlink(path: str | os.PathLike[str], missing_ok: bool = True) -> None:
    """Delete a file, tried again while another process holds it."""
    retry_shared(lambda: Path(path).unlink(missing_ok=missing_ok), f"delete {path}")


def rmtree(path: str | os.PathLike[str]) -> None:
    """Delete a folder tree (nothing when it is not there), each file tried again while another process
    holds it."""

    def one(function: Callable[[str], Any], name: str, _info: Any) -> None:
        retry_shared(lambda: function(name), f"delete {name}")

    if os.path.lexists(path):
        shutil.rmtree(path, onerror=one)


def make_executable(path: Path) -> None:
    """Executable for everyone who may read it (POSIX; Windows runs an .exe by its name)."""
    if os.name != "nt":
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` so that `path` holds either the old or the new content after a crash: temp file,
    fsync, rename, then fsync of the folder (POSIX) so the rename itself is durable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if os.name != "nt":
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def write_json_atomic(path: Path, document: Any) -> None:
    write_atomic(path, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def read_json(path: Path) -> Any | None:
    """The document at `path`, or None when there is none."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def free_bytes(path: Path) -> tuple[int, Path]:
    """Free space for `path` and the folder measured: the nearest one that exists (the install folder may not)."""
    probe = Path(os.path.abspath(path))
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return shutil.disk_usage(probe).free, probe
