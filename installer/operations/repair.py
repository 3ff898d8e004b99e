"""/repair: rewrite the XML and the service registration for the installed version, start it and health-check
it – the same journaled steps as an upgrade to the version already installed, so a failed repair puts back
what was there."""

from __future__ import annotations

from installer.messages import t
from installer.operations import preflight, switching
from installer.operations.session import Session, changing
from installer.plans.context import SwitchContext
from installer.plans.journaling import stage_xml
from installer.releases import release_for_tag
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI


def run(settings: Settings, ui: UI) -> Result:
    with changing(settings, ui, "repair") as session:
        if session.installed is None:
            return session.nothing_installed("repair")
        return repair_in(session)


def repair_in(session: Session) -> Result:
    """The repair in a held folder with an installation (also what /upgrade does when there is nothing newer and
    the service's Java is gone)."""
    installed, settings, ui = session.installed, session.settings, session.ui
    assert installed is not None
    tag = installed.version
    ui.info(t("repair.target", version=tag, folder=session.layout.root))
    release = release_for_tag(tag)
    prepared = preflight.prepare(settings, session.layout, ui, release, installed, reuse_jar=True)
    values, new_xml = switching.fields(session, prepared, repairing=True)
    ctx = SwitchContext.repair(exe_present=session.layout.exe.exists(), **values)
    stage_xml(ctx, new_xml)
    return switching.execute(session, ctx, ui)
