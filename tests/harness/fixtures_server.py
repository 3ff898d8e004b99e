"""Fixtures of the server part of the test harness: the artifact server (HTTP and HTTPS) and signing keys.

Each test gets a fresh server (start-up costs about a millisecond), so no faults, files or log entries leak from
one test into the next. The signing key is made once per session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.harness.artifact_server import ArtifactServer
from tests.harness.signing import ROTATED_CREATED, ROTATED_OLD_EXPIRY, RotatedKey, SigningKey


@pytest.fixture
def artifact_server() -> Iterator[ArtifactServer]:
    """A fresh plain-HTTP server on 127.0.0.1 with nothing published."""
    with ArtifactServer() as server:
        yield server


@pytest.fixture
def https_artifact_server() -> Iterator[ArtifactServer]:
    """A fresh HTTPS server; trust it with SSL_CERT_FILE / REQUESTS_CA_BUNDLE = `server.ca_bundle`."""
    with ArtifactServer(https=True) as server:
        yield server


@pytest.fixture(scope="session")
def signing_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SigningKey]:
    """The session's OpenPGP key: `.public_key_path`, `.fingerprint`, `.sign(path) -> bytes`."""
    key = SigningKey.create(tmp_path_factory.mktemp("gpg"))
    yield key
    key.close()


@pytest.fixture
def make_signing_key(tmp_path: Path) -> Iterator[Callable[..., SigningKey]]:
    """Factory for extra keys, e.g. `make_signing_key(created=..., expires=...)`; all removed after the test."""
    made: list[SigningKey] = []

    def make(**options: object) -> SigningKey:
        key = SigningKey.create(tmp_path, **options)  # type: ignore[arg-type]
        made.append(key)
        return key

    yield make
    for key in made:
        key.close()


@pytest.fixture
def rotated_key(make_signing_key: Callable[..., SigningKey], tmp_path: Path) -> RotatedKey:
    """A key rotated as Digdir's was (old copy expired, same key extended): see RotatedKey."""
    key = make_signing_key(created=ROTATED_CREATED, expires=ROTATED_OLD_EXPIRY)
    return RotatedKey.create(key, tmp_path)
