"""Helpers shared by the artifacts tests: settings pointing at the artifact server, published jars, folder
snapshots and the installer's log records."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from installer.settings import Settings
from tests.harness.artifact_server import ArtifactServer
from tests.harness.signing import RotatedKey, SigningKey

CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR")


def settings_for(server: ArtifactServer, key: SigningKey | None = None, **changes: object) -> Settings:
    """Settings whose sources are the test server (and whose trusted key is the test key)."""
    settings = Settings(
        maven_repo=server.maven_repo,
        github_releases=server.github_releases,
        github_api=server.github_api,
        versions_url=server.versions_url,
        winsw_releases=server.winsw_releases,
        key_url=server.key_url,
        trusted_key=key.public_key_path if key is not None else None,
    )
    for name, value in changes.items():
        setattr(settings, name, value)
    return settings


def make_jar(directory: Path, tag: str, size: int = 200_000) -> Path:
    """Bytes that differ per tag, long enough to arrive in several chunks when `size` is large."""
    directory.mkdir(parents=True, exist_ok=True)
    seed = hashlib.sha256(tag.encode()).digest()
    block = hashlib.sha512(seed).digest() * 64  # 4 KiB
    data = (block * (size // len(block) + 1))[:size]
    # Vary every 4 KiB so a corrupt or misplaced range cannot go unnoticed.
    mutable = bytearray(data)
    for offset in range(0, size, 4096):
        mutable[offset : offset + 8] = offset.to_bytes(8, "big")
    path = directory / f"integrasjonspunkt-{tag}.jar"
    path.write_bytes(bytes(mutable))
    return path


def publish(
    server: ArtifactServer, key: SigningKey, directory: Path, tag: str, *, size: int = 200_000, **options: object
) -> Path:
    """Make, sign and publish the jar of `tag`; returns the jar as built."""
    jar = make_jar(directory / tag, tag, size)
    if "asc" not in options:
        options["asc"] = key.sign(jar)
    server.publish_jar(tag, jar, **options)  # type: ignore[arg-type]
    return jar


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder outside `.setup/`, with size and modification time."""
    if not folder.exists():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0] == ".setup":
            continue
        info = path.stat()
        found[relative.as_posix()] = (info.st_size if path.is_file() else -1, info.st_mtime_ns)
    return found


class LogRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self, level: int = logging.DEBUG) -> str:
        return "\n".join(r.getMessage() for r in self.records if r.levelno >= level)


@contextlib.contextmanager
def installer_log() -> Iterator[LogRecords]:
    """The records of the `installer` loggers while the block runs (attached there: a run of the CLI stops their
    propagation to the root logger)."""
    handler = LogRecords()
    logger = logging.getLogger("installer")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def clear_ca_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No CA bundle named in the environment: each test says what it trusts."""
    for name in CA_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def publish_signed_late(server: ArtifactServer, rotated: RotatedKey, directory: Path, tag: str = "2.28.1") -> Path:
    """Publish the jar of `tag` signed by `rotated` after its old copy expired; returns the jar."""
    jar = make_jar(directory / tag, tag)
    server.publish_jar(tag, jar, asc=rotated.sign_late(jar))
    return jar
