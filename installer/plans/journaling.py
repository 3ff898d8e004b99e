"""Opening and closing an operation's journal, with the boot-time recovery armed while it is open, and the
service XML staged for it in `.setup/staged/` (removed when the journal closes)."""

from __future__ import annotations

import shutil
from pathlib import Path

from installer import boot_recovery, phase
from installer.journal import Journal
from installer.layout import Layout
from installer.plans.context import OperationContext, to_document


def open_journal(layout: Layout, ctx: OperationContext) -> Journal:
    """Start the record of an operation, its context as a document; Windows will run /recover at its next start
    until it closes."""
    phase.began()
    journal = Journal(layout.journal_file, ctx.operation, to_document(ctx))
    journal.save()
    boot_recovery.arm(layout)
    return journal


def close_journal(layout: Layout, journal: Journal) -> None:
    journal.close()
    boot_recovery.disarm(layout)
    # What was staged for the operation goes with it (a staged XML may hold a service account's password).
    shutil.rmtree(layout.private / "staged", ignore_errors=True)


def staged_xml_path(layout: Layout) -> Path:
    return layout.private / "staged" / layout.xml.name


def stage_xml(ctx: OperationContext, xml: bytes) -> None:
    """The new XML waits in `.setup/staged/` until its step puts it in place (the context names it there)."""
    ctx.staged_xml.parent.mkdir(parents=True, exist_ok=True)
    ctx.staged_xml.write_bytes(xml)
