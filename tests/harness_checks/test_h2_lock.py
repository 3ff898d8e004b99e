"""The imitation of H2's lock (tests/harness/h2_lock.py) refuses another process's read of the database while
the service runs, and allows it once the service has stopped."""

from __future__ import annotations

import subprocess

import pytest

from tests.harness.fixtures_world import FAST, World

pytestmark = pytest.mark.e2e


def test_the_database_cannot_be_read_while_the_service_runs(world: World) -> None:
    if world.h2_lock is None:
        pytest.skip("fanotify permission events need root: the database is not guarded here")
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    read = subprocess.run(["cat", str(world.data_file())], capture_output=True, text=True)
    assert read.returncode != 0 and "Operation not permitted" in read.stderr
    assert len(world.h2_lock.refused) == 1 and "cat" in world.h2_lock.refused[0]
    world.h2_lock.refused.clear()  # seen: the test itself made it
    assert world.setup("/uninstall", *FAST).returncode == 0
    read = subprocess.run(["cat", str(world.data_file())], capture_output=True, text=True)
    assert read.returncode == 0 and "2.28.0" in read.stdout
