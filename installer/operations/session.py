"""What every verb that changes things does first: hold the folder, log into it, finish an interrupted
operation (CLI.md: "exactly as /recover does, and says so")."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from installer import folder_trust, keys, logsetup, phase, setup_files, takeover, task_runner
from installer import journal as journal_mod
from installer.errors import ExitCode, SetupError, first_line
from installer.layout import Layout
from installer.location import locate
from installer.lock import FolderLock
from installer.messages import t
from installer.plans import recovery
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
    # What the recovery at the start of this run did, if anything (see plans/recovery.finish_interrupted).
    recovered: dict[str, Any] | None = None
    # The folder did not exist before this run (an install makes it, and secures it on Windows).
    new_folder: bool = False

    def nothing_installed(self, verb: str) -> Result:
        """The answer of a verb that needs an installation where there is none (and nothing to adopt)."""
        return Result(verb=verb, exit_code=ExitCode.NOT_INSTALLED, result="not-installed",
                      message=t("upgrade.nothing_installed", folder=self.layout.root))

    def reload(self) -> None:
        located = locate(self.layout.root, self.settings)
        self.installed = located.installed
        if self.installed:
            self.layout = located.layout


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
    located = locate(folder, settings)
    layout, installed = located.layout, located.installed
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
        # A task that runs as a user is registered with its password, also by the undo of a recovery: the
        # run's /service-password is kept for that in memory only.
        task_runner.hand_password(layout.root, settings.service_password)
        if layout.journal_file.exists():
            phase.began()  # an earlier run's operation: finishing it is a change, refusing it is no prerequisite
        if journal_mod.load(layout.journal_file) is not None:
            try:
                session.recovered = recovery.finish_interrupted(session.layout, ui, said_by=verb)
            except SetupError:
                raise
            except Exception as exc:
                raise SetupError(ExitCode.ATTENTION, t("recover.failed", error=first_line(exc))) from exc
            session.reload()
        # A hand-made installation here: take it over first.
        if session.installed is None and takeover.adopt_first(settings, ui, session.layout, verb) is not None:
            session.reload()
        yield session
