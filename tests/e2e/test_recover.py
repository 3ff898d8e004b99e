"""Recovery after a crash, and manual rollback (issue 8): the process is killed right after each step of
install, upgrade and rollback in turn – every step, taken from the plans themselves – and /recover must end on
exactly the version the rule gives for that step, healthy, with one service and one Java process."""

from __future__ import annotations

import pytest

from installer.engine import FAULT_ENV
from installer.errors import same_exit_code
from installer.plans import install as install_plan
from installer.plans import switch
from installer.ui import UI
from tests.contexts import install_context, switch_context
from tests.harness.fixtures_world import FAST, World

pytestmark = pytest.mark.e2e


def step_names(plan_steps: list) -> list[str]:
    return [s.name for s in plan_steps]


INSTALL_STEPS = step_names(install_plan.plan(install_context(new_folder=True, writes_properties=True), UI()))
UPGRADE_STEPS = step_names(switch.plan(switch_context(winsw_source=None), UI()))
ROLLBACK_STEPS = step_names(switch.plan(switch_context(operation="rollback", jar_source=None, winsw_source=None),
                                        UI()))
HEALTHY_FROM = "health"


def one_java_process(world: World) -> int:
    from installer import processes

    return len(processes.java_processes(world.folder))


def after_health(steps: list[str], step: str) -> bool:
    return steps.index(step) >= steps.index(HEALTHY_FROM)


@pytest.mark.parametrize("step", INSTALL_STEPS)
def test_install_killed_after_each_step(world: World, step: str) -> None:
    world.publish("2.28.0")
    proc = world.setup("/install", "2.28.0", *FAST, "/properties", str(world.properties), env={FAULT_ENV: step})
    assert proc.returncode == -9, proc.stderr
    code, doc = world.status()
    assert same_exit_code(code, 14) and doc["interrupted"]["operation"] == "install"
    proc = world.setup("/recover", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    if after_health(INSTALL_STEPS, step):
        assert code == 0 and doc["version"] == "2.28.0" and world.answers() == "2.28.0"
        assert one_java_process(world) == 1
    else:
        assert same_exit_code(code, 15) and world.answers() is None
        assert world.winsw.record("integrasjonspunkt") is None
        assert one_java_process(world) == 0


@pytest.mark.parametrize("step", UPGRADE_STEPS)
def test_upgrade_killed_after_each_step(world: World, step: str) -> None:
    world.publish("2.27.0")
    world.publish("2.28.1")
    assert world.install("2.27.0").returncode == 0
    before = world.data_file().read_bytes()
    proc = world.setup("/upgrade", "2.28.1", *FAST, env={FAULT_ENV: step})
    assert proc.returncode == -9, proc.stderr
    code, doc = world.status()
    assert same_exit_code(code, 14) and doc["interrupted"]["to"] == "2.28.1"
    proc = world.setup("/recover", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    expected = "2.28.1" if after_health(UPGRADE_STEPS, step) else "2.27.0"
    assert code == 0 and doc["version"] == expected, doc
    assert world.answers() == expected
    assert one_java_process(world) == 1
    assert world.data_file().read_bytes().startswith(before)
    assert doc["last_recovery"]["action"] == ("completed" if expected == "2.28.1" else "undone")


@pytest.mark.parametrize("step", ROLLBACK_STEPS)
def test_rollback_killed_after_each_step(world: World, step: str) -> None:
    world.publish("2.27.0")
    world.publish("2.28.1")
    assert world.install("2.27.0").returncode == 0
    assert world.setup("/upgrade", "2.28.1", *FAST).returncode == 0
    proc = world.setup("/rollback", *FAST, env={FAULT_ENV: step})
    assert proc.returncode == -9, proc.stderr
    proc = world.setup("/recover", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    expected = "2.27.0" if after_health(ROLLBACK_STEPS, step) else "2.28.1"
    assert code == 0 and doc["version"] == expected and world.answers() == expected
    assert one_java_process(world) == 1


def test_status_before_recover_changes_nothing_and_next_upgrade_recovers_first(world: World) -> None:
    world.publish("2.27.0")
    world.publish("2.28.1")
    assert world.install("2.27.0").returncode == 0
    proc = world.setup("/upgrade", "2.28.1", *FAST, env={FAULT_ENV: "unregister-old"})
    assert proc.returncode == -9
    listing = world.listing()
    journal = (world.folder / ".setup" / "journal.json").read_bytes()
    code, _ = world.status()
    assert same_exit_code(code, 14)
    assert world.listing() == listing and (world.folder / ".setup" / "journal.json").read_bytes() == journal
    proc = world.setup("/upgrade", "2.28.1", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert "interrupted upgrade" in proc.stderr
    assert world.answers() == "2.28.1"


def test_rollback_after_a_good_upgrade_and_nothing_to_roll_back_to(world: World) -> None:
    world.publish("2.27.0")
    world.publish("2.28.1")
    assert world.install("2.27.0").returncode == 0
    proc = world.setup("/rollback", *FAST)
    assert same_exit_code(proc.returncode, 15), proc.stderr
    assert world.setup("/upgrade", "2.28.1", *FAST).returncode == 0
    lines_after_upgrade = world.data_file().read_bytes()
    proc = world.setup("/rollback", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.27.0"
    # Without /restore-data the data stays as it is (and the old version appends its start line).
    assert world.data_file().read_bytes().startswith(lines_after_upgrade)
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.27.0" and doc["previous_versions"] == []


def test_rollback_with_restore_data_brings_back_the_data_from_before_the_upgrade(world: World) -> None:
    world.publish("2.27.0")
    world.publish("2.28.1")
    assert world.install("2.27.0").returncode == 0
    before_upgrade = world.data_file().read_bytes()
    assert world.setup("/upgrade", "2.28.1", *FAST).returncode == 0
    proc = world.setup("/rollback", "/restore-data", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.27.0"
    now = world.data_file().read_bytes()
    assert now.startswith(before_upgrade) and now.count(b"\n") == before_upgrade.count(b"\n") + 1
    replaced = list((world.folder / "backups").glob("*-replaced-2.28.1"))
    assert len(replaced) == 1 and (replaced[0] / "integrasjonspunkt.mv.db").is_file()


def test_rollback_across_the_data_format_line_needs_restore_data(world: World) -> None:
    world.publish("2.23.1")
    world.publish("2.24.0")
    assert world.install("2.23.1").returncode == 0
    assert world.setup("/upgrade", "2.24.0", *FAST).returncode == 0
    proc = world.setup("/rollback", *FAST)
    assert same_exit_code(proc.returncode, 10)
    assert "2.24.0" in proc.stderr and "/restore-data" in proc.stderr
    assert world.answers() == "2.24.0"
    proc = world.setup("/rollback", "/restore-data", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.23.1"
