"""A throwaway OpenPGP signing key made with `gpg` in its own temporary GNUPGHOME.

`SigningKey.create()` makes a key without a passphrase; `sign(path)` returns a detached armored signature (what
`gpg --detach-sign --armor` writes to a `.asc`). Times can be faked (`created=`, `at=`; gpg's
`--faked-system-time`), so tests can hold keys that expired before or after a signature was made. `set_expiry`,
`add_user_id` and `revoke` change the key as its owner would (a new self-signature) and export it again: read
`public_key` before and after to hold an old and a new copy of the same key.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_UID = "ipsetup test signer <signer@example.invalid>"


def _epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("use an aware datetime (e.g. tzinfo=UTC) for faked gpg times")
    return int(moment.timestamp())


class SigningKey:
    """One secret key in its own GNUPGHOME; `public_key_path` holds the armored public key."""

    def __init__(self, home: Path, fingerprint: str, public_key_path: Path) -> None:
        self.home = home
        self.fingerprint = fingerprint
        self.public_key_path = public_key_path

    @classmethod
    def create(
        cls,
        directory: Path | None = None,
        *,
        uid: str = DEFAULT_UID,
        algo: str = "ed25519",
        created: datetime | None = None,
        expires: datetime | None = None,
    ) -> SigningKey:
        """Make a signing key in a fresh GNUPGHOME (under `directory`, else a temp folder).

        `created` fakes the key's creation time; `expires` sets its expiry (absolute).
        """
        if shutil.which("gpg") is None:
            raise RuntimeError("the gpg command is needed to make a test signing key")
        # A short path: gpg-agent's socket must fit in a Unix socket name.
        home = Path(tempfile.mkdtemp(prefix="ipgpg-", dir=directory))
        home.chmod(0o700)
        key = cls(home, "", home / "public-key.asc")
        expiry = "never"
        if expires is not None:
            start = _epoch(created) if created is not None else int(datetime.now().timestamp())
            expiry = f"seconds={_epoch(expires) - start}"
        key._gpg("--quick-gen-key", uid, algo, "sign", expiry, at=created)
        key.fingerprint = key._find_fingerprint()
        key._export_public()
        log.info("test signing key %s in %s", key.fingerprint, home)
        return key

    def _gpg(self, *args: str, at: datetime | None = None, input_bytes: bytes | None = None) -> bytes:
        cmd = ["gpg", "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""]
        if at is not None:
            # '!' freezes the faked clock, so the time stamps are exactly `at`.
            cmd += ["--faked-system-time", f"{_epoch(at)}!", "--ignore-time-conflict"]
        cmd += list(args)
        env = {**os.environ, "GNUPGHOME": str(self.home)}
        log.debug("running %s", cmd)
        done = subprocess.run(cmd, input=input_bytes, capture_output=True, env=env, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"gpg {args[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
        return done.stdout

    def _find_fingerprint(self) -> str:
        listing = self._gpg("--with-colons", "--list-secret-keys").decode()
        for line in listing.splitlines():
            if line.startswith("fpr:"):
                return line.split(":")[9]
        raise RuntimeError("gpg made no key")

    def _export_public(self) -> None:
        self.public_key_path.write_bytes(self._gpg("--armor", "--export", self.fingerprint))

    @property
    def public_key(self) -> bytes:
        return self.public_key_path.read_bytes()

    def sign_bytes(self, data: bytes, *, at: datetime | None = None) -> bytes:
        """A detached armored signature of `data`; `at` fakes the signature's time."""
        return self._gpg(
            "--local-user", self.fingerprint, "--detach-sign", "--armor", "--output", "-", at=at, input_bytes=data
        )

    def sign(self, path: Path, *, at: datetime | None = None) -> bytes:
        """A detached armored signature of the file at `path` (the bytes of its `.asc`)."""
        return self._gpg(
            "--local-user", self.fingerprint, "--detach-sign", "--armor", "--output", "-", str(path), at=at
        )

    def set_expiry(self, expires: datetime, *, at: datetime | None = None) -> None:
        """Give the key a new expiry (made at `at`), and export the public key again."""
        # gpg counts the seconds from its (possibly faked) clock.
        now = _epoch(at) if at is not None else int(datetime.now().timestamp())
        self._gpg("--quick-set-expire", self.fingerprint, f"seconds={_epoch(expires) - now}", at=at)
        self._export_public()

    def revoke(self) -> None:
        """Revoke the key with the revocation certificate gpg made with it, and export the public key again."""
        made = (self.home / "openpgp-revocs.d" / f"{self.fingerprint}.rev").read_text()
        # gpg guards the certificate with a ':' before its armor line, so it is not imported by accident.
        self._gpg("--import", input_bytes=made.replace(":-----BEGIN", "-----BEGIN").encode())
        self._export_public()

    def add_user_id(self, uid: str, *, at: datetime | None = None) -> None:
        """One more user ID, self-signed (made at `at`), and export the public key again."""
        self._gpg("--quick-add-uid", self.fingerprint, uid, at=at)
        self._export_public()

    def verify(self, path: Path, signature: bytes) -> bool:
        """gpg's own verdict (with this key's keyring): True when the signature is good."""
        sig = self.home / "verify.asc"
        sig.write_bytes(signature)
        try:
            self._gpg("--verify", str(sig), str(path))
        except RuntimeError:
            return False
        return True

    def close(self) -> None:
        """Stop this home's gpg-agent and delete the home."""
        subprocess.run(
            ["gpgconf", "--kill", "gpg-agent"],
            env={**os.environ, "GNUPGHOME": str(self.home)},
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.home, ignore_errors=True)


# The dates of a key rotated as Digdir's was: the old copy expired, the same key extended, a release signed between.
ROTATED_CREATED = datetime(2020, 1, 1, tzinfo=UTC)
ROTATED_OLD_EXPIRY = datetime(2021, 1, 1, tzinfo=UTC)
ROTATED_EXTENDED_AT = datetime(2021, 6, 1, tzinfo=UTC)
ROTATED_NEW_EXPIRY = datetime(2031, 1, 1, tzinfo=UTC)
ROTATED_SIGNED = datetime(2022, 1, 1, tzinfo=UTC)  # after the old copy's expiry


@dataclass
class RotatedKey:
    """One key in two copies: `old` (a file) expired before ROTATED_SIGNED; `extended` is the same key with a newer
    self-signature that moves its expiry to 2031. `sign_late(path)` signs at ROTATED_SIGNED."""

    key: SigningKey
    old: Path
    extended: bytes

    @classmethod
    def create(cls, key: SigningKey, directory: Path) -> RotatedKey:
        old = directory / f"old-{key.fingerprint}.asc"
        old.write_bytes(key.public_key)
        key.set_expiry(ROTATED_NEW_EXPIRY, at=ROTATED_EXTENDED_AT)
        return cls(key, old, key.public_key)

    def trusting_old(self) -> SigningKey:
        """The key as the admin has it: its `public_key_path` is the old copy (for /trusted-key)."""
        return SigningKey(self.key.home, self.key.fingerprint, self.old)

    def sign_late(self, path: Path) -> bytes:
        return self.key.sign(path, at=ROTATED_SIGNED)
