"""Release lines, SPEC parsing and version resolution (CLI.md's SPEC rules) against the artifact server."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from installer import resolution
from installer.errors import ExitCode, SetupError
from installer.releases import (
    RELEASE_LINES,
    is_safe_tag,
    line_for,
    normalise,
    parse_spec,
    same_version,
    tag_for,
)
from installer.resolution import NothingToDo, resolve_release
from tests.artifacts_support import settings_for
from tests.harness.artifact_server import ArtifactServer

# --- the table ---------------------------------------------------------------------------------------


def test_release_line_table() -> None:
    two, modern = line_for("2.28.6"), line_for("v4.0.8")
    assert (two.java_min, two.java_preferred, two.source, two.health, two.profile_required, two.tag_prefix) == (
        8, 8, "maven", "wsdl", False, "")
    assert (modern.java_min, modern.java_preferred, modern.source, modern.health, modern.profile_required,
            modern.tag_prefix) == (21, 21, "github", "manage", True, "v")
    assert line_for("3.0.1") is modern
    assert line_for(Version("2.2.0")) is two
    assert {m for line in RELEASE_LINES for m in line.majors} == {2, 3, 4}


@pytest.mark.parametrize("version", ["1.7.93", "5.0.0", "0.1.0"])
def test_unknown_line_is_an_artifact_error(version: str) -> None:
    with pytest.raises(SetupError) as caught:
        line_for(version)
    assert caught.value.code == ExitCode.ARTIFACT
    assert version in caught.value.message and "newer setup" in caught.value.message


def test_versions_with_and_without_v_are_the_same() -> None:
    assert normalise("v4.0.8") == normalise("4.0.8") == "4.0.8"
    assert normalise("V2.28.6") == "2.28.6"
    assert same_version("v4.1.0-RC1", "4.1.0rc1")
    assert not same_version("2.28.6", "2.28.5")
    assert tag_for("4.0.8", line_for("4.0.8")) == "v4.0.8"
    assert tag_for("v4.0.8", line_for("4.0.8")) == "v4.0.8"
    assert tag_for("v2.28.6", line_for("2.28.6")) == "2.28.6"
    assert tag_for("4.1.0-RC1", line_for("4.1.0")) == "v4.1.0-RC1"


@pytest.mark.parametrize("tag", ["2.28.6", "v4.0.8", "v4.1.0-RC1", "3.0.0-alpha.11", "2.2.0.1"])
def test_safe_tags(tag: str) -> None:
    assert is_safe_tag(tag)


@pytest.mark.parametrize("tag", ["../2.28.6", "2.28.6/..", "v4.0.8/../../x", "%2e%2e", "4.0.8 ", "4", "latest",
                                 "2.28.6\n", "2.28.6;rm", "2.28.6..", ""])
def test_unsafe_tags(tag: str) -> None:
    assert not is_safe_tag(tag)


# --- SPEC forms --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "prefix", "version"),
    [
        ("2.x", "range", (2,), None),
        ("2.*", "range", (2,), None),
        ("2", "range", (2,), None),
        ("2.28", "range", (2, 28), None),
        ("2.28.x", "range", (2, 28), None),
        ("2.28.*", "range", (2, 28), None),
        ("4.x", "range", (4,), None),
        ("v4.x", "range", (4,), None),
        ("2.28.1", "exact", (), "2.28.1"),
        ("v4.0.8", "exact", (), "4.0.8"),
        ("4.0.8", "exact", (), "4.0.8"),
        ("V4.0.8", "exact", (), "4.0.8"),
        ("v4.1.0-RC1", "exact", (), "4.1.0rc1"),
        ("latest", "latest", (), None),
        ("LATEST", "latest", (), None),
        ("earlybird", "earlybird", (), None),
    ],
)
def test_spec_forms(text: str, kind: str, prefix: tuple[int, ...], version: str | None) -> None:
    spec = parse_spec(text)
    assert spec.kind == kind
    assert spec.prefix == prefix
    assert spec.version == (Version(version) if version else None)


HOSTILE = [
    "../2.28.1", "..", "2.28.1/../../x", "%2e%2e/2.28.1", "..%2f2.28.1", "2.28 .1", " 2.28.1", "2.28.1 ",
    "2.28.1\n", "http://evil.example/2.28.1", "https://repo1.maven.org/maven2", "file:///etc/passwd",
    "2.x/..", "2.28.1;rm -rf", "$(id)", "", "v", "x", "2.", ".2", "2..28", "2.28.1.x", "2.x.x", "latest/..",
    "C:\\Windows", "2.28.1" + "a" * 80, "4.0.8\x00",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_specs_are_a_bad_command_line(text: str) -> None:
    with pytest.raises(SetupError) as caught:
        parse_spec(text)
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE


@pytest.mark.parametrize("text", ["../2.28.1", "%2e%2e", "http://evil.example/x", "2.28 .1"])
def test_hostile_spec_reaches_no_server_and_no_path(artifact_server: ArtifactServer, tmp_path: Path,
                                                    text: str) -> None:
    settings = settings_for(artifact_server)
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(SetupError) as caught:
        resolve_release(settings, text, installed=None, failed=[])
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE
    assert artifact_server.requests_log == []
    assert sorted(tmp_path.rglob("*")) == before


def test_spec_matching() -> None:
    assert parse_spec("2.28").matches(Version("2.28.6"))
    assert not parse_spec("2.28").matches(Version("2.280.1"))
    assert not parse_spec("2.x").matches(Version("4.0.8"))
    assert not parse_spec("4.x").matches(Version("4.1.0rc1")), "ranges hold released versions only"
    assert parse_spec("v4.1.0-RC1").matches(Version("4.1.0rc1"))
    assert parse_spec("4.0.8").matches(Version("4.0.8"))


# --- resolution --------------------------------------------------------------------------------------


def _jar(tmp_path: Path) -> Path:
    jar = tmp_path / "any.jar"
    if not jar.exists():
        jar.write_bytes(b"PK\x03\x04 test jar")
    return jar


@pytest.fixture
def published(artifact_server: ArtifactServer, tmp_path: Path) -> ArtifactServer:
    """2.x on Maven, 3.x/4.x on GitHub (with a pre-release), Digdir naming v4.0.8."""
    jar = _jar(tmp_path)
    for tag in ("2.27.0", "2.28.0", "2.28.1", "2.28.2"):
        artifact_server.publish_jar(tag, jar)
    for tag in ("v3.0.1", "v4.0.7", "v4.0.8"):
        artifact_server.publish_jar(tag, jar)
    artifact_server.publish_jar("v4.1.0-RC1", jar, prerelease=True)
    artifact_server.set_latest_versions({
        "production": {"latest": "v4.0.8", "earlybird": "v4.1.0-RC1"},
        "staging": {"latest": "v4.0.7", "earlybird": "v4.0.8"},
    })
    return artifact_server


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("2.x", "2.28.2"), ("2.*", "2.28.2"), ("2", "2.28.2"), ("2.27", "2.27.0"), ("2.28.x", "2.28.2"),
        ("2.28.1", "2.28.1"), ("4.x", "v4.0.8"), ("3.x", "v3.0.1"), ("4.0.8", "v4.0.8"), ("v4.0.7", "v4.0.7"),
        ("v4.1.0-RC1", "v4.1.0-RC1"), ("4.1.0-rc1", "v4.1.0-RC1"), ("latest", "v4.0.8"),
        ("earlybird", "v4.1.0-RC1"),
    ],
)
def test_every_spec_form_resolves(published: ArtifactServer, spec: str, expected: str) -> None:
    release = resolve_release(settings_for(published), spec, installed=None, failed=[])
    assert release.tag == expected
    assert release.line is line_for(expected)


def test_no_spec_means_latest_for_the_environment(published: ArtifactServer) -> None:
    assert resolve_release(settings_for(published), None, installed=None, failed=[]).tag == "v4.0.8"
    staging = settings_for(published, env="staging")
    assert resolve_release(staging, None, installed=None, failed=[]).tag == "v4.0.7"
    assert resolve_release(staging, "earlybird", installed=None, failed=[]).tag == "v4.0.8"


def test_range_skips_versions_that_failed_here(published: ArtifactServer) -> None:
    settings = settings_for(published)
    release = resolve_release(settings, "2.x", installed="2.28.0", failed=["2.28.2"])
    assert release.tag == "2.28.1"
    release = resolve_release(settings, "4.x", installed="v4.0.7", failed=["4.0.8"])  # recorded without the v
    assert release.tag == "v4.0.7"


def test_exact_version_does_not_skip_failed(published: ArtifactServer) -> None:
    release = resolve_release(settings_for(published), "2.28.2", installed="2.28.1", failed=["2.28.2"])
    assert release.tag == "2.28.2"


def test_range_with_every_version_failed(published: ArtifactServer) -> None:
    with pytest.raises(SetupError) as caught:
        resolve_release(settings_for(published), "2.28", installed="2.27.0", failed=["2.28.0", "2.28.1", "2.28.2"])
    assert caught.value.code == ExitCode.ARTIFACT
    assert "2.28.0" in caught.value.message and "failed here" in caught.value.message


def test_latest_stays_on_the_installed_major_line(published: ArtifactServer) -> None:
    release = resolve_release(settings_for(published), "latest", installed="2.27.0", failed=["2.28.2"])
    assert release.tag == "2.28.1"
    assert release.note is not None and "v4.0.8" in release.note and "/allow-major" in release.note


def test_allow_major_lets_latest_cross(published: ArtifactServer) -> None:
    settings = settings_for(published, allow_major=True)
    release = resolve_release(settings, "latest", installed="2.27.0", failed=[])
    assert release.tag == "v4.0.8" and release.note is None


def test_range_on_another_major_line_needs_allow_major(published: ArtifactServer) -> None:
    with pytest.raises(SetupError) as caught:
        resolve_release(settings_for(published), "4.x", installed="2.28.1", failed=[])
    assert caught.value.code == ExitCode.ARTIFACT and "/allow-major" in caught.value.message
    release = resolve_release(settings_for(published, allow_major=True), "4.x", installed="2.28.1", failed=[])
    assert release.tag == "v4.0.8"
    # An exact version is taken as named.
    assert resolve_release(settings_for(published), "v4.0.8", installed="2.28.1", failed=[]).tag == "v4.0.8"


def test_3_to_4_is_another_major_line_too(published: ArtifactServer) -> None:
    release = resolve_release(settings_for(published), "latest", installed="v3.0.1", failed=[])
    assert release.tag == "v3.0.1" and release.note is not None


def test_latest_that_failed_here_is_nothing_to_do(published: ArtifactServer) -> None:
    with pytest.raises(NothingToDo) as caught:
        resolve_release(settings_for(published), "latest", installed="v4.0.7", failed=["v4.0.8"])
    assert "v4.0.8" in caught.value.message and "/upgrade v4.0.8" in caught.value.message


def test_no_match_names_the_nearest_versions(published: ArtifactServer) -> None:
    settings = settings_for(published)
    with pytest.raises(SetupError) as caught:
        resolve_release(settings, "2.28.9", installed=None, failed=[])
    assert caught.value.code == ExitCode.ARTIFACT
    assert "2.28.2" in caught.value.message and "2.28.1" in caught.value.message
    with pytest.raises(SetupError) as caught:
        resolve_release(settings, "2.29.x", installed=None, failed=[])
    assert "2.28.2" in caught.value.message
    with pytest.raises(SetupError) as caught:
        resolve_release(settings, "4.2", installed=None, failed=[])
    assert "v4.0.8" in caught.value.message and "RC1" not in caught.value.message


def test_unknown_major_in_a_spec(published: ArtifactServer) -> None:
    for spec in ("5.x", "1.7.93"):
        with pytest.raises(SetupError) as caught:
            resolve_release(settings_for(published), spec, installed=None, failed=[])
        assert caught.value.code == ExitCode.ARTIFACT


def test_a_major_no_line_has_matches_nothing_rather_than_another_line(published: ArtifactServer) -> None:
    """99.x on a 2.x installation: not "on another major line" (there is no such line), and no server is asked."""
    published.clear_log()
    for installed in ("2.28.1", None):
        with pytest.raises(SetupError) as caught:
            resolve_release(settings_for(published), "99.x", installed=installed, failed=[])
        assert caught.value.code == ExitCode.ARTIFACT
        assert caught.value.message.startswith("No version matches 99.x") and "major version 99" in caught.value.message
        assert "another major line" not in caught.value.message and "/allow-major" not in caught.value.message
    assert published.requests_log == []


def test_prerelease_only_when_named(published: ArtifactServer) -> None:
    settings = settings_for(published, allow_major=True)
    assert resolve_release(settings, "4.x", installed=None, failed=[]).tag == "v4.0.8"
    with pytest.raises(SetupError):
        resolve_release(settings, "4.1", installed=None, failed=[])


def test_nothing_to_do_is_not_a_setup_error() -> None:
    assert not issubclass(resolution.NothingToDo, SetupError)
