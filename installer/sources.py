"""Where artifacts come from: the Maven repository (2.x), GitHub releases (3.x/4.x), WinSW's releases, Digdir's
`latest-versions.yml` (an offline folder filled by /download: `offline_index.py`).

URL layouts follow CLI.md; every base URL can point at an internal mirror. The cache under `.setup/cache/` keeps
each source's layout, so equal file names of different versions never collide.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import requests
from defusedxml import ElementTree
from packaging.version import Version

from installer import proxy, transfer, yaml_subset
from installer.errors import ExitCode, SetupError, first_line
from installer.layout import jar_name
from installer.messages import t
from installer.releases import Release, ReleaseLine, is_safe_tag, try_version
from installer.settings import Settings
from installer.transfer import DownloadError, display_url

log = logging.getLogger(__name__)

MAVEN_ARTIFACT = "no/difi/meldingsutveksling/integrasjonspunkt"
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


def session_for(settings: Settings, session: requests.Session | None) -> requests.Session | None:
    """The run's HTTP session (made when needed); None under /offline, where nothing goes to the network."""
    if settings.offline is not None:
        return None
    if session is not None:
        return session
    return transfer.make_session(settings.allow_http, proxy.choose(settings.proxy, os.environ))


# --- addresses ---------------------------------------------------------------------------------------


def base_url(settings: Settings, option: str) -> str:
    """A configured base URL, checked: HTTPS, or plain HTTP on loopback or with /allow-http. A refused one is a bad
    setting (exit 1639), found before any request."""
    return checked_url(option, str(getattr(settings, BASE_OPTIONS[option])), settings.allow_http)


def checked_url(option: str, url: str, allow_http: bool) -> str:
    url = url.strip()
    if not transfer.origin_allowed(url, allow_http):
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


def listed(tag: str, prerelease: bool, line: ReleaseLine | None) -> Listed | None:
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


def parse_latest_versions(data: bytes) -> dict[str, dict[str, str]]:
    """environment -> {"latest": tag, "earlybird": tag} from Digdir's `latest-versions.yml`."""
    document = yaml_subset.parse_yaml_maps(data.decode("utf-8"))
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


@dataclass(frozen=True)
class ListAddresses:
    """Where the version lists are, as the settings name them; each is checked when it is used (a refused one is
    exit 1639, as `base_url`)."""

    versions_url: str
    maven_repo: str
    github_api: str
    allow_http: bool = False

    @classmethod
    def of(cls, settings: Settings) -> ListAddresses:
        return cls(str(settings.versions_url), str(settings.maven_repo), str(settings.github_api),
                   settings.allow_http)

    def url(self, option: str) -> str:
        return checked_url(option, str(getattr(self, BASE_OPTIONS[option])), self.allow_http)


class RemoteSource:
    """Version lists from the network, each fetched once per run."""

    def __init__(self, addresses: ListAddresses, session: requests.Session) -> None:
        self.addresses = addresses
        self.session = session
        self._listings: dict[ReleaseLine, Listing] = {}
        self._channels: dict[str, dict[str, str]] | None = None

    def channels(self) -> dict[str, dict[str, str]]:
        if self._channels is None:
            url = self.addresses.url("versions-url")
            document = transfer.get_document(self.session, url)
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
            url = f"{self.addresses.url('maven-repo')}/{MAVEN_ARTIFACT}/maven-metadata.xml"
            document = transfer.get_document(self.session, url)
            assert document is not None
            try:
                tags = [(tag, False) for tag in parse_maven_metadata(document.data)]
            except ValueError as exc:
                raise DownloadError(t("artifacts.list_unreadable", url=display_url(url), reason=exc)) from None
        else:
            url = f"{self.addresses.url('github-api')}/releases"
            tags = self._github_releases(url)
        found = [entry for tag, pre in tags if (entry := listed(tag, pre, line)) is not None]
        log.info("%s lists %s", display_url(url), ", ".join(e.tag for e in found) or "no versions of this line")
        return Listing(tuple(found), complete=True, where=display_url(url))

    def _github_releases(self, url: str) -> list[tuple[str, bool]]:
        tags: list[tuple[str, bool]] = []
        next_url: str | None = f"{url}?per_page={API_PAGE_SIZE}"
        for _ in range(API_MAX_PAGES):
            if next_url is None:
                return tags
            if not transfer.origin_allowed(next_url, self.addresses.allow_http):
                raise DownloadError(t("artifacts.redirect_refused", url=display_url(url),
                                      target=display_url(next_url)))
            document = transfer.get_document(self.session, next_url)
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
        found = [entry for tag in sorted(named) if (entry := listed(tag, False, line)) is not None]
        return Listing(tuple(found), complete=False, where=display_url(self.addresses.url("versions-url")),
                       problem=problem)
