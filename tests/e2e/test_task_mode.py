"""`/mode task` end to end (Digdir's Alt 3): integrasjonspunkt run by a Task Scheduler task instead of a WinSW
service, against the Task Scheduler stand-in with real JVMs: install, upgrade, a failed upgrade rolled back,
uninstall, and the exact schtasks command lines and task XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from installer.errors import same_exit_code
from installer.windows import tasks
from installer.windows_args import split_windows_args
from tests.contexts import install_context, switch_context
from tests.harness.fixtures_world import FAST, World

pytestmark = pytest.mark.e2e

NS = {"t": tasks.NAMESPACE}
NAME = "\\integrasjonspunkt"


def _task_xml(world: World) -> ET.Element:
    task = world.winsw.tasks.load(NAME)
    assert task is not None
    return ET.fromstring(task["xml"].split("\n", 1)[1])


def _schtasks_calls(world: World) -> list[list[str]]:
    """The command lines, the executable first, without the answers of the queries of the state."""
    return [call[1:] for call in world.winsw.tasks.calls() if call[1] != "/query"]


def _java_pids(world: World) -> list[int]:
    from installer import processes

    return [p.pid for p in processes.java_processes(world.folder)]


def test_install_upgrade_failed_upgrade_and_uninstall_as_a_task(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    world.publish("2.28.2", "never_healthy")
    proc = world.install("2.28.0", "/mode", "task")
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.0"
    # No WinSW: nothing downloaded, placed or registered.
    assert not (world.folder / "integrasjonspunkt-service.exe").exists()
    assert not any(r.path.endswith(".exe") for r in world.server.requests_log)
    assert world.winsw.record("integrasjonspunkt") is None
    task_file = str(world.folder / ".setup" / "task.xml")
    assert _schtasks_calls(world) == [["/create", "/tn", NAME, "/xml", task_file, "/f"], ["/run", "/tn", NAME]]
    root = _task_xml(world)
    assert root.get("version") == "1.2"
    assert [child.tag.split("}")[1] for child in root] == ["RegistrationInfo", "Triggers", "Principals", "Settings",
                                                          "Actions"]
    assert root.find("t:Triggers/t:BootTrigger", NS) is not None
    assert root.findtext("t:Principals/t:Principal/t:UserId", namespaces=NS) == "S-1-5-18"
    assert root.find("t:Principals/t:Principal/t:LogonType", NS) is None
    settings = {child.tag.split("}")[1]: (child.text or "").strip() for child in root.find("t:Settings", NS) or []}
    assert settings["ExecutionTimeLimit"] == "PT0S" and settings["MultipleInstancesPolicy"] == "IgnoreNew"
    assert root.findtext("t:Settings/t:RestartOnFailure/t:Interval", namespaces=NS) == "PT1M"
    # Exactly the command /run starts (the service XML's): Java, the JVM options before -jar, the profile, the jar.
    from installer.layout import Layout
    from installer.service_command import service_command

    command = service_command(Layout(world.folder), "integrasjonspunkt")
    assert root.findtext("t:Actions/t:Exec/t:Command", namespaces=NS) == command.argv[0]
    arguments = split_windows_args(root.findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS) or "")
    assert arguments == command.argv[1:] and arguments[-1] == str(world.folder / "integrasjonspunkt-2.28.0.jar")
    assert root.findtext("t:Actions/t:Exec/t:WorkingDirectory", namespaces=NS) == str(world.folder)
    code, doc = world.status()
    assert code == 0 and doc["mode"] == "task" and doc["service"] == "running" and doc["healthy"]
    assert doc["winsw"] is None

    before = len(world.winsw.tasks.calls())
    proc = world.setup("/upgrade", "2.28.1", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.1"
    calls = [c[1:] for c in world.winsw.tasks.calls()[before:] if c[1] != "/query"]
    assert calls == [["/end", "/tn", NAME], ["/create", "/tn", NAME, "/xml", task_file, "/f"], ["/run", "/tn", NAME]]
    assert split_windows_args(_task_xml(world).findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS) or "")[
        -1] == str(world.folder / "integrasjonspunkt-2.28.1.jar")
    assert len(_java_pids(world)) == 1

    proc = world.setup("/upgrade", "2.28.2", *FAST)
    assert same_exit_code(proc.returncode, 13), proc.stderr
    assert world.wait_answers("2.28.1")
    assert split_windows_args(_task_xml(world).findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS) or "")[
        -1] == str(world.folder / "integrasjonspunkt-2.28.1.jar")
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.28.1" and doc["mode"] == "task" and len(_java_pids(world)) == 1

    proc = world.setup("/uninstall", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() is None and _java_pids(world) == []
    assert world.winsw.tasks.load(NAME) is None
    assert world.data_file().is_file()


def test_the_task_starts_at_boot(world: World) -> None:
    """A start of Windows: the boot trigger runs the task, whether anyone logs on or not."""
    import psutil

    world.publish("2.28.0")
    assert world.install("2.28.0", "/mode", "task").returncode == 0
    for pid in _java_pids(world):  # the power goes
        psutil.Process(pid).kill()
    assert world.wait_answers("2.28.0", timeout=0.5) is False or _java_pids(world) == []
    assert world.winsw.boot_tasks() == [NAME]
    assert world.wait_answers("2.28.0")


def test_a_virtual_account_cannot_run_a_task(world: World) -> None:
    world.publish("2.28.0")
    proc = world.install("2.28.0", "/mode", "task", "/service-user", "virtual")
    assert same_exit_code(proc.returncode, 1639) and "Task Scheduler" in proc.stderr
    assert not world.folder.exists() and world.winsw.tasks.calls() == []


SECRET = "T4sk-Pa55word!"


def test_a_user_account_gets_its_password_once_and_upgrades_need_it_again(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    proc = world.install("2.28.0", "/mode", "task", "/service-user", ".\\ipsvc",
                         env={"IPSETUP_SERVICE_PASSWORD": SECRET})
    assert proc.returncode == 0, proc.stderr
    task_file = str(world.folder / ".setup" / "task.xml")
    assert _schtasks_calls(world)[0] == ["/create", "/tn", NAME, "/xml", task_file, "/ru", ".\\ipsvc", "/rp", SECRET,
                                         "/f"]
    root = _task_xml(world)
    assert root.findtext("t:Principals/t:Principal/t:UserId", namespaces=NS) == ".\\ipsvc"
    assert root.findtext("t:Principals/t:Principal/t:LogonType", namespaces=NS) == "Password"
    code, doc = world.status()
    assert code == 0 and doc["account"] == ".\\ipsvc" and doc["mode"] == "task"
    for path in world.folder.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET not in proc.stdout + proc.stderr
    # The task's action names the jar, so an upgrade registers it anew: without the password nothing changes.
    proc = world.setup("/upgrade", "2.28.1", *FAST)
    assert same_exit_code(proc.returncode, 10) and "/service-password" in proc.stderr
    assert world.answers() == "2.28.0"
    proc = world.setup("/upgrade", "2.28.1", *FAST, env={"IPSETUP_SERVICE_PASSWORD": SECRET})
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.1"
    assert world.setup("/uninstall", *FAST).returncode == 0


def _steps(plan_steps: list) -> list[str]:
    return [s.name for s in plan_steps]




def _plans() -> tuple[list[str], list[str]]:
    from installer.plans import install as install_plan
    from installer.plans import switch
    from installer.ui import UI

    task = {"winsw_source": None, "mode": "task", "account": "LocalSystem"}
    return (_steps(install_plan.plan(install_context(new_folder=True, writes_properties=True, **task), UI())),
            _steps(switch.plan(switch_context(mode_from="task", **task), UI())))


TASK_INSTALL_STEPS, TASK_UPGRADE_STEPS = _plans()


def test_the_task_plans_place_no_winsw() -> None:
    assert "place-winsw" not in TASK_INSTALL_STEPS + TASK_UPGRADE_STEPS
    assert "register" in TASK_INSTALL_STEPS and "register-new" in TASK_UPGRADE_STEPS


@pytest.mark.parametrize("step", TASK_INSTALL_STEPS)
def test_task_install_killed_after_each_step_is_recovered(world: World, step: str) -> None:
    from installer.engine import FAULT_ENV

    world.publish("2.28.0")
    proc = world.install("2.28.0", "/mode", "task", env={FAULT_ENV: step})
    assert proc.returncode == -9, proc.stderr
    proc = world.setup("/recover", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    if TASK_INSTALL_STEPS.index(step) >= TASK_INSTALL_STEPS.index("health"):
        assert code == 0 and doc["mode"] == "task" and world.answers() == "2.28.0" and len(_java_pids(world)) == 1
    else:
        assert same_exit_code(code, 15) and world.answers() is None and _java_pids(world) == []
        assert world.winsw.tasks.load(NAME) is None


@pytest.mark.parametrize("step", TASK_UPGRADE_STEPS)
def test_task_upgrade_killed_after_each_step_is_recovered(world: World, step: str) -> None:
    from installer.engine import FAULT_ENV

    world.publish("2.27.0")
    world.publish("2.28.1")
    assert world.install("2.27.0", "/mode", "task").returncode == 0
    proc = world.setup("/upgrade", "2.28.1", *FAST, env={FAULT_ENV: step})
    assert proc.returncode == -9, proc.stderr
    proc = world.setup("/recover", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    expected = "2.28.1" if TASK_UPGRADE_STEPS.index(step) >= TASK_UPGRADE_STEPS.index("health") else "2.27.0"
    assert code == 0 and doc["version"] == expected and doc["mode"] == "task", doc
    assert world.answers() == expected and len(_java_pids(world)) == 1
    jar = str(world.folder / f"integrasjonspunkt-{expected}.jar")
    assert split_windows_args(_task_xml(world).findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS) or "")[
        -1] == jar


def test_rollback_and_repair_act_on_the_task(world: World) -> None:
    world.publish("2.27.0")
    world.publish("2.28.1")
    assert world.install("2.27.0", "/mode", "task").returncode == 0
    assert world.setup("/upgrade", "2.28.1", *FAST).returncode == 0
    proc = world.setup("/rollback", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.27.0" and len(_java_pids(world)) == 1
    arguments = _task_xml(world).findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS) or ""
    assert split_windows_args(arguments)[-1] == str(world.folder / "integrasjonspunkt-2.27.0.jar")
    # An admin deletes the task in Task Scheduler (its process goes on running): /status says absent, /repair
    # registers it again and runs it.
    from installer.windows import tasks as driver

    driver.delete(NAME)
    code, doc = world.status()
    assert same_exit_code(code, 14) and doc["service"] == "absent"
    proc = world.setup("/repair", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert world.winsw.tasks.load(NAME) is not None and world.answers() == "2.27.0"
    code, doc = world.status()
    assert code == 0 and doc["service"] == "running" and len(_java_pids(world)) == 1


def test_repair_mode_moves_a_service_to_a_task_and_back_keeping_the_data(world: World) -> None:
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    before = world.data_file().read_bytes()
    proc = world.setup("/repair", "/mode", "task", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    assert code == 0 and doc["mode"] == "task" and doc["service"] == "running" and doc["winsw"] is None, doc
    assert world.winsw.record("integrasjonspunkt") is None  # the service is gone, and its WinSW exe
    assert not (world.folder / "integrasjonspunkt-service.exe").exists()
    assert world.winsw.tasks.load(NAME) is not None and len(_java_pids(world)) == 1
    assert world.data_file().read_bytes().startswith(before)
    proc = world.setup("/repair", "/mode", "service", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    assert code == 0 and doc["mode"] == "service" and doc["service"] == "running" and doc["winsw"], doc
    assert world.winsw.tasks.load(NAME) is None and world.winsw.record("integrasjonspunkt") is not None
    assert (world.folder / "integrasjonspunkt-service.exe").is_file() and len(_java_pids(world)) == 1
    assert world.data_file().read_bytes().startswith(before)


@pytest.mark.parametrize("step", ["unregister-old", "register-new", "start-new"])
def test_a_way_switch_killed_midway_is_undone_to_the_service(world: World, step: str) -> None:
    from installer.engine import FAULT_ENV

    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    proc = world.setup("/repair", "/mode", "task", *FAST, env={FAULT_ENV: step})
    assert proc.returncode == -9, proc.stderr
    proc = world.setup("/recover", *FAST)
    assert proc.returncode == 0, proc.stderr
    code, doc = world.status()
    assert code == 0 and doc["mode"] == "service" and doc["service"] == "running", doc
    assert world.winsw.tasks.load(NAME) is None and len(_java_pids(world)) == 1


def _hand_made_alt3(world: World, name: str, *, user: str | None = None, password: str | None = None) -> None:
    """What an admin does following Digdir's page, Alt 3: the jar and properties in the folder, a task that runs
    `java -jar` there at startup."""
    import shutil

    from tests.harness import jdks

    java = jdks.java17()
    if java is None:
        pytest.skip("no Java 17")
    jar = world.publish("2.28.0")
    world.folder.mkdir(parents=True)
    shutil.copyfile(jar, world.folder / jar.name)
    shutil.copyfile(world.properties, world.folder / "integrasjonspunkt-local.properties")
    definition = tasks.TaskDefinition(description="integrasjonspunkt (Alt 3)", command=str(java),
                                      arguments=f"-jar {jar.name} --spring.profiles.active=staging",
                                      working_directory=str(world.folder), user_id=user or tasks.LOCAL_SYSTEM_SID,
                                      logon_type="Password" if user else None)
    tasks.create(name, world.root / "alt3.xml", definition, user=user, password=password)
    tasks.run(name)
    assert world.wait_answers("2.28.0")


def test_adopt_takes_over_a_hand_made_alt3_task(world: World) -> None:
    _hand_made_alt3(world, "\\ip-alt3", user=".\\ipuser", password=SECRET)
    (pid,) = _java_pids(world)
    code, doc = world.status()
    assert same_exit_code(code, 14) and doc["installed"] is False  # a hand-made installation: /adopt names it
    proc = world.setup("/adopt", *FAST)
    assert same_exit_code(proc.returncode, 10) and "/service-password" in proc.stderr
    assert not (world.folder / ".setup" / "state.json").exists()
    proc = world.setup("/adopt", *FAST, env={"IPSETUP_SERVICE_PASSWORD": SECRET})
    assert proc.returncode == 0, proc.stderr
    assert world.winsw.tasks.load("\\ip-alt3") is None and _java_pids(world) == [pid]  # it went on running
    root = _task_xml(world)
    assert root.findtext("t:Principals/t:Principal/t:UserId", namespaces=NS) == ".\\ipuser"
    arguments = split_windows_args(root.findtext("t:Actions/t:Exec/t:Arguments", namespaces=NS) or "")
    assert "-Dspring.profiles.active=staging" in arguments
    assert arguments[-1] == str(world.folder / "integrasjonspunkt-2.28.0.jar")
    code, doc = world.status()
    assert code == 0 and doc["mode"] == "task" and doc["env"] == "staging" and doc["account"] == ".\\ipuser", doc
    for path in world.folder.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    world.publish("2.28.1")
    proc = world.setup("/upgrade", "2.28.1", *FAST, env={"IPSETUP_SERVICE_PASSWORD": SECRET})
    assert proc.returncode == 0, proc.stderr
    assert world.answers() == "2.28.1" and len(_java_pids(world)) == 1


def test_adopt_refuses_a_task_it_cannot_run(world: World) -> None:
    _hand_made_alt3(world, "\\integrasjonspunkt")
    task = world.winsw.tasks.load("\\integrasjonspunkt")
    assert task is not None
    # The same task, but logging on by S4U (no password Task Scheduler keeps): not taken over, nothing changed.
    definition = tasks.TaskDefinition(description="x", command=task["definition"]["command"],
                                      arguments=task["definition"]["arguments"],
                                      working_directory=str(world.folder), user_id=".\\ipuser", logon_type="S4U")
    tasks.create("\\integrasjonspunkt", world.root / "alt3.xml", definition)
    listing = world.listing()
    proc = world.setup("/adopt", *FAST)
    assert same_exit_code(proc.returncode, 15) and "logs on by S4U" in proc.stderr
    logs = "installer-logs"  # setup's own log of the run is the only thing written
    assert {k: v for k, v in world.listing().items() if not k.startswith(logs)} == listing
    assert not (world.folder / ".setup" / "state.json").exists() and world.winsw.tasks.load(NAME) is not None
