"""The artifacts facade the verbs call: which release to install, and its jar and WinSW exe, verified.

Everything here happens before the running service is touched, and writes only below `.setup/cache/` (or, for
/download, the folder being filled): a failure is exit 11 with nothing else changed.
"""

from __future__ import annotations

import bisect
import logging
import os
import re
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests
from packaging.version import Version

from installer import download, keys, proxy, sources, verify
from installer.download import DownloadError, Fetched
from installer.errors import ExitCode, SetupError
from installer.fsutil import write_atomic
from installer.layout import Layout, jar_name
from installer.messages import t
from installer.releases import (
    RELEASE_LINES,
    Release,
    Spec,
    find_line,
    is_safe_tag,
    line_for,
    normalise,
    parse_spec,
    tag_for,
    try_version,
)
from installer.settings import Settings
from installer.ui import UI
from installer.verify import VerificationError
from installer.winsw_catalog import WinswBuild

log = logging.getLogger(__name__)

NEAREST = 4  # versions named when a spec matches nothing
_ASSET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+-]*(\.[A-Za-z0-9_+-]+)*$")


class NothingToDo(Exception):
    """`latest` names a version that failed here before: nothing is done (exit 0), and the message says how to
    retry it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def session_for(settings: Settings, session: requests.Session | None) -> requests.Session | None:
    """The run's HTTP session (made when needed); None under /offline, where nothing goes to the network."""
    if settings.offline is not None:
        return None
    if session is not None:
        return session
    return download.make_session(settings.allow_http, proxy.choose(settings.proxy, os.environ))


def open_source(settings: Settings, session: requests.Session | None) -> sources.Source:
    if settings.offline is not None:
        return sources.OfflineSource(settings.offline)
    live = session_for(settings, session)
    assert live is not None
    return sources.RemoteSource(settings, live)


# --- which release -----------------------------------------------------------------------------------


def resolve_target(
    settings: Settings,
    spec_text: str | None,
    *,
    installed: str | None,
    failed: list[str],
    session: requests.Session | None = None,
) -> Release:
    """The release `spec_text` names (None: `latest` for the environment), by CLI.md's rules: a range or `latest`
    skips versions that failed here and stays on the installed major line unless /allow-major; an exact version
    is taken as named. No match: exit 11, naming the nearest versions."""
    spec = parse_spec(spec_text if spec_text is not None else "latest")
    source = open_source(settings, session)
    installed_version = try_version(installed) if installed else None
    failed_here = {normalise(tag) for tag in failed}
    if spec.kind == "exact":
        release = _resolve_exact(spec, source)
    elif spec.kind == "range":
        if find_line(spec.anchor) is None:
            # No release line has this major (99.x): nothing matches, whatever is installed.
            raise SetupError(ExitCode.ARTIFACT, t("artifacts.no_such_line", spec=spec.text, major=spec.anchor.major,
                                                  known=", ".join(line.name for line in RELEASE_LINES)))
        if installed_version is not None and spec.major != installed_version.major and not settings.allow_major:
            raise SetupError(ExitCode.ARTIFACT, t("artifacts.range_other_line", spec=spec.text,
                                                  installed=installed))
        release = _resolve_range(spec, source, failed_here)
    else:
        release = _resolve_channel(spec, source, settings, installed_version, failed_here)
    log.info("%s resolves to %s (%s line)", spec.text, release.tag, release.line.name)
    if release.note:
        log.warning(release.note)
    return release


def _resolve_exact(spec: Spec, source: sources.Source) -> Release:
    assert spec.version is not None
    line = line_for(spec.version)
    listing = source.listing(line)
    for entry in listing.releases:
        if entry.version == spec.version:
            return Release(tag=entry.tag, version=entry.version, line=line)
    if listing.complete:
        raise _no_match(spec, listing)
    # The list was not available: try the tag as the line publishes it; a missing one fails at download.
    tag = tag_for(spec.text, line)
    log.warning("%s is not among the versions %s names; trying the tag %s", spec.text, listing.where, tag)
    return Release(tag=tag, version=spec.version, line=line)


def _resolve_range(spec: Spec, source: sources.Source, failed_here: set[str]) -> Release:
    line = line_for(spec.anchor)
    listing = source.listing(line)
    matching = [entry for entry in listing.releases if spec.matches(entry.version)]
    usable = [entry for entry in matching if normalise(entry.tag) not in failed_here]
    if usable:
        best = max(usable, key=lambda entry: entry.version)
        skipped = sorted((e for e in matching if e.version > best.version), key=lambda e: e.version)
        if skipped:
            log.info("skipping %s: failed here before", ", ".join(e.tag for e in skipped))
        return Release(tag=best.tag, version=best.version, line=line)
    if matching:
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.all_failed", spec=spec.text,
                                              failed=", ".join(e.tag for e in matching)))
    raise _no_match(spec, listing)


def _resolve_channel(
    spec: Spec, source: sources.Source, settings: Settings, installed: Version | None, failed_here: set[str]
) -> Release:
    named = source.channels().get(settings.env, {}).get(spec.kind)
    if not named:
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.no_channel", channel=spec.kind, env=settings.env))
    version = try_version(named)
    if version is None or not is_safe_tag(named):
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.bad_tag", tag=named))
    if installed is not None and version.major != installed.major and not settings.allow_major:
        # Another major line changes Java, profile rules and configuration: only on request.
        note = t("artifacts.channel_other_line", channel=spec.kind, env=settings.env, tag=named,
                 major=installed.major)
        same_line = Spec(text=f"{installed.major}.x", kind="range", prefix=(installed.major,))
        return replace(_resolve_range(same_line, source, failed_here), note=note)
    line = line_for(version)
    tag = tag_for(named, line)
    if normalise(tag) in failed_here:
        raise NothingToDo(t("artifacts.channel_failed", channel=spec.kind, env=settings.env, tag=tag))
    return Release(tag=tag, version=version, line=line)


def _no_match(spec: Spec, listing: sources.Listing) -> SetupError:
    versions = sorted({e.version: e for e in listing.releases if not e.prerelease or spec.kind == "exact"}.values(),
                      key=lambda e: e.version)
    where = listing.where if listing.complete else t("artifacts.only_named", where=listing.where,
                                                       problem=listing.problem)
    if not versions:
        return SetupError(ExitCode.ARTIFACT, t("artifacts.no_versions", spec=spec.text, where=where))
    ordered = [e.version for e in versions]
    at = bisect.bisect_left(ordered, spec.anchor)
    near = versions[max(0, at - NEAREST // 2): at + NEAREST // 2]
    return SetupError(ExitCode.ARTIFACT, t("artifacts.no_match", spec=spec.text, where=where,
                                           nearest=", ".join(e.tag for e in reversed(near))))


# --- the jar -----------------------------------------------------------------------------------------


class _RemoteFiles:
    """A published file and the files beside it (`<url>.sha1`, ...) on a server."""

    def __init__(self, session: requests.Session, url: str) -> None:
        self.session = session
        self.url = url

    def sidecar(self, suffix: str) -> bytes | None:
        document = download.get_document(self.session, self.url + suffix, missing_ok=True)
        return document.data if document is not None else None

    def get(self, dest: Path, ui: UI, algorithms: tuple[str, ...]) -> Fetched:
        return download.fetch(self.session, self.url, dest, ui, label=dest.name, algorithms=algorithms)

    def where(self, suffix: str = "") -> str:
        return download.display_url(self.url + suffix)


class _FolderFiles:
    """The same from an offline folder."""

    def __init__(self, path: Path, source: sources.OfflineSource) -> None:
        if not path.is_file():
            raise DownloadError(t("artifacts.offline_missing", name=path.name, path=source.folder,
                                  held=source.held()))
        self.path = path

    def sidecar(self, suffix: str) -> bytes | None:
        try:
            return self.path.with_name(self.path.name + suffix).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise DownloadError(t("artifacts.copy_failed", source=self.path, path=self.path,
                                  reason=exc.strerror or exc)) from None

    def get(self, dest: Path, ui: UI, algorithms: tuple[str, ...]) -> Fetched:
        return download.copy_local(self.path, dest, ui, label=dest.name, algorithms=algorithms)

    def where(self, suffix: str = "") -> str:
        return str(self.path) + suffix


def _jar_files(release: Release, settings: Settings, session: requests.Session | None) -> _RemoteFiles | _FolderFiles:
    if settings.offline is not None:
        source = sources.OfflineSource(settings.offline)
        return _FolderFiles(settings.offline / jar_name(release.tag), source)
    live = session_for(settings, session)
    assert live is not None
    return _RemoteFiles(live, sources.jar_url(settings, release))


def _sidecar_path(jar: Path, suffix: str) -> Path:
    return jar.with_name(jar.name + suffix)


def _check_signature(path: Path, asc: bytes | None, trusted: list[Any], settings: Settings, ui: UI, name: str,
                     refresher: keys.Refresher | None = None) -> None:
    """A good signature by a trusted key, made while that key was valid; a key that expired before the signature
    was made is refreshed from /key-url first (CLI.md "Keys"). /allow-unsigned accepts a missing signature only
    (said loudly, in the log and to the admin); a signature that is present and fails is evidence of tampering and
    is never accepted."""
    if asc is None:
        problem = t("artifacts.no_signature", name=name)
        if not settings.allow_unsigned:
            raise VerificationError(t("artifacts.signature_required", problem=problem))
        ui.warn(t("artifacts.unsigned_accepted", problem=problem))
        return
    try:
        verify.verify_signature(path, asc, trusted, name)
        return
    except VerificationError as exc:
        problem = exc.message
    stale = verify.expired_signer(asc, trusted) if refresher is not None else None
    if stale is None or refresher is None:
        raise VerificationError(t("artifacts.signature_refused", problem=problem))
    trusted[trusted.index(stale)] = refresher.refresh(stale, problem)
    try:
        verify.verify_signature(path, asc, trusted, name)
    except VerificationError as exc:
        raise VerificationError(t("artifacts.signature_refused", problem=exc.message)) from None


def _expected(files: _RemoteFiles | _FolderFiles, name: str) -> dict[str, str]:
    """algorithm -> published digest: `.sha1` (missing: exit 11). `.md5` is not fetched: SHA-1 and the signature
    already catch what MD5 would, and hashing MD5 too halves the download speed on a fast link."""
    sha1 = files.sidecar(".sha1")
    if sha1 is None:
        raise VerificationError(t("artifacts.no_sha1", name=name, where=files.where(".sha1")))
    return {"sha1": verify.parse_checksum(sha1, "sha1", name)}


def _verified_copy(dest: Path, trusted: list[Any], settings: Settings, ui: UI, refresher: keys.Refresher) -> bool:
    """True when `dest` (from an earlier run) still matches its checksums and signature kept beside it."""
    name = dest.name
    try:
        sha1 = _sidecar_path(dest, ".sha1").read_bytes()
        expected = {"sha1": verify.parse_checksum(sha1, "sha1", name)}
        actual = download.hash_file(dest, tuple(expected))
        for algorithm, digest in expected.items():
            verify.check_digest(algorithm, digest, actual[algorithm], name)
        asc_file = _sidecar_path(dest, ".asc")
        _check_signature(dest, asc_file.read_bytes() if asc_file.exists() else None, trusted, settings, ui, name,
                         refresher)
    except (OSError, VerificationError) as exc:
        log.warning("%s from an earlier run does not verify (%s); fetching it again", dest, exc)
        return False
    log.info("%s: verified copy from an earlier run", dest)
    return True


def obtain_jar(
    release: Release, settings: Settings, dest: Path, ui: UI, *, session: requests.Session | None = None,
    key_folder: Path | None = None,
) -> Path:
    """Fetch the jar of `release` to `dest` with its `.sha1` and `.asc` beside it, verify
    it and return `dest`. The jar reaches `dest` only verified; a broken download is discarded, an interrupted
    one stays as `<dest>.part` for the next run to resume. A trusted key refreshed from /key-url is read from and
    kept in `key_folder`."""
    folders = [key_folder] if key_folder is not None else []
    trusted = keys.trusted(settings, read_from=folders, store_in=folders)
    refresher = keys.Refresher(settings, session, store_in=folders)
    if dest.exists() and _verified_copy(dest, trusted, settings, ui, refresher):
        return dest
    name = dest.name
    files = _jar_files(release, settings, session)
    log.info("fetching %s from %s", name, files.where())
    expected = _expected(files, name)
    asc = files.sidecar(".asc")
    fetched = files.get(dest, ui, tuple(expected))
    try:
        for algorithm, digest in expected.items():
            verify.check_digest(algorithm, digest, fetched.digests[algorithm], name)
        _check_signature(fetched.part, asc, trusted, settings, ui, name, refresher)
    except VerificationError:
        download.discard(dest)
        raise
    for suffix, data in ((".sha1", expected["sha1"]), (".asc", asc)):
        sidecar = _sidecar_path(dest, suffix)
        if data is None:
            sidecar.unlink(missing_ok=True)
        else:
            write_atomic(sidecar, data if isinstance(data, bytes) else (data + "\n").encode("ascii"))
    download.promote(fetched, dest)
    log.info("%s: %s bytes, verified", dest, f"{fetched.size:,}")
    return dest


def acquire_jar(
    release: Release, settings: Settings, layout: Layout, ui: UI, *, session: requests.Session | None = None
) -> Path:
    """The verified jar of `release` in `layout.cache` (source layout kept); exit 11 on any failure."""
    return obtain_jar(release, settings, sources.cached_jar(layout.cache, release), ui, session=session,
                      key_folder=layout.private / keys.FOLDER)


# --- WinSW -------------------------------------------------------------------------------------------


def _make_executable(path: Path) -> None:
    if os.name != "nt":
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def obtain_winsw(
    build: WinswBuild, settings: Settings, dest: Path, ui: UI, *, session: requests.Session | None = None
) -> Path:
    """Fetch a WinSW asset to `dest` and check its pinned SHA-256 (no checksums are published for WinSW)."""
    if not is_safe_tag(build.version) or not _ASSET.fullmatch(build.asset):
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.bad_tag", tag=f"{build.version}/{build.asset}"))
    spec = f"{build.version}/{build.asset}"
    if dest.exists():
        if download.hash_file(dest, ("sha256",))["sha256"] == build.sha256.lower():
            log.info("%s: verified copy from an earlier run", dest)
            _make_executable(dest)
            return dest
        log.warning("%s from an earlier run does not match its pinned SHA-256; fetching it again", dest)
        dest.unlink()
    if settings.offline is not None:
        source = settings.offline / sources.winsw_relative(build.version, build.asset)
        if not source.is_file():
            raise DownloadError(t("artifacts.offline_winsw_missing", spec=spec, path=source))
        fetched = download.copy_local(source, dest, ui, label=build.asset, algorithms=("sha256",))
    else:
        live = session_for(settings, session)
        assert live is not None
        url = sources.winsw_url(settings, build.version, build.asset)
        fetched = download.fetch(live, url, dest, ui, label=build.asset, algorithms=("sha256",))
    try:
        verify.check_digest("sha256", build.sha256, fetched.digests["sha256"], spec)
    except VerificationError:
        download.discard(dest)
        raise
    download.promote(fetched, dest)
    _make_executable(dest)
    return dest


def acquire_winsw(
    build: WinswBuild, settings: Settings, layout: Layout, ui: UI, *, session: requests.Session | None = None
) -> Path:
    """The WinSW exe of `build` in `layout.cache`, its SHA-256 checked against the catalog (exit 11 on mismatch),
    executable on POSIX."""
    dest = layout.cache / sources.winsw_relative(build.version, build.asset)
    return obtain_winsw(build, settings, dest, ui, session=session)
