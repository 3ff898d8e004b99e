"""Where artifacts come from: the Maven repository (2.x), GitHub releases (3.x/4.x), WinSW's releases, Digdir's
`latest-versions.yml`, or an offline folder filled by /download.

URL layouts follow CLI.md; every base URL can point at an internal mirror. The cache under `.setup/cache/` keeps
each source's layout, so equal file names of different versions never collide.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import requests
from defusedxml import ElementTree
from packaging.version import Version

from installer import download
from installer.download import DownloadError, display_url
from installer.errors import ExitCode, SetupError, first_line
from installer.fsutil import write_json_atomic
from installer.layout import JAR_PREFIX, jar_name
from installer.messages import t
from installer.releases import Release, ReleaseLine, is_safe_tag, try_version
from installer.settings import Settings
from installer.winsw_catalog import WinswBuild

log = logging.getLogger(__name__)

MAVEN_ARTIFACT = "no/difi/meldingsutveksling/integrasjonspunkt"
INDEX = "index.json"
INDEX_FORMAT = 1
API_PAGE_SIZE = 100
API_MAX_PAGES = 50
SIDECARS = (".sha1", ".md5", ".asc")

BASE_OPTIONS = {
    "maven-repo": "maven_repo",
    "github-releases": "github_releases",
    "github-api": "github_api",
    "versions-url": "versions_url",
    "winsw-releases": "winsw_releases",
    "key-url": "key_url",
}


# --- addresses ---------------------------------------------------------------------------------------


def base_url(settings: Settings, option: str) -> str:
    """A configured base URL, checked: HTTPS, or plain HTTP on loopback or with /allow-http. A refused one is a bad
    setting (exit 1639), found before any request."""
    url = str(getattr(settings, BASE_OPTIONS[option])).strip()
    if not download.origin_allowed(url, settings.allow_http):
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("artifacts.url_refused", option=option,
                                                      url=display_url(url)))
    return url.rstrip("/")


def jar_url(settings: Settings, release: Release) -> str:
    name = jar_name(release.tag)
    if release.line.source == "maven":
        return f"{base_url(settings, 'maven-repo')}/{MAVEN_ARTIFACT}/{release.tag}/{name}"
    return f"{base_url(settings, 'github-releases')}/{release.tag}/{name}"


def winsw_url(settings: Settings, version: str, asset: str) -> str:
    return f"{base_url(settings, 'winsw-releases')}/v{version}/{asset}"


def cached_jar(cache: Path, release: Release) -> Path:
    name = jar_name(release.tag)
    if release.line.source == "maven":
        return cache.joinpath("maven", *MAVEN_ARTIFACT.split("/"), release.tag, name)
    return cache / "github" / release.tag / name


def winsw_relative(version: str, asset: str) -> Path:
    """`winsw/v<version>/<asset>`: the same below the cache and in an offline folder."""
    return Path("winsw") / f"v{version}" / asset


# --- version lists -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    tag: str
    version: Version
    prerelease: bool


@dataclass(frozen=True)
class Listing:
    releases: tuple[Listed, ...]
    complete: bool  # False: only the versions named in latest-versions.yml (the list itself was not available)
    where: str  # for messages: the URL or folder the list came from
    problem: str = ""  # why the list itself was not available (complete=False)


def _listed(tag: str, prerelease: bool, line: ReleaseLine | None) -> Listed | None:
    """A list entry, when it is a safe tag of the wanted line (entries of other lines or odd tags are skipped)."""
    version = try_version(tag)
    if version is None or not is_safe_tag(tag):
        log.debug("ignoring the listed tag %r", tag)
        return None
    if line is not None and version.major not in line.majors:
        return None
    return Listed(tag=tag, version=version, prerelease=prerelease or version.is_prerelease)


def parse_maven_metadata(data: bytes) -> list[str]:
    """The versions of a `maven-metadata.xml` (`<versioning><versions><version>`)."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError) as exc:  # ValueError: defusedxml's refusals (entities, DTDs)
        raise ValueError(first_line(exc)) from None
    return [(node.text or "").strip() for node in root.findall("./versioning/versions/version")]


def parse_github_releases(data: bytes) -> list[tuple[str, bool]]:
    """(tag, pre-release) of each published release in one page of the GitHub API's release list; drafts skipped."""
    document = json.loads(data)
    if not isinstance(document, list):
        raise ValueError("not a list of releases")
    found = []
    for item in document:
        if isinstance(item, dict) and isinstance(item.get("tag_name"), str) and not item.get("draft"):
            found.append((item["tag_name"], bool(item.get("prerelease"))))
    return found


_COMMENT = re.compile(r"(^|\s)#.*$")


def _scalar(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _flow_map(text: str) -> dict[str, str]:
    inner = text.strip()
    if not (inner.startswith("{") and inner.endswith("}")):
        raise ValueError(f"not a mapping: {text}")
    result = {}
    for item in inner[1:-1].split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition(":")
        if not sep:
            raise ValueError(f"not a key: value pair: {item.strip()}")
        result[_scalar(key)] = _scalar(value)
    return result


def parse_yaml_maps(text: str) -> dict[str, Any]:
    """The subset of YAML that `latest-versions.yml` uses: nested mappings of plain scalars, in block or flow
    (`{latest: v4.0.8, earlybird: v4.0.8}`) style, with comments. Anything else raises ValueError."""
    root: dict[str, Any] = {}
    stack: list[tuple[int, dict[str, Any]]] = [(-1, root)]
    for number, raw in enumerate(text.splitlines(), 1):
        line = _COMMENT.sub("", raw.replace("\t", "    ")).rstrip()
        if not line.strip() or line.strip() in ("---", "..."):
            continue
        indent = len(line) - len(line.lstrip(" "))
        key, sep, value = line.strip().partition(":")
        if not sep or not key.strip() or key.strip().startswith(("-", "{", "[")):
            raise ValueError(f"line {number}: not a 'key: value' line")
        while stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        value = value.strip()
        if not value:
            child: dict[str, Any] = {}
            parent[_scalar(key)] = child
            stack.append((indent, child))
        elif value.startswith("{"):
            parent[_scalar(key)] = _flow_map(value)
        else:
            parent[_scalar(key)] = _scalar(value)
    return root


def parse_latest_versions(data: bytes) -> dict[str, dict[str, str]]:
    """environment -> {"latest": tag, "earlybird": tag} from Digdir's `latest-versions.yml`."""
    document = parse_yaml_maps(data.decode("utf-8"))
    environments = document.get("integrasjonspunkt", {})
    environments = environments.get("environments") if isinstance(environments, dict) else None
    if not isinstance(environments, dict):
        raise ValueError("no integrasjonspunkt.environments")
    return {
        str(env): {str(k): str(v) for k, v in values.items() if isinstance(v, str)}
        for env, values in environments.items()
        if isinstance(values, dict)
    }


class Source(Protocol):
    def listing(self, line: ReleaseLine) -> Listing: ...

    def channels(self) -> dict[str, dict[str, str]]: ...


class RemoteSource:
    """Version lists from the network, each fetched once per run."""

    def __init__(self, settings: Settings, session: requests.Session) -> None:
        self.settings = settings
        self.session = session
        self._listings: dict[ReleaseLine, Listing] = {}
        self._channels: dict[str, dict[str, str]] | None = None

    def channels(self) -> dict[str, dict[str, str]]:
        if self._channels is None:
            url = base_url(self.settings, "versions-url")
            document = download.get_document(self.session, url)
            assert document is not None
            try:
                self._channels = parse_latest_versions(document.data)
            except (ValueError, UnicodeDecodeError) as exc:
                raise DownloadError(t("artifacts.list_unreadable", url=display_url(url), reason=exc)) from None
            log.info("latest-versions.yml: %s", self._channels)
        return self._channels

    def listing(self, line: ReleaseLine) -> Listing:
        if line not in self._listings:
            try:
                self._listings[line] = self._fetch_listing(line)
            except DownloadError as exc:
                self._listings[line] = self._fallback(line, exc.message)
        return self._listings[line]

    def _fetch_listing(self, line: ReleaseLine) -> Listing:
        if line.source == "maven":
            url = f"{base_url(self.settings, 'maven-repo')}/{MAVEN_ARTIFACT}/maven-metadata.xml"
            document = download.get_document(self.session, url)
            assert document is not None
            try:
                tags = [(tag, False) for tag in parse_maven_metadata(document.data)]
            except ValueError as exc:
                raise DownloadError(t("artifacts.list_unreadable", url=display_url(url), reason=exc)) from None
        else:
            url = f"{base_url(self.settings, 'github-api')}/releases"
            tags = self._github_releases(url)
        found = [entry for tag, pre in tags if (entry := _listed(tag, pre, line)) is not None]
        log.info("%s lists %s", display_url(url), ", ".join(e.tag for e in found) or "no versions of this line")
        return Listing(tuple(found), complete=True, where=display_url(url))

    def _github_releases(self, url: str) -> list[tuple[str, bool]]:
        tags: list[tuple[str, bool]] = []
        next_url: str | None = f"{url}?per_page={API_PAGE_SIZE}"
        for _ in range(API_MAX_PAGES):
            if next_url is None:
                return tags
            if not download.origin_allowed(next_url, self.settings.allow_http):
                raise DownloadError(t("artifacts.redirect_refused", url=display_url(url),
                                      target=display_url(next_url)))
            document = download.get_document(self.session, next_url)
            assert document is not None
            try:
                tags.extend(parse_github_releases(document.data))
            except ValueError as exc:
                raise DownloadError(t("artifacts.list_unreadable", url=display_url(next_url),
                                      reason=first_line(exc))) from None
            next_url = document.next_url
        log.warning("%s: stopped after %d pages", display_url(url), API_MAX_PAGES)
        return tags

    def _fallback(self, line: ReleaseLine, problem: str) -> Listing:
        """The versions named in latest-versions.yml, when the list itself cannot be had (403 rate limit, 404 on a
        mirror without it, unreachable)."""
        log.warning(t("artifacts.list_fallback", problem=problem))
        try:
            channels = self.channels()
        except DownloadError as exc:
            raise DownloadError(t("artifacts.no_list", problem=problem, fallback=exc.message)) from None
        named = {tag for values in channels.values() for tag in values.values()}
        found = [entry for tag in sorted(named) if (entry := _listed(tag, False, line)) is not None]
        return Listing(tuple(found), complete=False, where=display_url(base_url(self.settings, "versions-url")),
                       problem=problem)


# --- offline folders ---------------------------------------------------------------------------------


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
        found = [entry for tag, pre in self._entries() if (entry := _listed(tag, pre, line)) is not None]
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
