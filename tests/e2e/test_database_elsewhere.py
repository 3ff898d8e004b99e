"""A database the datasource URL puts elsewhere (W2): in a subfolder under another name, or outside the install
folder on another volume (D:\\ipdata on Windows; /dev/shm, a tmpfs, here). Neither is read while the service
runs (the H2 lock imitation watches both), both are backed up after the stop, and a failed upgrade brings them
back and keeps what the failed version wrote."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from installer import backup
from installer.errors import same_exit_code
from tests.harness.fixtures_world import FAST, World

pytestmark = pytest.mark.e2e


@pytest.fixture
def other_volume() -> Iterator[Path]:
    """A folder on another file system than the install folder, so a rename between them fails (EXDEV)."""
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm: no second file system to put the database on")
    made = Path(tempfile.mkdtemp(prefix="ipdata-", dir="/dev/shm"))
    yield made
    shutil.rmtree(made, ignore_errors=True)


def _use_database(world: World, base: Path, url: str | None = None) -> Path:
    """Point the admin's properties at `base` (jdbc:h2:file:<base>, or `url`); the lock imitation guards that file."""
    with world.properties.open("a", encoding="utf-8") as handle:
        handle.write(f"difi.datasource.url={url or 'jdbc:h2:file:' + base.as_posix()}\n")
    database = base.with_name(base.name + ".mv.db")
    if world.h2_lock is not None:
        world.h2_lock.watch(database)
    return database


def _guarded(world: World) -> None:
    if world.h2_lock is None:
        pytest.skip("fanotify permission events need root: the database is not guarded here")


def test_a_database_on_another_volume_is_backed_up_after_the_stop_and_restored(world: World,
                                                                                 other_volume: Path) -> None:
    _guarded(world)
    database = _use_database(world, other_volume / "integrasjonspunkt")
    world.publish("2.28.0")
    proc = world.install("2.28.0")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert database.read_text().count("2.28.0") == 1 and not world.data_file().exists()
    before = database.read_bytes()

    world.publish("2.28.1", "never_healthy")
    proc = world.setup("/upgrade", "2.28.1", "/quiet", "/health-timeout", "6", "/health-stable", "1")
    assert same_exit_code(proc.returncode, 13), proc.stderr + proc.stdout
    assert world.answers() == "2.28.0"
    # Back in its place on the other volume: the data from before, then the old version's new start line.
    now = database.read_text()
    assert now.startswith(before.decode()) and "2.28.1" not in now and now.count("2.28.0") == 2
    within = next(iter(k for k in backup.places([database], world.folder) if k))
    [failed] = (world.folder / "backups").glob("*-failed-2.28.1")
    assert "2.28.1" in (failed / within / database.name).read_text()  # what the failed version wrote is kept

    world.publish("2.28.2")
    kept = database.read_bytes()
    proc = world.setup("/upgrade", "2.28.2", *FAST)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert database.read_text().count("2.28.2") == 1 and not list(other_volume.glob("*.partial"))
    saved = max((world.folder / "backups").glob("*-before-2.28.0")) / within / database.name
    assert saved.read_bytes() == kept


def test_a_database_under_another_name_in_the_folder_is_not_read_while_the_service_runs(world: World) -> None:
    _guarded(world)
    # Relative: Spring reads .properties as ISO-8859-1, so the folder's æøå would not survive as typed.
    database = _use_database(world, world.folder / "data" / "ip", "jdbc:h2:file:./data/ip")
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    world.publish("2.28.1")
    proc = world.setup("/upgrade", "2.28.1", *FAST)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    [saved] = (world.folder / "backups").glob("*-before-2.28.0")
    assert (saved / database.name).read_text().count("2.28.0") == 1
    assert database.read_text().count("2.28.1") == 1
