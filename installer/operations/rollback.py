"""/rollback: back to the previous version in the state file, with the same steps and checks as an upgrade.

The data stays as it is unless /restore-data brings back the backup taken before the upgrade being undone
(the current data is moved aside, never deleted). Across a data-format line (H2 2.2 / ActiveMQ 5.16.7 came
with 2.24.0) the older version cannot read what the newer one wrote, so that rollback needs /restore-data.
"""

from __future__ import annotations

from pathlib import Path

from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.operations import preflight, switching
from installer.operations.session import Session, changing
from installer.plans import switch
from installer.plans.context import SwitchContext
from installer.plans.journaling import stage_xml
from installer.releases import release_for_tag
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI


def run(settings: Settings, ui: UI) -> Result:
    with changing(settings, ui, "rollback") as session:
        installed = session.installed
        if installed is None:
            return session.nothing_installed("rollback")
        if not installed.previous_versions:
            return Result(verb="rollback", exit_code=ExitCode.NOT_INSTALLED, result="nothing-to-roll-back",
                          version=installed.version, message=t("rollback.nothing", version=installed.version))
        older = installed.previous_versions[0]
        restore_from = _backup_before(session, older) if settings.restore_data else None
        line = switch.crosses_data_line(installed.version, older)
        if line and not settings.restore_data:
            raise SetupError(ExitCode.PREREQUISITES, t("rollback.data_line", new=installed.version, old=older,
                                                       line=line))
        ui.info(t("rollback.target", old=installed.version, new=older, folder=session.layout.root))
        release = release_for_tag(older)
        prepared = preflight.prepare(settings, session.layout, ui, release, installed, reuse_jar=True)
        values, new_xml = switching.fields(session, prepared)
        ctx = SwitchContext.rollback(restore_from=restore_from, **values)
        stage_xml(ctx, new_xml)
        return switching.execute(session, ctx, ui)


def _backup_before(session: Session, older: str) -> Path:
    """The newest backup taken before the upgrade from `older` (named `<time>-before-<older>`)."""
    backups = session.layout.backups
    found = sorted(p for p in backups.glob(f"*-before-{older}") if p.is_dir()) if backups.is_dir() else []
    if not found or not any(found[-1].iterdir()):
        raise SetupError(ExitCode.PREREQUISITES, t("rollback.no_backup", version=older, folder=backups))
    return found[-1]

