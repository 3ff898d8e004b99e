"""The end-to-end tests marked `windows_tcp`, run again where a closed loopback port times out as on Windows
(tests/harness/netns.py): install, upgrade and a failed upgrade with its rollback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.harness import netns
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.e2e
REPO_ROOT = REPO_ROOT
MODULES = ["tests/e2e/test_install.py", "tests/e2e/test_upgrade.py"]


def test_marked_end_to_end_tests_pass_where_closed_ports_time_out() -> None:
    reason = netns.unavailable()
    if reason:
        pytest.skip(reason)
    # Its own short base temp folder: a nested pytest would otherwise prune the outer run's, and gpg-agent's
    # socket path must stay short.
    base = Path(tempfile.mkdtemp(prefix="w1-"))
    inner = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", netns.MARKER,
             "--basetemp", str(base / "t"), *MODULES]
    try:
        done = subprocess.run(netns.command(inner), cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
                              env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    finally:
        shutil.rmtree(base, ignore_errors=True)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " skipped" not in done.stdout, done.stdout[-2000:]


def test_the_namespace_makes_a_closed_port_time_out() -> None:
    reason = netns.unavailable()
    if reason:
        pytest.skip(reason)
    # unavailable() has just run the namespace's own check; outside it a closed port is refused at once.
    assert not netns.closed_port_times_out()
