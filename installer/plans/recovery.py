"""Finishing an operation a crash interrupted, as /recover and every changing verb do first.

One rule: if the new version had passed its health check, complete the commit; otherwise undo every step that
began, newest first, and check that the previous state is healthy again. The journal's operation names its plan
in `PLANS`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from installer import interrupts, setup_files
from installer import journal as journal_mod
from installer import state as state_mod
from installer.engine import Engine, Step
from installer.errors import ExitCode, SetupError
from installer.journal import Journal
from installer.layout import Layout
from installer.messages import t
from installer.plans import context, install, switch
from installer.plans.context import OperationContext
from installer.plans.journaling import close_journal
from installer.state import utc_now
from installer.ui import UI

log = logging.getLogger(__name__)

Plan = Callable[[Any, UI], list[Step]]
AfterUndo = Callable[[Any, UI], None]

# A journal's operation -> its plan, and what checks the previous version after an undo (None: nothing ran).
PLANS: dict[str, tuple[Plan, AfterUndo | None]] = {
    "install": (install.plan, None),
    "upgrade": (switch.plan, switch.after_undo),
    "rollback": (switch.plan, switch.after_undo),
    "repair": (switch.plan, switch.after_undo),
}


def finish_interrupted(layout: Layout, ui: UI, said_by: str) -> dict[str, Any] | None:
    """Finish or undo the operation in the journal; None when there is none. Raises exit 14 when it cannot."""
    journal = journal_mod.load(layout.journal_file)
    if journal is None:
        return None
    # The journal of this very process: the person's own cancelled run, not one found from before.
    key = "recover.finishing_own" if journal.pid == os.getpid() else "recover.found"
    summary = journal.summary()
    ui.warn(t(key, operation=journal.operation, old=summary["from"] or "-", new=summary["to"] or "-",
              verb="/" + said_by))
    if journal.operation not in PLANS:
        raise SetupError(ExitCode.ATTENTION, t("recover.unknown_operation", operation=journal.operation))
    ctx = typed_context(journal)
    make_plan, after_undo = PLANS[journal.operation]
    plan = make_plan(ctx, ui)
    engine = Engine(journal)
    if journal.healthy:
        engine.run(plan)
        action, version = "completed", ctx.to_version
    else:
        with interrupts.shielded():  # Ctrl+C while undoing only says to wait
            failures = engine.undo(plan)
            if failures:
                raise SetupError(ExitCode.ATTENTION, t("recover.undo_failed", operation=journal.operation,
                                                       steps=", ".join(n for n, _ in failures)))
            if after_undo is not None:
                after_undo(ctx, ui)
        action, version = "undone", ctx.from_version
    record = {"operation": journal.operation, "from": ctx.from_version, "to": ctx.to_version, "action": action,
              "version": version, "at": utc_now(), "by": "/" + said_by}
    _remember(layout, journal, record)
    close_journal(layout, journal)
    if said_by != "recover":  # /recover's own result says it once, at the end
        ui.success(said(record))
    return record


def typed_context(journal: Journal) -> OperationContext:
    """The journal's context rebuilt; a value it lacks or of the wrong kind is exit 14, a context of a newer
    format exit 10 (as every file of `.setup/`), nothing run."""
    try:
        number = context.document_format(journal.context)
        setup_files.refuse_newer(journal.path, number, context.FORMAT, journal.written_by)
        return context.from_document(journal.operation, journal.context)
    except context.UnreadableContext as missing:
        raise setup_files.damaged(journal.path, t("files.missing_field", field=str(missing)),
                                  t("files.remedy_journal")) from None


def _remember(layout: Layout, journal: Journal, record: dict[str, Any]) -> None:
    installed = state_mod.load(layout.state_file)
    if installed is None:
        return
    installed.last_recovery = record
    state_mod.save(layout.state_file, installed)


def said(record: dict[str, Any]) -> str:
    """What a finished recovery did, in one line."""
    if record["action"] == "undone" and not record["version"]:
        return t("recover.undone_install")
    return t(f"recover.{record['action']}", operation=record["operation"], version=record["version"] or "-")
