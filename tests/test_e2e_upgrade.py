"""Upgrade with automatic rollback, end to end (issue 7)."""

from __future__ import annotations

import pytest

from installer.errors import same_exit_code
from tests.harness.fixtures_world import FAST, Poller, World

pytestmark = pytest.mark.e2e


def installed(world: World, tag: str = "2.27.0") -> None:
    world.publish(tag)
    proc = world.install(tag)
    assert proc.returncode == 0, proc.stderr + proc.stdout


def test_upgrade_keeps_every_data_line(world: World) -> None:
    installed(world)
    world.publish("2.28.1")
    before = world.data_file().read_bytes()
    proc = world.setup("/upgrade", "2.x", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.1"
    after = world.data_file().read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.28.1" and doc["previous_versions"] == ["2.27.0"]
    assert doc["last_operation"]["verb"] == "upgrade" and doc["last_operation"]["to"] == "2.28.1"


@pytest.mark.parametrize("behaviour, params", [
    ("exit_at_start", {}),
    ("never_healthy", {}),
    ("http_500", {}),
    ("wrong_version", {"report_version": "9.9.9"}),
    ("crash_after", {"after": 0.3}),
])
def test_broken_new_version_rolls_back(world: World, behaviour: str, params: dict) -> None:
    installed(world)
    world.publish("2.28.1", behaviour, **params)
    before = world.data_file().read_bytes()
    proc = world.setup("/upgrade", "2.28.1", "/quiet", "/health-timeout", "8", "/health-stable", "2")
    assert same_exit_code(proc.returncode, 13), proc.stderr
    assert world.answers() == "2.27.0"
    # The old version appended its start line after the restore: everything before it is byte-identical.
    assert world.data_file().read_bytes().startswith(before)
    failed = list((world.folder / "backups").glob("*-failed-2.28.1"))
    assert len(failed) == 1
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.27.0" and doc["failed_versions"] == ["2.28.1"]
    assert doc["last_operation"]["result"] == "rolled-back"


def test_bad_download_never_touches_the_running_service(world: World) -> None:
    installed(world)
    world.publish("2.28.1")
    world.server.fault(world.server.jar_path("2.28.1"), "corrupt")
    with Poller(world.health_url) as poller:
        proc = world.setup("/upgrade", "2.28.1", *FAST)
    assert same_exit_code(proc.returncode, 11), proc.stderr
    assert poller.samples and poller.gaps() == 0
    assert world.answers() == "2.27.0"


def test_a_failed_version_is_skipped_by_a_range_but_taken_when_named(world: World) -> None:
    installed(world)
    world.publish("2.28.0")
    world.publish("2.28.1", "exit_at_start")
    proc = world.setup("/upgrade", "2.x", *FAST)
    assert same_exit_code(proc.returncode, 13), proc.stderr
    proc = world.setup("/upgrade", "2.x", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.0"
