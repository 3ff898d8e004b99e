"""`/download SPEC /to DIR` through the command line, then installs from that folder with `/offline` (ranges and
`latest` resolved against its index), with the server gone."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from installer import artifacts, cli, keys, resolution
from installer.errors import ExitCode, SetupError, same_exit_code
from installer.layout import Layout
from installer.releases import release_for_tag
from installer.settings import Settings
from installer.ui import UI
from installer.winsw_catalog import WinswBuild
from tests.artifacts_support import publish, publish_signed_late, snapshot
from tests.harness.artifact_server import ArtifactServer
from tests.harness.signing import RotatedKey, SigningKey
from tests.paths import REPO_ROOT

QUIET = UI(quiet=True)
NET461 = b"MZ net461 build" * 1000
X64 = b"MZ self-contained x64 build" * 1000
PROJECT = REPO_ROOT


def _catalog(path: Path) -> Path:
    path.write_text(json.dumps({"builds": [
        {"version": "2.12.0", "asset": "WinSW.NET461.exe", "sha256": hashlib.sha256(NET461).hexdigest(),
         "needs": "net461"},
        {"version": "2.12.0", "asset": "WinSW-x64.exe", "sha256": hashlib.sha256(X64).hexdigest(), "needs": "none",
         "arch": "x64"},
    ]}))
    return path


@pytest.fixture
def server(artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path) -> ArtifactServer:
    for tag in ("2.27.0", "2.28.0", "2.28.1"):
        publish(artifact_server, signing_key, tmp_path / "jars", tag)
    publish(artifact_server, signing_key, tmp_path / "jars", "v4.0.8")
    artifact_server.publish_winsw("2.12.0", "WinSW.NET461.exe", NET461)
    artifact_server.publish_winsw("2.12.0", "WinSW-x64.exe", X64)
    artifact_server.set_latest_versions({"production": {"latest": "v4.0.8", "earlybird": "v4.0.8"}})
    return artifact_server


def _args(server: ArtifactServer, key: SigningKey, catalog: Path) -> list[str]:
    return ["/maven-repo", server.maven_repo, "/github-releases", server.github_releases,
            "/github-api", server.github_api, "/versions-url", server.versions_url,
            "/winsw-releases", server.winsw_releases, "/winsw-catalog", str(catalog),
            "/trusted-key", str(key.public_key_path), "/quiet", "/json"]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code = cli.main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_download_then_offline_round_trip(
    server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    to = tmp_path / "offline"
    catalog = _catalog(tmp_path / "catalog.json")
    code, result = _run(["/download", "2.x", "/to", str(to), *_args(server, signing_key, catalog)], capsys)
    assert code == 0, result
    assert result["verb"] == "download" and result["version"] == "2.28.1"
    assert result["files"] == [
        "integrasjonspunkt-2.28.1.jar", "integrasjonspunkt-2.28.1.jar.asc", "integrasjonspunkt-2.28.1.jar.sha1",
        "winsw/v2.12.0/WinSW-x64.exe", "winsw/v2.12.0/WinSW.NET461.exe"]
    assert result["winsw"] == ["2.12.0/WinSW.NET461.exe", "2.12.0/WinSW-x64.exe"]

    code, result = _run(["/download", "v4.0.8", "/to", str(to), "/winsw", "WinSW-x64.exe",
                         *_args(server, signing_key, catalog)], capsys)
    assert code == 0, result
    assert result["files"] == ["integrasjonspunkt-v4.0.8.jar", "integrasjonspunkt-v4.0.8.jar.asc",
                               "integrasjonspunkt-v4.0.8.jar.sha1", "winsw/v2.12.0/WinSW-x64.exe"]
    index = json.loads((to / "index.json").read_text())
    assert [e["tag"] for e in index["jars"]] == ["2.28.1", "v4.0.8"]
    assert {(b["asset"], b["path"]) for b in index["winsw"]} == {
        ("WinSW.NET461.exe", "winsw/v2.12.0/WinSW.NET461.exe"), ("WinSW-x64.exe", "winsw/v2.12.0/WinSW-x64.exe")}
    assert index["latest_versions"]["production"]["latest"] == "v4.0.8"
    assert not list(to.rglob("*.part*"))

    server.stop()  # from here on, no network
    settings = Settings(offline=to, trusted_key=signing_key.public_key_path)
    layout = Layout(tmp_path / "ip")
    release = resolution.resolve_release(settings, "2.28", installed=None, failed=[])
    assert release.tag == "2.28.1"
    jar = artifacts.obtain_cached_jar(release, settings, layout, QUIET)
    assert jar.read_bytes() == (to / "integrasjonspunkt-2.28.1.jar").read_bytes()
    assert jar.is_relative_to(layout.cache)
    assert resolution.resolve_release(settings, None, installed=None, failed=[]).tag == "v4.0.8"
    assert resolution.resolve_release(settings, "latest", installed="2.28.0", failed=[]).tag == "2.28.1"
    build = WinswBuild(version="2.12.0", asset="WinSW-x64.exe", sha256=hashlib.sha256(X64).hexdigest(),
                       needs="none", arch="x64")
    exe = artifacts.obtain_cached_winsw(build, settings, layout, QUIET)
    assert exe.read_bytes() == X64 and exe.is_relative_to(layout.cache)


def test_offline_folder_that_lacks_the_version(
    server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    to = tmp_path / "offline"
    catalog = _catalog(tmp_path / "catalog.json")
    code, _ = _run(["/download", "2.28.0", "/to", str(to), *_args(server, signing_key, catalog)], capsys)
    assert code == 0
    settings = Settings(offline=to, trusted_key=signing_key.public_key_path)
    layout = Layout(tmp_path / "ip")
    with pytest.raises(artifacts.SetupError) as caught:
        resolution.resolve_release(settings, "2.28.1", installed=None, failed=[])
    assert caught.value.code == ExitCode.ARTIFACT and "2.28.0" in caught.value.message
    release = resolution.resolve_release(settings, None, installed=None, failed=[])
    assert release.tag == "v4.0.8"
    with pytest.raises(artifacts.SetupError) as caught:
        artifacts.obtain_cached_jar(release, settings, layout, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT
    assert "not in the offline folder" in caught.value.message and "2.28.0" in caught.value.message


def test_offline_copy_is_verified_too(
    server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    to = tmp_path / "offline"
    code, _ = _run(["/download", "2.28.1", "/to", str(to), *_args(server, signing_key, _catalog(tmp_path / "c"))],
                   capsys)
    assert code == 0
    jar = to / "integrasjonspunkt-2.28.1.jar"
    jar.write_bytes(jar.read_bytes()[:-1] + b"!")
    layout = Layout(tmp_path / "ip")
    layout.root.mkdir()
    before = snapshot(layout.root)
    settings = Settings(offline=to, trusted_key=signing_key.public_key_path)
    with pytest.raises(artifacts.SetupError) as caught:
        artifacts.obtain_cached_jar(resolution.resolve_release(settings, "2.28.1", installed=None, failed=[]), settings,
                              layout, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT and "SHA-1" in caught.value.message
    assert snapshot(layout.root) == before


def test_failed_download_leaves_no_jar_and_no_index(
    server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    to = tmp_path / "offline"
    server.fault(server.maven_jar_path("2.28.1"), "corrupt")
    code, result = _run(["/download", "2.x", "/to", str(to), *_args(server, signing_key, _catalog(tmp_path / "c"))],
                        capsys)
    assert code == ExitCode.ARTIFACT and result["result"] == "failed"
    assert "SHA-1" in str(result["message"])
    assert sorted(p.name for p in to.iterdir()) == []


def test_download_needs_a_winsw_build_from_the_catalog(
    server: ArtifactServer, signing_key: SigningKey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    to = tmp_path / "offline"
    code, result = _run(["/download", "2.x", "/to", str(to), "/winsw", "3.0.0/WinSW-x64.exe",
                         *_args(server, signing_key, _catalog(tmp_path / "c"))], capsys)
    assert code == ExitCode.BAD_COMMAND_LINE
    assert "2.12.0/WinSW-x64.exe" in str(result["message"])
    assert not to.exists()
    assert server.requests_log == []


@pytest.mark.parametrize("spec", ["../2.28.1", "%2e%2e", "2.28 .1", "https://evil.example/x.jar"])
def test_hostile_spec_in_a_real_process(server: ArtifactServer, tmp_path: Path, spec: str) -> None:
    to = tmp_path / "offline"
    done = subprocess.run(
        [sys.executable, "-m", "installer", "/download", spec, "/to", str(to), "/maven-repo", server.maven_repo,
         "/quiet"],
        capture_output=True, text=True, cwd=PROJECT, env={**os.environ, "LANG": "C.UTF-8"}, timeout=60,
    )
    assert same_exit_code(done.returncode, ExitCode.BAD_COMMAND_LINE), done.stderr
    assert "not a version spec" in done.stderr
    assert "Traceback" not in done.stderr
    assert not to.exists()
    assert server.requests_log == []


def test_download_keeps_the_refreshed_key_for_offline(
    server: ArtifactServer, rotated_key: RotatedKey, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2.28.2 is signed after the trusted copy expired: /download refreshes the key from /key-url and keeps it.
    jar = publish_signed_late(server, rotated_key, tmp_path / "late", "2.28.2")
    server.publish_key(rotated_key.extended)
    to = tmp_path / "offline"
    catalog = _catalog(tmp_path / "catalog.json")
    run_log = tmp_path / "run.log"
    code, result = _run(["/download", "2.28.2", "/to", str(to), "/key-url", server.key_url, "/log", str(run_log),
                         *_args(server, rotated_key.trusting_old(), catalog)], capsys)
    assert code == 0, result
    # The run's log names the trusted copy that had expired.
    assert f"trusted key {rotated_key.key.fingerprint.lower()} expired on 2021-01-01" in run_log.read_text()
    kept = f"keys/{rotated_key.key.fingerprint.lower()}.asc"
    assert kept in result["files"]  # type: ignore[operator]
    server.stop()
    settings = Settings(offline=to, trusted_key=rotated_key.old)
    # Without the folder's copy an offline install cannot check the jar, and says how to get past it.
    copy = (to / kept).read_bytes()
    (to / kept).unlink()
    first = Layout(tmp_path / "first")
    first.root.mkdir()
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_jar(release_for_tag("2.28.2"), settings, first, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT
    assert "/offline" in caught.value.message and "/trusted-key" in caught.value.message
    # With it (nothing fetched: the server is gone) the jar verifies, and the install folder keeps the key.
    (to / kept).write_bytes(copy)
    layout = Layout(tmp_path / "ip")
    layout.root.mkdir()
    got = artifacts.obtain_cached_jar(release_for_tag("2.28.2"), settings, layout, QUIET)
    assert got.read_bytes() == jar.read_bytes()
    assert keys.stored_copy(layout.private / keys.FOLDER, rotated_key.key.fingerprint).read_bytes() == copy
