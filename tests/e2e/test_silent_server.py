"""A server that takes the request and never answers (the artifact server's `hang` fault): one download's
patience is bounded over all its tries and urllib3's own retries, a line says what setup waits for, and the end
is exit 11 naming the URL. The limit is shortened through IPSETUP_SILENCE_LIMIT; nothing here is mocked."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from installer import transfer
from installer.errors import ExitCode, same_exit_code
from installer.ui import UI
from tests.artifacts_support import installer_log, make_jar
from tests.harness.artifact_server import ArtifactServer
from tests.harness.fixtures_world import FAST, World
from tests.harness.ports import free_port

LIMIT = 2.0
QUIET = UI(quiet=True)


@pytest.fixture
def short_patience(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setenv(transfer.SILENCE_ENV, str(LIMIT))
    return LIMIT


def test_a_silent_server_ends_a_download_after_the_limit_not_after_every_try(
        artifact_server: ArtifactServer, tmp_path: Path, short_patience: float) -> None:
    path = "/maven2/x/big.jar"
    url = artifact_server.publish_file(path, make_jar(tmp_path / "src", "big", 100_000))
    artifact_server.fault(path, "hang")
    started = time.monotonic()
    with installer_log() as log, pytest.raises(transfer.DownloadError) as failed:
        transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    took = time.monotonic() - started
    assert short_patience <= took < short_patience + 3, took
    assert failed.value.code == ExitCode.ARTIFACT
    assert url in failed.value.message and "did not answer" in failed.value.message
    assert "Waiting for " + url in log.text()
    assert len(artifact_server.requests_for(path)) >= 2  # asked again within the limit, not once and given up


def test_a_server_that_refuses_ends_after_its_tries_not_after_the_limit(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(transfer.SILENCE_ENV, "60")
    url = f"http://127.0.0.1:{free_port()}/maven2/x/big.jar"  # nothing listens: every connect is refused
    started = time.monotonic()
    with pytest.raises(transfer.DownloadError) as failed:
        transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    assert time.monotonic() - started < 20
    assert failed.value.code == ExitCode.ARTIFACT and "did not answer" not in failed.value.message


def test_a_silent_version_list_ends_after_the_limit(artifact_server: ArtifactServer, tmp_path: Path,
                                                    short_patience: float) -> None:
    path = "/raw/list.yml"
    url = artifact_server.publish_file(path, b"a: b\n")
    artifact_server.fault(path, "hang")
    session = transfer.make_session()
    started = time.monotonic()
    with pytest.raises(transfer.DownloadError) as failed:
        transfer.get_document(session, url)
    assert time.monotonic() - started < short_patience + 3
    assert "did not answer" in failed.value.message
    # The same server is not waited for again in this run.
    other = artifact_server.publish_file("/raw/other.yml", b"c: d\n")
    started = time.monotonic()
    with pytest.raises(transfer.DownloadError):
        transfer.get_document(session, other)
    assert time.monotonic() - started < 0.5


def test_a_slow_server_that_keeps_sending_is_not_cut_off(artifact_server: ArtifactServer, tmp_path: Path,
                                                         short_patience: float) -> None:
    """The limit counts time without a byte: a download that takes longer than it but keeps moving goes on."""
    path = "/maven2/x/slow.jar"
    jar = make_jar(tmp_path / "src", "slow", 300_000)
    url = artifact_server.publish_file(path, jar)
    artifact_server.fault(path, "slow", rate=100_000)
    started = time.monotonic()
    fetched = transfer.fetch(transfer.make_session(), url, tmp_path / "slow.jar", QUIET, label="slow.jar")
    assert time.monotonic() - started > short_patience
    assert fetched.size == jar.stat().st_size


def test_install_from_a_silent_server_is_exit_11_naming_it_and_nothing_changed(world: World) -> None:
    world.publish("2.28.1")
    jar = world.server.jar_path("2.28.1")
    world.server.fault(jar, "hang")
    started = time.monotonic()
    proc = world.setup("/install", "2.28.1", *FAST, "/properties", str(world.properties),
                       env={transfer.SILENCE_ENV: str(LIMIT)})
    assert time.monotonic() - started < 60
    assert same_exit_code(proc.returncode, ExitCode.ARTIFACT), proc.stderr[-2000:]
    last = proc.stderr.strip().splitlines()[-1]
    assert world.server.url_for(jar) in last and "did not answer" in last
    assert "Waiting for " + world.server.url_for(jar) in proc.stderr
    assert not (world.folder / "integrasjonspunkt-service.exe").exists()
