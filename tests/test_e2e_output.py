"""What an admin reads from a run without /quiet, through a pipe as Ansible or a redirect gets it: the result
once, the log's place at the end, whole lines; and the folder log saying which command ran."""

from __future__ import annotations

import pytest

from installer import __version__
from tests.harness.fixtures_world import FAST, World

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
