"""installer/backup.py on real files: the two passes of an upgrade's backup, a database outside the install folder
(D:\\ipdata on Windows, an absolute path elsewhere here), restore and what it sets aside, a copy across
file systems, a file another process refuses to hand over, pruning and the sizes /status shows.
(The block-by-block update and links are in tests/e2e/test_upgrade_window.py.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from installer import backup
from tests.paths import REPO_ROOT

DB = "integrasjonspunkt.mv.db"
OUT_DB = "ipdb.mv.db"  # jdbc:h2:file:D:/ipdata/ipdb: held locked too, though not by its name


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by its relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def install(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    """An install folder with its data, a database outside it (`ipdata`), and the items an upgrade backs up."""
    folder = tmp_path / "integrasjonspunkt"
    (folder / "messages" / "in").mkdir(parents=True)
    (folder / "messages" / "in" / "a.xml").write_bytes(b"message a")
    (folder / "activemq-data").mkdir()
    (folder / "activemq-data" / "journal.dat").write_bytes(b"queue")
    (folder / DB).write_bytes(b"local h2 pages")
    (folder / "keystore.p12").write_bytes(b"org key")
    elsewhere = tmp_path / "ipdata"
    elsewhere.mkdir()
    (elsewhere / OUT_DB).write_bytes(b"outside h2 pages")
    items = [folder / "messages", folder / "activemq-data", folder / DB, folder / "keystore.p12",
             folder / "integrasjonspunkt-logs", elsewhere / OUT_DB]
    return folder, elsewhere / OUT_DB, items


def test_places_keep_the_folders_items_together_and_each_outside_database_apart(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    inside = [folder / DB, folder / "messages", folder / "data" / DB]
    d_ipdata, e_ipdata = tmp_path / "D" / "ipdata" / DB, tmp_path / "E" / "ipdata" / DB
    sneaky = folder / ".." / "ipdata" / DB  # spelled under the folder, lies beside it
    placed = backup.places([*inside, d_ipdata, e_ipdata, sneaky], folder)
    assert placed[""] == inside
    outside = {k: v for k, v in placed.items() if k}
    assert len(outside) == 3 and all(k.startswith(backup.OUTSIDE + "/") and len(k) == len("outside/") + 16
                                     for k in outside)
    assert sorted(map(tuple, outside.values())) == sorted([(d_ipdata,), (e_ipdata,), (sneaky,)])
    # The place of one database is the same in every run: a later set finds the earlier copy there.
    assert backup.places([e_ipdata], folder) == {k: v for k, v in placed.items() if v == [e_ipdata]}
    assert backup.places([folder / DB], tmp_path / "other") != {"": [folder / DB]}


def two_passes(items: list[Path], folder: Path, dest: Path, sets: Path) -> int:
    """An upgrade's backup as the switch makes it: the running pass (the databases left for later, started from
    the newest earlier set), then the pass after the stop. Returns the bytes the second pass wrote."""
    databases = [i for i in items if i.name.endswith(".mv.db")]
    placed = backup.places(items, folder)
    for within, group in placed.items():
        backup.seed_locked(group, dest, sets, within=within, locked=databases)
        first = backup.sync(group, dest / within, running=True, locked=databases)
        assert not first.held
        assert not any((dest / within / d.name).exists() and (dest / within / d.name).read_bytes() == d.read_bytes()
                       for d in group if d in databases), "a database was read while the service ran"
    return sum(backup.sync(group, dest / within).written for within, group in placed.items())


def test_an_upgrades_backup_and_its_restore(install: tuple[Path, Path, list[Path]], tmp_path: Path) -> None:
    folder, outside_db, items = install
    sets = folder / "backups"
    first_set = sets / "20260101T000000Z-before-2.28.0"
    two_passes(items, folder, first_set, sets)
    within = next(k for k in backup.places(items, folder) if k)
    assert tree(first_set) == {
        "messages/in/a.xml": b"message a", "activemq-data/journal.dat": b"queue", DB: b"local h2 pages",
        "keystore.p12": b"org key", f"{within}/{OUT_DB}": b"outside h2 pages"}
    assert not (first_set / "integrasjonspunkt-logs").exists()  # an item that does not exist is left out

    # The next upgrade: both databases start from the copies in the first set; the pass after the stop writes
    # what changed.
    before = {p: p.read_bytes() for p in (folder / DB, outside_db)}
    outside_db.write_bytes(b"outside h2 pageS")
    second_set = sets / "20260201T000000Z-before-2.28.1"
    placed = backup.places(items, folder)
    seeded = sum(backup.seed_locked(group, second_set, sets, within=w, locked=[outside_db])
                 for w, group in placed.items())
    assert seeded == len(before[folder / DB]) + len(before[outside_db])
    assert (second_set / within / OUT_DB).read_bytes() == b"outside h2 pages"
    # seed_locked never overwrites a copy the set already has
    assert backup.seed_locked([outside_db], second_set, sets, within=within, locked=[outside_db]) == 0
    written = sum(backup.sync(group, second_set / w).written for w, group in placed.items())
    # No first pass in this set: every file is written; the seeded databases too (no time stamps, so compared).
    assert written == sum(len(v) for v in tree(first_set).values())
    assert (second_set / within / OUT_DB).read_bytes() == b"outside h2 pageS"
    assert backup.sync(placed[""], second_set).written == 0

    # The new version writes; the upgrade fails: everything goes back to the second set's contents, what the
    # failed version wrote is moved aside, none of it deleted.
    (folder / "messages" / "in" / "a.xml").write_bytes(b"changed by the failed version")
    (folder / "messages" / "in" / "b.xml").write_bytes(b"received by the failed version")
    (folder / DB).write_bytes(b"migrated")
    outside_db.write_bytes(b"outside migrated")
    (folder / "integrasjonspunkt-logs").mkdir()
    (folder / "integrasjonspunkt-logs" / "new.log").write_bytes(b"log")
    shutil.rmtree(folder / "activemq-data")
    failed = sets / "20260201T000500Z-failed-2.28.1"
    saved = tree(second_set)
    for w, group in placed.items():
        backup.restore(group, second_set / w, failed / w)
    assert (folder / DB).read_bytes() == b"local h2 pages" and outside_db.read_bytes() == b"outside h2 pageS"
    assert tree(folder / "messages") == {"in/a.xml": b"message a"}
    assert (folder / "activemq-data" / "journal.dat").read_bytes() == b"queue"
    assert not (folder / "integrasjonspunkt-logs").exists()  # the old version had none
    assert tree(failed) == {
        "messages/in/a.xml": b"changed by the failed version", "messages/in/b.xml": b"received by the failed version",
        DB: b"migrated", "keystore.p12": b"org key", "integrasjonspunkt-logs/new.log": b"log",
        f"{within}/{OUT_DB}": b"outside migrated"}
    # The backup's items were moved back (renames), not copied: the set now holds what was not restored.
    assert {k for k in saved if k in tree(second_set)} == set()


def test_a_restore_interrupted_and_run_again(tmp_path: Path) -> None:
    live, saved, aside = tmp_path / "live", tmp_path / "saved", tmp_path / "aside"
    live.mkdir()
    saved.mkdir()
    items = [live / DB, live / "messages"]
    (live / DB).write_bytes(b"new")
    (live / "messages").mkdir()
    (live / "messages" / "x.xml").write_bytes(b"new message")
    (saved / DB).write_bytes(b"old")
    (saved / "messages").mkdir()
    (saved / "messages" / "x.xml").write_bytes(b"old message")
    # A crash after the database was set aside, before it came back; meanwhile the service wrote a new file.
    aside.mkdir()
    os.replace(live / DB, aside / DB)
    (live / DB).write_bytes(b"appeared after the crash")
    backup.restore(items, saved, aside)
    assert (live / DB).read_bytes() == b"old" and (live / "messages" / "x.xml").read_bytes() == b"old message"
    assert tree(aside) == {DB: b"new", f"later/{DB}": b"appeared after the crash", "messages/x.xml": b"new message"}
    # And once more, complete: nothing moves, nothing is lost.
    backup.restore(items, saved, aside)
    assert (live / DB).read_bytes() == b"old"
    assert tree(aside) == {DB: b"new", f"later/{DB}": b"appeared after the crash", "messages/x.xml": b"new message"}
    # Undone (restore the other way): the data of before the restore is back, the backup has its own again.
    backup.restore(items, aside, saved)
    assert (live / DB).read_bytes() == b"new" and tree(saved) == {DB: b"old", "messages/x.xml": b"old message"}


def test_move_aside_keeps_both_when_the_name_is_taken(tmp_path: Path) -> None:
    live, aside = tmp_path / "live", tmp_path / "aside"
    live.mkdir()
    (live / DB).write_bytes(b"second")
    aside.mkdir()
    (aside / DB).write_bytes(b"first")
    backup.move_aside([live / DB, live / "missing", tmp_path / "nowhere" / "x"], aside)
    assert tree(aside) == {DB: b"first", f"{DB}.1": b"second"} and not (live / DB).exists()
    backup.move_aside([live / "missing"], tmp_path / "never-made")
    assert not (tmp_path / "never-made").exists()


@pytest.fixture
def other_volume(tmp_path: Path) -> Iterator[Path]:
    """A folder on another file system than tmp_path: a rename there fails with EXDEV."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system (/dev/shm) here")
    folder = Path(tempfile.mkdtemp(dir=shm, prefix="ipsetup-backup-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_restore_across_file_systems_copies_then_removes(tmp_path: Path, other_volume: Path) -> None:
    """The database on D:, the backup set on C:: the rename cannot cross, so each item is copied beside its
    destination, renamed into place, and only then removed from where it was."""
    live = other_volume / "ipdata"
    live.mkdir()
    (live / DB).write_bytes(b"written by the failed version")
    (live / "lobs").mkdir()
    (live / "lobs" / "1.lob").write_bytes(b"blob")
    (live / "lobs" / "link").symlink_to("1.lob")
    saved, aside = tmp_path / "saved", tmp_path / "aside"
    backup.sync([live / DB, live / "lobs"], saved)
    (saved / DB).write_bytes(b"as before")
    with pytest.raises(OSError):
        os.rename(saved / DB, live / "probe")  # the premise: these are two file systems
    backup.restore([live / DB, live / "lobs"], saved, aside)
    assert (live / DB).read_bytes() == b"as before" and not (saved / DB).exists()
    assert (aside / DB).read_bytes() == b"written by the failed version"
    assert (aside / "lobs" / "1.lob").read_bytes() == b"blob" and os.readlink(aside / "lobs" / "link") == "1.lob"
    assert (live / "lobs" / "1.lob").read_bytes() == b"blob" and not (saved / "lobs").exists()
    assert not [p for p in (*live.iterdir(), *aside.iterdir()) if p.name.endswith(".partial")]


def test_a_partial_copy_left_by_an_interruption_is_replaced(tmp_path: Path, other_volume: Path) -> None:
    source = tmp_path / "lobs"
    source.mkdir()
    (source / "1.lob").write_bytes(b"whole")
    partial = other_volume / "lobs.partial"  # a copy cut short by a crash
    partial.mkdir()
    (partial / "1.lob").write_bytes(b"wh")
    (partial / "stray").write_bytes(b"from the cut copy")
    backup.move_aside([source], other_volume)
    assert tree(other_volume / "lobs") == {"1.lob": b"whole"} and not source.exists() and not partial.exists()


def test_sync_replaces_what_changed_kind(tmp_path: Path) -> None:
    live, saved = tmp_path / "live", tmp_path / "saved"
    (live / "data").mkdir(parents=True)
    (live / "data" / "was-a-folder").write_bytes(b"now a file")
    (live / "data" / "was-a-file").mkdir()
    (live / "data" / "was-a-file" / "x").write_bytes(b"x")
    (live / "item").write_bytes(b"an item that was a folder")
    (saved / "data" / "was-a-folder").mkdir(parents=True)
    (saved / "data" / "was-a-folder" / "old").write_bytes(b"old")
    (saved / "data" / "was-a-file").write_bytes(b"old")
    (saved / "item").mkdir()
    (saved / "item" / "old").write_bytes(b"old")
    (saved / "gone").write_bytes(b"an item the source no longer has")
    backup.sync([live / "data", live / "item", live / "gone"], saved)
    assert tree(saved) == {"data/was-a-folder": b"now a file", "data/was-a-file/x": b"x",
                           "item": b"an item that was a folder"}


def test_a_file_changed_without_a_new_size_or_time_is_the_one_left(tmp_path: Path) -> None:
    """What changed is told by size and modification time: the same of both counts as unchanged."""
    live, saved = tmp_path / "live", tmp_path / "saved"
    live.mkdir()
    one = live / "a.xml"
    one.write_bytes(b"aaaa")
    assert backup.sync([one], saved).written == 4
    stamp = one.stat().st_mtime_ns
    one.write_bytes(b"bbbb")
    os.utime(one, ns=(stamp, stamp))
    assert backup.sync([one], saved).written == 0 and (saved / "a.xml").read_bytes() == b"aaaa"
    os.utime(one, ns=(stamp + 1_000_000, stamp + 1_000_000))
    assert backup.sync([one], saved).written == 4 and (saved / "a.xml").read_bytes() == b"bbbb"


# A pass run by another account that may not read one of the files: the refusal a running service's lock gives.
REFUSED_PASS = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from installer import backup
items = [Path(p) for p in json.loads(sys.argv[2])]
try:
    done = backup.sync(items, Path(sys.argv[3]), running=sys.argv[4] == "running")
except OSError as exc:
    print(json.dumps({"error": type(exc).__name__}))
else:
    print(json.dumps({"held": done.held, "written": done.written}))
"""


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another account can use (pytest's own is the test user's only)."""
    folder = Path(tempfile.mkdtemp(prefix="ipsetup-held-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pass_as_nobody(items: list[Path], dest: Path, mode: str) -> dict:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run a pass as another account")
    # The account may not enter the checkout or its venv (a clone in a 0700 temporary folder): it runs the
    # system interpreter on a copy of the package in the shared folder (backup needs only the standard library).
    code = dest.parent / "code"
    if not code.exists():
        shutil.copytree(REPO_ROOT / "installer", code / "installer",
                        ignore=shutil.ignore_patterns("__pycache__"))
    python = os.path.realpath(sys.executable)
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", python, "-S", "-c",
                           REFUSED_PASS, str(code), json.dumps([str(i) for i in items]), str(dest), mode],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_file_held_while_the_service_runs_waits_for_the_pass_after_the_stop(shared_tmp: Path) -> None:
    live, saved = shared_tmp / "live", shared_tmp / "saved"
    (live / "messages").mkdir(parents=True)
    held = live / "messages" / "held.xml"
    held.write_bytes(b"version 2")
    (live / "messages" / "free.xml").write_bytes(b"free")
    (saved / "messages").mkdir(parents=True)
    (saved / "messages" / "held.xml").write_bytes(b"version 1")  # from an earlier pass
    for path in (live, live / "messages", saved, saved / "messages", saved / "messages" / "held.xml"):
        path.chmod(0o777)
    held.chmod(0o000)
    first = _pass_as_nobody([live / "messages"], saved, "running")
    assert first == {"held": [str(held)], "written": 4}
    # Its earlier copy stays (the pass after the stop brings it up to date) and is not taken for stale.
    assert tree(saved) == {"messages/free.xml": b"free", "messages/held.xml": b"version 1"}
    # After the stop a refusal is an error: the backup would be incomplete.
    assert _pass_as_nobody([live / "messages"], saved, "stopped") == {"error": "PermissionError"}


def test_prune_keeps_the_newest_sets_and_every_failed_one(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    names = ["20260101T000000Z-before-2.27.0", "20260201T000000Z-before-2.28.0", "20260202T000000Z-failed-2.28.1",
             "20260301T000000Z-before-2.28.1", "20260401T000000Z-before-v4.0.8", "20250101T000000Z-failed-2.26.0"]
    for name in names:
        (backups / name).mkdir(parents=True)
        (backups / name / DB).write_bytes(b"x")
    (backups / "notes-before-upgrade.txt").write_bytes(b"a file, not a set")
    backup.prune(backups, 2)
    assert sorted(p.name for p in backups.iterdir()) == sorted([*names[2:], "notes-before-upgrade.txt"])
    backup.prune(backups, 0)
    assert sorted(p.name for p in backups.iterdir()) == sorted(
        ["20260202T000000Z-failed-2.28.1", "20250101T000000Z-failed-2.26.0", "notes-before-upgrade.txt"])
    backup.prune(tmp_path / "none", 3)  # no backups folder yet: nothing to do


def test_usage_and_tree_bytes(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    assert backup.usage(backups) == {"count": 0, "bytes": 0, "failed": 0}
    one, failed = backups / "20260101T000000Z-before-2.28.0", backups / "20260102T000000Z-failed-2.28.1"
    (one / "messages").mkdir(parents=True)
    (one / "messages" / "a.xml").write_bytes(b"12345")
    (one / DB).write_bytes(b"1234567890")
    failed.mkdir()
    (failed / DB).write_bytes(b"123")
    (failed / "elsewhere").symlink_to(one, target_is_directory=True)  # never counted twice through a link
    (backups / "stray.txt").write_bytes(b"not a set")
    assert backup.usage(backups) == {"count": 2, "bytes": 18, "failed": 1}
    assert backup.tree_bytes(one) == 15 and backup.tree_bytes(one / DB) == 10
    assert backup.tree_bytes(tmp_path / "missing") == 0
