"""One run per folder: a real second process is refused with 1618 naming the holder; a killed holder never blocks."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from installer.errors import ExitCode, SetupError
from installer.lock import FolderLock, holder_if_locked

HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from installer.lock import FolderLock
    lock = FolderLock(Path(sys.argv[1]), "upgrade")
    lock.acquire()
    print("held", flush=True)
    time.sleep(60)
""")


def hold_in_other_process(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_second_run_is_refused_naming_the_holder(tmp_path: Path) -> None:
    path = tmp_path / ".setup" / "lock"
    holder = hold_in_other_process(path)
    try:
        with pytest.raises(SetupError) as caught, FolderLock(path, "install"):
            pass
        assert caught.value.code == ExitCode.BUSY
        assert f"process {holder.pid}" in caught.value.message and "/upgrade" in caught.value.message
        assert holder_if_locked(path) is not None
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_holder_never_blocks(tmp_path: Path) -> None:
    path = tmp_path / ".setup" / "lock"
    holder = hold_in_other_process(path)
    holder.kill()
    holder.wait()
    assert holder_if_locked(path) is None
    start = time.monotonic()
    with FolderLock(path, "upgrade"):
        pass
    assert time.monotonic() - start < 1


def test_lock_is_released_on_exit(tmp_path: Path) -> None:
    path = tmp_path / ".setup" / "lock"
    with FolderLock(path, "install"):
        pass
    assert holder_if_locked(path) is None
    assert path.read_text() == ""
