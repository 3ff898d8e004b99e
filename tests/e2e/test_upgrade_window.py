"""What keeps the upgrade window short (issue 12): the registration stays when nothing in it changes, a stop
waits on the process rather than on `status` calls, a stopped service is not asked to stop, and a service
process that ended before the health check saw it fails the check at once, and the backup pass made while the
service is down writes only what changed."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

import pytest

from installer import backup, processes
from installer.messages import t
from installer.plans import steps
from installer.windows.services import ServiceError, ServiceState
from installer.winsw import STOP_RETRY, WinSW
from tests.contexts import install_context
from tests.harness.fixtures_winsw import WinswEnv
from tests.harness.fixtures_world import FAST, World
from tests.harness.ports import free_port
from tests.unit.test_winsw import JAR, write_program_xml

SERVICE = "integrasjonspunkt"


def xml(executable: str = "java", jar: str = "a.jar", extra: str = "") -> bytes:
    return (f"<service><id>{SERVICE}</id><executable>{executable}</executable>"
            f"<arguments>-Dspring.profiles.active=production -jar {jar}</arguments>"
            f'<onfailure action="restart" delay="30 sec"/>{extra}</service>').encode()


def test_registration_digest_leaves_out_what_winsw_reads_at_every_start() -> None:
    digest = steps.registration_digest
    assert digest(xml()) == digest(xml(executable=r"C:\java21\bin\java.exe", jar="b.jar"))
    assert digest(xml()) != digest(xml().replace(b"restart", b"none"))
    account = "<serviceaccount><user>ip</user><password>{}</password></serviceaccount>"
    assert digest(xml(extra=account.format("one"))) == digest(xml(extra=account.format("two")))
    assert digest(xml(extra=account.format("one"))) != digest(xml())
    assert digest(b"<service><id>") is None


def _program(winsw_env: WinswEnv, folder: Path, *options: str) -> WinSW:
    exe = winsw_env.install_exe(folder)
    write_program_xml(folder, exe.stem, *options)
    return WinSW(exe, SERVICE, quiet=True)


class CountingWinSW(WinSW):
    """The real driver, counting the `status` commands it runs."""

    calls = 0

    def status(self) -> ServiceState:
        self.calls += 1
        return super().status()


def test_stop_waits_on_the_process_and_asks_the_state_only_now_and_then(winsw_env: WinswEnv,
                                                                        tmp_path: Path) -> None:
    _program(winsw_env, tmp_path, "--term-delay", "1.5")
    service = CountingWinSW(tmp_path / "integrasjonspunkt-service.exe", SERVICE)
    service.install()
    service.start(30)
    deadline = time.monotonic() + 20
    while not processes.java_processes(tmp_path):  # WinSW 2 says Started before the process is there
        assert time.monotonic() < deadline
        time.sleep(0.02)
    service.calls = 0
    began = time.monotonic()
    service.stop(30, tmp_path, [])
    took = time.monotonic() - began
    assert took >= 1.5 and service.status() is ServiceState.STOPPED
    # One look per STOP_RETRY while the process runs, one to confirm Stopped (and the one just above).
    assert service.calls <= took / STOP_RETRY + 3


def test_a_stopped_service_is_not_asked_to_stop(winsw_env: WinswEnv, tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    service = _program(winsw_env, tmp_path)
    service.install()
    caplog.set_level("INFO", logger="installer.winsw")
    service.stop(30, tmp_path, [], state=service.status())
    assert not [r for r in caplog.records if " stop -> exit" in r.getMessage()]


def test_a_process_gone_before_the_health_check_saw_it_fails_the_check_at_once(winsw_env: WinswEnv,
                                                                                tmp_path: Path) -> None:
    service = _program(winsw_env, tmp_path, "--exit-after", "0", "--code", "1")
    service.install()
    with contextlib.suppress(ServiceError):
        service.start(30)  # it may see the process end already: "stopped right after it was started"
    deadline = time.monotonic() + 20
    while service.status() is not ServiceState.STOPPED:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    target = steps.Target(install_context(tmp_path, service_id=SERVICE))
    watch = steps.process_watch(target, tmp_path / JAR)
    assert watch() == t("operations.health_process_gone")


def _record(world: World) -> dict:
    record = world.winsw.record(SERVICE)
    assert record is not None
    return record


@pytest.mark.e2e
def test_upgrade_keeps_the_registration_unless_the_xml_changes_it(world: World) -> None:
    world.publish("2.27.0")
    assert world.install("2.27.0").returncode == 0
    registered = _record(world)["installed_at"]
    world.publish("2.28.0")
    proc = world.setup("/upgrade", "2.28.0", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.0" and _record(world)["installed_at"] == registered
    assert "registration stays as it is" in proc.stderr
    # The admin changes what the registration holds: the next upgrade changes the registration in place (sc.exe
    # config/description), never unregisters it (a handle held by services.msc would leave it marked for deletion).
    xml_file = world.folder / "integrasjonspunkt-service.xml"
    xml_file.write_text(xml_file.read_text(encoding="utf-8").replace("<description>", "<description>Edited. "),
                        encoding="utf-8")
    world.publish("2.28.1")
    proc = world.setup("/upgrade", "2.28.1", *FAST)
    assert proc.returncode == 0, proc.stderr
    record = _record(world)
    assert world.answers() == "2.28.1" and record["installed_at"] == registered
    assert record["description"].startswith("Edited. ")


def test_second_backup_pass_writes_only_what_changed(tmp_path: Path) -> None:
    live = tmp_path / "live"
    (live / "messages" / "a").mkdir(parents=True)
    db = live / "integrasjonspunkt.mv.db"
    db.write_bytes(bytes(range(256)) * (6 * backup.BLOCK // 256) + b"tail")
    shrinking = live / "messages" / "a" / "big.xml"
    shrinking.write_bytes(b"x" * (6 * backup.BLOCK))
    gone = live / "messages" / "a" / "gone.xml"
    gone.write_bytes(b"read and sent")
    (live / "messages" / "done").mkdir()
    (live / "messages" / "done" / "old.xml").write_bytes(b"old")
    items = [db, live / "messages"]
    saved = tmp_path / "backup"
    assert backup.sync(items, saved).written == (db.stat().st_size + shrinking.stat().st_size + gone.stat().st_size
                                                 + 3)
    assert backup.sync(items, saved).written == 0
    # As a running service leaves it: a page rewritten in the middle, a file cut short, one removed, one new.
    with db.open("r+b") as handle:
        handle.seek(3 * backup.BLOCK + 100)
        handle.write(b"new page")
    with shrinking.open("r+b") as handle:
        handle.truncate(5 * backup.BLOCK + 10)
    gone.unlink()
    (live / "messages" / "a" / "new.xml").write_bytes(b"arrived")
    shutil.rmtree(live / "messages" / "done")
    written = backup.sync(items, saved).written
    assert written == backup.BLOCK + len(b"arrived")
    for path in (db, shrinking, live / "messages" / "a" / "new.xml"):
        copy = saved / path.relative_to(live)
        assert copy.read_bytes() == path.read_bytes()
        assert copy.stat().st_mtime_ns == path.stat().st_mtime_ns
    assert not (saved / "messages" / "a" / "gone.xml").exists() and not (saved / "messages" / "done").exists()


def test_backup_never_follows_links(tmp_path: Path) -> None:
    """A link in the data folders, at any level, to a file only administrators may read (or to a folder): left
    out and listed, never copied through, and a copy made earlier in its place is removed."""
    secret = tmp_path / "admin-only"
    secret.mkdir(mode=0o700)
    (secret / "key.pem").write_bytes(b"PRIVATE")
    (secret / "key.pem").chmod(0o600)
    live = tmp_path / "live"
    (live / "messages" / "in").mkdir(parents=True)
    (live / "messages" / "in" / "a.xml").write_bytes(b"message")
    (live / "messages" / "in" / "key.xml").symlink_to(secret / "key.pem")
    (live / "messages" / "out").symlink_to(secret, target_is_directory=True)
    (live / "activemq-data").symlink_to(secret, target_is_directory=True)
    saved = tmp_path / "backup"
    (saved / "activemq-data").mkdir(parents=True)
    (saved / "activemq-data" / "old").write_bytes(b"from an earlier pass")
    items = [live / "messages", live / "activemq-data"]
    done = backup.sync(items, saved)
    assert sorted(done.links) == sorted(str(p) for p in (live / "messages" / "in" / "key.xml",
                                                         live / "messages" / "out", live / "activemq-data"))
    assert (saved / "messages" / "in" / "a.xml").read_bytes() == b"message"
    assert not os.path.lexists(saved / "messages" / "in" / "key.xml")
    assert not os.path.lexists(saved / "messages" / "out") and not os.path.lexists(saved / "activemq-data")
    copied = [p.read_bytes() for p in saved.rglob("*") if p.is_file()]
    assert b"PRIVATE" not in copied and done.written == len(b"message")


def test_first_pass_leaves_the_database_for_after_the_stop(tmp_path: Path) -> None:
    live = tmp_path / "live"
    (live / "messages").mkdir(parents=True)
    db = live / "integrasjonspunkt.mv.db"
    db.write_bytes(b"h2 pages")
    (live / "messages" / "a.xml").write_bytes(b"m")
    saved = tmp_path / "backup"
    first = backup.sync([db, live / "messages"], saved, running=True)
    assert first.written == 1 and not (saved / db.name).exists()
    second = backup.sync([db, live / "messages"], saved)
    assert second.written == len(b"h2 pages") and (saved / db.name).read_bytes() == b"h2 pages"


def test_database_starts_from_the_newest_earlier_backup(tmp_path: Path) -> None:
    """The database cannot be read while the service runs: its copy starts from the newest earlier set, and the
    pass after the stop writes only the blocks that differ."""
    live = tmp_path / "live"
    live.mkdir()
    db = live / "integrasjonspunkt.mv.db"
    db.write_bytes(b"p" * (6 * backup.BLOCK))
    sets = tmp_path / "backups"
    older, newer = sets / "20260101T000000Z-before-2.27.0", sets / "20260201T000000Z-before-2.28.0"
    for one, content in ((older, b"o" * (6 * backup.BLOCK)), (newer, db.read_bytes())):
        one.mkdir(parents=True)
        (one / db.name).write_bytes(content)
    os.utime(older / db.name, ns=(1, 1))
    with db.open("r+b") as handle:
        handle.seek(2 * backup.BLOCK)
        handle.write(b"changed")
    dest = sets / "20260301T000000Z-before-2.28.1"
    assert backup.seed_locked([db], dest, sets) == 6 * backup.BLOCK
    assert backup.sync([db], dest, running=True).written == 0
    assert backup.sync([db], dest).written == backup.BLOCK
    assert (dest / db.name).read_bytes() == db.read_bytes()


def _rollback_target(folder: Path, service: WinSW) -> steps.Target:
    (folder / "integrasjonspunkt-local.properties").write_text(f"server.port={free_port()}\n", encoding="utf-8")
    target = steps.Target(install_context(folder, service_id=SERVICE))
    target.winsw = service
    return target


def test_a_rollback_restarts_the_old_version_without_asking_winsw_its_state(winsw_env: WinswEnv,
                                                                             tmp_path: Path) -> None:
    """Each `status` is a .NET start on Windows, inside the rollback's downtime: the undo of a start that failed
    and the start of the old version learn the state from the service's processes (and the service manager)."""
    exe = winsw_env.install_exe(tmp_path)
    write_program_xml(tmp_path, exe.stem, "--exit-after", "0", "--code", "1")
    service = CountingWinSW(exe, SERVICE)
    service.install()
    with contextlib.suppress(ServiceError):
        service.start(30)  # the new version, failing at once
    deadline = time.monotonic() + 20
    while processes.java_processes(tmp_path) or service.status() is not ServiceState.STOPPED:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    target = _rollback_target(tmp_path, service)
    service.calls = 0
    steps.start(target, "start-new").undo()
    assert service.calls == 0
    write_program_xml(tmp_path, exe.stem)  # the old version, which runs
    steps.stop(target, "stop-old").undo()
    assert service.calls == 0
    assert processes.java_processes(tmp_path) and service.status() is ServiceState.STARTED


def test_a_rollback_asks_winsw_while_the_service_still_runs(winsw_env: WinswEnv, tmp_path: Path) -> None:
    """A service whose process runs is not taken for stopped: the undo of the old version's stop leaves it."""
    service = CountingWinSW(winsw_env.install_exe(tmp_path), SERVICE)
    write_program_xml(tmp_path, service.exe.stem)
    service.install()
    service.start(30)
    deadline = time.monotonic() + 20
    while not processes.java_processes(tmp_path):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    pid = processes.java_processes(tmp_path)[0].pid
    service.calls = 0
    steps.stop(_rollback_target(tmp_path, service), "stop-old").undo()
    assert service.calls >= 1
    assert [p.pid for p in processes.java_processes(tmp_path)] == [pid]
