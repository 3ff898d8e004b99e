"""Downloads against the artifact server: streaming with hashing, resume after a cut, servers that ignore or
botch Range, retries, HTTPS with the test CA and the system trust store, refused redirects, memory use."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from installer import artifacts, resolution, transfer
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.releases import release_for_tag
from installer.ui import UI
from tests.artifacts_support import clear_ca_environment, installer_log, make_jar, publish, settings_for, snapshot
from tests.harness.artifact_server import ArtifactServer
from tests.harness.signing import SigningKey

SIZE = 3 * 1024 * 1024 + 123  # several chunks, and a ragged end
QUIET = UI(quiet=True)


def _digests(path: Path) -> dict[str, str]:
    data = path.read_bytes()
    return {name: hashlib.new(name, data).hexdigest() for name in ("sha1", "md5", "sha256")}


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    return make_jar(tmp_path / "src", "big", SIZE)


def _serve(server: ArtifactServer, big: Path, path: str = "/maven2/x/big.jar") -> str:
    server.publish_file(path, big)
    return server.url_for(path)


def _leave_a_part(server: ArtifactServer, url: str, dest: Path) -> None:
    """One try that the server cuts after 500,000 bytes: the run fails and leaves `<dest>.part` to resume."""
    server.fault("/maven2/x/big.jar", "cut", after=500_000, times=1)
    with pytest.raises(SetupError):
        transfer.fetch(transfer.make_session(), url, dest, QUIET, label=dest.name, attempts=1)


def test_fetch_streams_to_part_and_hashes(artifact_server: ArtifactServer, big_file: Path, tmp_path: Path) -> None:
    url = _serve(artifact_server, big_file)
    dest = tmp_path / "cache" / "big.jar"
    with installer_log() as log:
        fetched = transfer.fetch(transfer.make_session(), url, dest, QUIET, label="big.jar",
                                 algorithms=("sha1", "md5", "sha256"))
    assert fetched.part == tmp_path / "cache" / "big.jar.part" and not dest.exists()
    assert fetched.size == SIZE
    assert fetched.digests == _digests(big_file)
    transfer.promote(fetched, dest)
    assert dest.read_bytes() == big_file.read_bytes()
    assert not fetched.part.exists()
    assert f"{SIZE:,} bytes in" in log.text()
    [request] = artifact_server.requests_for("/maven2/x/big.jar")
    assert request.headers.get("Accept-Encoding") == "identity" and "Range" not in request.headers


def test_cut_connection_is_resumed_with_only_the_rest_sent(
    artifact_server: ArtifactServer, big_file: Path, tmp_path: Path
) -> None:
    url = _serve(artifact_server, big_file)
    artifact_server.fault("/maven2/x/big.jar", "cut", after=1_000_000, times=1)
    fetched = transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    assert fetched.digests["sha1"] == _digests(big_file)["sha1"]
    first, second = artifact_server.requests_for("/maven2/x/big.jar")
    assert "Range" not in first.headers
    assert second.headers["Range"] == "bytes=1000000-" and second.status == 206
    assert artifact_server.sent_bytes("/maven2/x/big.jar") == SIZE, "1,000,000 bytes, then the rest"


def test_interrupted_download_is_resumed_by_the_next_run(
    artifact_server: ArtifactServer, big_file: Path, tmp_path: Path
) -> None:
    url = _serve(artifact_server, big_file)
    dest = tmp_path / "big.jar"
    artifact_server.fault("/maven2/x/big.jar", "cut", after=300_000)
    with pytest.raises(SetupError) as caught:
        transfer.fetch(transfer.make_session(), url, dest, QUIET, label="big.jar", attempts=2)
    assert caught.value.code == ExitCode.ARTIFACT and "again to resume" in caught.value.message
    assert transfer.part_path(dest).stat().st_size == 600_000, "each try kept what it got"
    artifact_server.clear_faults()
    artifact_server.clear_log()
    fetched = transfer.fetch(transfer.make_session(), url, dest, QUIET, label="big.jar")
    assert fetched.digests["sha1"] == _digests(big_file)["sha1"]
    [request] = artifact_server.requests_for("/maven2/x/big.jar")
    assert request.headers["Range"] == "bytes=600000-"
    assert artifact_server.sent_bytes() == SIZE - 600_000


def test_server_ignoring_range_starts_over(artifact_server: ArtifactServer, big_file: Path, tmp_path: Path) -> None:
    url = _serve(artifact_server, big_file)
    _leave_a_part(artifact_server, url, tmp_path / "big.jar")
    artifact_server.fault("/maven2/x/big.jar", "no_range")
    fetched = transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    assert fetched.size == SIZE and fetched.digests == {"sha1": _digests(big_file)["sha1"]}
    statuses = [r.status for r in artifact_server.requests_for("/maven2/x/big.jar")]
    assert statuses == [200, 200]


def test_wrong_content_range_is_refused_and_started_over(
    artifact_server: ArtifactServer, big_file: Path, tmp_path: Path
) -> None:
    url = _serve(artifact_server, big_file)
    _leave_a_part(artifact_server, url, tmp_path / "big.jar")
    artifact_server.fault("/maven2/x/big.jar", "wrong_range", times=1)
    with installer_log() as log:
        fetched = transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    assert fetched.digests["sha1"] == _digests(big_file)["sha1"]
    requests = artifact_server.requests_for("/maven2/x/big.jar")
    assert [(r.headers.get("Range"), r.status) for r in requests] == [
        (None, 200), ("bytes=500000-", 206), (None, 200)]
    assert "Content-Range" in log.text()


def test_file_changed_on_the_server_starts_over(
    artifact_server: ArtifactServer, big_file: Path, tmp_path: Path
) -> None:
    url = _serve(artifact_server, big_file)
    _leave_a_part(artifact_server, url, tmp_path / "big.jar")
    changed = make_jar(tmp_path / "changed", "changed", SIZE - 4096)
    artifact_server.publish_file("/maven2/x/big.jar", changed)
    fetched = transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    assert fetched.digests["sha1"] == _digests(changed)["sha1"]


def test_part_of_another_url_is_not_resumed(artifact_server: ArtifactServer, big_file: Path, tmp_path: Path) -> None:
    url = _serve(artifact_server, big_file)
    dest = tmp_path / "big.jar"
    transfer.part_path(dest).write_bytes(b"left over by something else")
    fetched = transfer.fetch(transfer.make_session(), url, dest, QUIET, label="big.jar")
    assert fetched.digests["sha1"] == _digests(big_file)["sha1"]
    [request] = artifact_server.requests_for("/maven2/x/big.jar")
    assert "Range" not in request.headers


def test_server_errors_then_success(artifact_server: ArtifactServer, big_file: Path, tmp_path: Path) -> None:
    url = _serve(artifact_server, big_file)
    artifact_server.fault("/maven2/x/big.jar", "error", times=2)
    fetched = transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    assert fetched.size == SIZE
    assert [r.status for r in artifact_server.requests_for("/maven2/x/big.jar")] == [500, 500, 200]


def test_rate_limit_with_retry_after(artifact_server: ArtifactServer, big_file: Path, tmp_path: Path) -> None:
    url = _serve(artifact_server, big_file)
    artifact_server.fault("/maven2/x/big.jar", "error", status=429, retry_after=1, times=1)
    fetched = transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    assert fetched.size == SIZE
    assert [r.status for r in artifact_server.requests_for("/maven2/x/big.jar")] == [429, 200]


def test_persistent_server_error_is_exit_11(artifact_server: ArtifactServer, big_file: Path, tmp_path: Path) -> None:
    url = _serve(artifact_server, big_file)
    artifact_server.fault("/maven2/x/big.jar", "error", status=502)
    with pytest.raises(SetupError) as caught:
        transfer.fetch(transfer.make_session(), url, tmp_path / "big.jar", QUIET, label="big.jar")
    assert caught.value.code == ExitCode.ARTIFACT and "502" in caught.value.message


def test_the_file_is_never_held_in_memory(artifact_server: ArtifactServer, tmp_path: Path) -> None:
    big = make_jar(tmp_path / "src", "huge", 48 * 1024 * 1024)
    url = _serve(artifact_server, big)
    tracemalloc.start()
    try:
        fetched = transfer.fetch(transfer.make_session(), url, tmp_path / "huge.jar", QUIET, label="huge.jar",
                                 algorithms=("sha1", "md5"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert fetched.size == big.stat().st_size
    assert peak < 24 * 1024 * 1024, f"peak {peak:,} bytes for a {fetched.size:,}-byte file"


def test_copy_local_hashes_too(big_file: Path, tmp_path: Path) -> None:
    fetched = transfer.copy_local(big_file, tmp_path / "copy" / "big.jar", QUIET, label="big.jar",
                                  algorithms=("sha1", "sha256"))
    assert fetched.digests == {k: v for k, v in _digests(big_file).items() if k != "md5"}
    with pytest.raises(SetupError) as caught:
        transfer.copy_local(tmp_path / "missing.jar", tmp_path / "copy" / "x.jar", QUIET, label="x")
    assert caught.value.code == ExitCode.ARTIFACT


# --- the jar through the facade: faults leave nothing outside .setup/ ----------------------------------


@pytest.fixture
def install_folder(tmp_path: Path) -> Layout:
    """An installation's folder with a jar, properties and data that a failed download must not touch."""
    layout = Layout(tmp_path / "ip")
    layout.root.mkdir()
    (layout.root / "integrasjonspunkt-2.28.0.jar").write_bytes(b"old jar")
    layout.properties.write_text("difi.move.org.number=910076787\n")
    (layout.root / "messages").mkdir()
    return layout


def test_corrupt_jar_is_exit_11_and_changes_nothing(
    artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, install_folder: Layout
) -> None:
    jar = publish(artifact_server, signing_key, tmp_path, "2.28.1", size=SIZE)
    path = artifact_server.maven_jar_path("2.28.1")
    artifact_server.fault(path, "corrupt", times=1)
    settings = settings_for(artifact_server, signing_key)
    release = release_for_tag("2.28.1")
    before = snapshot(install_folder.root)
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_jar(release, settings, install_folder, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT
    assert "SHA-1" in caught.value.message and "discarded" in caught.value.message
    assert snapshot(install_folder.root) == before
    cached = list(install_folder.cache.rglob("*.jar*"))
    assert cached == [], "a corrupt download is not kept for resuming"
    got = artifacts.obtain_cached_jar(release, settings, install_folder, QUIET)
    assert got.read_bytes() == jar.read_bytes()


def test_cut_jar_is_resumed_by_the_next_run(
    artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, install_folder: Layout,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transfer, "ATTEMPTS", 1)
    jar = publish(artifact_server, signing_key, tmp_path, "v4.0.8", size=SIZE)
    artifact_server.fault(artifact_server.github_jar_path("v4.0.8"), "cut", after=2_000_000, times=1)
    settings = settings_for(artifact_server, signing_key)
    before = snapshot(install_folder.root)
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_jar(release_for_tag("v4.0.8"), settings, install_folder, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT
    assert snapshot(install_folder.root) == before
    [part] = install_folder.cache.rglob("*.part")
    assert part.stat().st_size == 2_000_000
    got = artifacts.obtain_cached_jar(release_for_tag("v4.0.8"), settings, install_folder, QUIET)
    assert got.read_bytes() == jar.read_bytes()
    assert got == install_folder.cache / "github" / "v4.0.8" / "integrasjonspunkt-v4.0.8.jar"
    objects = [r for r in artifact_server.requests_log if r.path.endswith("integrasjonspunkt-v4.0.8.jar")
               and r.path.startswith("/objects/")]
    assert [r.headers.get("Range") for r in objects] == [None, "bytes=2000000-"]


def test_missing_jar_is_exit_11(
    artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, install_folder: Layout
) -> None:
    publish(artifact_server, signing_key, tmp_path, "2.28.1")
    artifact_server.fault(artifact_server.maven_jar_path("2.28.1"), "missing")
    before = snapshot(install_folder.root)
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings_for(artifact_server, signing_key),
                              install_folder, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT and "404" in caught.value.message
    assert snapshot(install_folder.root) == before


def test_verified_jar_in_the_cache_is_not_fetched_again(
    artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, install_folder: Layout
) -> None:
    publish(artifact_server, signing_key, tmp_path, "2.28.1")
    settings = settings_for(artifact_server, signing_key)
    first = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings, install_folder, QUIET)
    artifact_server.clear_log()
    assert artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings, install_folder, QUIET) == first
    assert artifact_server.requests_log == []
    # A cached copy that no longer verifies is fetched again.
    first.write_bytes(b"tampered")
    again = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings, install_folder, QUIET)
    assert again.read_bytes() != b"tampered"
    assert artifact_server.requests_log != []


# --- TLS ---------------------------------------------------------------------------------------------


def test_https_with_the_test_ca(
    https_artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, install_folder: Layout,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clear_ca_environment(monkeypatch)
    monkeypatch.setenv("SSL_CERT_FILE", str(https_artifact_server.ca_bundle))
    jar = publish(https_artifact_server, signing_key, tmp_path, "v4.0.8")
    https_artifact_server.set_latest_versions({"production": {"latest": "v4.0.8", "earlybird": "v4.0.8"}})
    settings = settings_for(https_artifact_server, signing_key)
    with installer_log() as log:
        release = resolution.resolve_release(settings, None, installed=None, failed=[])
        got = artifacts.obtain_cached_jar(release, settings, install_folder, QUIET)
    assert got.read_bytes() == jar.read_bytes()
    assert f"trusting the CA bundle {https_artifact_server.ca_bundle}" in log.text()


def test_https_with_an_unknown_ca_is_exit_11(
    https_artifact_server: ArtifactServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clear_ca_environment(monkeypatch)
    empty = tmp_path / "no-certs"
    empty.mkdir()
    monkeypatch.setenv("SSL_CERT_DIR", str(empty))
    https_artifact_server.set_latest_versions({"production": {"latest": "v4.0.8", "earlybird": "v4.0.8"}})
    with pytest.raises(SetupError) as caught:
        resolution.resolve_release(settings_for(https_artifact_server), None, installed=None, failed=[])
    assert caught.value.code == ExitCode.ARTIFACT
    assert "certificate verify failed" in caught.value.message
    assert "Traceback" not in caught.value.message and "0x" not in caught.value.message


def test_https_through_the_system_trust_store(
    https_artifact_server: ArtifactServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No bundle named: truststore verifies against the system store, here OpenSSL's SSL_CERT_DIR holding the
    test CA (as a hashed name, the way /etc/ssl/certs is laid out)."""
    clear_ca_environment(monkeypatch)
    store = tmp_path / "system-store"
    store.mkdir()
    ca = https_artifact_server.ca_bundle
    digest = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", str(ca)], capture_output=True,
                            text=True, check=True).stdout.strip()
    shutil.copy(ca, store / f"{digest}.0")
    monkeypatch.setenv("SSL_CERT_DIR", str(store))
    https_artifact_server.set_latest_versions({"production": {"latest": "v4.0.8", "earlybird": "v4.0.8"}})
    with installer_log() as log:
        release = resolution.resolve_release(settings_for(https_artifact_server), None, installed=None, failed=[])
    assert release.tag == "v4.0.8"
    assert "trusting the CA bundle" not in log.text()


def test_redirect_to_plain_http_elsewhere_is_refused(
    signing_key: SigningKey, tmp_path: Path, install_folder: Layout
) -> None:
    # Listening on every interface, the server redirects downloads to its own URL, http://0.0.0.0:<port>: a plain
    # HTTP origin that is not loopback, while the configured base is http://127.0.0.1.
    with ArtifactServer(host="0.0.0.0") as server:
        publish(server, signing_key, tmp_path, "v4.0.8")
        settings = settings_for(server, signing_key)
        settings.github_releases = settings.github_releases.replace("0.0.0.0", "127.0.0.1")
        before = snapshot(install_folder.root)
        with pytest.raises(SetupError) as caught:
            artifacts.obtain_cached_jar(release_for_tag("v4.0.8"), settings, install_folder, QUIET)
        assert caught.value.code == ExitCode.ARTIFACT
        assert "not HTTPS" in caught.value.message and "0.0.0.0" in caught.value.message
        assert snapshot(install_folder.root) == before
        assert not any(r.path.startswith("/objects/") for r in server.requests_log)
