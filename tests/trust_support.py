"""What the trust tests share: a planted `java` that leaves a mark when run, and a server publishing 2.28.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.artifact_server import ArtifactServer


def planted_java(tmp_path: Path, folder: Path) -> Path:
    """A script posing as `java` named in the folder's setup.toml: it leaves a mark when anything runs it."""
    mark = tmp_path / "ran-as-root"
    script = folder / "java"
    script.write_text(f"#!/bin/sh\ntouch {mark}\necho 'openjdk version \"21.0.4\" 2024-07-16' >&2\n")
    script.chmod(0o755)
    (folder / "setup.toml").write_text(f'java = "{script}"\n')
    return mark


def publish_for_check(server: ArtifactServer, tmp_path: Path, tag: str) -> list[str]:
    """Publish `tag` as the approved version (its bytes do not matter to /check); the source options."""
    jar = tmp_path / "published.jar"
    jar.write_bytes(b"PK not really a jar")
    server.publish_jar(tag, jar)
    server.set_latest_versions({"production": {"latest": tag, "earlybird": tag}})
    return ["/maven-repo", server.maven_repo, "/github-releases", server.github_releases,
            "/github-api", server.github_api, "/versions-url", server.versions_url,
            "/winsw-releases", server.winsw_releases]


@pytest.fixture
def published(artifact_server: ArtifactServer, tmp_path: Path) -> list[str]:
    """The source options of an artifact server that publishes 2.28.1."""
    return publish_for_check(artifact_server, tmp_path, "2.28.1")
