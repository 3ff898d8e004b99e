"""An offline folder filled by /download: its `index.json` (what the folder holds, also from earlier runs, and
Digdir's latest versions), read as a version source for /offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from packaging.version import Version

from installer.errors import ExitCode, SetupError, first_line
from installer.fsutil import write_json_atomic
from installer.layout import JAR_PREFIX, jar_name
from installer.messages import t
from installer.releases import Release, ReleaseLine, try_version
from installer.sources import SIDECARS, Listing, listed, winsw_relative
from installer.winsw_catalog import WinswBuild

INDEX = "index.json"
INDEX_FORMAT = 1


def read_index(folder: Path) -> dict[str, Any] | None:
    try:
        document = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.index_unreadable", path=folder / INDEX,
                                              reason=first_line(exc))) from None
    if not isinstance(document, dict) or not isinstance(document.get("jars", []), list):
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.index_unreadable", path=folder / INDEX,
                                              reason="not an index"))
    return document


class OfflineSource:
    """Versions from an offline folder: its `index.json`, else the jar file names it holds."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise SetupError(ExitCode.BAD_COMMAND_LINE, t("artifacts.offline_no_folder", path=folder))
        self.folder = folder
        self.index = read_index(folder)

    def _entries(self) -> list[tuple[str, bool]]:
        if self.index is not None:
            return [(str(e.get("tag")), bool(e.get("prerelease"))) for e in self.index["jars"] if isinstance(e, dict)]
        return [(p.name[len(JAR_PREFIX):-len(".jar")], False) for p in self.folder.glob(jar_name("*"))]

    def listing(self, line: ReleaseLine) -> Listing:
        found = [entry for tag, pre in self._entries() if (entry := listed(tag, pre, line)) is not None]
        return Listing(tuple(found), complete=True, where=str(self.folder))

    def channels(self) -> dict[str, dict[str, str]]:
        recorded = (self.index or {}).get("latest_versions")
        if not isinstance(recorded, dict) or not recorded:
            raise SetupError(ExitCode.ARTIFACT, t("artifacts.offline_no_channels", path=self.folder))
        # Each environment maps channel names to tags, as latest-versions.yml does; anything else is a broken file.
        if not all(isinstance(env, str) and isinstance(values, dict)
                   and all(isinstance(k, str) and isinstance(v, str) for k, v in values.items())
                   for env, values in recorded.items()):
            raise SetupError(ExitCode.ARTIFACT, t("artifacts.index_unreadable", path=self.folder / INDEX,
                                                  reason="latest_versions is not a map of environments to tags"))
        return recorded

    def held(self) -> str:
        """The tags this folder holds, for messages."""
        return ", ".join(sorted({tag for tag, _ in self._entries()})) or t("artifacts.nothing")


def record_offline(
    folder: Path,
    release: Release,
    winsw: list[WinswBuild],
    channels: dict[str, dict[str, str]] | None,
) -> None:
    """Add a release and WinSW builds to the folder's index.json, keeping what earlier /download runs recorded, so
    ranges resolve across all of them offline."""
    index = read_index(folder) or {}
    jars = [e for e in index.get("jars", []) if isinstance(e, dict) and e.get("tag") != release.tag]
    name = jar_name(release.tag)
    files = [name] + [name + s for s in SIDECARS if (folder / (name + s)).exists()]
    jars.append({"tag": release.tag, "prerelease": release.prerelease, "files": files})
    builds = [e for e in index.get("winsw", []) if isinstance(e, dict)]
    for build in winsw:
        builds = [e for e in builds if (e.get("version"), e.get("asset")) != (build.version, build.asset)]
        builds.append({"version": build.version, "asset": build.asset, "sha256": build.sha256,
                       "path": winsw_relative(build.version, build.asset).as_posix()})
    document: dict[str, Any] = {
        "format": INDEX_FORMAT,
        "jars": sorted(jars, key=lambda e: (try_version(str(e.get("tag"))) or Version("0"), str(e.get("tag")))),
        "winsw": builds,
    }
    latest = channels if channels else index.get("latest_versions")
    if latest:
        document["latest_versions"] = latest
    write_json_atomic(folder / INDEX, document)
