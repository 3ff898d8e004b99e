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


@pytest.mark.windows_tcp
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
    pytest.param("exit_at_start", {}, marks=pytest.mark.windows_tcp),
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


@pytest.mark.parametrize("fault", ["corrupt", "bad_signature", "server_down"])
def test_bad_download_never_touches_the_running_service(world: World, fault: str) -> None:
    installed(world)
    world.publish("2.28.1")
    jar = world.server.jar_path("2.28.1")
    if fault == "corrupt":
        world.server.fault(jar, "corrupt")
    elif fault == "bad_signature":
        world.server.fault(jar + ".asc", "bad_signature")
    sources = world.args()
    if fault == "server_down":
        world.server.stop()
    with Poller(world.health_url) as poller:
        proc = world.setup("/upgrade", "2.28.1", *FAST, *sources, sources=False)
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


def test_slow_to_stop_broken_version_rolls_back(world: World) -> None:
    installed(world)
    world.publish("2.28.1", "never_healthy+slow_stop", delay=2)
    proc = world.setup("/upgrade", "2.28.1", "/quiet", "/health-timeout", "4", "/health-stable", "1")
    assert same_exit_code(proc.returncode, 13), proc.stderr
    assert world.answers() == "2.27.0"


def test_latest_on_2x_stays_on_2x_and_says_where_digdirs_version_is(world: World) -> None:
    installed(world)
    world.publish("2.28.1")
    world.publish("v4.0.8")
    world.set_latest("v4.0.8")
    proc = world.setup("/upgrade", "latest", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.1"
    assert "v4.0.8" in proc.stderr and "/allow-major" in proc.stderr


def test_2x_to_4x_with_allow_major_finds_a_java_21(world: World) -> None:
    from tests.harness import jdks

    java21 = jdks.java21()
    if java21 is None:
        pytest.skip("no Java >= 21")
    installed(world, "2.28.1")
    world.publish("v4.0.8")
    world.set_latest("v4.0.8")
    # The recorded Java (17) is too old for 4.x: discovery finds the one JAVA_HOME names.
    proc = world.setup("/upgrade", "latest", "/allow-major", *FAST, env={"JAVA_HOME": str(java21.parent.parent)})
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "4.0.8"
    code, doc = world.status()
    assert code == 0 and doc["version"] == "v4.0.8" and doc["java"] != "" and doc["previous_versions"] == ["2.28.1"]
    xml = (world.folder / "integrasjonspunkt-service.xml").read_text(encoding="utf-8")
    assert "-Dspring.profiles.active=production" in xml and "integrasjonspunkt-v4.0.8.jar" in xml


def test_an_account_set_on_the_service_survives_the_upgrade(world: World) -> None:
    installed(world)
    account = r".\integrasjonspunkt"
    world.winsw.set_account("integrasjonspunkt", account)
    world.publish("2.28.1")
    proc = world.setup("/upgrade", "2.28.1", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert account in proc.stderr  # said so
    assert world.answers() == "2.28.1"
    record = world.winsw.record("integrasjonspunkt")
    assert record is not None and record["account"] == account


def test_old_version_failing_too_is_exit_14_and_status_says_so(world: World) -> None:
    import threading
    import time

    installed(world)
    world.publish("2.28.1", "exit_at_start")
    old_jar = world.folder / "integrasjonspunkt-2.27.0.jar"
    journal = world.folder / ".setup" / "journal.json"
    done = threading.Event()

    def damage_old_jar_once_the_new_one_starts() -> None:
        while not done.is_set():
            try:
                if '"start-new"' in journal.read_text():
                    old_jar.write_bytes(b"damaged")
                    return
            except OSError:
                pass
            time.sleep(0.01)

    watcher = threading.Thread(target=damage_old_jar_once_the_new_one_starts)
    watcher.start()
    proc = world.setup("/upgrade", "2.28.1", "/quiet", "/health-timeout", "6", "/health-stable", "1")
    done.set()
    watcher.join()
    assert same_exit_code(proc.returncode, 14), proc.stderr
    assert "2.27.0" in proc.stderr and "attention" in proc.stderr
    code, doc = world.status()
    assert same_exit_code(code, 14) and doc["version"] == "2.27.0" and not doc["healthy"]
    assert doc["last_operation"]["result"] == "rollback-unhealthy"


def test_service_password_re_registers_with_the_account_and_keeps_no_password(world: World) -> None:
    installed(world)
    account = r".\integrasjonspunkt"
    world.winsw.set_account("integrasjonspunkt", account)
    world.publish("2.28.1")
    secret = "Tj3neste-passord"
    proc = world.setup("/upgrade", "2.28.1", *FAST, "/service-password", "-", stdin=secret + "\n")
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.1"
    record = world.winsw.record("integrasjonspunkt")
    assert record is not None and record["account"] == account
    xml = (world.folder / "integrasjonspunkt-service.xml").read_text(encoding="utf-8")
    assert "<serviceaccount>" in xml and "integrasjonspunkt</user>" in xml and "<password>" not in xml
    for path in world.folder.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    assert secret not in proc.stdout + proc.stderr
