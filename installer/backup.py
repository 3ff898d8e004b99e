"""Backing up and restoring the admin's data around an upgrade.

The copy is made in two passes so the service is down as briefly as possible: a full copy while the old
version still runs, then, once it has stopped, only the files that changed since (size or modification time).
A restore moves the data it replaces aside (never deletes it) and moves the backup back, item by item, so a
restore interrupted by a crash can simply be run again.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)


def _same(src: os.stat_result, dest: os.stat_result) -> bool:
    return src.st_size == dest.st_size and src.st_mtime_ns == dest.st_mtime_ns


def _sync_file(src: Path, dest: Path) -> int:
    try:
        if _same(src.stat(), dest.stat()):
            return 0
    except FileNotFoundError:
        pass
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)
    return src.stat().st_size


def sync(items: list[Path], dest_dir: Path) -> int:
    """Make `dest_dir/<name>` equal to each item (file or folder) that exists; return the bytes copied.
    Files under `dest_dir` that the source no longer has are removed, so the result is an exact copy."""
    copied = 0
    dest_dir.mkdir(parents=True, exist_ok=True)
    for item in items:
        dest = dest_dir / item.name
        if item.is_file():
            copied += _sync_file(item, dest)
        elif item.is_dir():
            seen: set[Path] = set()
            for root, _dirs, files in os.walk(item):
                rel_root = Path(root).relative_to(item)
                (dest / rel_root).mkdir(parents=True, exist_ok=True)
                for name in files:
                    seen.add(rel_root / name)
                    copied += _sync_file(Path(root) / name, dest / rel_root / name)
            for root, _dirs, files in os.walk(dest):
                rel_root = Path(root).relative_to(dest)
                for name in files:
                    if rel_root / name not in seen:
                        (Path(root) / name).unlink()
        elif dest.exists():
            # Gone from the source since the first pass.
            shutil.rmtree(dest) if dest.is_dir() else dest.unlink()
    return copied


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
