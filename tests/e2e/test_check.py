"""`setup /check [SPEC]` run as admins run it (`python -m installer`), against the artifact server: the table for a
person, one line per check when quiet, the JSON document, exit 0 / 10, and no change to the folder."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import psutil
import pytest

from installer import state
from installer.errors import ExitCode, same_exit_code
from installer.layout import Layout
from tests.cli_support import listing, setup
from tests.harness.artifact_server import ArtifactServer

CHECKS = ["java", "winsw", "dotnet", "windows", "admin", "disk", "port"]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="expects the POSIX outcome of the Windows-only checks")


@pytest.fixture
def server(artifact_server: ArtifactServer, tmp_path: Path) -> ArtifactServer:
    """2.28.0, 2.28.1 and v4.0.8 published (their bytes do not matter to /check); Digdir's latest is v4.0.8."""
    jar = tmp_path / "published.jar"
    jar.write_bytes(b"PK not really a jar")
    for tag in ("2.28.0", "2.28.1", "v4.0.8"):
        artifact_server.publish_jar(tag, jar)
    artifact_server.set_latest_versions({"production": {"latest": "v4.0.8", "earlybird": "v4.0.8"},
                                         "staging": {"latest": "2.28.1", "earlybird": "2.28.1"}})
    return artifact_server


def sources(server: ArtifactServer) -> list[str]:
    return ["/maven-repo", server.maven_repo, "/github-releases", server.github_releases, "/github-api",
            server.github_api, "/versions-url", server.versions_url, "/winsw-releases", server.winsw_releases]


def test_check_quiet_for_2x_with_java_17(server: ArtifactServer, tmp_path: Path, java17: Path) -> None:
    folder = tmp_path / "ip"
    done = setup("/check", "2.28.1", "/dir", folder, "/java", java17, "/quiet", *sources(server))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "The prerequisites for integrasjonspunkt 2.28.1 are met, with 1 warning(s)."
    rows = [line.split("installer.ui: ", 1)[1] for line in done.stderr.splitlines()
            if "installer.ui: Prerequisites for integrasjonspunkt 2.28.1: " in line]
    assert [row.split(": ", 1)[1].split(" | ")[0] for row in rows] == [
        "Java", "WinSW build", ".NET Framework", "Operating system", "Administrator rights", "Free disk", "Port"]
    assert rows[0].endswith(" | Java 8 (a newer one runs with a warning) | warning")
    assert "Digdir supports only Java 8 for this version" in done.stderr
    assert not folder.exists(), "/check never creates the folder"


def test_check_json_for_4x_on_java_17_fails(server: ArtifactServer, tmp_path: Path, java17: Path) -> None:
    folder = tmp_path / "ip"
    done = setup("/check", "v4.0.8", "/dir", folder, "/java", java17, "/json", *sources(server))
    assert done.returncode == ExitCode.PREREQUISITES, done.stderr
    document = json.loads(done.stdout)
    assert (document["verb"], document["result"], document["exit_code"], document["version"]) == (
        "check", "failed", 10, "v4.0.8")
    assert [f["check"] for f in document["findings"]] == CHECKS
    java = document["findings"][0]
    assert java["verdict"] == "fail"
    assert java["needed"] == "Java 21 or newer"
    assert java["message"].startswith(f"The Java given with /java ({java17}) is 17.")
    assert document["message"] == f"Prerequisites for integrasjonspunkt v4.0.8 are not met: {java['message']}"
    assert document["java"] is None
    assert document["winsw"] == "2.12.0/WinSW-x64.exe"
    assert not folder.exists()


def test_check_of_the_installed_version_needs_no_network(tmp_path: Path, java17: Path) -> None:
    folder = tmp_path / "ip"
    layout = Layout(folder)
    state.save(layout.state_file, state.State(version="2.28.1", env="production", service_id="integrasjonspunkt",
                                              java=str(java17), winsw="2.12.0/WinSW-x64.exe"))
    before = listing(folder)
    unreachable = "http://127.0.0.1:9/nothing"
    done = setup("/check", "/dir", folder, "/json", "/maven-repo", unreachable, "/versions-url", unreachable)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["result"], document["version"]) == ("ok", "2.28.1")
    assert document["java"] == str(java17)  # recorded in the state file
    assert document["findings"][0]["verdict"] == "warning"
    assert listing(folder) == before


def test_check_table_for_a_person(server: ArtifactServer, tmp_path: Path, java17: Path) -> None:
    done = setup("/check", "2.28.1", "/dir", tmp_path / "ip", "/java", java17, *sources(server))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Prerequisites for integrasjonspunkt 2.28.1" in out
    for text in ("Check", "Found", "Needed", "Verdict", "Java 17.", "2.12.0/WinSW-x64.exe", "not applicable",
                 "warning"):
        assert text in out
    assert "The prerequisites for integrasjonspunkt 2.28.1 are met, with 1 warning(s)." in out


def test_check_port_held_by_another_program_exits_10(server: ArtifactServer, tmp_path: Path, java17: Path) -> None:
    folder = tmp_path / "ip"
    folder.mkdir()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        (folder / "integrasjonspunkt-local.properties").write_text(f"server.port={port}\n", encoding="utf-8")
        done = setup("/check", "2.28.1", "/dir", folder, "/java", java17, "/json", *sources(server))
    assert done.returncode == ExitCode.PREREQUISITES, done.stderr
    port_finding = json.loads(done.stdout)["findings"][-1]
    assert port_finding["verdict"] == "fail"
    assert port_finding["found"] == f"port {port} in use by {psutil.Process().name()} (pid {os.getpid()})"
    assert port_finding["needed"] == f"port {port} free"


def test_check_with_a_bad_winsw_build_is_a_bad_command_line(server: ArtifactServer, tmp_path: Path,
                                                            java17: Path) -> None:
    done = setup("/check", "2.28.1", "/dir", tmp_path / "ip", "/java", java17, "/winsw", "9.9.9/WinSW.exe",
                 "/quiet", *sources(server))
    assert same_exit_code(done.returncode, ExitCode.BAD_COMMAND_LINE), done.stderr
    assert "/winsw 9.9.9/WinSW.exe: the WinSW catalog has no such build" in done.stderr


def test_check_latest_that_failed_here_does_nothing(server: ArtifactServer, tmp_path: Path, java17: Path) -> None:
    folder = tmp_path / "ip"
    state.save(Layout(folder).state_file, state.State(
        version="2.28.0", env="staging", service_id="integrasjonspunkt", java=str(java17),
        winsw="2.12.0/WinSW-x64.exe", failed_versions=["2.28.1"]))
    done = setup("/check", "latest", "/dir", folder, "/json", *sources(server))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["result"] == "nothing-to-do"
    assert "2.28.1" in document["message"]
    assert "findings" not in document


def test_check_of_an_installed_4x_whose_recorded_java_is_too_old(tmp_path: Path, java17: Path,
                                                                  java21: Path) -> None:
    folder = tmp_path / "ip"
    state.save(Layout(folder).state_file, state.State(version="v4.0.8", env="production",
                                                      service_id="integrasjonspunkt", java=str(java17),
                                                      winsw="2.12.0/WinSW-x64.exe"))
    done = setup("/check", "/dir", folder, "/quiet", env={"JAVA_HOME": str(java21.parent.parent)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "All prerequisites for integrasjonspunkt v4.0.8 are met."
    assert (f"The Java this installation used ({java17}, 17." in done.stderr
            and "is too old for this version, which needs Java 21 or newer; another one was found." in done.stderr)
