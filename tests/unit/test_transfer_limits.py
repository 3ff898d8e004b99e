"""Downloads take bytes as sent and only so many: a body compressed against `Accept-Encoding: identity` is refused
(never decompressed), and a large download stops at its size limit (exit 11) instead of filling the disk. A broken
offline index is exit 11 too, never an internal error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from installer import cli, transfer
from installer.errors import ExitCode
from installer.messages import set_language
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
    with pytest.raises(transfer.DownloadError) as raised:
        transfer.fetch(transfer.make_session(), served, dest, QUIET, label="big.jar", attempts=1)
    assert raised.value.code == ExitCode.ARTIFACT
    assert "compressed (gzip)" in raised.value.message
    assert not dest.exists() and not transfer.part_path(dest).exists()


def test_a_compressed_small_document_is_refused(artifact_server: ArtifactServer, served: str) -> None:
    artifact_server.fault("/maven2/x/big.jar.sha1", "gzip")
    with pytest.raises(transfer.DownloadError, match=r"compressed \(gzip\)"):
        transfer.get_document(transfer.make_session(), served + ".sha1")


def test_a_download_past_its_limit_stops(artifact_server: ArtifactServer, served: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer, "LARGE_LIMIT", 1024 * 1024)
    dest = tmp_path / "cache" / "big.jar"
    with pytest.raises(transfer.DownloadError, match="larger than 1048576 bytes"):
        transfer.fetch(transfer.make_session(), served, dest, QUIET, label="big.jar", attempts=1)
    assert not transfer.part_path(dest).exists()


@pytest.mark.parametrize("latest", [{"production": "v4.0.8"}, {"production": ["v4.0.8"]},
                                    {"production": {"latest": 408}}])
def test_an_offline_index_whose_latest_versions_is_not_a_map_is_exit_11(
        tmp_path: Path, latest: object, capsys: pytest.CaptureFixture[str]) -> None:
    offline = tmp_path / "offline"
    offline.mkdir()
    (offline / "index.json").write_text(json.dumps({"jars": [{"tag": "v4.0.8", "prerelease": False}],
                                                    "latest_versions": latest}))
    set_language("en")
    code = cli.main(["/check", "latest", "/offline", str(offline), "/dir", str(tmp_path / "ip"), "/json"])
    document = json.loads(capsys.readouterr().out)
    assert code == ExitCode.ARTIFACT, document
    assert "latest_versions is not a map" in document["message"]
