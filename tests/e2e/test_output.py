"""What an admin reads from a run without /quiet, through a pipe as Ansible or a redirect gets it: the result
once, the log's place at the end, whole lines; and the folder log saying which command ran."""

from __future__ import annotations

import io
import json
import os
import re
import sys

import pexpect
import pytest

from installer import __version__
from installer.errors import ExitCode, same_exit_code
from installer.lock import FolderLock
from installer.result import SCHEMA
from tests.harness.fixtures_world import FAST, REPO_ROOT, World

pytestmark = pytest.mark.e2e

LOUD = [a for a in FAST if a != "/quiet"]


def test_results_once_log_named_and_nothing_cut(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    assert world.install("2.28.0").returncode == 0
    log = world.folder / "installer-logs" / "setup.log"

    upgraded = world.setup("/upgrade", "2.28.1", *LOUD)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.count("2.28.1") >= 1
    done_lines = [line for line in upgraded.stdout.splitlines() if "2.28.0" in line and "2.28.1" in line
                  and "->" not in line]
    assert len(done_lines) == 1, upgraded.stdout
    assert upgraded.stdout.rstrip().splitlines()[-1] == f"Log: {log}"

    shown = world.setup("/status")
    java = world.status()[1]["java"]
    # The table is as wide as its longest cell: no path cut with an ellipsis, no cell wrapped onto two lines.
    assert java in shown.stdout and str(world.folder) in shown.stdout, shown.stdout
    assert "…" not in shown.stdout

    removed = world.setup("/uninstall", *LOUD, "/service-password", "pw-Xy7-secret")
    assert removed.returncode == 0, removed.stderr
    assert sum("is uninstalled" in line for line in removed.stdout.splitlines()) == 1, removed.stdout

    text = log.read_text(encoding="utf-8")
    headers = [line for line in text.splitlines() if f"setup {__version__}: " in line]
    # install, upgrade and uninstall each said what ran; /status only reads and writes no folder log.
    assert [h.split(": ", 2)[-1].split()[0] for h in headers] == ["/install", "/upgrade", "/uninstall"], headers
    assert "pw-Xy7-secret" not in text and "/service-password ********" in headers[-1]


def test_json_for_fleet_tools(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    log = world.folder / "installer-logs" / "setup.log"
    done = world.setup("/install", "2.28.0", *FAST, "/properties", str(world.properties), "/json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert (doc["from"], doc["to"], doc["log"]) == (None, "2.28.0", str(log))
    assert doc["setup_version"] == __version__ and doc["schema"] == SCHEMA
    # Only warnings and errors reach stderr with /json (the Java 17 under 2.x is a warning).
    assert all(" WARNING " in line or " ERROR " in line for line in done.stderr.splitlines()), done.stderr

    upgraded = json.loads(world.setup("/upgrade", "2.28.1", *FAST, "/json").stdout)
    assert (upgraded["from"], upgraded["to"], upgraded["log"]) == ("2.28.0", "2.28.1", str(log))

    table = world.setup("/status", "/lang", "nb")
    assert "kjører" in table.stdout and "running" not in table.stdout
    _, status = world.status()
    assert status["service"] == "running" and status["schema"] == SCHEMA

    with FolderLock(world.folder / ".setup" / "lock", "upgrade"):
        busy = world.setup("/status", "/json")
    assert same_exit_code(busy.returncode, ExitCode.BUSY), busy.stderr
    seen = json.loads(busy.stdout)
    assert seen["installed"] is True and seen["version"] == "2.28.1" and seen["exit_code"] == ExitCode.BUSY


def test_status_counts_the_backups(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    world.publish("2.28.2", "never_healthy")
    assert world.install("2.28.0").returncode == 0
    assert world.setup("/upgrade", "2.28.1", *FAST).returncode == 0
    failed = world.setup("/upgrade", "2.28.2", "/quiet", "/health-timeout", "4", "/health-stable", "1")
    assert same_exit_code(failed.returncode, ExitCode.UPGRADE_FAILED), failed.stderr
    sets = [p for p in (world.folder / "backups").iterdir() if p.is_dir()]
    size = sum(f.stat().st_size for s in sets for f in s.rglob("*") if f.is_file())
    _, status = world.status()
    assert status["backups"] == {"count": len(sets), "bytes": size, "failed": 1} and len(sets) >= 3
    table = world.setup("/status").stdout
    assert f"{len(sets)} sets" in table and "1 of a failed version" in table


def test_terminal_shows_each_step_with_its_time(world: World) -> None:
    """At a terminal (a pseudo-terminal here) a failed upgrade shows every step and every undo as it goes."""
    world.publish("2.28.0")
    world.publish("2.28.1", "never_healthy")
    assert world.install("2.28.0").returncode == 0
    environment = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1", "TERM": "xterm"}
    transcript = io.StringIO()
    child = pexpect.spawn(sys.executable, ["-m", "installer", "/upgrade", "2.28.1", "/health-timeout", "4",
                                           "/health-stable", "1", *world.args()], env=environment,
                          cwd=str(REPO_ROOT), encoding="utf-8", timeout=120, dimensions=(60, 200))
    child.logfile_read = transcript
    child.expect(pexpect.EOF)
    child.close()
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", transcript.getvalue())
    assert same_exit_code(child.exitstatus, ExitCode.UPGRADE_FAILED), shown
    # Each step's final line: its mark, its name, the time it took.
    for line in ("✓ stop the service", "✓ start the service", "✗ wait until integrasjonspunkt answers – stopped",
                 "✓ undoing: stop the service"):
        assert re.search(re.escape(line) + r"\s+\d+:\d\d:\d\d", shown), shown
    assert shown.index("undoing: stop the service") < shown.index("Upgrade to 2.28.1 failed")
