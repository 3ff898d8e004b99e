"""What every verb that changes things does first: hold the folder, log into it, finish an interrupted
operation (CLI.md: "exactly as /recover does, and says so")."""

from __future__ import annotations

import contextlib
import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from installer import boot_recovery, folder_trust, keys, logsetup, phase, setup_files, state
from installer import journal as journal_mod
from installer.errors import ExitCode, SetupError, first_line
from installer.journal import Journal
from installer.layout import Layout
from installer.lock import FolderLock
from installer.messages import t
from installer.result import Result
from installer.settings import Settings, require_dir
from installer.state import State
from installer.ui import UI

log = logging.getLogger(__name__)


@dataclass
class Session:
    settings: Settings
    ui: UI
    layout: Layout
    installed: State | None
    # What the recovery at the start of this run did, if anything (see recover.finish_interrupted).
    recovered: dict[str, Any] | None = None
    # The folder did not exist before this run (an install makes it, and secures it on Windows).
    new_folder: bool = False

    def nothing_installed(self, verb: str) -> Result:
        """The answer of a verb that needs an installation where there is none (and nothing to adopt)."""
        return Result(verb=verb, exit_code=ExitCode.NOT_INSTALLED, result="not-installed",
                      message=t("upgrade.nothing_installed", folder=self.layout.root))

    def reload(self) -> None:
        self.installed = state.load(self.layout.state_file)
        if self.installed:
            self.layout = layout_for(self.settings, self.installed)


def layout_for(settings: Settings, installed: State | None) -> Layout:
    folder = require_dir(settings)
    if installed:
        return Layout(folder, installed.service_id, installed.service_base)
    return Layout(folder, settings.service_id)


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


def attach_log(layout: Layout) -> None:
    if layout.root.is_dir():
        setup_files.refuse_links(layout.root)  # a link at the log would make setup write elsewhere
        logsetup.attach_file(layout.setup_log)


@contextlib.contextmanager
def changing(settings: Settings, ui: UI, verb: str, *, create: bool = False) -> Iterator[Session]:
    """Hold the folder for a changing verb. The folder is created only when `create` (an install)."""
    folder = require_dir(settings)
    verdict = folder_trust.check(folder)
    if not verdict.trusted:  # nothing is read from it, nothing changed (CLI.md "Trust")
        raise SetupError(ExitCode.PREREQUISITES, verdict.message(folder, verb))
    if folder.is_dir():
        setup_files.refuse_links(folder)
    installed = state.load(Layout(folder).state_file) if folder.is_dir() else None
    layout = layout_for(settings, installed)
    if not folder.is_dir() and not create:
        yield Session(settings, ui, layout, None)
        return
    new_folder = not folder.exists()
    if new_folder:
        folder_trust.create(folder)  # locked down before the lock file and the log are written
    with FolderLock(layout.lock_file, verb):
        attach_log(layout)
        keys.log_expiring(settings, [layout.private / keys.FOLDER])
        session = Session(settings, ui, layout, installed, new_folder=new_folder)
        if layout.journal_file.exists():
            phase.began()  # an earlier run's operation: finishing it is a change, refusing it is no prerequisite
        if journal_mod.load(layout.journal_file) is not None:
            from installer.operations import recover

            try:
                session.recovered = recover.finish_interrupted(session, said_by=verb)
            except SetupError:
                raise
            except Exception as exc:
                raise SetupError(ExitCode.ATTENTION, t("recover.failed", error=first_line(exc)
                                                       if str(exc) else type(exc).__name__)) from exc
            session.reload()
        from installer.operations import adopt

        if verb in adopt.ADOPTED_FIRST:
            adopt.adopt_first(session, verb)  # a hand-made installation here: take it over first
        yield session
