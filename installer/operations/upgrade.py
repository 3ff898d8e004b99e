"""/upgrade SPEC: move the running installation to a new version; roll back on its own when the new version
does not come up healthy (exit 13, the previous version running), or say exactly what is wrong (exit 14)."""

from __future__ import annotations

import logging

from installer import java, resolution
from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.operations import preflight, repair, switching
from installer.operations.session import Session, changing
from installer.plans import switch
from installer.plans.context import SwitchContext
from installer.plans.journaling import stage_xml
from installer.releases import Release, release_for_tag
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI

log = logging.getLogger(__name__)


def run(settings: Settings, ui: UI, release: Release | None = None) -> Result:
    """/upgrade: prepare and execute while the folder is held. `release`: the target already resolved (the
    wizard's answer, shown before it asked); else resolved here from the spec."""
    with changing(settings, ui, "upgrade") as session:
        if session.installed is None:
            return session.nothing_installed("upgrade")
        prepared = prepare(session, release)
        if isinstance(prepared, Result):
            return prepared
        return execute(session, prepared)


def prepare(session: Session, release: Release | None = None) -> preflight.Prepared | Result:
    """The target release, downloaded and checked, before anything changes; a Result when there is nothing to
    upgrade to (or a Java to heal)."""
    settings, ui, installed = session.settings, session.ui, session.installed
    assert installed is not None
    if release is None:
        try:
            release = preflight.resolve(settings, installed, ui)
        except resolution.NothingToDo as nothing:
            return _nothing_newer(session, str(nothing))
    current = release_for_tag(installed.version).version
    if release.version == current:
        return _nothing_newer(session, t("upgrade.already", version=installed.version))
    if release.version < current and not settings.allow_downgrade:
        raise SetupError(ExitCode.ARTIFACT, t("upgrade.downgrade", version=release.tag,
                                              installed=installed.version))
    ui.info(t("upgrade.target", old=installed.version, new=release.tag, folder=session.layout.root))
    line = switch.crosses_data_line(release.tag, installed.version)
    if line:
        ui.warn(t("upgrade.data_line", old=installed.version, new=release.tag, line=line,
                  backups=session.layout.backups))
    return preflight.prepare(settings, session.layout, ui, release, installed)


def execute(session: Session, prepared: preflight.Prepared) -> Result:
    """The switch to the prepared release: journaled steps, health check, rollback on failure."""
    values, new_xml = switching.fields(session, prepared)
    ctx = SwitchContext.upgrade(**values)
    stage_xml(ctx, new_xml)
    return switching.execute(session, ctx, session.ui)


def _nothing_newer(session: Session, why: str) -> Result:
    """Nothing to upgrade to; but a service whose Java a Java update removed is healed (a repair picks an
    installed Java of its line): an unattended /upgrade on a schedule would otherwise leave it down for good."""
    installed = session.installed
    assert installed is not None
    gone = java.vanished_service_java(session.layout.xml)
    if gone is None:
        return Result(verb="upgrade", result="nothing-to-do", version=installed.version, message=why)
    session.ui.warn(t("upgrade.heals_java", reason=why, java=gone))
    return repair.repair_in(session)
