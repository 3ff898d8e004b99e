"""/run end to end: a real install with the WinSW stand-in, the service stopped, then the installed stand-in jar
in setup's console; Ctrl+C sent as a terminal sends it (SIGINT to the process group) stops Java gracefully."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from installer import service_xml, windows_args
from installer.errors import ExitCode
from tests.harness.fixtures_world import REPO_ROOT, World
from tests.harness.waiting import wait_until

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(os.name == "nt", reason="sends POSIX signals to a process group")]


def _installed(world: World) -> None:
    world.publish("2.28.1")
    installed = world.install("2.28.1")
    assert installed.returncode == 0, installed.stderr
    assert world.answers() == "2.28.1"


def _start_run(world: World) -> subprocess.Popen[str]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    return subprocess.Popen([sys.executable, "-m", "installer", "/run", *world.args()], cwd=REPO_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_run_starts_the_service_command_and_ctrl_c_stops_it_gracefully(world: World) -> None:
    _installed(world)
    exe = world.folder / "integrasjonspunkt-service.exe"
    assert subprocess.run([str(exe), "stop"], capture_output=True, timeout=60).returncode == 0
    wait_until(lambda: world.answers() is None, 30)  # the stand-in's stop returns as the child exits
    before = (world.folder / "integrasjonspunkt-service.xml").read_bytes()
    proc = _start_run(world)
    try:
        wait_until(lambda: world.answers() == "2.28.1", 60)
        # The folder is held while Java runs: an upgrade cannot swap the jar under it.
        assert world.setup("/repair", "/quiet").returncode == ExitCode.BUSY % 256
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err  # Java's exit code after SIGINT: 128 + 2
    assert "Graceful shutdown complete" in out, out[-2000:]  # the shutdown hook ran
    assert "Traceback" not in err
    assert world.answers() is None
    # Exactly the service's command: the profile and the jar of the installed version, in the install folder.
    log = (world.folder / "installer-logs" / "setup.log").read_text(encoding="utf-8")
    line = next(x for x in log.splitlines() if "run in " in x)
    xml = service_xml.read(world.folder / "integrasjonspunkt-service.xml")
    ran = [xml.executable or "", *(a.replace("%BASE%", str(world.folder)) for a in xml.arguments)]
    assert line.endswith(f"run in {world.folder}: {windows_args.join_windows_args(ran)}"), line
    assert ran[1:4] == ["-Dspring.profiles.active=production", "-jar",
                        f"{world.folder}/integrasjonspunkt-2.28.1.jar"]
    assert "java exited with 130" in log
    # Nothing else changed: the service is still stopped, its XML as it was.
    code, doc = world.status()
    assert code == 14, doc  # installed, not running
    assert doc["service"] == "stopped" and doc["version"] == "2.28.1" and doc["interrupted"] is None, doc
    assert (world.folder / "integrasjonspunkt-service.xml").read_bytes() == before


def test_run_refuses_while_the_service_runs(world: World) -> None:
    _installed(world)
    done = world.setup("/run")
    assert done.returncode == ExitCode.PREREQUISITES, done.stderr
    assert "is running: stop it first" in done.stdout and "Traceback" not in done.stderr, done.stdout
    assert world.answers() == "2.28.1"


def test_run_without_an_installation_is_15(world: World) -> None:
    done = world.setup("/run")
    assert done.returncode == ExitCode.NOT_INSTALLED, done.stderr
