"""Sources: URL layouts, the HTTPS rule, version lists (Maven metadata, paginated GitHub releases with their
403/404/unreachable fallback, latest-versions.yml) and offline folders."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from packaging.version import Version

from installer import offline_index, sources, transfer
from installer.errors import ExitCode, SetupError
from installer.releases import line_for, release_for_tag
from installer.resolution import resolve_release
from installer.settings import Settings
from installer.winsw_catalog import WinswBuild
from tests.artifacts_support import installer_log, settings_for
from tests.harness.artifact_server import GITHUB_API_PREFIX, ArtifactServer

MODERN = line_for("4.0.8")
TWO = line_for("2.28.1")


def _jar(tmp_path: Path) -> Path:
    jar = tmp_path / "any.jar"
    jar.write_bytes(b"PK\x03\x04 test jar")
    return jar


# --- addresses ---------------------------------------------------------------------------------------


def test_default_url_layouts() -> None:
    settings = Settings()
    assert sources.jar_url(settings, release_for_tag("2.28.6")) == (
        "https://repo1.maven.org/maven2/no/difi/meldingsutveksling/integrasjonspunkt/2.28.6/"
        "integrasjonspunkt-2.28.6.jar")
    assert sources.jar_url(settings, release_for_tag("v4.0.8")) == (
        "https://github.com/felleslosninger/efm-integrasjonspunkt/releases/download/v4.0.8/"
        "integrasjonspunkt-v4.0.8.jar")
    assert sources.winsw_url(settings, "2.12.0", "WinSW-x64.exe") == (
        "https://github.com/winsw/winsw/releases/download/v2.12.0/WinSW-x64.exe")


def test_mirror_base_urls_may_end_with_a_slash() -> None:
    settings = Settings(maven_repo="https://nexus.example.no/repository/maven-central/")
    assert sources.jar_url(settings, release_for_tag("2.28.6")).startswith(
        "https://nexus.example.no/repository/maven-central/no/difi/")


def test_cache_keeps_the_source_layout(tmp_path: Path) -> None:
    assert sources.cached_jar(tmp_path, release_for_tag("2.28.6")) == tmp_path.joinpath(
        "maven", "no", "difi", "meldingsutveksling", "integrasjonspunkt", "2.28.6", "integrasjonspunkt-2.28.6.jar")
    assert sources.cached_jar(tmp_path, release_for_tag("v4.0.8")) == (
        tmp_path / "github" / "v4.0.8" / "integrasjonspunkt-v4.0.8.jar")
    assert sources.winsw_relative("2.12.0", "WinSW-x64.exe") == Path("winsw/v2.12.0/WinSW-x64.exe")


@pytest.mark.parametrize(
    ("url", "allow_http", "allowed"),
    [
        ("https://repo1.maven.org/maven2", False, True),
        ("http://repo1.maven.org/maven2", False, False),
        ("http://repo1.maven.org/maven2", True, True),
        ("http://127.0.0.1:8080/m", False, True),
        ("http://127.5.6.7/m", False, True),
        ("http://localhost/m", False, True),
        ("http://[::1]:81/m", False, True),
        ("http://10.0.0.5/m", False, False),
        ("http://0.0.0.0/m", False, False),
        ("ftp://mirror.example/m", True, False),
        ("file:///srv/mirror", True, False),
        ("https:///nohost", False, False),
    ],
)
def test_origin_rule(url: str, allow_http: bool, allowed: bool) -> None:
    assert transfer.origin_allowed(url, allow_http) is allowed


def test_plain_http_mirror_is_refused_before_any_request(artifact_server: ArtifactServer) -> None:
    settings = settings_for(artifact_server, maven_repo="http://mirror.example.no/maven2")
    with pytest.raises(SetupError) as caught:
        resolve_release(settings, "2.x", installed=None, failed=[])
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE
    assert "/maven-repo" in caught.value.message and "HTTPS" in caught.value.message
    assert artifact_server.requests_log == []


def test_allow_http_lets_a_non_loopback_mirror_through(tmp_path: Path) -> None:
    # The server listens on every interface; its URL names 0.0.0.0, which is not loopback.
    with ArtifactServer(host="0.0.0.0") as server:
        server.publish_jar("2.28.1", _jar(tmp_path))
        settings = settings_for(server)
        with pytest.raises(SetupError) as caught:
            resolve_release(settings, "2.x", installed=None, failed=[])
        assert caught.value.code == ExitCode.BAD_COMMAND_LINE
        settings.allow_http = True
        assert resolve_release(settings, "2.x", installed=None, failed=[]).tag == "2.28.1"


def test_credentials_in_a_mirror_url_stay_out_of_messages() -> None:
    assert transfer.display_url("https://user:secret@nexus.example.no:8443/m?x=1") == (
        "https://nexus.example.no:8443/m?x=1")
    settings = Settings(maven_repo="http://user:secret@mirror.example.no/m")
    with pytest.raises(SetupError) as caught:
        sources.base_url(settings, "maven-repo")
    assert "secret" not in caught.value.message


# --- version lists -----------------------------------------------------------------------------------


def test_maven_metadata_lists_the_2x_versions(artifact_server: ArtifactServer, tmp_path: Path) -> None:
    jar = _jar(tmp_path)
    for tag in ("2.27.0", "2.28.1", "2.2.0-RC1"):
        artifact_server.publish_jar(tag, jar)
    source = sources.RemoteSource(sources.ListAddresses.of(settings_for(artifact_server)), transfer.make_session())
    listing = source.listing(TWO)
    assert listing.complete
    assert {(e.tag, e.prerelease) for e in listing.releases} == {
        ("2.27.0", False), ("2.28.1", False), ("2.2.0-RC1", True)}
    source.listing(TWO)
    assert len(artifact_server.requests_log) == 1, "a list is fetched once per run"


def test_maven_metadata_with_entities_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]><metadata><versioning><versions>' \
           b"<version>&a;</version></versions></versioning></metadata>"
    with pytest.raises(ValueError):
        sources.parse_maven_metadata(bomb)


def test_github_release_list_follows_pagination(
    artifact_server: ArtifactServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "API_PAGE_SIZE", 2)
    jar = _jar(tmp_path)
    for tag in ("v3.0.0", "v3.0.1", "v4.0.6", "v4.0.7", "v4.0.8"):
        artifact_server.publish_jar(tag, jar)
    artifact_server.publish_jar("v4.1.0-RC1", jar, prerelease=True)
    source = sources.RemoteSource(sources.ListAddresses.of(settings_for(artifact_server)), transfer.make_session())
    listing = source.listing(MODERN)
    assert sorted(e.tag for e in listing.releases) == ["v3.0.0", "v3.0.1", "v4.0.6", "v4.0.7", "v4.0.8",
                                                       "v4.1.0-RC1"]
    assert next(e for e in listing.releases if e.prerelease).tag == "v4.1.0-RC1"
    pages = [r.path for r in artifact_server.requests_for(GITHUB_API_PREFIX + "/releases")]
    assert pages == [f"{GITHUB_API_PREFIX}/releases?per_page=2",
                     f"{GITHUB_API_PREFIX}/releases?per_page=2&page=2",
                     f"{GITHUB_API_PREFIX}/releases?per_page=2&page=3"]


def test_github_drafts_and_odd_tags_are_skipped() -> None:
    page = json.dumps([
        {"tag_name": "v4.0.8", "prerelease": False, "draft": False},
        {"tag_name": "v4.0.9", "prerelease": False, "draft": True},
        {"tag_name": "../../etc", "prerelease": False, "draft": False},
        {"name": "no tag"},
    ]).encode()
    assert sources.parse_github_releases(page) == [("v4.0.8", False), ("../../etc", False)]
    assert sources.listed("../../etc", False, MODERN) is None
    assert sources.listed("v4.0.8", False, TWO) is None
    with pytest.raises(ValueError):
        sources.parse_github_releases(b'{"message": "API rate limit exceeded"}')


@pytest.mark.parametrize("status", [403, 404])
def test_release_list_falls_back_to_latest_versions(
    artifact_server: ArtifactServer, tmp_path: Path, status: int
) -> None:
    jar = _jar(tmp_path)
    for tag in ("v4.0.7", "v4.0.8"):
        artifact_server.publish_jar(tag, jar)
    artifact_server.set_latest_versions({"production": {"latest": "v4.0.7", "earlybird": "v4.0.8"},
                                         "staging": {"latest": "4.0.6", "earlybird": "4.0.6"}})
    artifact_server.fault(GITHUB_API_PREFIX + "/releases", "error", status=status)
    settings = settings_for(artifact_server)
    source = sources.RemoteSource(sources.ListAddresses.of(settings), transfer.make_session())
    with installer_log() as log:
        listing = source.listing(MODERN)
    assert not listing.complete
    assert sorted(e.tag for e in listing.releases) == ["4.0.6", "v4.0.7", "v4.0.8"]
    assert f"HTTP {status}" in log.text()
    # A range resolves among the named versions; with the `v` as GitHub tags carry it.
    assert resolve_release(settings, "4.x", installed=None, failed=[]).tag == "v4.0.8"
    release = resolve_release(settings, "4.0.5", installed=None, failed=[])
    assert release.tag == "v4.0.5", "an exact version not named is tried as published"


def test_unreachable_release_list_falls_back(artifact_server: ArtifactServer, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    artifact_server.set_latest_versions({"production": {"latest": "v4.0.8", "earlybird": "v4.0.8"}})
    settings = settings_for(artifact_server, github_api=f"http://127.0.0.1:{closed_port}/api")
    assert resolve_release(settings, "4.x", installed=None, failed=[]).tag == "v4.0.8"


def test_no_list_and_no_latest_versions_is_exit_11(artifact_server: ArtifactServer) -> None:
    artifact_server.fault(GITHUB_API_PREFIX + "/releases", "error", status=403)
    with pytest.raises(SetupError) as caught:
        resolve_release(settings_for(artifact_server), "4.x", installed=None, failed=[])
    assert caught.value.code == ExitCode.ARTIFACT
    assert "403" in caught.value.message and "404" in caught.value.message


def test_server_errors_are_retried(artifact_server: ArtifactServer, tmp_path: Path) -> None:
    artifact_server.publish_jar("2.28.1", _jar(tmp_path))
    metadata = "/maven2/no/difi/meldingsutveksling/integrasjonspunkt/maven-metadata.xml"
    artifact_server.fault(metadata, "error", status=503, times=2)
    assert resolve_release(settings_for(artifact_server), "2.x", installed=None, failed=[]).tag == "2.28.1"
    assert [r.status for r in artifact_server.requests_for(metadata)] == [503, 503, 200]


# --- latest-versions.yml -----------------------------------------------------------------------------

PUBLISHED_FORM = b"""\
integrasjonspunkt:
  environments:
    dev:        {latest: v4.0.8, earlybird: v4.0.8}
    itest:      {latest: v4.0.8, earlybird: v4.0.8}
    staging:    {latest: v4.0.8, earlybird: v4.0.8}
    production: {latest: v4.0.8, earlybird: v4.0.8}
"""

BLOCK_FORM = b"""\
# Digdir's approved versions
---
integrasjonspunkt:
  environments:
    staging:
      latest: "2.28.5"   # before 2026-02 without v
      earlybird: '2.28.6'
    production:
      latest: 2.28.5
      earlybird: 2.28.6
"""


def test_latest_versions_in_both_styles() -> None:
    flow = sources.parse_latest_versions(PUBLISHED_FORM)
    assert flow["production"] == {"latest": "v4.0.8", "earlybird": "v4.0.8"}
    assert set(flow) == {"dev", "itest", "staging", "production"}
    block = sources.parse_latest_versions(BLOCK_FORM)
    assert block == {"staging": {"latest": "2.28.5", "earlybird": "2.28.6"},
                     "production": {"latest": "2.28.5", "earlybird": "2.28.6"}}


@pytest.mark.parametrize("text", [b"- a\n- b\n", b"integrasjonspunkt: [1, 2]\n", b"just text\n",
                                  b"other:\n  environments:\n    production: {latest: v1.0.0}\n"])
def test_unreadable_latest_versions(text: bytes) -> None:
    with pytest.raises(ValueError):
        sources.parse_latest_versions(text)


def test_latest_versions_in_block_style_from_the_server(artifact_server: ArtifactServer, tmp_path: Path) -> None:
    artifact_server.publish_jar("2.28.6", _jar(tmp_path))
    artifact_server.set_latest_versions({"production": {"latest": "2.28.6", "earlybird": "2.28.6"}}, style="block")
    release = resolve_release(settings_for(artifact_server), "latest", installed=None, failed=[])
    assert release.tag == "2.28.6" and release.version == Version("2.28.6")


# --- offline folders ---------------------------------------------------------------------------------


def test_offline_folder_without_index_lists_its_jars(tmp_path: Path) -> None:
    for name in ("integrasjonspunkt-2.28.0.jar", "integrasjonspunkt-2.28.1.jar", "integrasjonspunkt-v4.0.8.jar",
                 "integrasjonspunkt-2.28.2.jar.part", "notes.txt"):
        (tmp_path / name).write_bytes(b"x")
    source = offline_index.OfflineSource(tmp_path)
    assert sorted(e.tag for e in source.listing(TWO).releases) == ["2.28.0", "2.28.1"]
    assert [e.tag for e in source.listing(MODERN).releases] == ["v4.0.8"]
    with pytest.raises(SetupError) as caught:
        source.channels()
    assert caught.value.code == ExitCode.ARTIFACT and "name a" in caught.value.message
    settings = Settings(offline=tmp_path)
    assert resolve_release(settings, "2.28", installed=None, failed=[]).tag == "2.28.1"


def test_offline_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SetupError) as caught:
        resolve_release(Settings(offline=tmp_path / "missing"), "2.x", installed=None, failed=[])
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE


def test_offline_index_is_merged_across_runs(tmp_path: Path) -> None:
    channels = {"production": {"latest": "v4.0.8", "earlybird": "v4.0.8"}}
    (tmp_path / "integrasjonspunkt-2.28.1.jar").write_bytes(b"x")
    (tmp_path / "integrasjonspunkt-2.28.1.jar.sha1").write_bytes(b"x")
    build = WinswBuild(version="2.12.0", asset="WinSW-x64.exe", sha256="a" * 64, needs="none")
    offline_index.record_offline(tmp_path, release_for_tag("2.28.1"), [build], channels)
    offline_index.record_offline(tmp_path, release_for_tag("v4.0.8"), [build], None)
    index = json.loads((tmp_path / "index.json").read_text())
    assert index["format"] == 1
    assert [e["tag"] for e in index["jars"]] == ["2.28.1", "v4.0.8"]
    assert index["jars"][0]["files"] == ["integrasjonspunkt-2.28.1.jar", "integrasjonspunkt-2.28.1.jar.sha1"]
    assert index["winsw"] == [{"version": "2.12.0", "asset": "WinSW-x64.exe", "sha256": "a" * 64,
                               "path": "winsw/v2.12.0/WinSW-x64.exe"}]
    assert index["latest_versions"] == channels, "kept from the earlier run"
    source = offline_index.OfflineSource(tmp_path)
    assert [e.tag for e in source.listing(MODERN).releases] == ["v4.0.8"]
    assert source.channels() == channels


def test_broken_offline_index(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text("{not json")
    with pytest.raises(SetupError) as caught:
        offline_index.OfflineSource(tmp_path)
    assert caught.value.code == ExitCode.ARTIFACT and "index.json" in caught.value.message
