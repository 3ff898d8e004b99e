"""Backing up and restoring the admin's data around an upgrade.

The copy is made in two passes so the service is down as briefly as possible: a copy while the old version
still runs of everything it does not hold locked (H2's database is read only after the stop), then, once it has
stopped, the database and the files that changed since (size or modification time), and of a big file only the
blocks that differ. Links (symbolic links, junctions) are never followed.
A restore moves the data it replaces aside (never deletes it) and moves the backup back, item by item, so a
restore interrupted by a crash can simply be run again.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import stat
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from installer import fsutil

log = logging.getLogger(__name__)


# A changed file at least this big is brought up to date block by block: the database changes in places, and
# reading two copies from the page cache is faster than writing one anew while the service is down.
BLOCK_UPDATE_MIN = 4 * 1024 * 1024
BLOCK = 1024 * 1024


# H2 holds its database file locked while the service runs (FileChannel.tryLock: on Windows another process's
# read fails with ERROR_LOCK_VIOLATION): the first pass leaves it for the pass after the stop.
LOCKED_WHILE_RUNNING = frozenset({"integrasjonspunkt.mv.db"})
FILE_ATTRIBUTE_REPARSE_POINT = 0x400
# Another process holds the file (Windows: ERROR_ACCESS_DENIED 5, ERROR_SHARING_VIOLATION 32,
# ERROR_LOCK_VIOLATION 33); elsewhere a read refused with EACCES/EPERM.
_HELD_WINERRORS = frozenset({5, 32, 33})
# A database the datasource URL puts outside the install folder (another drive, D:\ipdata) is kept in a backup set
# under outside/<digest of its path>/, so two databases of the same name never meet. A rename cannot cross
# volumes (EXDEV; Windows ERROR_NOT_SAME_DEVICE 17): such an item is copied and then removed.
OUTSIDE = "outside"
_OTHER_VOLUME_WINERROR = 17


@dataclass
class SyncResult:
    written: int = 0  # bytes written
    links: list[str] = field(default_factory=list)  # symbolic links and junctions left out, never followed
    held: list[str] = field(default_factory=list)  # files another process held (first pass only)


def _same(src: os.stat_result, dest: os.stat_result) -> bool:
    return src.st_size == dest.st_size and src.st_mtime_ns == dest.st_mtime_ns


def _is_link(info: os.stat_result) -> bool:
    """A symbolic link, or on Windows any reparse point (a junction too): copying through it would read
    whatever it points at, perhaps a file only administrators may read."""
    return stat.S_ISLNK(info.st_mode) or bool(getattr(info, "st_file_attributes", 0) & FILE_ATTRIBUTE_REPARSE_POINT)


def _held(exc: OSError) -> bool:
    return isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in _HELD_WINERRORS


def _update_blocks(src: str, dest: str) -> int:
    """Make `dest` equal to `src` by rewriting only the blocks that differ; returns the bytes written."""
    written = 0
    with open(src, "rb", buffering=0) as source, open(dest, "r+b", buffering=0) as target:
        offset = 0
        while chunk := source.read(BLOCK):
            if target.read(len(chunk)) != chunk:
                target.seek(offset)
                target.write(chunk)
                written += len(chunk)
            offset += len(chunk)
        target.truncate(offset)
    shutil.copystat(src, dest)
    return written


def _sync_file(src: str, source: os.stat_result, dest: str) -> int:
    """Bring `dest` up to date with `src` (whose stat is `source`); returns the bytes written."""
    try:
        current = os.stat(dest, follow_symlinks=False)
    except FileNotFoundError:
        current = None
    if current is not None and stat.S_ISREG(current.st_mode):
        if _same(source, current):
            return 0
        if source.st_size >= BLOCK_UPDATE_MIN:
            return _update_blocks(src, dest)
    elif current is not None:
        _remove(dest)  # a folder or link where the source now has a file: copying would go into or through it
    shutil.copy2(src, dest, follow_symlinks=False)
    return source.st_size


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        fsutil.rmtree(path)
    else:
        fsutil.unlink(path, missing_ok=False)


class _Pass:
    """One backup pass. `running`: the service still runs, so a file another process holds is left for the
    pass after the stop (its earlier copy, if any, stays) instead of failing the pass."""

    def __init__(self, running: bool) -> None:
        self.running = running
        self.result = SyncResult()

    def file(self, src: str, info: os.stat_result, dest: str) -> None:
        try:
            began = time.monotonic()
            written = _sync_file(src, info, dest)
            self.result.written += written
            if info.st_size >= BLOCK_UPDATE_MIN:
                # A big file's copy is most of a pass; after the stop it is inside the service's downtime.
                log.info("%s: %d of %d bytes written in %.3f s", src, written, info.st_size,
                         time.monotonic() - began)
        except OSError as exc:
            if not (self.running and _held(exc)):
                raise
            log.info("%s is held by another process: copied after the stop (%s)", src, exc)
            self.result.held.append(src)

    def link(self, path: str) -> None:
        log.warning("%s is a link: left out of the backup, never followed", path)
        self.result.links.append(path)

    def folder(self, src: str, dest: str) -> None:
        """Make the folder `dest` equal to `src`: files copied or brought up to date, what `src` no longer has
        removed. Walked with scandir: on Windows its entries carry their sizes and times, so the thousands of
        message files cost no extra call each."""
        if os.path.lexists(dest) and (os.path.islink(dest) or not os.path.isdir(dest)):
            _remove(dest)
        os.makedirs(dest, exist_ok=True)
        seen: set[str] = set()
        with os.scandir(src) as entries:
            for entry in entries:
                target = os.path.join(dest, entry.name)
                info = entry.stat(follow_symlinks=False)
                if _is_link(info):
                    self.link(entry.path)
                elif stat.S_ISDIR(info.st_mode):
                    seen.add(entry.name)
                    self.folder(entry.path, target)
                elif stat.S_ISREG(info.st_mode):
                    seen.add(entry.name)
                    self.file(entry.path, info, target)
        with os.scandir(dest) as entries:
            stale = [entry.path for entry in entries if entry.name not in seen]
        for path in stale:
            _remove(path)


def sync(items: list[Path], dest_dir: Path, *, running: bool = False,
         locked: Collection[Path] = ()) -> SyncResult:
    """Make `dest_dir/<name>` equal to each item (file or folder) that exists. What the source no longer has is
    removed under `dest_dir`, so the result is an exact copy. Links are never followed, at any level: they are
    left out and listed. `running`: the first pass while the service runs; it leaves out what the service holds
    locked (LOCKED_WHILE_RUNNING, the databases in `locked`, and any file whose read another process refuses)."""
    one = _Pass(running)
    dest_dir.mkdir(parents=True, exist_ok=True)
    for item in items:
        dest = dest_dir / item.name
        if running and (item.name in LOCKED_WHILE_RUNNING or item in locked):
            continue
        try:
            info = item.stat(follow_symlinks=False)
        except FileNotFoundError:
            info = None
        if info is not None and _is_link(info):
            one.link(str(item))
        elif info is not None and stat.S_ISREG(info.st_mode):
            one.file(str(item), info, str(dest))
            continue
        elif info is not None and stat.S_ISDIR(info.st_mode):
            one.folder(str(item), str(dest))
            continue
        if dest.exists() or dest.is_symlink():
            # Gone from the source since the first pass, or a link now.
            _remove(str(dest))
    return one.result


def seed_locked(items: list[Path], dest_dir: Path, sets: Path, *, within: str = "",
                locked: Collection[Path] = ()) -> int:
    """Before the first pass: give each locked item (the database) a starting copy from the newest earlier
    backup set that has it, so that the pass after the stop rewrites only the blocks that differ instead of
    writing the whole file while the service is down. Copied without its time stamps, so that pass always
    compares the blocks. `within`: the item's place inside a set (see `places`). Returns the bytes copied."""
    copied = 0
    for item in items:
        dest = dest_dir / within / item.name
        if item.name not in LOCKED_WHILE_RUNNING and item not in locked:
            continue
        if os.path.lexists(dest) or not sets.is_dir():
            continue
        earlier = []
        for one in sets.iterdir():
            candidate = one / within / item.name
            try:
                info = candidate.stat(follow_symlinks=False)
            except OSError:
                continue
            if one != dest_dir and stat.S_ISREG(info.st_mode) and not _is_link(one.lstat()):
                earlier.append((info.st_mtime_ns, candidate))
        if earlier:
            seed = max(earlier)[1]
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(seed, dest, follow_symlinks=False)
            copied += os.path.getsize(dest)
            log.info("%s starts from the copy in %s; after the stop only its changed blocks are written", dest,
                     seed.parent)
    return copied


def places(items: list[Path], folder: Path) -> dict[str, list[Path]]:
    """The items by their place inside a backup set: "" for what lies in the install folder, beside each other;
    `outside/<digest>` for each database elsewhere."""
    root = Path(os.path.abspath(folder))
    result: dict[str, list[Path]] = {}
    for item in items:
        path = Path(os.path.abspath(item))
        if path.is_relative_to(root):
            result.setdefault("", []).append(item)
        else:
            digest = hashlib.sha256(os.path.normcase(str(path)).encode("utf-8", "surrogatepass")).hexdigest()[:16]
            result.setdefault(f"{OUTSIDE}/{digest}", []).append(item)
    return result


def _other_volume(exc: OSError) -> bool:
    return exc.errno == errno.EXDEV or getattr(exc, "winerror", None) == _OTHER_VOLUME_WINERROR


def _move(src: Path, dest: Path) -> None:
    """A rename; across volumes a copy to `dest`'s folder (placed by a rename there) and then the source
    removed, so an interruption leaves the source whole."""
    try:
        fsutil.replace(src, dest)
        return
    except OSError as exc:
        if not _other_volume(exc):
            raise
    partial = dest.with_name(dest.name + ".partial")
    if os.path.lexists(partial):
        _remove(str(partial))
    if src.is_dir() and not src.is_symlink():
        shutil.copytree(src, partial, symlinks=True)
    else:
        shutil.copy2(src, partial, follow_symlinks=False)
    fsutil.replace(partial, dest)
    _remove(str(src))
    log.info("moved %s to %s (another volume: copied, then removed)", src, dest)


def move_aside(items: list[Path], aside_dir: Path) -> None:
    """Move each existing item into `aside_dir` (a rename on the same volume: instant, nothing deleted)."""
    for item in items:
        if item.exists() or item.is_symlink():
            aside_dir.mkdir(parents=True, exist_ok=True)
            target = aside_dir / item.name
            if target.exists():
                log.warning("%s is already set aside in %s; keeping both", item.name, aside_dir)
                target = aside_dir / (item.name + ".1")
            _move(item, target)


def restore(items: list[Path], backup_dir: Path, aside_dir: Path) -> None:
    """Put the data of `backup_dir` back in place of `items`: what is there now goes to `aside_dir`.
    Safe to run again after an interruption: each item is moved at most once each way."""
    for item in items:
        saved = backup_dir / item.name
        if (item.exists() or item.is_symlink()) and not (aside_dir / item.name).exists():
            aside_dir.mkdir(parents=True, exist_ok=True)
            _move(item, aside_dir / item.name)
        elif item.exists() and saved.exists():
            # Set aside already (an earlier, interrupted restore) and something new appeared since.
            move_aside([item], aside_dir / "later")
        if saved.exists() and not item.exists():
            item.parent.mkdir(parents=True, exist_ok=True)
            _move(saved, item)
    log.info("restored %s from %s; the replaced data is in %s", ", ".join(i.name for i in items), backup_dir,
             aside_dir)


def prune(backups: Path, keep: int) -> None:
    """Keep the newest `keep` before-upgrade sets; failed sets are never pruned (they hold the only copy of
    what a failed version wrote)."""
    if not backups.is_dir():
        return
    before = sorted((p for p in backups.iterdir() if p.is_dir() and "-before-" in p.name), key=lambda p: p.name)
    for old in before[:-keep] if keep > 0 else before:
        log.info("pruning old backup %s", old)
        shutil.rmtree(old, ignore_errors=True)


def tree_bytes(path: Path) -> int:
    """Bytes of the files in `path` (a file or a folder); unreadable entries count nothing."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name), follow_symlinks=False).st_size
            except OSError:
                continue
    return total


def usage(backups: Path) -> dict[str, int]:
    """How many backup sets the folder keeps and their bytes; `failed` sets are never pruned by setup."""
    sets = [p for p in backups.iterdir() if p.is_dir()] if backups.is_dir() else []
    return {"count": len(sets), "bytes": sum(tree_bytes(p) for p in sets),
            "failed": sum(1 for p in sets if "-failed-" in p.name)}
