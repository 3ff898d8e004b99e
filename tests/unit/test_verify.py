"""Checksums, OpenPGP signatures (pinned key, /trusted-key, expiry rules, /allow-unsigned) and WinSW's pinned
SHA-256, on their own and through the artifacts facade against the artifact server."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from installer import artifacts, verify
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.releases import release_for_tag
from installer.ui import UI
from installer.winsw_catalog import WinswBuild
from tests.artifacts_support import installer_log, publish, settings_for, snapshot
from tests.harness.artifact_server import ArtifactServer
from tests.harness.signing import SigningKey

QUIET = UI(quiet=True)
SHA1 = hashlib.sha1(b"data").hexdigest()


def day(year: int, month: int, date: int) -> datetime:
    return datetime(year, month, date, tzinfo=UTC)


# --- checksum files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        SHA1,
        SHA1 + "\n",
        SHA1.upper(),
        f"{SHA1}  integrasjonspunkt-2.28.6.jar\n",
        f"{SHA1} *integrasjonspunkt-2.28.6.jar\r\n",
        f"\n\n{SHA1}\n",
        f"SHA1 (integrasjonspunkt-2.28.6.jar) = {SHA1}\n",
        "\ufeff" + SHA1,
    ],
)
def test_checksum_file_forms(text: str) -> None:
    assert verify.parse_checksum(text.encode(), "sha1", "x.jar") == SHA1


@pytest.mark.parametrize("text", ["", "\n", SHA1[:-1], SHA1 + "0", "z" * 40, "<html>Not Found</html>",
                                  hashlib.md5(b"data").hexdigest()])
def test_not_a_checksum(text: str) -> None:
    with pytest.raises(SetupError) as caught:
        verify.parse_checksum(text.encode(), "sha1", "x.jar")
    assert caught.value.code == ExitCode.ARTIFACT and "SHA-1" in caught.value.message


def test_digest_mismatch_names_both() -> None:
    verify.check_digest("sha1", SHA1.upper(), SHA1, "x.jar")
    with pytest.raises(SetupError) as caught:
        verify.check_digest("md5", "0" * 32, "1" * 32, "x.jar")
    assert caught.value.code == ExitCode.ARTIFACT
    assert "MD5" in caught.value.message and "0" * 32 in caught.value.message and "1" * 32 in caught.value.message


# --- keys --------------------------------------------------------------------------------------------


def test_the_pinned_digdir_key() -> None:
    [key] = verify.trusted_keys(None)
    assert key.fingerprint == "aef27aa6948a3856932af98eca5643393753ece3" == verify.PINNED_FINGERPRINT
    assert key.expiration == datetime(2026, 4, 19, 10, 0, 53, tzinfo=UTC)


def test_trusted_key_adds_to_the_pinned_one(signing_key: SigningKey) -> None:
    keys = verify.trusted_keys(signing_key.public_key_path)
    assert [k.fingerprint for k in keys] == [verify.PINNED_FINGERPRINT, signing_key.fingerprint.lower()]


@pytest.mark.parametrize("content", [None, b"", b"not a key", b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxx\n"])
def test_bad_trusted_key_file_is_a_bad_command_line(tmp_path: Path, content: bytes | None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUST_BACKTRACE", "1")
    path = tmp_path / "key.asc"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SetupError) as caught:
        verify.trusted_keys(path)
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE
    assert str(path) in caught.value.message and "\n" not in caught.value.message


# --- signatures --------------------------------------------------------------------------------------


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "integrasjonspunkt-2.28.6.jar"
    path.write_bytes(b"PK\x03\x04" + os.urandom(4096))
    return path


def test_good_signature(signing_key: SigningKey, data_file: Path) -> None:
    keys = verify.trusted_keys(signing_key.public_key_path)
    good = verify.verify_signature(data_file, signing_key.sign(data_file), keys, data_file.name)
    assert good.key == signing_key.fingerprint.lower()
    assert good.made is not None and abs((datetime.now(UTC) - good.made).total_seconds()) < 600


def test_signature_of_other_bytes(signing_key: SigningKey, data_file: Path) -> None:
    keys = verify.trusted_keys(signing_key.public_key_path)
    asc = signing_key.sign_bytes(b"something else")
    with pytest.raises(SetupError) as caught:
        verify.verify_signature(data_file, asc, keys, data_file.name)
    assert caught.value.code == ExitCode.ARTIFACT and "does not match" in caught.value.message


def test_signature_by_an_untrusted_key(signing_key: SigningKey, data_file: Path) -> None:
    with pytest.raises(SetupError) as caught:
        verify.verify_signature(data_file, signing_key.sign(data_file), verify.trusted_keys(None), data_file.name)
    message = caught.value.message
    assert "not a trusted key" in message and verify.PINNED_FINGERPRINT in message and "/trusted-key" in message


def test_key_that_expired_after_the_signature_still_counts(
    make_signing_key: Callable[..., SigningKey], data_file: Path
) -> None:
    key = make_signing_key(created=day(2021, 1, 1), expires=day(2021, 12, 31))
    asc = key.sign(data_file, at=day(2021, 6, 1))
    with installer_log() as log:
        good = verify.verify_signature(data_file, asc, verify.trusted_keys(key.public_key_path), data_file.name)
    assert good.made == day(2021, 6, 1)
    assert good.key_expires is not None and good.key_expires < datetime.now(UTC)
    assert "expired on 2021-12-31" in log.text() and "while it was valid" in log.text()


def test_signature_made_after_the_key_expired(make_signing_key: Callable[..., SigningKey], data_file: Path) -> None:
    key = make_signing_key(created=day(2021, 1, 1))
    asc = key.sign(data_file, at=day(2022, 6, 1))
    key.set_expiry(day(2021, 12, 31), at=day(2021, 1, 2))
    with pytest.raises(SetupError) as caught:
        verify.verify_signature(data_file, asc, verify.trusted_keys(key.public_key_path), data_file.name)
    assert caught.value.code == ExitCode.ARTIFACT
    assert "made on 2022-06-01" in caught.value.message and "after the key" in caught.value.message


def test_signature_made_before_the_key_existed(make_signing_key: Callable[..., SigningKey], data_file: Path) -> None:
    key = make_signing_key(created=day(2021, 1, 1))
    asc = key.sign(data_file, at=day(2020, 6, 1))
    with pytest.raises(SetupError) as caught:
        verify.verify_signature(data_file, asc, verify.trusted_keys(key.public_key_path), data_file.name)
    assert "before the key" in caught.value.message and "2020-06-01" in caught.value.message


def test_unreadable_signature_shows_one_line(signing_key: SigningKey, data_file: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUST_BACKTRACE", "1")
    with pytest.raises(SetupError) as caught:
        verify.verify_signature(data_file, b"garbage", verify.trusted_keys(None), data_file.name)
    assert caught.value.code == ExitCode.ARTIFACT
    assert "\n" not in caught.value.message and "backtrace" not in caught.value.message.lower()


# The child reports how much its peak memory grew while it checked the signature of a large file.
_PEAK_GROWTH = """
import sys
from pathlib import Path

import psutil

from installer import verify

def peak() -> int:
    info = psutil.Process().memory_info()
    if hasattr(info, "peak_wset"):  # Windows
        return info.peak_wset
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

data, asc, key = (Path(arg) for arg in sys.argv[1:4])
keys = verify.trusted_keys(key)
before = peak()
verify.verify_signature(data, asc.read_bytes(), keys, data.name)
print(peak() - before)
"""


def test_signature_check_streams_a_large_file(signing_key: SigningKey, tmp_path: Path) -> None:
    data = tmp_path / "integrasjonspunkt-4.0.8.jar"
    with data.open("wb") as handle:
        for _ in range(96):
            handle.write(os.urandom(1024 * 1024))
    asc = tmp_path / "integrasjonspunkt-4.0.8.jar.asc"
    asc.write_bytes(signing_key.sign(data))
    env = {key: value for key, value in os.environ.items() if key != "SEQUOIA_DONT_MMAP"}
    done = subprocess.run([sys.executable, "-c", _PEAK_GROWTH, str(data), str(asc), str(signing_key.public_key_path)],
                          capture_output=True, text=True, env=env, check=True)
    # Mapped or read whole, the 96 MiB would show in the peak; read in a stream, a few buffers do.
    assert int(done.stdout) < 24 * 1024 * 1024


# --- through the facade ------------------------------------------------------------------------------


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    layout = Layout(tmp_path / "ip")
    layout.root.mkdir()
    (layout.root / "integrasjonspunkt-2.28.0.jar").write_bytes(b"old jar")
    layout.properties.write_text("difi.move.org.number=910076787\n")
    return layout


def _fails(release: str, settings: object, layout: Layout) -> SetupError:
    before = snapshot(layout.root)
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_jar(release_for_tag(release), settings, layout, QUIET)  # type: ignore[arg-type]
    assert caught.value.code == ExitCode.ARTIFACT
    assert snapshot(layout.root) == before, "nothing outside .setup/ changed"
    assert not [p for p in layout.cache.rglob("*.jar")], "no unverified jar under its name"
    return caught.value


def test_missing_sha1(artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path,
                      layout: Layout) -> None:
    publish(artifact_server, signing_key, tmp_path, "2.28.1", sha1=False)
    error = _fails("2.28.1", settings_for(artifact_server, signing_key), layout)
    assert "No SHA-1 checksum" in error.message and ".jar.sha1" in error.message


def test_corrupt_sha1_file(artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path,
                           layout: Layout) -> None:
    publish(artifact_server, signing_key, tmp_path, "v4.0.8")
    artifact_server.fault(artifact_server.github_jar_path("v4.0.8") + ".sha1", "corrupt")
    error = _fails("v4.0.8", settings_for(artifact_server, signing_key), layout)
    assert "SHA-1" in error.message and "does not match" in error.message


def test_md5_is_not_consulted_where_sha1_is_published(artifact_server: ArtifactServer, signing_key: SigningKey,
                                                      tmp_path: Path, layout: Layout) -> None:
    # SHA-1 and the signature already catch what MD5 would; hashing MD5 too halves the speed on a fast link.
    jar = publish(artifact_server, signing_key, tmp_path, "2.28.1")
    artifact_server.fault(artifact_server.maven_jar_path("2.28.1") + ".md5", "corrupt")
    got = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings_for(artifact_server, signing_key), layout,
                                      QUIET)
    assert got.read_bytes() == jar.read_bytes()
    assert artifact_server.requests_for(artifact_server.maven_jar_path("2.28.1") + ".md5") == []
    assert not got.with_name(got.name + ".md5").exists()


def test_missing_md5_is_fine(artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path,
                             layout: Layout) -> None:
    jar = publish(artifact_server, signing_key, tmp_path, "2.28.1", md5=False)
    got = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings_for(artifact_server, signing_key), layout,
                                      QUIET)
    assert got.read_bytes() == jar.read_bytes()
    assert sorted(p.name for p in got.parent.iterdir()) == [
        "integrasjonspunkt-2.28.1.jar", "integrasjonspunkt-2.28.1.jar.asc", "integrasjonspunkt-2.28.1.jar.sha1"]


def test_sha1_file_with_a_name_from_a_mirror(artifact_server: ArtifactServer, signing_key: SigningKey,
                                             tmp_path: Path, layout: Layout) -> None:
    jar = publish(artifact_server, signing_key, tmp_path, "2.28.1")
    digest = hashlib.sha1(jar.read_bytes()).hexdigest()
    artifact_server.publish_file(artifact_server.maven_jar_path("2.28.1") + ".sha1",
                                 f"{digest}  integrasjonspunkt-2.28.1.jar\n".encode())
    got = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings_for(artifact_server, signing_key), layout,
                                      QUIET)
    assert got.read_bytes() == jar.read_bytes()


def test_wrong_signature(artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path,
                         layout: Layout) -> None:
    publish(artifact_server, signing_key, tmp_path, "2.28.0")
    publish(artifact_server, signing_key, tmp_path, "2.28.1")
    artifact_server.fault(artifact_server.maven_jar_path("2.28.1"), "bad_signature")
    error = _fails("2.28.1", settings_for(artifact_server, signing_key), layout)
    assert "signature" in error.message and "/allow-unsigned" in error.message


def test_signed_by_a_key_nobody_trusts(artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path,
                                       layout: Layout) -> None:
    publish(artifact_server, signing_key, tmp_path, "2.28.1")
    error = _fails("2.28.1", settings_for(artifact_server), layout)
    assert "not a trusted key" in error.message


def test_key_expired_before_the_signature_through_the_facade(
    artifact_server: ArtifactServer, make_signing_key: Callable[..., SigningKey], tmp_path: Path, layout: Layout
) -> None:
    key = make_signing_key(created=day(2021, 1, 1))
    jar = publish(artifact_server, key, tmp_path, "2.28.1", asc=None)
    artifact_server.publish_file(artifact_server.maven_jar_path("2.28.1") + ".asc",
                                 key.sign(jar, at=day(2022, 6, 1)))
    key.set_expiry(day(2021, 12, 31), at=day(2021, 1, 2))
    error = _fails("2.28.1", settings_for(artifact_server, key), layout)
    assert "after the key" in error.message


def test_key_expired_after_the_signature_through_the_facade(
    artifact_server: ArtifactServer, make_signing_key: Callable[..., SigningKey], tmp_path: Path, layout: Layout
) -> None:
    key = make_signing_key(created=day(2021, 1, 1), expires=day(2021, 12, 31))
    jar = publish(artifact_server, key, tmp_path, "2.28.1", asc=None)
    artifact_server.publish_file(artifact_server.maven_jar_path("2.28.1") + ".asc",
                                 key.sign(jar, at=day(2021, 6, 1)))
    got = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings_for(artifact_server, key), layout, QUIET)
    assert got.read_bytes() == jar.read_bytes()


def test_missing_signature(artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path,
                           layout: Layout) -> None:
    publish(artifact_server, signing_key, tmp_path, "v4.0.8", asc=None)
    error = _fails("v4.0.8", settings_for(artifact_server, signing_key), layout)
    assert "No signature" in error.message


def test_allow_unsigned_goes_ahead_loudly(artifact_server: ArtifactServer, signing_key: SigningKey,
                                          tmp_path: Path, layout: Layout) -> None:
    publish(artifact_server, signing_key, tmp_path, "2.28.0")
    jar = publish(artifact_server, signing_key, tmp_path, "2.28.1")
    artifact_server.fault(artifact_server.maven_jar_path("2.28.1") + ".asc", "missing")
    settings = settings_for(artifact_server, signing_key, allow_unsigned=True)
    with installer_log() as log:
        got = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings, layout, QUIET)
    assert got.read_bytes() == jar.read_bytes()
    assert "NOT proven" in log.text(30) and "/allow-unsigned" in log.text(30)


@pytest.mark.parametrize("fault", ["bad_signature", "corrupt"])
def test_allow_unsigned_never_accepts_a_signature_that_fails(artifact_server: ArtifactServer,
                                                            signing_key: SigningKey, tmp_path: Path,
                                                            layout: Layout, fault: str) -> None:
    # A present signature that does not verify (another file's, or garbled) is evidence of tampering.
    publish(artifact_server, signing_key, tmp_path, "2.28.0")
    publish(artifact_server, signing_key, tmp_path, "2.28.1")
    artifact_server.fault(artifact_server.maven_jar_path("2.28.1") + ".asc", fault)
    error = _fails("2.28.1", settings_for(artifact_server, signing_key, allow_unsigned=True), layout)
    assert "never accepts" in error.message and "NOT proven" not in error.message


def test_allow_unsigned_still_needs_the_checksum(artifact_server: ArtifactServer, signing_key: SigningKey,
                                                 tmp_path: Path, layout: Layout) -> None:
    publish(artifact_server, signing_key, tmp_path, "2.28.1", asc=None)
    artifact_server.fault(artifact_server.maven_jar_path("2.28.1"), "corrupt")
    error = _fails("2.28.1", settings_for(artifact_server, signing_key, allow_unsigned=True), layout)
    assert "SHA-1" in error.message


# --- WinSW -------------------------------------------------------------------------------------------

WINSW_BYTES = b"MZ" + bytes(range(256)) * 400


def _build(data: bytes = WINSW_BYTES) -> WinswBuild:
    return WinswBuild(version="2.12.0", asset="WinSW-x64.exe", sha256=hashlib.sha256(data).hexdigest(), needs="none",
                      arch="x64")


def test_winsw_with_the_pinned_sha256(artifact_server: ArtifactServer, layout: Layout) -> None:
    artifact_server.publish_winsw("2.12.0", "WinSW-x64.exe", WINSW_BYTES)
    settings = settings_for(artifact_server)
    exe = artifacts.obtain_cached_winsw(_build(), settings, layout, QUIET)
    assert exe == layout.cache / "winsw" / "v2.12.0" / "WinSW-x64.exe"
    assert exe.read_bytes() == WINSW_BYTES
    assert exe.stat().st_mode & stat.S_IXUSR
    artifact_server.clear_log()
    assert artifacts.obtain_cached_winsw(_build(), settings, layout, QUIET) == exe
    assert artifact_server.requests_log == [], "a verified copy in the cache is used again"


def test_winsw_hash_mismatch_is_exit_11(artifact_server: ArtifactServer, layout: Layout) -> None:
    artifact_server.publish_winsw("2.12.0", "WinSW-x64.exe", WINSW_BYTES + b"tampered")
    before = snapshot(layout.root)
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_winsw(_build(), settings_for(artifact_server), layout, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT
    assert "SHA-256" in caught.value.message and "2.12.0/WinSW-x64.exe" in caught.value.message
    assert snapshot(layout.root) == before
    assert list((layout.cache / "winsw").rglob("*")) == [layout.cache / "winsw" / "v2.12.0"]


def test_winsw_build_with_a_hostile_name_is_refused(artifact_server: ArtifactServer, layout: Layout) -> None:
    hostile = WinswBuild(version="2.12.0", asset="..", sha256="0" * 64, needs="none")
    with pytest.raises(SetupError):
        artifacts.obtain_cached_winsw(hostile, settings_for(artifact_server), layout, QUIET)
    assert artifact_server.requests_log == []
