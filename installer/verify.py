"""Checksums and OpenPGP signatures of downloaded files.

A jar counts as genuine when its detached `.asc` verifies against Digdir's code-signing key (shipped in `assets/`,
fingerprint pinned here) or a key the admin adds with /trusted-key. Sequoia judges a signature by the key's
validity at the time the signature was made: one made while the key was valid still counts after the key
expired; one made after the expiry, or before the key existed, does not.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pysequoia

from installer.errors import ExitCode, SetupError, first_line
from installer.messages import t
from installer.resources import asset_path

log = logging.getLogger(__name__)

# Sequoia maps a file into memory to read it on Unix (its buffered reader; on Windows it reads). A mapped jar
# counts whole in the process's resident set, so a 160 MB jar would take setup past its memory budget: read it
# in a stream instead. Set at import, before any thread runs, as Sequoia looks the variable up on each open.
os.environ.setdefault("SEQUOIA_DONT_MMAP", "1")

PINNED_KEY_ASSET = "digdir-eformidling-key.asc"
PINNED_FINGERPRINT = "aef27aa6948a3856932af98eca5643393753ece3"
ALGORITHM_NAMES = {"sha1": "SHA-1", "md5": "MD5", "sha256": "SHA-256"}
_HEX_LENGTH = {"sha1": 40, "md5": 32, "sha256": 64}
# `SHA1 (name) = hex`, as BSD tools write it.
_BSD_LINE = re.compile(r"^[A-Za-z0-9-]+ \(.*\) = ([0-9A-Fa-f]+)$")


class VerificationError(SetupError):
    """A file that is not what was published (exit 11)."""

    def __init__(self, message: str) -> None:
        super().__init__(ExitCode.ARTIFACT, message)




# --- checksums ---------------------------------------------------------------------------------------


def parse_checksum(data: bytes, algorithm: str, name: str) -> str:
    """The hex digest in a checksum file: bare hex, `hex  name`, `hex *name` or `ALGO (name) = hex`."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        bsd = _BSD_LINE.match(line)
        digest = bsd[1] if bsd else line.split()[0]
        if len(digest) == _HEX_LENGTH[algorithm] and re.fullmatch(r"[0-9A-Fa-f]+", digest):
            return digest.lower()
        break
    raise VerificationError(t("artifacts.checksum_unreadable", name=name, algorithm=ALGORITHM_NAMES[algorithm]))


def check_digest(algorithm: str, expected: str, actual: str, name: str) -> None:
    if not hmac.compare_digest(expected.lower(), actual.lower()):
        raise VerificationError(t("artifacts.checksum_mismatch", name=name, algorithm=ALGORITHM_NAMES[algorithm],
                                  expected=expected.lower(), actual=actual.lower()))
    log.info("%s: %s %s matches", name, ALGORITHM_NAMES[algorithm], actual.lower())


# --- keys --------------------------------------------------------------------------------------------


def trusted_keys(extra: Path | None = None) -> list[Any]:
    """Digdir's pinned key, plus the keys in `extra` (/trusted-key)."""
    pinned_file = asset_path(PINNED_KEY_ASSET)
    try:
        shipped = pysequoia.Cert.split_file(str(pinned_file))
    except (OSError, RuntimeError) as exc:
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.pinned_key_unreadable", path=pinned_file,
                                              reason=first_line(exc))) from None
    keys = [cert for cert in shipped if cert.fingerprint.lower() == PINNED_FINGERPRINT]
    if not keys:
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.pinned_key_unreadable", path=pinned_file,
                                              reason=t("artifacts.pinned_key_wrong", fingerprint=PINNED_FINGERPRINT)))
    if extra is not None:
        try:
            added = pysequoia.Cert.split_file(str(extra))
        except (OSError, RuntimeError) as exc:
            raise SetupError(ExitCode.BAD_COMMAND_LINE, t("artifacts.trusted_key_bad", path=extra,
                                                          reason=first_line(exc))) from None
        if not added:
            raise SetupError(ExitCode.BAD_COMMAND_LINE, t("artifacts.trusted_key_bad", path=extra,
                                                          reason=t("artifacts.no_key_in_file")))
        for cert in added:
            log.info("trusting the key %s from %s (expires %s)", cert.fingerprint, extra, cert.expiration or "never")
        keys.extend(added)
    return keys


def _key_created(cert: Any) -> dict[str, datetime]:
    """Creation time of the primary key and each subkey, by fingerprint."""
    created: dict[str, datetime] = {}
    for packet in pysequoia.packet.PacketPile.from_bytes(bytes(cert)):
        if packet.tag in (pysequoia.packet.Tag.PublicKey, pysequoia.packet.Tag.PublicSubkey) and packet.key_created:
            created[packet.fingerprint.lower()] = packet.key_created
    return created


# --- signatures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoodSignature:
    key: str  # fingerprint of the trusted certificate
    made: datetime | None
    key_expires: datetime | None


def _signer(sig: Any, keys: list[Any]) -> tuple[Any, dict[str, datetime]] | None:
    """The trusted certificate whose primary key or subkey made `sig`, with its keys' creation times."""
    issuer = (sig.issuer_fingerprint or "").lower()
    for cert in keys:
        created = _key_created(cert)
        if issuer in created or (sig.issuer_key_id and any(f.endswith(sig.issuer_key_id.lower()) for f in created)):
            return cert, created
    return None


def _why_not(sig: Any, keys: list[Any]) -> str:
    """A reason in the admin's terms for a signature Sequoia refused."""
    issuer = (sig.issuer_fingerprint or "").lower()
    made = sig.created
    found = _signer(sig, keys)
    if found is None:
        return t("artifacts.sig_unknown_key", issuer=issuer or sig.issuer_key_id or "?",
                 keys=", ".join(cert.fingerprint for cert in keys))
    cert, created = found
    key_made = created.get(issuer) or min(created.values())
    if made is not None and made < key_made:
        return t("artifacts.sig_before_key", made=_day(made), fingerprint=cert.fingerprint, created=_day(key_made))
    if made is not None and cert.expiration is not None and made > cert.expiration:
        return t("artifacts.sig_after_expiry", made=_day(made), fingerprint=cert.fingerprint,
                 expired=_day(cert.expiration))
    return t("artifacts.sig_does_not_match", fingerprint=cert.fingerprint)


def expired_signer(asc: bytes, keys: list[Any]) -> Any | None:
    """The trusted key that made the signature `asc` when that key had already expired (a newer copy of it may
    extend it), else None."""
    try:
        sig = pysequoia.Sig.from_bytes(asc)
    except (RuntimeError, ValueError):
        return None
    found = _signer(sig, keys)
    if found is None or sig.created is None:
        return None
    cert = found[0]
    return cert if cert.expiration is not None and sig.created > cert.expiration else None


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def verify_signature(data: Path, asc: bytes, keys: list[Any], name: str) -> GoodSignature:
    """Check the detached signature `asc` of the file `data`; raises VerificationError unless a trusted key made
    it while that key was valid."""
    try:
        sig = pysequoia.Sig.from_bytes(asc)
    except (RuntimeError, ValueError) as exc:
        raise VerificationError(t("artifacts.signature_unreadable", name=name, reason=first_line(exc))) from None
    try:
        result = pysequoia.verify(file=str(data), store=lambda _ids: keys, signature=sig)
    except (RuntimeError, ValueError) as exc:
        log.info("%s: signature refused: %s", name, first_line(exc))
        raise VerificationError(t("artifacts.signature_bad", name=name, reason=_why_not(sig, keys))) from None
    if not result.valid_sigs:
        raise VerificationError(t("artifacts.signature_bad", name=name, reason=_why_not(sig, keys)))
    fingerprint = result.valid_sigs[0].certificate.lower()
    cert = next((c for c in keys if c.fingerprint.lower() == fingerprint), None)
    expires = cert.expiration if cert is not None else None
    made = sig.created
    log.info("%s: good signature by %s, made %s", name, fingerprint, _day(made) if made else "at an unknown time")
    if expires is not None and expires < datetime.now(UTC):
        log.info("%s: the key %s expired on %s; the signature was made while it was valid, so it counts",
                 name, fingerprint, _day(expires))
    return GoodSignature(key=fingerprint, made=made, key_expires=expires)
