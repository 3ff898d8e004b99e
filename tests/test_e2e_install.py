"""Silent install, status and uninstall end to end: real HTTP, real JVMs, the WinSW stand-in (issue 6)."""

from __future__ import annotations

import pytest

from installer.errors import same_exit_code
from tests.harness.fixtures_world import FAST, World

pytestmark = pytest.mark.e2e


def test_fresh_2x_install_runs_healthy_then_uninstall_keeps_data(world: World) -> None:
    world.publish("2.28.0")
    proc = world.install("2.28.0")
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.0"
    code, doc = world.status()
    assert code == 0 and doc["installed"] and doc["healthy"] and doc["service"] == "running"
    assert doc["version"] == "2.28.0" and doc["env"] == "production"
    assert (world.folder / "integrasjonspunkt-service.exe").is_file()
    assert (world.folder / "integrasjonspunkt-service.xml").is_file()
    proc = world.setup("/uninstall", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() is None
    assert world.data_file().is_file() and (world.folder / "integrasjonspunkt-local.properties").is_file()
    assert not (world.folder / "integrasjonspunkt-service.exe").exists()
    code, doc = world.status()
    assert same_exit_code(code, 15) and not doc["installed"]
