"""/repair: rewrite the XML and the service registration for the installed version, start it and health-check
it – the same journaled steps as an upgrade to the version already installed, so a failed repair puts back
what was there."""

from __future__ import annotations

from installer.messages import t
from installer.operations import preflight, switching
from installer.operations.session import changing
from installer.releases import release_for_tag
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI


def run(settings: Settings, ui: UI) -> Result:
    with changing(settings, ui, "repair") as session:
        installed = session.installed
        if installed is None:
            return session.nothing_installed("repair")
        tag = installed.version
        ui.info(t("repair.target", version=tag, folder=session.layout.root))
        release = release_for_tag(tag)
        prepared = preflight.prepare(settings, session.layout, ui, release, installed, reuse_jar=True)
        ctx = switching.context(session, prepared, repairing=True)
        ctx["operation"] = "repair"
        if not session.layout.exe.exists() and prepared.winsw_exe is None:
            ctx["winsw_cache"] = None
        return switching.execute(session, ctx, ui)
