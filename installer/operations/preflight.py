"""Everything an install or upgrade does before it changes anything: resolve, download, verify, check.

A failure here leaves the running service untouched and nothing outside `.setup/` changed (exit 10 or 11).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from installer import artifacts, prereqs, winsw_catalog
from installer import properties as props_mod
from installer.java import JavaInstall
from installer.layout import Layout
from installer.releases import Release
from installer.settings import Settings
from installer.state import State
from installer.ui import UI
from installer.winsw_catalog import WinswBuild

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    release: Release
    jar: Path | None  # verified, in the cache; None when the folder has this version's jar (a rollback)
    java: JavaInstall
    winsw: WinswBuild
    winsw_exe: Path | None  # verified, in the cache; None when the installed build stays


def resolve(settings: Settings, installed: State | None, ui: UI) -> Release:
    release = artifacts.resolve_target(
        settings,
        settings.spec,
        installed=installed.version if installed else None,
        failed=installed.failed_versions if installed else [],
    )
    if release.note:
        ui.warn(release.note)  # e.g. Digdir's approved version is on another major line
    return release


def prepare(settings: Settings, layout: Layout, ui: UI, release: Release, installed: State | None,
            *, reuse_jar: bool = False, properties: dict[str, str] | None = None) -> Prepared:
    """`reuse_jar`: a rollback takes the jar the folder kept, when it is there. `properties`: the settings of a
    properties file about to be written (an install), else the folder's file is read."""
    kept = layout.jar(release.tag)
    jar = None if reuse_jar and kept.is_file() else artifacts.acquire_jar(release, settings, layout, ui)
    catalog = winsw_catalog.load_catalog(settings.winsw_catalog)
    props = properties if properties is not None else props_mod.read(layout.properties)
    configured_java = settings.java
    if installed and configured_java and not settings.named_on_command_line("java"):
        # The recorded Java serves the recorded line; another line may need another Java (found by discovery).
        configured_java = configured_java if _line_of(installed.version) == release.line else None
    report = prereqs.check(
        settings,
        release.line.java_min,
        release.line.java_preferred,
        layout,
        port=props_mod.server_port(props),
        own_service_ports_ok=installed is not None,
        needed_bytes=(jar or kept).stat().st_size * 2,
        catalog=catalog,
        configured_java=configured_java,
    )
    prereqs.show(report, ui)
    prereqs.raise_if_failed(report)
    assert report.java is not None and report.winsw is not None
    keep_build = installed is not None and installed.winsw == report.winsw.spec and layout.exe.exists()
    winsw_exe = None if keep_build else artifacts.acquire_winsw(report.winsw, settings, layout, ui)
    return Prepared(release=release, jar=jar, java=report.java, winsw=report.winsw, winsw_exe=winsw_exe)


def _line_of(tag: str) -> object:
    from installer.releases import line_for

    return line_for(tag)
