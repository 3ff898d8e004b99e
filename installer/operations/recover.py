"""/recover, and the recovery every changing verb runs first: finish an operation a crash interrupted.

One rule: if the new version had passed its health check, complete the commit; otherwise undo every step that
began, newest first, and check that the previous state is healthy again.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from installer import interrupts
from installer import journal as journal_mod
from installer import state as state_mod
from installer.engine import Engine, Step
from installer.errors import ExitCode, SetupError
from installer.journal import Journal
from installer.messages import t
from installer.operations.session import Session, changing, close_journal
from installer.result import Result
from installer.settings import Settings
from installer.state import utc_now
from installer.ui import UI

log = logging.getLogger(__name__)


def _module(operation: str) -> Any:
    # Explicit imports (PyInstaller cannot follow imports by string).
    if operation == "install":
        from installer.operations import install as module
    elif operation == "upgrade":
        from installer.operations import upgrade as module
    elif operation == "rollback":
        from installer.operations import rollback as module
    elif operation == "repair":
        from installer.operations import repair as module
    else:
        raise SetupError(ExitCode.ATTENTION, t("recover.unknown_operation", operation=operation))
    return module


def finish_interrupted(session: Session, said_by: str) -> dict[str, Any] | None:
    """Finish or undo the operation in the journal; None when there is none. Raises exit 14 when it cannot."""
    journal = journal_mod.load(session.layout.journal_file)
    if journal is None:
        return None
    ui = session.ui
    ctx = journal.context
    # The journal of this very process: the person's own cancelled run, not one found from before.
    key = "recover.finishing_own" if journal.pid == os.getpid() else "recover.found"
    ui.warn(t(key, operation=journal.operation, old=ctx.get("from") or "-", new=ctx.get("to") or "-",
              verb="/" + said_by))
    module = _module(journal.operation)
    plan: list[Step] = module.plan(ctx, ui)
    engine = Engine(journal)
    if journal.healthy:
        engine.run(plan)
        action, version = "completed", ctx.get("to")
    else:
        with interrupts.shielded():  # Ctrl+C while undoing only says to wait
            failures = engine.undo(plan)
            if failures:
                raise SetupError(ExitCode.ATTENTION, t("recover.undo_failed", operation=journal.operation,
                                                       steps=", ".join(n for n, _ in failures)))
            after_undo = getattr(module, "after_undo", None)
            if after_undo is not None:
                after_undo(ctx, ui)
        action, version = "undone", ctx.get("from")
    record = {"operation": journal.operation, "from": ctx.get("from"), "to": ctx.get("to"), "action": action,
              "version": version, "at": utc_now(), "by": "/" + said_by}
    _remember(session, journal, record)
    close_journal(session.layout, journal)
    if said_by != "recover":  # /recover's own result says it once, at the end
        ui.success(_said(record))
    return record


def _remember(session: Session, journal: Journal, record: dict[str, Any]) -> None:
    installed = state_mod.load(session.layout.state_file)
    if installed is None:
        return
    installed.last_recovery = record
    state_mod.save(session.layout.state_file, installed)


def run(settings: Settings, ui: UI) -> Result:
    with changing(settings, ui, "recover") as session:
        record = session.recovered
    if record is None:
        return Result(verb="recover", result="nothing-to-do", message=t("recover.nothing"))
    return Result(verb="recover", version=record["version"], result=record["action"], old=record["from"],
                  new=record["to"], extra={"recovered": record},
                  message=_said(record))


def _said(record: dict[str, Any]) -> str:
    if record["action"] == "undone" and not record["version"]:
        return t("recover.undone_install")
    return t(f"recover.{record['action']}", operation=record["operation"], version=record["version"] or "-")
