"""Ctrl+C during an upgrade's health wait, sent as a terminal sends it: SIGINT to the whole process group.

The one-file program is two processes (the bootloader and Python); a terminal signals both, and a bootloader
that forwards signals delivers the same Ctrl+C to Python twice, the second one inside the undo. Both the frozen
file and `python -m installer` must finish the undo: the old version runs and is healthy, exit 1602.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from installer.errors import ExitCode, same_exit_code
from tests.harness.fixtures_world import REPO_ROOT, World
from tests.harness.waiting import wait_until

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(os.name == "nt", reason="sends POSIX signals to a process group")]

FROZEN = REPO_ROOT / "dist" / "setup"
SLOW = ["/health-timeout", "60", "/health-stable", "1"]


@pytest.fixture(scope="session")
def frozen() -> Iterator[Path]:
    """dist/setup, built from this tree when it is missing (about 20 s)."""
    if not FROZEN.is_file():
        done = subprocess.run([sys.executable, str(REPO_ROOT / "build" / "build.py"), "--no-smoke"], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    yield FROZEN


def _upgrade_interrupted(world: World, command: list[str], presses: int) -> tuple[subprocess.Popen[str], str]:
    """Start an upgrade to a never-healthy 2.28.2, press Ctrl+C `presses` times during its health wait."""
    world.publish("2.28.1")
    installed = world.install("2.28.1")
    assert installed.returncode == 0, installed.stderr
    world.publish("2.28.2", "never_healthy")
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    proc = subprocess.Popen([*command, "/upgrade", "2.28.2", "/quiet", *SLOW, *world.args()], cwd=REPO_ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    log = world.folder / "installer-logs" / "setup.log"
    try:
        # The install's health step is in the same log: wait for the upgrade's.
        wait_until(lambda: log.read_text(encoding="utf-8").count("step health") == 2, 120)
        time.sleep(0.5)  # inside the wait, not at its first request
        for _ in range(presses):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.3)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc, err


def _old_version_runs(world: World, proc: subprocess.Popen[str], err: str) -> None:
    assert same_exit_code(proc.returncode, ExitCode.CANCELLED), err
    assert "Traceback" not in err
    assert world.answers() == "2.28.1"
    code, doc = world.status()
    assert code == 0, doc
    assert doc["version"] == "2.28.1" and doc["healthy"] is True and doc["interrupted"] is None
    assert doc["last_operation"]["result"] == "cancelled"


def test_frozen_file_finishes_the_undo_after_ctrl_c(world: World, frozen: Path) -> None:
    proc, err = _upgrade_interrupted(world, [str(frozen)], presses=1)
    _old_version_runs(world, proc, err)


def test_second_ctrl_c_during_the_undo_waits_for_it(world: World) -> None:
    proc, err = _upgrade_interrupted(world, [sys.executable, "-m", "installer"], presses=2)
    _old_version_runs(world, proc, err)
    assert "finishing the undo, please wait" in err.lower()
