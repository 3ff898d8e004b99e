"""Parse and validate the whole command line, then touch the network and the disk: a bad command line (1639)
makes no request and leaves no folder behind."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from installer.errors import ExitCode, same_exit_code
from installer.result import SCHEMA
from tests.harness.artifact_server import ArtifactServer
from tests.harness.fixtures_world import FAST, World
from tests.paths import REPO_ROOT

REPO_ROOT = REPO_ROOT


def setup(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "installer", *argv], capture_output=True, text=True, cwd=REPO_ROOT,
                          env={**os.environ, "LANG": "C.UTF-8"}, timeout=60)


def test_plain_http_base_is_refused_before_any_request(tmp_path: Path, artifact_server: ArtifactServer) -> None:
    folder = tmp_path / "ip"
    properties = tmp_path / "local.properties"
    properties.write_text("difi.move.org.number=910077473\n", encoding="utf-8")
    done = setup("/install", "/quiet", "/dir", str(folder), "/properties", str(properties),
                 "/versions-url", artifact_server.versions_url, "/maven-repo", "http://example.org/m")
    assert same_exit_code(done.returncode, ExitCode.BAD_COMMAND_LINE), done.stderr
    assert "/maven-repo" in done.stderr and "Traceback" not in done.stderr
    assert artifact_server.requests_log == []
    assert not folder.exists()


@pytest.mark.parametrize("verb", ["/upgrade", "/install", "/check"])
def test_malformed_spec_is_a_bad_command_line_even_where_nothing_is_installed(tmp_path: Path, verb: str) -> None:
    folder = tmp_path / "ip"
    done = setup(verb, "../x", "/quiet", "/dir", str(folder))
    assert same_exit_code(done.returncode, ExitCode.BAD_COMMAND_LINE), done.stderr
    assert not folder.exists()


def test_install_without_properties_creates_no_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    done = setup("/install", "2.28.1", "/quiet", "/dir", str(folder))
    assert same_exit_code(done.returncode, ExitCode.BAD_COMMAND_LINE), done.stderr
    assert "integrasjonspunkt-local.properties" in done.stderr
    assert not folder.exists()


@pytest.mark.e2e
def test_failure_before_the_first_step_is_a_prerequisite_not_14(world: World) -> None:
    """sc.exe is read for the upgrade's context, before any step: without it nothing changed, the service runs."""
    world.publish("2.28.0")
    world.publish("2.28.1")
    assert world.install("2.28.0").returncode == 0
    sc_exe = world.winsw.system32 / "sc.exe"
    kept = sc_exe.with_name("sc.exe.kept")
    sc_exe.rename(kept)  # Windows' System32 without sc.exe
    try:
        done = world.setup("/upgrade", "2.28.1", *FAST)
    finally:
        kept.rename(sc_exe)
    assert same_exit_code(done.returncode, ExitCode.PREREQUISITES), done.stderr
    assert "sc.exe" in done.stderr and "Nothing was changed." in done.stderr
    assert world.answers() == "2.28.0"
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.28.0" and doc["interrupted"] is None


@pytest.mark.e2e
def test_install_of_a_lower_version_advises_the_command_that_works(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    assert world.install("2.28.1").returncode == 0
    lower = world.install("2.28.0")
    assert same_exit_code(lower.returncode, 1638) and "/upgrade 2.28.0 /allow-downgrade" in lower.stderr
    advised = world.setup("/upgrade", "2.28.0", "/allow-downgrade", *FAST)
    assert advised.returncode == 0, advised.stderr
    higher = world.install("2.28.1")
    assert same_exit_code(higher.returncode, 1638) and "/upgrade 2.28.1 to change" in higher.stderr


def test_recovery_of_this_runs_own_journal_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A journal this very process left (its own cancelled run) is not 'an interrupted operation found'."""
    from installer.journal import Journal
    from installer.layout import Layout
    from installer.plans import recovery
    from installer.plans.context import to_document
    from installer.ui import UI
    from tests.contexts import install_context

    layout = Layout(tmp_path)
    private = tmp_path / ".setup"
    ctx = install_context(tmp_path, to_version="2.28.1", jar_source=private / "cache" / "j.jar",
                          winsw_source=private / "cache" / "w.exe", staged_xml=private / "staged" / "x.xml")
    Journal(layout.journal_file, "install", to_document(ctx)).save()
    ui = UI(quiet=True)
    with caplog.at_level(logging.WARNING, logger="installer.ui"):
        recovery.finish_interrupted(layout, ui, said_by="recover")
    assert [r.getMessage() for r in caplog.records if r.name == "installer.ui"] == [
        "Finishing the undo of the cancelled install (- -> 2.28.1)."]
    assert not layout.journal_file.exists()


def test_a_bad_command_line_answers_json_with_every_key(tmp_path: Path) -> None:
    done = setup("/upgrade", "../x", "/json", "/dir", str(tmp_path / "ip"))
    document = json.loads(done.stdout)
    assert document["exit_code"] == ExitCode.BAD_COMMAND_LINE and document["schema"] == SCHEMA
    assert {"verb", "result", "version", "message", "from", "to", "log", "setup_version"} <= set(document)
