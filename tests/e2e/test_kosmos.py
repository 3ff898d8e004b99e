"""Taking over from KOSMOS, end to end: a folder laid out from Digdir's own kosmos-service.xml, the WinSW stand-in
running a KOSMOS stand-in (a real JVM) that runs the stand-in integrasjonspunkt as its own child, as KOSMOS does;
then `/adopt /from-kosmos` puts this product's service in its place, or gives KOSMOS back when that fails."""

from __future__ import annotations

import json
import shutil

import pytest

from installer import service_xml
from installer.errors import same_exit_code
from installer.state import load as load_state
from tests.harness.fixtures_world import FAST, World
from tests.harness.service_registry import state_of
from tests.kosmos_support import AUTOMATIC, DISABLED, kosmos_running

pytestmark = pytest.mark.e2e

def test_kosmos_is_replaced_by_the_service_with_data_and_files_kept(world: World) -> None:
    kosmos_running(world)
    kept = {name: (world.folder / name).read_bytes() for name in (
        "kosmos-service.xml", "kosmos-service.exe", "kosmos-1.3.0.jar", "integrasjonspunkt-2.27.0.allowlisted")}
    data_before = world.data_file().read_bytes()

    proc = world.setup("/adopt", "/from-kosmos", *FAST, "/json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["verb"] == "adopt" and doc["version"] == "2.27.0" and "KOSMOS (kosmossvc) is stopped" in doc["message"]
    log = (world.folder / "installer-logs" / "setup.log").read_text(encoding="utf-8")
    assert "runs integrasjonspunkt 2.27.0 here with the profile production (found from the running process)" in log

    # The service runs the same version, with KOSMOS's profile, and the data KOSMOS's integrasjonspunkt left.
    assert world.answers() == "2.27.0"
    ours = world.winsw.record("integrasjonspunkt")
    assert ours is not None and state_of(ours) == "running"
    assert service_xml.read(world.folder / "integrasjonspunkt-service.xml").profile == "production"
    assert world.data_file().read_bytes().startswith(data_before)
    recorded = load_state(world.folder / ".setup" / "state.json")
    assert recorded is not None and recorded.version == "2.27.0" and recorded.env == "production"
    # KOSMOS: disabled, stopped, its integrasjonspunkt shut down gracefully, its files where they were.
    kosmos = world.winsw.record("kosmossvc")
    assert kosmos is not None and kosmos["start_type"] == DISABLED and state_of(kosmos) == "stopped"
    child_log = (world.folder / "kosmos-logs" / "integrasjonspunkt.out.log").read_text(encoding="utf-8")
    assert "Graceful shutdown complete" in child_log
    assert {name: (world.folder / name).read_bytes() for name in kept} == kept
    code, status = world.status()
    assert code == 0 and status["healthy"] and status["version"] == "2.27.0"


def test_a_failed_take_over_gives_kosmos_back(world: World) -> None:
    kosmos_running(world)
    kosmos_jar = (world.folder / "integrasjonspunkt-2.27.0.jar").read_bytes()
    world.publish("2.27.0", "exit_at_start")  # what the download brings does not start here

    proc = world.setup("/adopt", "/from-kosmos", "/quiet", "/health-timeout", "8", "/health-stable", "1")
    assert same_exit_code(proc.returncode, 12), proc.stderr
    assert "KOSMOS (kosmossvc) runs again as before" in proc.stdout + proc.stderr
    kosmos = world.winsw.record("kosmossvc")
    assert kosmos is not None and kosmos["start_type"] == AUTOMATIC and state_of(kosmos) == "running"
    assert world.wait_answers("2.27.0"), "KOSMOS did not start its integrasjonspunkt again"
    assert world.winsw.record("integrasjonspunkt") is None
    assert (world.folder / "integrasjonspunkt-2.27.0.jar").read_bytes() == kosmos_jar
    assert not (world.folder / ".setup" / "state.json").exists()


def test_without_kosmos_from_kosmos_changes_nothing(world: World) -> None:
    world.folder.mkdir()
    shutil.copyfile(world.properties, world.folder / "integrasjonspunkt-local.properties")
    before = {k: v for k, v in world.listing().items() if not k.startswith("installer-logs")}
    proc = world.setup("/adopt", "/from-kosmos", "/quiet")
    assert same_exit_code(proc.returncode, 10), proc.stderr
    assert proc.stderr.strip().splitlines()[-1].endswith("nothing for /from-kosmos to take over.")
    assert {k: v for k, v in world.listing().items() if not k.startswith("installer-logs")} == before


def test_killed_after_kosmos_stopped_recover_gives_kosmos_back(world: World) -> None:
    """The journal keeps KOSMOS's service: a recovery in a new process undoes the stop as the run would have."""
    kosmos_running(world)
    proc = world.setup("/adopt", "/from-kosmos", *FAST, env={"IPSETUP_FAULT_KILL_AFTER": "stop-kosmos"})
    assert proc.returncode != 0 and world.answers() is None
    kosmos = world.winsw.record("kosmossvc")
    assert kosmos is not None and kosmos["start_type"] == DISABLED

    proc = world.setup("/recover", "/quiet")
    assert proc.returncode == 0, proc.stderr
    kosmos = world.winsw.record("kosmossvc")
    assert kosmos is not None and kosmos["start_type"] == AUTOMATIC and state_of(kosmos) == "running"
    assert world.wait_answers("2.27.0"), "KOSMOS did not start its integrasjonspunkt again"
