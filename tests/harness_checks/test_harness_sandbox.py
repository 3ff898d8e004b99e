"""Self-test of the sandbox: what it publishes is signed and served, and its command lines are valid setup lines."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pysequoia
import requests

from installer import cmdline
from tests.harness import sandbox


def test_sandbox_publishes_signed_versions_and_valid_command_lines(artifact_server, tmp_path):
    box = sandbox.create(tmp_path, artifact_server)
    try:
        http = requests.Session()
        http.trust_env = False
        metadata = http.get(f"{artifact_server.maven_repo}/no/difi/meldingsutveksling/integrasjonspunkt/"
                            "maven-metadata.xml").text  # fmt: skip
        for version in ("2.27.0", "2.28.0", "2.28.1", "2.28.2"):
            assert f"<version>{version}</version>" in metadata
        assert "v4.0.8" in http.get(artifact_server.versions_url).text
        releases = http.get(f"{artifact_server.github_api}/releases").json()
        assert [r["tag_name"] for r in releases] == ["v4.0.8"]

        cert = pysequoia.Cert.from_file(str(box.key.public_key_path))
        jar_url = artifact_server.url_for(artifact_server.jar_path("2.28.2"))
        jar = http.get(jar_url).content
        signature = pysequoia.Sig.from_bytes(http.get(jar_url + ".asc").content)
        assert pysequoia.verify(bytes=jar, store=lambda _ids: [cert], signature=signature).valid_sigs

        if box.catalog is not None:
            build = json.loads(box.catalog.read_text())["builds"][0]
            asset = http.get(artifact_server.url_for(artifact_server.winsw_path(build["version"], build["asset"])))
            assert asset.status_code == 200
            assert hashlib.sha256(asset.content).hexdigest() == build["sha256"]

        assert "difi.move.org.number=910076787" in box.properties.read_text()
        lines = box.command_lines()
        assert [argv[4] for _, argv in lines[:3]] == ["2.28.0", "2.28.1", "2.28.2"]
        for _title, argv in lines:
            assert argv[:3] == [sys.executable, "-m", "installer"]
            invocation = cmdline.parse(argv[3:])
            assert invocation.options["dir"] == str(box.folder)
            assert invocation.options["maven-repo"] == artifact_server.maven_repo
            assert invocation.options["trusted-key"] == str(box.key.public_key_path)
    finally:
        box.key.close()


def test_sandbox_command_prints_the_lines(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tests.harness.sandbox", "--no-wait", "--root", str(tmp_path / "box")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "-m installer /install 2.28.0" in done.stdout
    assert "-m installer /upgrade 2.28.2" in done.stdout
    assert "-m installer /status" in done.stdout
