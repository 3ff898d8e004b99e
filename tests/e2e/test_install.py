"""Silent install, status and uninstall end to end: real HTTP, real JVMs, the WinSW stand-in (issue 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from installer.errors import same_exit_code
from tests.harness.fixtures_world import FAST, World
from tests.harness.keystores import make_keystore

pytestmark = pytest.mark.e2e


@pytest.mark.windows_tcp
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


KEYSTORE_SECRET = "Kj3ll-s3cret-pa55"


def test_password_never_appears_outside_the_properties_file(world: World, tmp_path) -> None:
    world.publish("2.28.0")
    # A real keystore: the stand-in, like integrasjonspunkt, opens it at start, and setup checks its type first.
    keystore = make_keystore(tmp_path / "keystore.p12", alias="ip", password=KEYSTORE_SECRET)
    world.folder.mkdir(parents=True)
    props_port = f"server.port={world.port}\n"
    proc = world.setup("/install", "2.28.0", *FAST, "/orgnr", "910076787", "/keystore", str(keystore),
                       "/keystore-alias", "ip", "/keystore-password", "-", "/log", str(tmp_path / "extra.log"),
                       stdin=KEYSTORE_SECRET + "\n", env={"IPSETUP_SERVICE_PASSWORD": KEYSTORE_SECRET})
    # The properties file written from the options has no server.port: the stand-in listens on 9093 then,
    # which may be taken on this machine – so only the written file and the secrecy are asserted here.
    props = (world.folder / "integrasjonspunkt-local.properties").read_text()
    assert "difi.move.org.number=910076787" in props and KEYSTORE_SECRET in props
    assert props_port not in props
    assert KEYSTORE_SECRET not in proc.stdout + proc.stderr
    for path in [*world.folder.rglob("*"), tmp_path / "extra.log"]:
        if path.is_file() and path.name != "integrasjonspunkt-local.properties":
            assert KEYSTORE_SECRET.encode() not in path.read_bytes(), path
    world.setup("/uninstall", *FAST)


def test_fresh_4x_install_with_java_21(world: World) -> None:
    from tests.harness import jdks

    java21 = jdks.java21()
    if java21 is None:
        pytest.skip("no Java >= 21")
    world.publish("v4.0.8")
    proc = world.install("v4.0.8", "/java", str(java21), "/env", "staging")
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "4.0.8"
    code, doc = world.status()
    assert code == 0 and doc["version"] == "v4.0.8" and doc["env"] == "staging"
    assert doc["health_url"].endswith("/manage/health") and doc["java"] == str(java21)
    xml = (world.folder / "integrasjonspunkt-service.xml").read_text(encoding="utf-8")
    assert "-Dspring.profiles.active=staging" in xml and str(java21) in xml


def test_4x_on_java_17_stops_before_anything_changes(world: World) -> None:
    from tests.harness import jdks

    world.publish("v4.0.8")
    proc = world.install("v4.0.8", "/java", str(jdks.java17()))
    assert same_exit_code(proc.returncode, 10), proc.stderr
    assert not world.folder.exists() or {p.name for p in world.folder.iterdir()} <= {".setup", "installer-logs"}


@pytest.mark.parametrize("behaviour, params, health", [
    ("never_healthy", {}, ["/health-timeout", "4", "/health-stable", "1"]),
    ("crash_after", {"after": 3}, ["/health-timeout", "30", "/health-stable", "5"]),
])
def test_failed_install_is_undone(world: World, behaviour: str, params: dict, health: list[str]) -> None:
    world.publish("2.28.0", behaviour, **params)
    proc = world.setup("/install", "2.28.0", "/quiet", *health, "/properties", str(world.properties))
    assert same_exit_code(proc.returncode, 12), proc.stderr
    assert "2.28.0" in proc.stderr
    assert world.answers() is None and world.winsw.record("integrasjonspunkt") is None
    left = {p.name for p in world.folder.iterdir()}
    assert left <= {".setup", "installer-logs", "integrasjonspunkt-logs", "integrasjonspunkt.mv.db"}, left
    code, _ = world.status()
    assert same_exit_code(code, 15)


def test_missing_and_bad_properties_input(world: World, tmp_path) -> None:
    world.publish("2.28.0")
    proc = world.setup("/install", "2.28.0", *FAST)
    assert same_exit_code(proc.returncode, 1639) and "/properties" in proc.stderr
    proc = world.setup("/install", "2.28.0", *FAST, "/orgnr", "123456789", "/keystore", str(world.properties),
                       "/keystore-alias", "a", "/keystore-password", "p")
    assert same_exit_code(proc.returncode, 1639) and "organisation number" in proc.stderr
    proc = world.setup("/install", "2.28.0", *FAST, "/orgnr", "910076787", "/keystore", str(tmp_path / "none.p12"),
                       "/keystore-alias", "a", "/keystore-password", "p")
    assert same_exit_code(proc.returncode, 1639) and "none.p12" in proc.stderr
    proc = world.setup("/install", "2.28.0", *FAST, "/orgnr", "910076787")
    assert same_exit_code(proc.returncode, 1639) and "/keystore" in proc.stderr
    assert not (world.folder / "integrasjonspunkt-service.xml").exists()


def test_health_url_follows_context_path_and_management_port(world: World) -> None:
    from tests.harness.ports import free_port

    world.publish("2.28.0")
    manage = free_port()
    world.folder.mkdir(parents=True)
    text = world.properties.read_text() + f"server.servlet.context-path=/ip\nmanagement.server.port={manage}\n"
    (world.folder / "integrasjonspunkt-local.properties").write_text(text)
    proc = world.setup("/install", "2.28.0", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    assert code == 0 and doc["health_url"] == f"http://localhost:{world.port}/ip/noarkExchange?wsdl"
    world.setup("/uninstall", *FAST)


def test_second_install_and_repair(world: World) -> None:
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    proc = world.install("2.28.0")
    assert proc.returncode == 0 and "nothing to do" in proc.stdout + proc.stderr
    world.publish("2.28.1")
    proc = world.install("2.28.1")
    assert same_exit_code(proc.returncode, 1638) and "/upgrade" in proc.stderr
    (world.folder / "integrasjonspunkt-service.xml").write_text("<service><id>broken")
    proc = world.setup("/repair", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.0"
    code, doc = world.status()
    assert code == 0 and doc["last_operation"]["verb"] == "repair"


def test_status_in_every_state(world: World) -> None:
    code, doc = world.status()
    assert same_exit_code(code, 15) and doc["installed"] is False
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    code, doc = world.status()
    assert code == 0 and doc["service"] == "running" and doc["healthy"]
    exe = world.folder / "integrasjonspunkt-service.exe"
    import subprocess

    subprocess.run([str(exe), "stopwait"], check=True, capture_output=True, timeout=60)
    code, doc = world.status()
    assert same_exit_code(code, 14) and doc["service"] == "stopped" and not doc["healthy"]
    subprocess.run([str(exe), "uninstall"], check=True, capture_output=True, timeout=60)
    code, doc = world.status()
    assert same_exit_code(code, 14) and doc["service"] == "absent"
    for key in ("installed", "version", "env", "service_id", "service", "healthy", "health_url", "java", "winsw",
                "previous_versions", "failed_versions", "last_operation", "interrupted", "last_recovery"):
        assert key in doc


def test_uninstall_with_purge_deletes_data(world: World) -> None:
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    proc = world.setup("/uninstall", "/purge", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert not world.data_file().exists() and not (world.folder / "integrasjonspunkt-local.properties").exists()
    code, _ = world.status()
    assert same_exit_code(code, 15)


def test_two_runs_at_once_and_a_lock_left_by_a_killed_run(world: World) -> None:
    import subprocess
    import sys
    import time

    world.publish("2.28.0")
    world.server.fault(world.server.jar_path("2.28.0"), "slow", rate=200_000)
    first = subprocess.Popen([sys.executable, "-m", "installer", "/install", "2.28.0", *FAST, "/properties",
                              str(world.properties), *world.args()], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lock = world.folder / ".setup" / "lock"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (lock.exists() and lock.stat().st_size > 0):
        time.sleep(0.05)
    proc = world.setup("/install", "2.28.0", *FAST, "/properties", str(world.properties))
    assert same_exit_code(proc.returncode, 1618), proc.stderr
    assert f"process {first.pid}" in proc.stderr and "/install" in proc.stderr
    code, _ = world.status()
    assert same_exit_code(code, 1618)
    first.kill()
    first.wait()
    world.server.clear_faults()
    proc = world.install("2.28.0")
    assert proc.returncode == 0, proc.stderr


def test_repair_while_services_msc_holds_the_service_changes_it_in_place(world: World) -> None:
    """W4: with a handle open, WinSW's uninstall would only mark the service (install then says it exists, and
    the service vanishes when the handle closes). The repair changes the registration where it is."""
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    world.winsw.open_handle("integrasjonspunkt")
    xml = world.folder / "integrasjonspunkt-service.xml"
    xml.write_text(xml.read_text(encoding="utf-8").replace("<name>", "<name>Endret "), encoding="utf-8")
    proc = world.setup("/repair", *FAST)
    assert proc.returncode == 0, proc.stderr
    world.winsw.close_handle("integrasjonspunkt")
    record = world.winsw.record("integrasjonspunkt")
    assert record is not None and not record["marked_for_deletion"] and record["start_type"] == 2
    assert record["display_name"].startswith("Endret ")
    assert world.answers() == "2.28.0"
    assert world.setup("/uninstall", *FAST).returncode == 0


def test_uninstall_while_services_msc_holds_the_service_says_what_to_close(world: World) -> None:
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    world.winsw.open_handle("integrasjonspunkt")
    proc = world.setup("/uninstall", *FAST)
    assert proc.returncode != 0
    assert "marked for deletion" in proc.stderr and "services.msc" in proc.stderr
    assert "Traceback" not in proc.stderr
    world.winsw.close_handle("integrasjonspunkt")
    assert world.winsw.record("integrasjonspunkt") is None


def test_a_java_removed_by_a_java_update_is_reported_and_repaired(world: World) -> None:
    """W11: the service runs a Java from a version-named folder that a Java update removed. /status says why it
    cannot start; /repair picks an installed Java by discovery and the service runs again."""
    from installer import service_xml
    from tests.java_support import remove_with_service_stopped, version_named_java

    java = version_named_java(world)
    world.publish("2.28.0")
    proc = world.install("2.28.0", "/java", str(java))
    assert proc.returncode == 0, proc.stderr
    xml = world.folder / "integrasjonspunkt-service.xml"
    assert service_xml.read(xml).executable == str(java)
    remove_with_service_stopped(world, java)
    code, doc = world.status()
    assert same_exit_code(code, 14) and doc["java_missing"] == str(java)
    proc = world.setup("/status")
    assert "is gone" in proc.stdout + proc.stderr and "/repair" in proc.stdout + proc.stderr
    proc = world.setup("/repair", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.0"
    code, doc = world.status()
    assert code == 0 and doc["java_missing"] is None and doc["healthy"]
    assert Path(service_xml.read(xml).executable or "").is_file()
