"""Opening and closing an operation's journal, with the boot-time recovery armed while it is open."""

from __future__ import annotations

import shutil
from typing import Any

from installer import boot_recovery, phase
from installer.journal import Journal
from installer.layout import Layout


def open_journal(layout: Layout, operation: str, ctx: dict[str, Any]) -> Journal:
    """Start the record of an operation; Windows will run /recover at its next start until it closes."""
    phase.began()
    journal = Journal(layout.journal_file, operation, ctx)
    journal.save()
    boot_recovery.arm(layout)
    return journal


def close_journal(layout: Layout, journal: Journal) -> None:
    journal.close()
    boot_recovery.disarm(layout)
    # What was staged for the operation goes with it (a staged XML may hold a service account's password).
    shutil.rmtree(layout.private / "staged", ignore_errors=True)
