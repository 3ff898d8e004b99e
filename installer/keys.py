"""Trusted keys kept current (CLI.md "Keys"): a key that expired before a signature was made is refreshed from
/key-url by its fingerprint, and the refreshed copy is kept in `.setup/keys/` (and in a /download folder's `keys/`).

A refresh takes nothing from the published file but newer self-signatures of the same primary key – a new expiry
is one – on user IDs and subkeys the trusted copy already has. Sequoia checks each self-signature cryptographically
when it builds the certificate, so a forged one is dropped; a file holding another key is refused outright. A
revoked key or one whose expiry does not move forward is refused as well: the admin's way out is /trusted-key.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pysequoia
import requests
from pysequoia.packet import PacketPile, SignatureType, Tag

from installer import proxy, sources, transfer, verify
from installer.errors import ExitCode, SetupError, first_line
from installer.fsutil import write_atomic
from installer.messages import t
from installer.settings import Settings
from installer.transfer import DownloadError

log = logging.getLogger(__name__)

FOLDER = "keys"  # `.setup/keys/` in the install folder, `keys/` in a /download folder
EXPIRY_NOTICE = timedelta(days=60)
_REVOCATIONS = (SignatureType.KeyRevocation, SignatureType.SubkeyRevocation, SignatureType.CertificationRevocation)


class KeyRefreshError(SetupError):
    """A refresh file that cannot be taken (exit 11, nothing changed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(ExitCode.ARTIFACT, reason)
        self.reason = reason


def stored_copy(folder: Path, fingerprint: str) -> Path:
    return folder / f"{fingerprint.lower()}.asc"


def _primary_signed(packet: Any, fingerprint: str) -> bool:
    issuer = (packet.issuer_fingerprint or "").lower()
    key_id = (packet.issuer_key_id or "").lower()
    return issuer == fingerprint or (not issuer and bool(key_id) and fingerprint.endswith(key_id))


def _newest_self_signature(cert: Any) -> datetime | None:
    fingerprint = cert.fingerprint.lower()
    made = [p.signature_created for p in PacketPile.from_bytes(bytes(cert))
            if p.tag == Tag.Signature and p.signature_created and _primary_signed(p, fingerprint)]
    return max(made, default=None)


def _later(new: datetime | None, old: datetime | None) -> bool:
    """True when the expiry `new` lies after `old` (None: never expires)."""
    if old is None:
        return False
    return new is None or new > old


def take_newer_self_signatures(cert: Any, data: bytes) -> Any:
    """`cert` with the self-signatures in `data` that are newer than its own; raises KeyRefreshError unless the
    result is the same primary key, not revoked, and expires later than `cert`."""
    fingerprint = cert.fingerprint.lower()
    try:
        found = pysequoia.Cert.split_bytes(data)
    except (RuntimeError, ValueError) as exc:
        raise KeyRefreshError(t("artifacts.key_unreadable", reason=first_line(exc))) from None
    update = next((c for c in found if c.fingerprint.lower() == fingerprint), None)
    if update is None:
        raise KeyRefreshError(t("artifacts.key_other_fingerprint", fingerprint=fingerprint,
                                found=", ".join(c.fingerprint.lower() for c in found) or t("artifacts.no_key")))
    newest = _newest_self_signature(cert)
    own = list(PacketPile.from_bytes(bytes(cert)))
    known_ids = {p.user_id for p in own if p.tag == Tag.UserID}
    known_subkeys = {p.fingerprint.lower() for p in own if p.tag == Tag.PublicSubkey and p.fingerprint}
    kept: list[Any] = []
    component_known = False  # whether the signatures that follow belong to something the trusted copy has
    for packet in PacketPile.from_bytes(bytes(update)):
        if packet.tag == Tag.PublicKey:
            component_known = True
            kept.append(packet)
        elif packet.tag == Tag.UserID:
            component_known = packet.user_id in known_ids
            if component_known:
                kept.append(packet)
        elif packet.tag == Tag.PublicSubkey:
            component_known = (packet.fingerprint or "").lower() in known_subkeys
            if component_known:
                kept.append(packet)
        elif packet.tag == Tag.Signature:
            # A revocation counts whenever it was made (it may have been prepared when the key was made).
            newer = packet.signature_type in _REVOCATIONS or (packet.signature_created is not None and (
                newest is None or packet.signature_created > newest))
            if component_known and newer and _primary_signed(packet, fingerprint):
                kept.append(packet)
        else:
            component_known = False  # user attributes, secret keys, anything else: never taken
    try:
        merged = cert.merge(pysequoia.Cert.from_packets(kept))
    except (RuntimeError, ValueError) as exc:
        raise KeyRefreshError(t("artifacts.key_unreadable", reason=first_line(exc))) from None
    if merged.is_revoked:
        raise KeyRefreshError(t("artifacts.key_revoked", fingerprint=fingerprint))
    if not _later(merged.expiration, cert.expiration):
        raise KeyRefreshError(t("artifacts.key_not_newer", fingerprint=fingerprint,
                                expires=_day(merged.expiration)))
    log.info("key %s: newer self-signatures taken; it now expires %s (was %s)", fingerprint,
             _day(merged.expiration), _day(cert.expiration))
    return merged


def _day(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d") if moment is not None else t("artifacts.key_never")


def _with_stored(cert: Any, folders: Iterable[Path]) -> Any:
    """`cert` brought up to date by the refreshed copies kept in `folders` (each taken under the same rules)."""
    for folder in folders:
        path = stored_copy(folder, cert.fingerprint)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("cannot read the refreshed key %s: %s", path, exc.strerror or exc)
            continue
        try:
            cert = take_newer_self_signatures(cert, data)
            log.info("key %s: refreshed copy from %s", cert.fingerprint.lower(), path)
        except KeyRefreshError as exc:
            log.info("the refreshed key %s adds nothing: %s", path, exc.reason)
    return cert


def store(cert: Any, folders: Iterable[Path]) -> None:
    """Keep `cert` (armored) in each of `folders`, unless the same bytes are there already."""
    data = str(cert).encode("ascii")
    for folder in folders:
        path = stored_copy(folder, cert.fingerprint)
        try:
            if path.is_file() and path.read_bytes() == data:
                continue
            write_atomic(path, data)
        except OSError as exc:
            raise SetupError(ExitCode.ARTIFACT, t("artifacts.key_store_failed", path=path,
                                                  reason=exc.strerror or exc)) from None
        log.info("key %s kept in %s", cert.fingerprint.lower(), path)


def trusted(settings: Settings, read_from: Iterable[Path] = (), store_in: Iterable[Path] = ()) -> list[Any]:
    """The trusted keys (verify.trusted_keys), each brought up to date by refreshed copies kept in `read_from`
    and, under /offline, in the offline folder; a copy brought up to date is kept in `store_in` too."""
    folders = list(read_from)
    if settings.offline is not None:
        folders.append(settings.offline / FOLDER)
    keys = []
    for cert in verify.trusted_keys(settings.trusted_key):
        current = _with_stored(cert, folders)
        if current is not cert:
            store(current, store_in)
        keys.append(current)
    return keys


class Refresher:
    """Fetches /key-url at most once a run, and refreshes a trusted key from it."""

    def __init__(self, settings: Settings, session: requests.Session | None, store_in: Iterable[Path]) -> None:
        self.settings = settings
        self.session = session
        self.store_in = list(store_in)
        self._data: bytes | None = None
        self._problem: str | None = None

    def _fetch(self) -> bytes:
        if self._data is None and self._problem is None:
            url = sources.base_url(self.settings, "key-url")  # plain HTTP off loopback: a bad setting (1639)
            log.info("fetching the trusted key's current copy from %s", transfer.display_url(url))
            try:
                session = self.session or transfer.make_session(self.settings.allow_http,
                                                                  proxy.choose(self.settings.proxy, os.environ))
                document = transfer.get_document(session, url)
                assert document is not None
                self._data = document.data
            except DownloadError as exc:
                self._problem = t("artifacts.key_not_fetched", reason=exc.message)
        if self._problem is not None:
            raise KeyRefreshError(self._problem)
        assert self._data is not None
        return self._data

    def refresh(self, cert: Any, problem: str) -> Any:
        """`cert` refreshed from /key-url and kept; raises VerificationError (exit 11, naming /trusted-key) when it
        cannot be."""
        fingerprint = cert.fingerprint.lower()
        where = self.settings.key_url
        try:
            if self.settings.offline is not None:
                raise KeyRefreshError(t("artifacts.key_offline", folder=self.settings.offline / FOLDER))
            fresh = take_newer_self_signatures(cert, self._fetch())
        except KeyRefreshError as exc:
            raise verify.VerificationError(t("artifacts.key_refresh_failed", problem=problem, fingerprint=fingerprint,
                                             url=transfer.display_url(where), reason=exc.reason)) from None
        store(fresh, self.store_in)
        return fresh


def expiring(keys: Iterable[Any], now: datetime | None = None) -> list[Any]:
    """The keys that expire within EXPIRY_NOTICE from `now` (or have expired)."""
    moment = now or datetime.now(UTC)
    return [k for k in keys if k.expiration is not None and k.expiration - moment <= EXPIRY_NOTICE]


def earliest_expiry(keys: Iterable[Any]) -> datetime | None:
    return min((k.expiration for k in keys if k.expiration is not None), default=None)


def describe_expiring(keys: Iterable[Any], now: datetime | None = None) -> list[str]:
    """One line per key that expires within 60 days (or has expired), for /status and the log."""
    moment = now or datetime.now(UTC)
    lines = []
    for key in expiring(keys, moment):
        text = "artifacts.key_expired" if key.expiration <= moment else "artifacts.key_expires_soon"
        lines.append(t(text, fingerprint=key.fingerprint.lower(), expires=_day(key.expiration)))
    return lines


def log_expiring(settings: Settings, read_from: Iterable[Path]) -> None:
    """Name in the run's log each trusted key that expires within 60 days; never stops the run."""
    try:
        keys = trusted(settings, read_from)
    except SetupError as exc:
        log.info("trusted keys not checked for expiry: %s", exc.message)
        return
    for line in describe_expiring(keys):
        log.warning(line)
