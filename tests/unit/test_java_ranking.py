"""Java discovery under an elevated setup: installed Javas rank above the one on PATH whatever version it claims, a
Java other users can change is never run, and a silent run never takes a PATH Java unless /java names it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from installer import cli, java
from installer.errors import ExitCode
from installer.messages import set_language
from tests.harness import jdks
from tests.harness.artifact_server import ArtifactServer
from tests.harness.fixtures_winreg import JAVA_OUTPUTS, write_java
from tests.trust_support import publish_for_check

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake java executables are POSIX shell scripts")

CLAIMS_25_0_99 = ('openjdk version "25.0.99" 2026-01-20\nOpenJDK Runtime Environment (build 25.0.99+1)\n'
                  "OpenJDK 64-Bit Server VM (build 25.0.99+1, mixed mode, sharing)\n")


@pytest.fixture
def published_4x(artifact_server: ArtifactServer, tmp_path: Path) -> list[str]:
    set_language("en")
    return publish_for_check(artifact_server, tmp_path, "v4.0.8")


def test_a_fake_java_claiming_25_0_99_first_on_path_is_not_chosen(tmp_path: Path, published_4x: list[str]) -> None:
    real = Path("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    if not real.is_file():
        pytest.skip("needs the Temurin 25 JDK in /usr/lib/jvm")
    fake = write_java(tmp_path / "fake", CLAIMS_25_0_99, jdk=True)
    environ = {**os.environ, "LANG": "C.UTF-8", "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    environ.pop("JAVA_HOME", None)
    done = subprocess.run([sys.executable, "-m", "installer", "/check", "v4.0.8", "/dir", str(tmp_path / "ip"),
                           "/json", *published_4x], capture_output=True, text=True, env=environ, timeout=120)
    document = json.loads(done.stdout)
    assert document["java"] == str(real), done.stderr
    assert document["exit_code"] == 0


@pytest.fixture
def only_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No JVM folder, no JAVA_HOME: the only Java is a link to a real JDK 25 in a folder on PATH."""
    real = jdks.java21()
    if real is None:
        pytest.skip("needs a Java >= 21")
    folder = tmp_path / "path-bin"
    folder.mkdir()
    (folder / "java").symlink_to(real)
    monkeypatch.setattr(java, "LINUX_JVM_DIRS", ())
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(folder))
    return folder / "java"


def test_quiet_never_takes_a_java_from_path_silently(only_path: Path, tmp_path: Path, published_4x: list[str],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["/check", "v4.0.8", "/dir", str(tmp_path / "ip"), "/json", "/quiet", *published_4x])
    document = json.loads(capsys.readouterr().out)
    assert code == ExitCode.PREREQUISITES
    finding = document["findings"][0]
    assert finding["verdict"] == "fail" and "name it with /java" in finding["message"]
    code = cli.main(["/check", "v4.0.8", "/dir", str(tmp_path / "ip"), "/json", "/quiet", "/java", str(only_path),
                     *published_4x])
    assert code == 0 and json.loads(capsys.readouterr().out)["java"] == str(only_path)


def test_a_person_is_warned_about_a_path_java(only_path: Path, tmp_path: Path, published_4x: list[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["/check", "v4.0.8", "/dir", str(tmp_path / "ip"), "/json", *published_4x])
    document = json.loads(capsys.readouterr().out)
    assert code == 0 and document["java"] == str(only_path)
    assert document["findings"][0]["verdict"] == "warning"
    assert "found through PATH" in document["findings"][0]["message"]


@pytest.mark.parametrize("mode", [0o777, 0o775])
def test_a_java_other_users_can_change_is_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  mode: int) -> None:
    mark = tmp_path / "ran"
    home = tmp_path / "shared" / "jdk"
    executable = write_java(home, JAVA_OUTPUTS["temurin-21.0.5"])
    executable.write_text(f"#!/bin/sh\n: > {mark}\n" + executable.read_text().split("\n", 1)[1])
    (tmp_path / "shared").chmod(mode)
    monkeypatch.setattr(java, "LINUX_JVM_DIRS", ())
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(executable.parent))
    survey = java.find_all(None)
    assert survey.installs == []
    (broken,) = survey.broken
    assert broken.path == executable and f"mode {mode:o}" in broken.reason
    assert not mark.exists()


def test_program_files_and_jvm_folders_rank_before_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    program_files = tmp_path / "Program Files"
    adoptium = write_java(program_files / "Eclipse Adoptium" / "jdk-21.0.5.11-hotspot", JAVA_OUTPUTS["temurin-21.0.5"])
    on_path = write_java(tmp_path / "fake", CLAIMS_25_0_99)
    monkeypatch.setattr(java, "LINUX_JVM_DIRS", ())
    environ = {"PATH": str(on_path.parent), "ProgramFiles": str(program_files)}
    assert java.candidates(None, environ) == [(adoptium, str(program_files / "Eclipse Adoptium")),
                                              (on_path, java.ORIGIN_PATH)]
    # The current directory is never searched, even when PATH names it as '.' or ''.
    monkeypatch.chdir(on_path.parent)
    assert java.candidates(None, {"PATH": f".{os.pathsep}"}) == []
