"""An integrasjonspunkt data set of a chosen size, shaped like a real one: one big H2 database
(`integrasjonspunkt.mv.db`), ActiveMQ's KahaDB journal files (`activemq-data/`), and many small message files
(`messages/`). While the old version runs, `LiveWriter` changes it the way a running service does."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

MIB = 1024 * 1024
DB = "integrasjonspunkt.mv.db"
KAHADB = Path("activemq-data") / "localhost" / "KahaDB"
MESSAGE_SIZE = 64 * 1024
JOURNAL_SIZE = 32 * MIB
ITEMS = (DB, "activemq-data", "messages")


def _fill(path: Path, size: int, block: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as handle:
        left = size
        while left > 0:
            piece = block[: min(left, len(block))]
            handle.write(piece)
            left -= len(piece)


def create(folder: Path, database: int, side: int) -> int:
    """Grow `folder`'s database to `database` bytes and add `side` bytes besides: half KahaDB journal files,
    half messages in 64 subfolders. The stand-in's own lines stay at the start of the database. Returns the
    bytes of the data items."""
    block = os.urandom(MIB)
    _fill(folder / DB, database - (folder / DB).stat().st_size, block)
    journals = max(1, side // 2 // JOURNAL_SIZE)
    journal_size = side // 2 // journals
    for n in range(1, journals + 1):
        _fill(folder / KAHADB / f"db-{n}.log", journal_size, block)
    _fill(folder / KAHADB / "db.data", MIB, block)
    count = max(1, side // 2 // MESSAGE_SIZE)
    for n in range(count):
        message = folder / "messages" / f"{n % 64:02d}" / f"{n:06d}.xml"
        message.parent.mkdir(parents=True, exist_ok=True)
        message.write_bytes(block[(n * 4096) % MIB:][:MESSAGE_SIZE].ljust(MESSAGE_SIZE, b"\0"))
    return size_of(folder)


def size_of(folder: Path) -> int:
    total = 0
    for name in ITEMS:
        item = folder / name
        if item.is_file():
            total += item.stat().st_size
        for root, _dirs, files in os.walk(item):
            total += sum((Path(root) / f).stat().st_size for f in files)
    return total


def remove(folder: Path, db_size: int) -> None:
    """Take the data set out again: the database back to `db_size` bytes (what it was before `create`)."""
    with (folder / DB).open("r+b") as handle:
        handle.truncate(db_size)
    for name in ("activemq-data", "messages"):
        shutil.rmtree(folder / name, ignore_errors=True)


def cp_file_seconds(path: Path, scratch: Path) -> float:
    """`cp` of one file to a scratch folder (the copy removed again): the disk's own copy speed, for comparison."""
    scratch.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    subprocess.run(["cp", str(path), str(scratch / path.name)], check=True)
    seconds = time.monotonic() - began
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds


class LiveWriter:
    """Writes as the service does while `running()` holds: a database page and a journal record appended and a
    new message file every 100 ms. It stops for good the first time `running()` is false."""

    def __init__(self, folder: Path, running: Callable[[], bool]) -> None:
        self.folder = folder
        self.running = running
        self.writes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-writer", daemon=True)

    def _run(self) -> None:
        journal = sorted((self.folder / KAHADB).glob("db-*.log"))[-1]
        while not self._stop.wait(0.1) and self.running():
            page = os.urandom(4096)
            with (self.folder / DB).open("r+b") as handle:
                handle.seek(-64 * 1024, os.SEEK_END)
                handle.write(page)
            with journal.open("ab") as handle:
                handle.write(page)
            (self.folder / "messages" / "live").mkdir(exist_ok=True)
            (self.folder / "messages" / "live" / f"{time.time_ns()}.xml").write_bytes(page)
            self.writes += 1

    def __enter__(self) -> LiveWriter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
