"""CLI.md "Keys": a trusted key that expired before a release was signed is refreshed from /key-url by its
fingerprint (only newer self-signatures of the same primary key are taken), kept in `.setup/keys/`, and named in
/status and the log while it expires within 60 days. Keys are made with gpg's faked clock, the current copy is
served by the artifact server."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pysequoia
import pytest

from installer import artifacts, cli, keys, verify
from installer.errors import ExitCode, SetupError, same_exit_code
from installer.layout import Layout
from installer.releases import release_for_tag
from installer.ui import UI
from tests.artifacts_support import (
    clear_ca_environment,
    installer_log,
    publish_signed_late,
    settings_for,
    snapshot,
)
from tests.harness.artifact_server import KEY_PATH, ArtifactServer
from tests.harness.fixtures_world import FAST, World
from tests.harness.signing import (
    ROTATED_CREATED,
    ROTATED_EXTENDED_AT,
    ROTATED_NEW_EXPIRY,
    ROTATED_SIGNED,
    RotatedKey,
    SigningKey,
)

QUIET = UI(quiet=True)


@pytest.fixture
def rotated(rotated_key: RotatedKey) -> RotatedKey:
    return rotated_key


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    layout = Layout(tmp_path / "ip")
    layout.root.mkdir()
    layout.properties.write_text("difi.move.org.number=910076787\n")
    return layout


def _refused(server: ArtifactServer, rotated: RotatedKey, layout: Layout) -> SetupError:
    before = snapshot(layout.root)
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_jar(release_for_tag("2.28.1"),
                                    settings_for(server, rotated.trusting_old()), layout, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT
    assert snapshot(layout.root) == before, "nothing outside .setup/ changed"
    assert not list(layout.cache.rglob("*.jar")), "no unverified jar under its name"
    assert not (layout.private / keys.FOLDER).exists(), "no refreshed key kept"
    assert len(server.requests_for(KEY_PATH)) == 1, "/key-url fetched once"
    assert "/trusted-key" in caught.value.message and "Nothing was changed" in caught.value.message
    return caught.value


# --- the pieces, with real gpg keys ----------------------------------------------------------------------


def test_the_old_copy_refuses_a_late_signature_the_extended_one_takes_it(rotated: RotatedKey, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.write_bytes(b"released")
    asc = rotated.key.sign(data, at=ROTATED_SIGNED)
    old = pysequoia.Cert.from_file(str(rotated.old))
    with pytest.raises(SetupError):
        verify.verify_signature(data, asc, [old], "data")
    assert verify.expired_signer(asc, [old]) is old
    fresh = keys.take_newer_self_signatures(old, rotated.extended)
    assert fresh.fingerprint == old.fingerprint and fresh.expiration == ROTATED_NEW_EXPIRY
    assert verify.verify_signature(data, asc, [fresh], "data").key == rotated.key.fingerprint.lower()
    assert verify.expired_signer(asc, [fresh]) is None


def test_only_newer_self_signatures_are_taken(rotated: RotatedKey) -> None:
    # The published copy also carries a new user ID: a refresh takes the new expiry, nothing that names the key anew.
    rotated.key.add_user_id("someone else <else@example.invalid>", at=ROTATED_EXTENDED_AT + timedelta(days=1))
    old = pysequoia.Cert.from_file(str(rotated.old))
    fresh = keys.take_newer_self_signatures(old, rotated.key.public_key)
    assert fresh.expiration == ROTATED_NEW_EXPIRY
    assert [str(u) for u in fresh.user_ids] == [str(u) for u in old.user_ids]
    assert b"else@example.invalid" not in bytes(fresh)


def test_a_self_signature_that_does_not_verify_is_not_taken(rotated: RotatedKey) -> None:
    # The extended copy with one bit of its new self-signature flipped: the expiry it claims is forged.
    forged = bytearray(bytes(pysequoia.Cert.from_bytes(rotated.extended)))
    forged[-3] ^= 0x01
    old = pysequoia.Cert.from_file(str(rotated.old))
    with pytest.raises(keys.KeyRefreshError) as caught:
        keys.take_newer_self_signatures(old, bytes(forged))
    assert "no later expiry" in caught.value.reason


def test_a_key_with_another_fingerprint_is_refused(rotated: RotatedKey,
                                                   make_signing_key: Callable[..., SigningKey]) -> None:
    stranger = make_signing_key(created=ROTATED_CREATED, expires=ROTATED_NEW_EXPIRY)
    old = pysequoia.Cert.from_file(str(rotated.old))
    with pytest.raises(keys.KeyRefreshError) as caught:
        keys.take_newer_self_signatures(old, stranger.public_key)
    assert stranger.fingerprint.lower() in caught.value.reason and "another key" in caught.value.reason


# --- through the artifacts facade against the artifact server ------------------------------------------


def test_jar_signed_after_the_old_expiry_installs_after_a_refresh(artifact_server: ArtifactServer, rotated: RotatedKey,
                                                                  tmp_path: Path, layout: Layout) -> None:
    jar = publish_signed_late(artifact_server, rotated, tmp_path)
    artifact_server.publish_key(rotated.extended)
    settings = settings_for(artifact_server, rotated.trusting_old())
    with installer_log() as log:
        got = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings, layout, QUIET)
    assert got.read_bytes() == jar.read_bytes()
    assert "now expires 2031-01-01" in log.text()
    kept = keys.stored_copy(layout.private / keys.FOLDER, rotated.key.fingerprint)
    assert pysequoia.Cert.from_file(str(kept)).expiration == ROTATED_NEW_EXPIRY
    assert len(artifact_server.requests_for(KEY_PATH)) == 1
    # A later run takes the kept copy: no fetch, and the jar verifies (also without the server's copy).
    artifact_server.clear_log()
    artifact_server.publish_file(KEY_PATH, b"gone")
    got.unlink()
    artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings, layout, QUIET)
    assert artifact_server.requests_for(KEY_PATH) == []


def test_refresh_over_https_with_the_runs_trust_rules(https_artifact_server: ArtifactServer, rotated: RotatedKey,
                                                     tmp_path: Path, layout: Layout,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    clear_ca_environment(monkeypatch)
    monkeypatch.setenv("SSL_CERT_FILE", str(https_artifact_server.ca_bundle))
    jar = publish_signed_late(https_artifact_server, rotated, tmp_path)
    https_artifact_server.publish_key(rotated.extended)
    settings = settings_for(https_artifact_server, rotated.trusting_old())
    assert settings.key_url.startswith("https://")
    got = artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings, layout, QUIET)
    assert got.read_bytes() == jar.read_bytes()
    assert len(https_artifact_server.requests_for(KEY_PATH)) == 1


def test_plain_http_key_url_off_loopback_is_a_bad_setting(artifact_server: ArtifactServer, rotated: RotatedKey,
                                                          tmp_path: Path, layout: Layout) -> None:
    publish_signed_late(artifact_server, rotated, tmp_path)
    settings = settings_for(artifact_server, rotated.trusting_old(), key_url="http://keys.example.invalid/key.asc")
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_jar(release_for_tag("2.28.1"), settings, layout, QUIET)
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE and "key-url" in caught.value.message


def test_refresh_file_with_another_fingerprint(artifact_server: ArtifactServer, rotated: RotatedKey, tmp_path: Path,
                                               layout: Layout, make_signing_key: Callable[..., SigningKey]) -> None:
    publish_signed_late(artifact_server, rotated, tmp_path)
    stranger = make_signing_key(created=ROTATED_CREATED, expires=ROTATED_NEW_EXPIRY)
    artifact_server.publish_key(stranger.public_key)
    error = _refused(artifact_server, rotated, layout)
    assert "another key" in error.message and stranger.fingerprint.lower() in error.message


def test_refresh_file_that_is_not_a_key(artifact_server: ArtifactServer, rotated: RotatedKey, tmp_path: Path,
                                        layout: Layout) -> None:
    publish_signed_late(artifact_server, rotated, tmp_path)
    artifact_server.publish_key(b"<html>moved</html>")
    assert "not a readable OpenPGP key" in _refused(artifact_server, rotated, layout).message


def test_refresh_file_with_a_revoked_key(artifact_server: ArtifactServer, rotated: RotatedKey, tmp_path: Path,
                                         layout: Layout) -> None:
    publish_signed_late(artifact_server, rotated, tmp_path)
    rotated.key.revoke()
    artifact_server.publish_key(rotated.key.public_key)
    assert "revoked" in _refused(artifact_server, rotated, layout).message


def test_refresh_file_with_no_newer_expiry(artifact_server: ArtifactServer, rotated: RotatedKey, tmp_path: Path,
                                           layout: Layout) -> None:
    publish_signed_late(artifact_server, rotated, tmp_path)
    artifact_server.publish_key(rotated.old.read_bytes())
    assert "no later expiry" in _refused(artifact_server, rotated, layout).message


def test_refresh_file_not_published(artifact_server: ArtifactServer, rotated: RotatedKey, tmp_path: Path,
                                    layout: Layout) -> None:
    publish_signed_late(artifact_server, rotated, tmp_path)
    error = _refused(artifact_server, rotated, layout)
    assert "could not be fetched" in error.message and "404" in error.message


def test_allow_unsigned_never_takes_a_late_signature(artifact_server: ArtifactServer, rotated: RotatedKey,
                                                     tmp_path: Path, layout: Layout) -> None:
    # The signature is present: /allow-unsigned has no say in it.
    publish_signed_late(artifact_server, rotated, tmp_path)
    before = snapshot(layout.root)
    with pytest.raises(SetupError) as caught:
        artifacts.obtain_cached_jar(release_for_tag("2.28.1"),
                              settings_for(artifact_server, rotated.trusting_old(), allow_unsigned=True), layout, QUIET)
    assert caught.value.code == ExitCode.ARTIFACT and snapshot(layout.root) == before


# --- expiry notices -----------------------------------------------------------------------------------


def test_keys_expiring_within_60_days_are_named(make_signing_key: Callable[..., SigningKey]) -> None:
    now = datetime.now(UTC)
    soon = make_signing_key(created=now - timedelta(days=1), expires=now + timedelta(days=30))
    later = make_signing_key(created=now - timedelta(days=1), expires=now + timedelta(days=90))
    certs = [pysequoia.Cert.from_file(str(k.public_key_path)) for k in (soon, later)]
    lines = keys.describe_expiring(certs, now)
    assert len(lines) == 1 and soon.fingerprint.lower() in lines[0] and "expires on" in lines[0]
    assert keys.earliest_expiry(certs) == certs[0].expiration


def test_status_names_the_expiring_key(make_signing_key: Callable[..., SigningKey], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime.now(UTC)
    soon = make_signing_key(created=now - timedelta(days=1), expires=now + timedelta(days=30))
    folder = tmp_path / "ip"
    folder.mkdir()
    code = cli.main(["/status", "/dir", str(folder), "/trusted-key", str(soon.public_key_path), "/json"])
    doc = json.loads(capsys.readouterr().out)
    assert same_exit_code(code, 15)
    pinned = verify.trusted_keys()[0].expiration
    # Digdir's shipped copy expired on 2026-04-19: until it is refreshed, it is the earliest expiry.
    assert doc["key_expires"] == min(pinned, soon_expiry := pysequoia.Cert.from_file(
        str(soon.public_key_path)).expiration).isoformat()
    assert soon_expiry is not None
    code = cli.main(["/status", "/dir", str(folder), "/trusted-key", str(soon.public_key_path)])
    shown = capsys.readouterr()
    assert soon.fingerprint.lower() in shown.out + shown.err


# --- end to end: a release signed after the old expiry -------------------------------------------------


@pytest.mark.e2e
def test_install_works_only_after_the_refresh(world: World, rotated: RotatedKey) -> None:
    world.key = rotated.trusting_old()  # the admin has the old copy
    jar = world.build_jar("2.28.0", "healthy")
    world.server.publish_jar("2.28.0", jar, asc=rotated.key.sign(jar, at=ROTATED_SIGNED))

    proc = world.install("2.28.0")  # /key-url answers 404
    assert same_exit_code(proc.returncode, 11), proc.stderr
    assert "/trusted-key" in proc.stdout + proc.stderr
    assert world.answers() is None
    assert not world.folder.exists() or {p.name for p in world.folder.iterdir()} <= {".setup", "installer-logs"}

    world.server.publish_key(rotated.extended)
    proc = world.install("2.28.0")
    assert proc.returncode == 0, proc.stderr
    # Every run's log names a trusted key that has expired or expires within 60 days: Digdir's shipped copy.
    assert f"trusted key {verify.PINNED_FINGERPRINT} expired on 2026-04-19" in (
        world.folder / "installer-logs" / "setup.log").read_text(encoding="utf-8")
    assert world.answers() == "2.28.0"
    assert keys.stored_copy(world.folder / ".setup" / keys.FOLDER, rotated.key.fingerprint).is_file()
    code, doc = world.status()
    assert code == 0 and doc["healthy"]
    world.setup("/uninstall", *FAST)
