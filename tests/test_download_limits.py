"""Downloads take bytes as sent and only so many: a body compressed against `Accept-Encoding: identity` is refused
(never decompressed), and a large download stops at its size limit (exit 11) instead of filling the disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from installer import download
from installer.errors import ExitCode
from installer.ui import UI
from tests.artifacts_support import make_jar
from tests.harness.artifact_server import ArtifactServer

QUIET = UI(quiet=True)
PATH = "/maven2/x/big.jar"


@pytest.fixture
def served(artifact_server: ArtifactServer, tmp_path: Path) -> str:
    artifact_server.publish_file(PATH, make_jar(tmp_path / "src", "big", 3 * 1024 * 1024))
    artifact_server.publish_file("/maven2/x/big.jar.sha1", b"0" * 40 + b"\n")
    return artifact_server.url_for(PATH)


def test_a_compressed_body_is_refused(artifact_server: ArtifactServer, served: str, tmp_path: Path) -> None:
    artifact_server.fault(PATH, "gzip")
    dest = tmp_path / "cache" / "big.jar"
    with pytest.raises(download.DownloadError) as raised:
        download.fetch(download.make_session(), served, dest, QUIET, label="big.jar", attempts=1)
    assert raised.value.code == ExitCode.ARTIFACT
    assert "compressed (gzip)" in raised.value.message
    assert not dest.exists() and not download.part_path(dest).exists()


def test_a_compressed_small_document_is_refused(artifact_server: ArtifactServer, served: str) -> None:
    artifact_server.fault("/maven2/x/big.jar.sha1", "gzip")
    with pytest.raises(download.DownloadError, match=r"compressed \(gzip\)"):
        download.get_document(download.make_session(), served + ".sha1")


def test_a_download_past_its_limit_stops(artifact_server: ArtifactServer, served: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(download, "LARGE_LIMIT", 1024 * 1024)
    dest = tmp_path / "cache" / "big.jar"
    with pytest.raises(download.DownloadError, match="larger than 1048576 bytes"):
        download.fetch(download.make_session(), served, dest, QUIET, label="big.jar", attempts=1)
    assert not download.part_path(dest).exists()
