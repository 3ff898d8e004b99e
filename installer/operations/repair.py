"""/repair: rewrite the XML and the service registration for the installed version, start it and health-check
it – the same journaled steps as an upgrade to the version already installed, so a failed repair puts back
what was there."""

from __future__ import annotations

from installer.messages import t
from installer.operations import preflight, switching
from installer.operations.session import Session, changing
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
    ctx = switching.context(session, prepared, repairing=True)
    ctx["operation"] = "repair"
    if not session.layout.exe.exists() and prepared.winsw_exe is None:
        ctx["winsw_cache"] = None
    return switching.execute(session, ctx, ui)
