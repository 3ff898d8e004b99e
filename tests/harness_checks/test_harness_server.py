"""Self-tests of the artifact server: layouts, redirects, pagination, Range, every fault, HTTPS, signing keys."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import defusedxml.ElementTree as ET
import pysequoia
import pytest
import requests

from tests.harness.artifact_server import ArtifactServer
from tests.harness.signing import SigningKey

BODY = bytes(range(256)) * 400  # 102,400 bytes


@pytest.fixture
def jar(tmp_path: Path) -> Path:
    path = tmp_path / "some.jar"
    path.write_bytes(BODY)
    return path


@pytest.fixture
def http() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment between the test and 127.0.0.1
    return session


def _raw_get(server: ArtifactServer, path: str, headers: str = "") -> tuple[bytes, bytes]:
    """One GET over a raw socket; returns (head, body as received until the server closed)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n".encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return head, body


# -- layouts ------------------------------------------------------------------------------------------------


def test_maven_layout_serves_jar_checksums_signature_and_metadata(artifact_server, jar, http):
    url = artifact_server.publish_jar("2.28.1", jar, asc=b"SIGNATURE")
    artifact_server.publish_jar("2.27.0", jar, asc=None, md5=False)
    base = f"{artifact_server.maven_repo}/no/difi/meldingsutveksling/integrasjonspunkt"
    assert url == f"{base}/2.28.1/integrasjonspunkt-2.28.1.jar"

    got = http.get(url)
    assert got.status_code == 200 and got.content == BODY
    assert got.headers["Content-Length"] == str(len(BODY))
    assert http.get(url + ".sha1").text == hashlib.sha1(BODY).hexdigest()
    assert http.get(url + ".md5").text == hashlib.md5(BODY).hexdigest()
    assert http.get(url + ".asc").content == b"SIGNATURE"
    assert http.get(f"{base}/2.27.0/integrasjonspunkt-2.27.0.jar.md5").status_code == 404
    assert http.get(f"{base}/2.27.0/integrasjonspunkt-2.27.0.jar.asc").status_code == 404

    metadata = ET.fromstring(http.get(f"{base}/maven-metadata.xml").content)
    assert metadata.findtext("groupId") == "no.difi.meldingsutveksling"
    assert metadata.findtext("artifactId") == "integrasjonspunkt"
    assert [v.text for v in metadata.iter("version")] == ["2.27.0", "2.28.1"]
    assert metadata.findtext("versioning/latest") == metadata.findtext("versioning/release") == "2.28.1"


def test_github_download_is_a_302_to_the_same_server(artifact_server, jar, http):
    url = artifact_server.publish_jar("v4.0.8", jar, asc=b"SIG")
    assert url == f"{artifact_server.github_releases}/v4.0.8/integrasjonspunkt-v4.0.8.jar"

    first = http.get(url, allow_redirects=False)
    assert first.status_code == 302
    assert first.headers["Location"].startswith(artifact_server.url + "/")
    assert first.headers["Location"] != url

    followed = http.get(url)
    assert followed.content == BODY and [r.status_code for r in followed.history] == [302]
    assert http.get(url + ".sha1").text == hashlib.sha1(BODY).hexdigest()  # bare hex
    assert http.get(url + ".asc").content == b"SIG"
    assert http.get(url + ".md5").status_code == 404  # GitHub releases carry no .md5


def test_release_list_is_paginated_with_link_headers(artifact_server, jar, http):
    tags = ["v3.0.0", "v4.0.7", "v4.0.8", "v4.1.0-rc1"]
    for tag in tags:
        artifact_server.publish_jar(tag, jar, asc=b"S", prerelease="rc" in tag)

    seen: list[dict] = []
    url: str | None = f"{artifact_server.github_api}/releases"
    pages = 0
    while url:
        answer = http.get(url)
        assert answer.status_code == 200
        assert len(answer.json()) <= 2  # the default page size is small on purpose
        seen += answer.json()
        url = answer.links.get("next", {}).get("url")
        pages += 1
    assert pages == 2
    assert [r["tag_name"] for r in seen] == list(reversed(tags))  # newest first, as GitHub lists them
    newest = seen[0]
    assert newest["prerelease"] is True and newest["draft"] is False and newest["published_at"]
    assert {a["name"] for a in newest["assets"]} == {
        "integrasjonspunkt-v4.1.0-rc1.jar",
        "integrasjonspunkt-v4.1.0-rc1.jar.sha1",
        "integrasjonspunkt-v4.1.0-rc1.jar.asc",
    }
    jar_asset = next(a for a in newest["assets"] if a["name"].endswith(".jar"))
    assert jar_asset["size"] == len(BODY)
    assert http.get(jar_asset["browser_download_url"]).content == BODY

    one_page = http.get(f"{artifact_server.github_api}/releases?per_page=10")
    assert len(one_page.json()) == 4 and "next" not in one_page.links
    assert http.get(f"{artifact_server.github_api}/releases?page=9").json() == []


def test_latest_versions_and_winsw(artifact_server, http):
    artifact_server.set_latest_versions({"staging": {"latest": "v4.0.8", "earlybird": "v4.0.9"}})
    text = http.get(artifact_server.versions_url).text
    assert text == "integrasjonspunkt:\n  environments:\n    staging: {latest: v4.0.8, earlybird: v4.0.9}\n"
    artifact_server.set_latest_versions({"production": {"latest": "2.28.1"}}, style="block")
    assert "    production:\n      latest: 2.28.1\n" in http.get(artifact_server.versions_url).text

    url = artifact_server.publish_winsw("2.12.0", "WinSW-x64.exe", b"MZ winsw")
    assert url == f"{artifact_server.winsw_releases}/v2.12.0/WinSW-x64.exe"
    assert http.get(url, allow_redirects=False).status_code == 302
    assert http.get(url).content == b"MZ winsw"
    assert http.get(artifact_server.url_for("/nothing/here")).status_code == 404


def test_bodies_stream_from_disk(artifact_server, https_artifact_server, tmp_path, http):
    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        f.truncate(64 * 1024 * 1024)  # sparse: cheap to make
    for server, verify in ((artifact_server, True), (https_artifact_server, str(https_artifact_server.ca_bundle))):
        server.publish_file("/big.bin", big)
        tracemalloc.start()
        try:
            with http.get(server.url_for("/big.bin"), stream=True, verify=verify) as answer:
                total = sum(len(chunk) for chunk in answer.iter_content(1024 * 1024))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert total == 64 * 1024 * 1024
        assert server.sent_bytes("/big.bin") == total
        assert peak < 16 * 1024 * 1024, f"{peak} bytes held while serving 64 MiB"


# -- Range ---------------------------------------------------------------------------------------------------


def test_range_requests(artifact_server, jar, http):
    url = artifact_server.publish_jar("2.28.1", jar, asc=None)
    part = http.get(url, headers={"Range": "bytes=1000-"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-{len(BODY) - 1}/{len(BODY)}"
    assert part.content == BODY[1000:]
    assert http.get(url, headers={"Range": "bytes=10-19"}).content == BODY[10:20]
    assert http.get(url, headers={"Range": "bytes=-5"}).content == BODY[-5:]
    beyond = http.get(url, headers={"Range": f"bytes={len(BODY)}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{len(BODY)}"

    path = artifact_server.maven_jar_path("2.28.1")
    artifact_server.fault(path, "no_range")
    full = http.get(url, headers={"Range": "bytes=1000-"})
    assert full.status_code == 200 and full.content == BODY

    artifact_server.fault(path, "wrong_range", times=1)
    assert http.get(url).status_code == 200  # no Range asked: served normally, the fault still waits
    wrong = http.get(url, headers={"Range": "bytes=1000-"})
    assert wrong.status_code == 206
    assert not wrong.headers["Content-Range"].startswith("bytes 1000-")
    assert http.get(url, headers={"Range": "bytes=1000-"}).headers["Content-Range"].startswith("bytes 1000-")


# -- faults --------------------------------------------------------------------------------------------------


def test_corrupt_flips_bytes_and_keeps_the_length(artifact_server, jar, http):
    url = artifact_server.publish_jar("v4.0.8", jar, asc=None)
    artifact_server.fault(url, "corrupt")  # on the download URL: acts where the bytes are served, after the 302
    got = http.get(url).content
    assert len(got) == len(BODY) and got != BODY
    assert sum(a != b for a, b in zip(got, BODY, strict=True)) == 1

    artifact_server.fault(url + ".sha1", "corrupt")
    wrong_hex = http.get(url + ".sha1").text
    assert wrong_hex != hashlib.sha1(BODY).hexdigest()
    assert len(wrong_hex) == 40 and all(c in "0123456789abcdef" for c in wrong_hex)  # still looks like a sha1

    artifact_server.clear_faults()
    assert http.get(url).content == BODY


def test_cut_sends_n_bytes_then_closes_then_recovers(artifact_server, jar, http):
    artifact_server.publish_jar("2.28.1", jar, asc=None)
    path = artifact_server.maven_jar_path("2.28.1")
    artifact_server.fault(path, "cut", after=5000, times=1)

    head, body = _raw_get(artifact_server, path)
    assert b" 200 " in head.split(b"\r\n")[0]
    assert f"Content-Length: {len(BODY)}".encode() in head
    assert body == BODY[:5000]

    # The next request, a resume, is served in full.
    rest = http.get(artifact_server.url_for(path), headers={"Range": "bytes=5000-"})
    assert rest.status_code == 206 and body + rest.content == BODY
    assert artifact_server.requests_for(path)[-1].headers["Range"] == "bytes=5000-"
    assert artifact_server.sent_bytes(path) == len(BODY)

    artifact_server.fault(path, "cut", after=10)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        http.get(artifact_server.url_for(path))


def test_error_times_then_success_and_other_statuses(artifact_server, jar, http):
    url = artifact_server.publish_jar("2.28.1", jar, asc=None)
    artifact_server.fault(url, "error", times=2)
    assert [http.get(url).status_code for _ in range(3)] == [500, 500, 200]

    artifact_server.fault(url, "error", status=429, retry_after=1, times=1)
    limited = http.get(url)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    artifact_server.fault(artifact_server.github_api + "/releases", "error", status=403)
    assert http.get(artifact_server.github_api + "/releases").status_code == 403

    artifact_server.fault(url + ".sha1", "missing")
    assert http.get(url + ".sha1").status_code == 404
    assert http.get(url).status_code == 200


def test_faults_on_a_redirected_download_answer_before_the_redirect(artifact_server, jar, http):
    url = artifact_server.publish_jar("v4.0.8", jar, asc=None)
    artifact_server.fault(url, "error", times=1)
    first = http.get(url, allow_redirects=False)
    assert first.status_code == 500
    assert http.get(url).content == BODY


def test_slow_keeps_to_the_rate(artifact_server, http):
    artifact_server.publish_file("/slow.bin", b"x" * 20_000)
    artifact_server.fault("/slow.bin", "slow", rate=40_000)
    began = time.monotonic()
    assert http.get(artifact_server.url_for("/slow.bin")).content == b"x" * 20_000
    assert time.monotonic() - began >= 0.45  # 20 kB at 40 kB/s: half a second at least


def test_bad_signature_serves_another_files_signature(artifact_server, jar, http):
    artifact_server.publish_jar("2.28.0", jar, asc=b"SIGNATURE OF 2.28.0")
    url = artifact_server.publish_jar("2.28.1", jar, asc=b"SIGNATURE OF 2.28.1")
    artifact_server.fault(url, "bad_signature")  # the jar's path names its .asc
    assert http.get(url + ".asc").content == b"SIGNATURE OF 2.28.0"
    artifact_server.fault(url + ".asc", "bad_signature", asc=b"given")
    assert http.get(url + ".asc").content == b"given"

    lone = ArtifactServer().start()
    try:
        lone.publish_jar("2.28.1", jar, asc=b"only one")
        with pytest.raises(ValueError):
            lone.fault(lone.maven_jar_path("2.28.1"), "bad_signature")
    finally:
        lone.stop()


def test_unknown_fault_kind_is_refused(artifact_server):
    with pytest.raises(ValueError):
        artifact_server.fault("/x", "explode")


def test_request_log_records_method_path_headers_status(artifact_server, jar, http):
    url = artifact_server.publish_jar("2.28.1", jar, asc=None)
    http.head(url)
    http.get(url + "?x=1", headers={"Range": "bytes=1-"})
    http.get(artifact_server.url_for("/missing"))
    log = artifact_server.requests_log
    assert [(m, p, s) for m, p, _, s in log] == [
        ("HEAD", artifact_server.maven_jar_path("2.28.1"), 200),
        ("GET", artifact_server.maven_jar_path("2.28.1") + "?x=1", 206),
        ("GET", "/missing", 404),
    ]
    assert log[1].headers["Range"] == "bytes=1-"
    artifact_server.clear_log()
    assert artifact_server.requests_log == []


# -- HTTPS ---------------------------------------------------------------------------------------------------


def test_https_with_the_test_ca(https_artifact_server, jar, http):
    url = https_artifact_server.publish_jar("v4.0.8", jar, asc=None)
    assert url.startswith("https://127.0.0.1:")
    with pytest.raises(requests.exceptions.SSLError):
        http.get(url)  # not trusted without the test CA
    assert http.get(url, verify=str(https_artifact_server.ca_bundle)).content == BODY

    # The route the installer's tests take: SSL_CERT_FILE, read by the standard library's default context.
    script = "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1]).read().hex())"
    env = {**os.environ, "SSL_CERT_FILE": str(https_artifact_server.ca_bundle)}
    env.pop("SSL_CERT_DIR", None)
    done = subprocess.run([sys.executable, "-c", script, url], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert bytes.fromhex(done.stdout) == BODY


# -- signing -------------------------------------------------------------------------------------------------


def _sequoia_verdict(key: SigningKey, data: bytes, signature: bytes) -> bool:
    cert = pysequoia.Cert.from_bytes(key.public_key)
    try:
        result = pysequoia.verify(bytes=data, store=lambda _ids: [cert], signature=pysequoia.Sig.from_bytes(signature))
    except Exception:
        return False
    return bool(result.valid_sigs)


def test_signature_verifies_with_gpg_in_a_fresh_keyring(signing_key, jar, tmp_path):
    signature = signing_key.sign(jar)
    assert signature.startswith(b"-----BEGIN PGP SIGNATURE-----")
    asc = tmp_path / "some.jar.asc"
    asc.write_bytes(signature)
    home = tmp_path / "verifier"
    home.mkdir(mode=0o700)
    env = {**os.environ, "GNUPGHOME": str(home)}
    gpg = ["gpg", "--batch", "--no-tty"]
    subprocess.run([*gpg, "--import", str(signing_key.public_key_path)], env=env, check=True, capture_output=True)
    good = subprocess.run([*gpg, "--verify", str(asc), str(jar)], env=env, capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert signing_key.fingerprint[-16:] in good.stderr.replace(" ", "")

    other = tmp_path / "other.jar"
    other.write_bytes(BODY + b"!")
    bad = subprocess.run([*gpg, "--verify", str(asc), str(other)], env=env, capture_output=True, text=True)
    assert bad.returncode != 0
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=env, check=False, capture_output=True)


def test_faked_times_make_keys_that_expired_before_or_after_a_signature(make_signing_key):
    jan_2021 = datetime(2021, 1, 1, tzinfo=UTC)
    end_2021 = datetime(2021, 12, 31, tzinfo=UTC)
    expired = make_signing_key(created=jan_2021, expires=end_2021)
    made_in_time = expired.sign_bytes(b"jar", at=datetime(2021, 6, 1, tzinfo=UTC))
    assert _sequoia_verdict(expired, b"jar", made_in_time)  # good evidence after the expiry

    late = make_signing_key(created=jan_2021)
    made_late = late.sign_bytes(b"jar", at=datetime(2022, 6, 1, tzinfo=UTC))
    late.set_expiry(end_2021, at=datetime(2021, 1, 2, tzinfo=UTC))
    assert pysequoia.Cert.from_bytes(late.public_key).expiration == end_2021
    assert not _sequoia_verdict(late, b"jar", made_late)  # made after the key had expired

    too_early = late.sign_bytes(b"jar", at=datetime(2020, 6, 1, tzinfo=UTC))
    assert not _sequoia_verdict(late, b"jar", too_early)  # made before the key existed
