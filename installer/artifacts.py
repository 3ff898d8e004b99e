"""The jar and the WinSW exe of a release, obtained verified (fetched, or copied from an offline folder).

Everything here happens before the running service is touched, and writes only below `.setup/cache/` (or, for
/download, the folder being filled): a failure is exit 11 with nothing else changed.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import requests

from installer import fsutil, keys, offline_index, sources, transfer, verify
from installer.errors import ExitCode, SetupError
from installer.fsutil import write_atomic
from installer.layout import Layout, jar_name
from installer.messages import t
from installer.releases import Release, is_safe_tag
from installer.settings import Settings
from installer.transfer import DownloadError, Fetched
from installer.ui import UI
from installer.verify import VerificationError
from installer.winsw_catalog import WinswBuild

log = logging.getLogger(__name__)

_ASSET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_+-]*(\.[A-Za-z0-9_+-]+)*$")


# --- the jar -----------------------------------------------------------------------------------------


class _RemoteFiles:
    """A published file and the files beside it (`<url>.sha1`, ...) on a server."""

    def __init__(self, session: requests.Session, url: str) -> None:
        self.session = session
        self.url = url

    def sidecar(self, suffix: str) -> bytes | None:
        document = transfer.get_document(self.session, self.url + suffix, missing_ok=True)
        return document.data if document is not None else None

    def get(self, dest: Path, ui: UI, algorithms: tuple[str, ...]) -> Fetched:
        return transfer.fetch(self.session, self.url, dest, ui, label=dest.name, algorithms=algorithms)

    def where(self, suffix: str = "") -> str:
        return transfer.display_url(self.url + suffix)


class _FolderFiles:
    """The same from an offline folder."""

    def __init__(self, path: Path, source: offline_index.OfflineSource) -> None:
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
        return transfer.copy_local(self.path, dest, ui, label=dest.name, algorithms=algorithms)

    def where(self, suffix: str = "") -> str:
        return str(self.path) + suffix


def _jar_files(release: Release, settings: Settings, session: requests.Session | None) -> _RemoteFiles | _FolderFiles:
    if settings.offline is not None:
        source = offline_index.OfflineSource(settings.offline)
        return _FolderFiles(settings.offline / jar_name(release.tag), source)
    live = sources.session_for(settings, session)
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
        actual = transfer.hash_file(dest, tuple(expected))
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
        transfer.discard(dest)
        raise
    for suffix, data in ((".sha1", expected["sha1"]), (".asc", asc)):
        sidecar = _sidecar_path(dest, suffix)
        if data is None:
            sidecar.unlink(missing_ok=True)
        else:
            write_atomic(sidecar, data if isinstance(data, bytes) else (data + "\n").encode("ascii"))
    transfer.promote(fetched, dest)
    log.info("%s: %s bytes, verified", dest, f"{fetched.size:,}")
    return dest


def obtain_cached_jar(
    release: Release, settings: Settings, layout: Layout, ui: UI, *, session: requests.Session | None = None
) -> Path:
    """The verified jar of `release` in `layout.cache` (source layout kept); exit 11 on any failure."""
    return obtain_jar(release, settings, sources.cached_jar(layout.cache, release), ui, session=session,
                      key_folder=layout.private / keys.FOLDER)


# --- WinSW -------------------------------------------------------------------------------------------


def obtain_winsw(
    build: WinswBuild, settings: Settings, dest: Path, ui: UI, *, session: requests.Session | None = None
) -> Path:
    """Fetch a WinSW asset to `dest` and check its pinned SHA-256 (no checksums are published for WinSW)."""
    if not is_safe_tag(build.version) or not _ASSET.fullmatch(build.asset):
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.bad_tag", tag=f"{build.version}/{build.asset}"))
    spec = f"{build.version}/{build.asset}"
    if dest.exists():
        if transfer.hash_file(dest, ("sha256",))["sha256"] == build.sha256.lower():
            log.info("%s: verified copy from an earlier run", dest)
            fsutil.make_executable(dest)
            return dest
        log.warning("%s from an earlier run does not match its pinned SHA-256; fetching it again", dest)
        dest.unlink()
    if settings.offline is not None:
        source = settings.offline / sources.winsw_relative(build.version, build.asset)
        if not source.is_file():
            raise DownloadError(t("artifacts.offline_winsw_missing", spec=spec, path=source))
        fetched = transfer.copy_local(source, dest, ui, label=build.asset, algorithms=("sha256",))
    else:
        live = sources.session_for(settings, session)
        assert live is not None
        url = sources.winsw_url(settings, build.version, build.asset)
        fetched = transfer.fetch(live, url, dest, ui, label=build.asset, algorithms=("sha256",))
    try:
        verify.check_digest("sha256", build.sha256, fetched.digests["sha256"], spec)
    except VerificationError:
        transfer.discard(dest)
        raise
    transfer.promote(fetched, dest)
    fsutil.make_executable(dest)
    return dest


def obtain_cached_winsw(
    build: WinswBuild, settings: Settings, layout: Layout, ui: UI, *, session: requests.Session | None = None
) -> Path:
    """The WinSW exe of `build` in `layout.cache`, its SHA-256 checked against the catalog (exit 11 on mismatch),
    executable on POSIX."""
    dest = layout.cache / sources.winsw_relative(build.version, build.asset)
    return obtain_winsw(build, settings, dest, ui, session=session)
