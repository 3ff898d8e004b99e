"""/check [SPEC]: the prerequisites of installing SPEC (without SPEC: the installed version, else `latest`),
and nothing else – it never creates the folder, writes no log there and changes nothing.

Exit 0 when every check passes (warnings allowed), 10 otherwise. For tools, `/json` carries the findings.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from installer import folder_trust, keys, prereqs, properties, resolution, state
from installer.errors import ExitCode
from installer.layout import Layout
from installer.messages import t
from installer.releases import Release, release_for_tag
from installer.result import Result
from installer.settings import Settings, require_dir
from installer.ui import UI

log = logging.getLogger(__name__)


def _installed(settings: Settings, trusted: bool) -> state.State | None:
    if not trusted:
        return None  # another account could have written the state file: checked as for a new install
    # A damaged state file, or one from a newer setup, ends /check too: it names the file and what to do.
    return state.load(Layout(require_dir(settings)).state_file)


def _target(settings: Settings, installed: state.State | None) -> Release:
    if settings.spec is None and installed is not None:
        # The installed version's line is known here: no need to ask the network.
        return release_for_tag(installed.version)
    return resolution.resolve_for(settings, settings.spec, installed)


def run(settings: Settings, ui: UI) -> Result:
    verdict = folder_trust.check(require_dir(settings))
    installed = _installed(settings, verdict.trusted)
    layout = Layout(require_dir(settings), settings.service_id, installed.service_base if installed else None)
    keys.log_expiring(settings, [layout.private / keys.FOLDER])
    try:
        release = _target(settings, installed)
    except resolution.NothingToDo as nothing:
        return Result(verb="check", result="nothing-to-do", version=installed.version if installed else None,
                      message=nothing.message)
    report = prereqs.check_release(
        settings,
        release.line,
        layout,
        port=properties.server_port(properties.read(layout.properties)),
        own_service_ports_ok=installed is not None,
        needed_bytes=prereqs.estimate_needed_bytes(layout),
    )
    if not verdict.trusted:
        report.findings.append(prereqs.Finding("folder", str(verdict.path), t("trust.needed"), "fail",
                                               verdict.message(layout.root, "install")))
    prereqs.show(report, ui, release.tag)
    extra = {
        "folder_trusted": verdict.trusted,
        "findings": [asdict(f) for f in report.findings],
        "java": str(report.java.path) if report.java else None,
        "winsw": report.winsw.spec if report.winsw else None,
    }
    if not report.ok:
        return Result(verb="check", exit_code=ExitCode.PREREQUISITES, result="failed", version=release.tag,
                      message=t("prereqs.not_met", version=release.tag, reasons=report.failure_message),
                      extra=extra)
    if report.warnings:
        message = t("prereqs.all_met_warnings", version=release.tag, count=len(report.warnings))
    else:
        message = t("prereqs.all_met", version=release.tag)
    return Result(verb="check", version=release.tag, message=message, extra=extra)
