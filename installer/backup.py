"""Backing up and restoring the admin's data around an upgrade.

The copy is made in two passes so the service is down as briefly as possible: a full copy while the old
version still runs, then, once it has stopped, only the files that changed since (size or modification time),
and of a big file only the blocks that differ.
A restore moves the data it replaces aside (never deletes it) and moves the backup back, item by item, so a
restore interrupted by a crash can simply be run again.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
from pathlib import Path

log = logging.getLogger(__name__)


# A changed file at least this big is brought up to date block by block: the database changes in places, and
# reading two copies from the page cache is faster than writing one anew while the service is down.
BLOCK_UPDATE_MIN = 4 * 1024 * 1024
BLOCK = 1024 * 1024


def _same(src: os.stat_result, dest: os.stat_result) -> bool:
    return src.st_size == dest.st_size and src.st_mtime_ns == dest.st_mtime_ns


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
    shutil.copy2(src, dest)
    return source.st_size


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _sync_dir(src: str, dest: str) -> int:
    """Make the folder `dest` equal to `src`: files copied or brought up to date, what `src` no longer has
    removed. Walked with scandir: on Windows its entries carry their sizes and times, so the thousands of
    message files cost no extra call each."""
    if os.path.lexists(dest) and (os.path.islink(dest) or not os.path.isdir(dest)):
        _remove(dest)
    os.makedirs(dest, exist_ok=True)
    written = 0
    seen: set[str] = set()
    with os.scandir(src) as entries:
        for entry in entries:
            target = os.path.join(dest, entry.name)
            if entry.is_dir(follow_symlinks=False):
                seen.add(entry.name)
                written += _sync_dir(entry.path, target)
            elif entry.is_file():
                seen.add(entry.name)
                written += _sync_file(entry.path, entry.stat(), target)
    with os.scandir(dest) as entries:
        stale = [entry.path for entry in entries if entry.name not in seen]
    for path in stale:
        _remove(path)
    return written


def sync(items: list[Path], dest_dir: Path) -> int:
    """Make `dest_dir/<name>` equal to each item (file or folder) that exists; return the bytes written.
    What the source no longer has is removed under `dest_dir`, so the result is an exact copy."""
    written = 0
    dest_dir.mkdir(parents=True, exist_ok=True)
    for item in items:
        dest = dest_dir / item.name
        if item.is_file():
            written += _sync_file(str(item), item.stat(), str(dest))
        elif item.is_dir():
            written += _sync_dir(str(item), str(dest))
        elif dest.exists() or dest.is_symlink():
            # Gone from the source since the first pass.
            _remove(str(dest))
    return written


def move_aside(items: list[Path], aside_dir: Path) -> None:
    """Move each existing item into `aside_dir` (a rename on the same volume: instant, nothing deleted)."""
    for item in items:
        if item.exists() or item.is_symlink():
            aside_dir.mkdir(parents=True, exist_ok=True)
            target = aside_dir / item.name
            if target.exists():
                log.warning("%s is already set aside in %s; keeping both", item.name, aside_dir)
                target = aside_dir / (item.name + ".1")
            os.replace(item, target)


def restore(items: list[Path], backup_dir: Path, aside_dir: Path) -> None:
    """Put the data of `backup_dir` back in place of `items`: what is there now goes to `aside_dir`.
    Safe to run again after an interruption: each item is moved at most once each way."""
    for item in items:
        saved = backup_dir / item.name
        if (item.exists() or item.is_symlink()) and not (aside_dir / item.name).exists():
            aside_dir.mkdir(parents=True, exist_ok=True)
            os.replace(item, aside_dir / item.name)
        elif item.exists() and saved.exists():
            # Set aside already (an earlier, interrupted restore) and something new appeared since.
            move_aside([item], aside_dir / "later")
        if saved.exists() and not item.exists():
            os.replace(saved, item)
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
