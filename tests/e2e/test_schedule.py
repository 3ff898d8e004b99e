"""Scheduled upgrades end to end: /schedule registers a weekly task with the Task Scheduler stand-in, and "run now"
of that task (as Task Scheduler starts it: detached, without the environment of whoever scheduled it) performs the
silent upgrade, writes last-run.json, rolls a failing version back and skips it the next time."""

from __future__ import annotations

import json
import subprocess
import time
from typing import Any

import pytest

from installer.errors import same_exit_code
from installer.state import load as load_state
from tests.harness.fixtures_world import FAST, World
from tests.java_support import remove_with_service_stopped, version_named_java

pytestmark = pytest.mark.e2e

RUN_TIMEOUT = 180.0


def folder_settings(world: World) -> None:
    """What a scheduled run needs beyond its command line comes from the folder's setup.toml: the sandbox's
    sources and key, and a short health wait."""
    args = world.args()
    pairs = {args[i][1:]: args[i + 1] for i in range(0, len(args), 2) if args[i] != "/dir"}
    pairs |= {"health-timeout": "40", "health-stable": "1"}
    lines = [f"{name} = {json.dumps(value)}" for name, value in pairs.items()]
    (world.folder / "setup.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_task_now(world: World, name: str) -> dict[str, Any]:
    """"Run" in Task Scheduler, then the result the scheduled run left once it has finished."""
    path = world.folder / ".setup" / "last-run.json"
    path.unlink(missing_ok=True)
    done = subprocess.run([str(world.winsw.system32 / "schtasks.exe"), "/run", "/tn", name], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        if path.is_file():  # written last, atomically
            return json.loads(path.read_text(encoding="ascii"))
        time.sleep(0.2)
    raise AssertionError("the scheduled run left no result")


def test_scheduled_upgrade_runs_skips_a_failed_version_and_goes_with_unschedule(world: World) -> None:
    world.publish("2.27.0")
    assert world.install("2.27.0").returncode == 0
    folder_settings(world)

    proc = world.setup("/schedule", "latest", "/at", "5:30", "/days", "mon-fri", "/json", *FAST)
    assert proc.returncode == 0, proc.stderr
    planned = json.loads(proc.stdout)["schedule"]
    assert planned["at"] == "05:30" and planned["days"] == ["MON", "TUE", "WED", "THU", "FRI"]
    task = world.winsw.tasks.load(planned["task"])
    assert task is not None and task["definition"]["weekly"]["days"][0] == "Monday"
    assert task["definition"]["user_id"] == "S-1-5-18"

    world.publish("2.28.0")
    world.set_latest("2.28.0")
    result = run_task_now(world, planned["task"])
    assert result["verb"] == "upgrade" and result["exit_code"] == 0, result
    assert world.answers() == "2.28.0"

    world.publish("2.28.1", "exit_at_start")
    world.set_latest("2.28.1")
    result = run_task_now(world, planned["task"])
    assert same_exit_code(result["exit_code"], 13), result  # rolled back
    assert world.answers() == "2.28.0"

    result = run_task_now(world, planned["task"])  # the next night: the failed version is skipped
    assert result["exit_code"] == 0 and result["result"] == "nothing-to-do", result
    assert world.answers() == "2.28.0"

    code, status = world.status()
    assert code == 0 and status["schedule"]["registered"] and status["schedule"]["spec"] == "latest"
    assert status["schedule"]["last_run"]["result"] == "nothing-to-do"

    proc = world.setup("/unschedule", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.winsw.tasks.load(planned["task"]) is None
    recorded = load_state(world.folder / ".setup" / "state.json")
    assert recorded is not None and recorded.schedule is None


def test_uninstall_removes_the_scheduled_task(world: World) -> None:
    world.publish("2.27.0")
    assert world.install("2.27.0").returncode == 0
    proc = world.setup("/schedule", "2.x", *FAST)
    assert proc.returncode == 0, proc.stderr
    name = load_state(world.folder / ".setup" / "state.json").schedule["task"]  # type: ignore[union-attr]
    assert world.winsw.tasks.load(name) is not None
    proc = world.setup("/uninstall", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.winsw.tasks.load(name) is None


def test_schedule_without_an_installation_is_15_and_a_bad_time_1639(world: World) -> None:
    world.folder.mkdir()
    proc = world.setup("/schedule", "latest", "/quiet")
    assert same_exit_code(proc.returncode, 15), proc.stderr
    proc = world.setup("/schedule", "latest", "/at", "25:00", "/quiet")
    assert same_exit_code(proc.returncode, 1639) and "/at" in proc.stderr
    assert world.winsw.tasks.tasks() == []


def test_an_upgrade_with_nothing_newer_heals_a_service_whose_java_vanished(world: World) -> None:
    """What a scheduled run does on the night after a Java update removed the service's Java (W11): there is
    nothing to upgrade to, and the service is repaired with an installed Java of its line."""
    java = version_named_java(world)
    world.publish("2.28.0")
    world.set_latest("2.28.0")
    assert world.install("2.28.0", "/java", str(java)).returncode == 0
    remove_with_service_stopped(world, java)
    proc = world.setup("/upgrade", "latest", *FAST, "/json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verb"] == "repair" and "is gone" in proc.stderr
    assert world.answers() == "2.28.0"
    proc = world.setup("/upgrade", "latest", *FAST, "/json")  # healthy again: nothing to do
    assert proc.returncode == 0 and json.loads(proc.stdout)["result"] == "nothing-to-do", proc.stderr
