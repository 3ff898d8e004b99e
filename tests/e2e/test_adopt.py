"""Taking over an installation made by hand, end to end (issue 10): Digdir's XMLs, a renamed WinSW (the stand-in)
installed and started by the admin, the stand-in integrasjonspunkt on a real JVM; then setup adopts, upgrades,
rolls back by itself, upgrades again and uninstalls."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psutil
import pytest

from installer import service_xml
from installer.errors import same_exit_code
from installer.state import load as load_state
from tests.adoption_support import digdir_xml, hand_made
from tests.harness.fixtures_world import FAST, World

pytestmark = pytest.mark.e2e


def java_pids(folder: Path) -> set[int]:
    from installer import processes

    return {p.pid for p in processes.java_processes(folder)}


def running_by_hand(world: World, *, kind: str, base: str, version: str = "2.27.0") -> Path:
    """The folder as an admin leaves it after following Digdir's page: service installed and started."""
    exe = hand_made(world.winsw, world.folder, kind=kind, base=base, version=version,
                    jar=world.publish(version), properties=world.properties, start=True)
    assert world.wait_answers(version), "the hand-made service did not come up"
    return exe


def test_adopt_then_upgrade_rolls_back_then_upgrades_and_uninstalls(world: World) -> None:
    running_by_hand(world, kind="staging", base="ip")
    xml_before = (world.folder / "ip.xml").read_bytes()
    files_before = {p.name: p.read_bytes() for p in world.folder.iterdir() if p.is_file()}
    pids_before = java_pids(world.folder)

    proc = world.setup("/adopt", "/quiet", "/json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["version"] == "2.27.0" and doc["env"] == "staging" and doc["service"] == "running"
    assert doc["service_base"] == "ip" and doc["winsw"] == "2.12.0/WinSW-x64.exe"
    # Nothing but the state file changed: the same files, the same process still answering.
    assert {p.name: p.read_bytes() for p in world.folder.iterdir() if p.is_file()} == files_before
    assert java_pids(world.folder) == pids_before and world.answers() == "2.27.0"
    recorded = load_state(world.folder / ".setup" / "state.json")
    assert recorded is not None and recorded.adopted and recorded.service_base == "ip"
    assert Path(recorded.java).is_absolute() and recorded.java == str(Path(shutil.which("java") or "").absolute())
    code, status = world.status()
    assert code == 0 and status["healthy"] and status["version"] == "2.27.0" and status["env"] == "staging"
    assert world.setup("/adopt", "/quiet").returncode == 0  # adopted already: nothing to do

    world.publish("2.28.1", "exit_at_start")
    proc = world.setup("/upgrade", "2.28.1", "/quiet", "/health-timeout", "8", "/health-stable", "1")
    assert same_exit_code(proc.returncode, 13), proc.stderr
    assert world.answers() == "2.27.0"
    assert (world.folder / "ip.xml").read_bytes() == xml_before  # the admin's file, back as it was

    world.publish("2.28.0")
    proc = world.setup("/upgrade", "2.28.0", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.0"
    xml = service_xml.read(world.folder / "ip.xml")
    assert xml.executable == recorded.java  # a bare `java` became the absolute path the service ran
    assert xml.arguments[:3] == ["-Xmx2048m", "-Dspring.profiles.active=staging", "-jar"]
    assert xml.jar == "%BASE%/integrasjonspunkt-2.28.0.jar" and not xml.misplaced_jvm_options
    assert xml.description == "Oppsett for testmiljø" and xml.log_mode == "roll-by-size"
    code, status = world.status()
    assert code == 0 and status["previous_versions"] == ["2.27.0"] and status["failed_versions"] == ["2.28.1"]

    proc = world.setup("/uninstall", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() is None and world.winsw.record("integrasjonspunkt") is None
    assert not (world.folder / "ip.exe").exists() and not (world.folder / "ip.xml").exists()
    assert world.data_file().is_file() and (world.folder / "integrasjonspunkt-local.properties").is_file()


def test_upgrade_adopts_a_prod_install_first_and_rollback_follows(world: World) -> None:
    running_by_hand(world, kind="prod", base="integrasjonspunkt-service")
    world.publish("2.28.0")
    proc = world.setup("/upgrade", "2.x", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert "installed by hand" in proc.stderr and "adopting it before /upgrade" in proc.stderr
    assert world.answers() == "2.28.0"
    recorded = load_state(world.folder / ".setup" / "state.json")
    assert recorded is not None and recorded.adopted and recorded.service_base is None
    assert recorded.env == "production" and recorded.previous_versions == ["2.27.0"]
    xml = service_xml.read(world.folder / "integrasjonspunkt-service.xml")
    # Digdir's repeated <argument>s became one <arguments>; the relative jar stays relative.
    assert xml.arguments_source == "arguments" and xml.jar == "integrasjonspunkt-2.28.0.jar"
    assert xml.arguments[0] == "-Xmx2048m"

    proc = world.setup("/rollback", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.27.0"
    code, status = world.status()
    assert code == 0 and status["version"] == "2.27.0"


def test_install_on_a_hand_made_install_answers_as_installed(world: World) -> None:
    hand_made(world.winsw, world.folder, kind="staging", base="ip", version="2.28.1",
              properties=world.properties, register=True)
    proc = world.setup("/install", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert "installed already" in proc.stdout
    recorded = load_state(world.folder / ".setup" / "state.json")
    assert recorded is not None and recorded.version == "2.28.1" and recorded.env == "staging"
    proc = world.setup("/install", "2.28.2", *FAST)
    assert same_exit_code(proc.returncode, 1638) and "/upgrade 2.28.2" in proc.stderr
    assert world.winsw.record("integrasjonspunkt") is not None  # still the admin's registration


def test_a_second_service_in_the_folder_stops_the_upgrade(world: World) -> None:
    running_by_hand(world, kind="prod", base="integrasjonspunkt-service")
    staging = digdir_xml("staging", "2.27.0").replace(b"<id>integrasjonspunkt</id>", b"<id>ip-test</id>")
    hand_made(world.winsw, world.folder, xml=staging, base="ip-test", register=True)
    pids = java_pids(world.folder)
    proc = world.setup("/upgrade", "2.x", *FAST)
    assert same_exit_code(proc.returncode, 15), proc.stderr
    assert "integrasjonspunkt-service.exe" in proc.stderr and "ip-test.exe" in proc.stderr
    assert java_pids(world.folder) == pids and all(psutil.pid_exists(p) for p in pids)
    assert not (world.folder / ".setup" / "state.json").exists()
    proc = world.setup("/adopt", "/service-id", "integrasjonspunkt", "/quiet")
    assert proc.returncode == 0, proc.stderr
