"""The Task Scheduler stand-in (tests/harness/schtasks_standin.py) run as the product runs schtasks.exe: by its
System32 path, with task XML written by installer/windows/tasks.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import psutil
import pytest

from installer.windows import tasks
from tests.harness.fixtures_winsw import WinswEnv
from tests.paths import HARNESS

pytestmark = pytest.mark.skipif(os.name == "nt", reason="needs the POSIX schtasks stand-in")

PROGRAM = HARNESS / "service_program.py"
NOT_FOUND = "ERROR: The system cannot find the file specified."


def schtasks_exe(env: WinswEnv, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(env.system32 / "schtasks.exe"), *args], capture_output=True, text=True, timeout=30)


def definition(folder: Path, **changes: object) -> tasks.TaskDefinition:
    base = tasks.TaskDefinition(description="test task", command=sys.executable,
                                arguments=f'"{PROGRAM}" --record runs.jsonl', working_directory=str(folder),
                                restart_interval="PT1M")
    return replace(base, **changes)  # type: ignore[arg-type]


def create(env: WinswEnv, folder: Path, name: str = "\\ip", **changes: object) -> Path:
    xml = folder / f"{name.strip(chr(92))}.xml"
    folder.mkdir(parents=True, exist_ok=True)
    xml.write_bytes(tasks.to_xml(definition(folder, **changes)))
    done = schtasks_exe(env, "/create", "/tn", name, "/xml", str(xml), "/f")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f'SUCCESS: The scheduled task "{name.lstrip(chr(92))}" has successfully been created.'
    return xml


def wait_for(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def runs(folder: Path) -> list[dict[str, object]]:
    path = folder / "runs.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_run_starts_the_action_detached_in_its_folder_and_end_kills_the_tree(winsw_env: WinswEnv,
                                                                            tmp_path: Path) -> None:
    folder = tmp_path / "ip æøå"
    create(winsw_env, folder)
    done = schtasks_exe(winsw_env, "/run", "/tn", "ip")
    assert (done.returncode, done.stdout.strip()) == (0, 'SUCCESS: Attempted to run the scheduled task "ip".')
    wait_for(lambda: len(runs(folder)) == 1)
    (first,) = runs(folder)
    assert first["cwd"] == str(folder) and first["argv"] == ["--record", "runs.jsonl"]
    proc = psutil.Process(int(first["pid"]))  # type: ignore[arg-type]
    assert proc.pid != os.getpid() and os.getsid(proc.pid) == proc.pid  # its own session: no console
    task = winsw_env.tasks.load("\\ip")
    assert task is not None and task["run"]["pid"] == proc.pid
    # IgnoreNew: a second run while it runs starts nothing
    assert schtasks_exe(winsw_env, "/run", "/tn", "\\ip").returncode == 0
    time.sleep(0.5)
    assert len(runs(folder)) == 1
    done = schtasks_exe(winsw_env, "/end", "/tn", "ip")
    assert (done.returncode, done.stdout.strip()) == (0, 'SUCCESS: The scheduled task "ip" was terminated '
                                                         "successfully.")
    wait_for(lambda: not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE)
    assert schtasks_exe(winsw_env, "/end", "/tn", "ip").returncode == 1  # no longer running


def test_end_kills_the_children_too(winsw_env: WinswEnv, tmp_path: Path) -> None:
    folder = tmp_path / "tree"
    folder.mkdir()
    (folder / "parent.py").write_text(
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, {str(PROGRAM)!r}, '--record', 'runs.jsonl'])\n"
        "time.sleep(600)\n")
    create(winsw_env, folder, arguments="parent.py")
    assert schtasks_exe(winsw_env, "/run", "/tn", "ip").returncode == 0
    wait_for(lambda: len(runs(folder)) == 1)
    child = psutil.Process(int(runs(folder)[0]["pid"]))  # type: ignore[arg-type]
    assert schtasks_exe(winsw_env, "/end", "/tn", "ip").returncode == 0
    wait_for(lambda: not child.is_running() or child.status() == psutil.STATUS_ZOMBIE)


def test_an_unknown_task_is_the_file_not_found_error(winsw_env: WinswEnv) -> None:
    for args in (("/run", "/tn", "nope"), ("/end", "/tn", "nope"), ("/delete", "/tn", "nope", "/f"),
                 ("/query", "/tn", "nope", "/xml"), ("/query", "/tn", "nope", "/fo", "csv", "/v")):
        done = schtasks_exe(winsw_env, *args)
        assert (done.returncode, done.stderr.strip(), done.stdout) == (1, NOT_FOUND, ""), args


def test_query_xml_gives_the_definition_back_and_csv_reads_as_the_adoption_code_reads_it(
        winsw_env: WinswEnv, tmp_path: Path) -> None:
    folder = tmp_path / "C_integrasjonspunkt"
    create(winsw_env, folder, arguments="-jar integrasjonspunkt-2.28.1.jar")
    done = schtasks_exe(winsw_env, "/query", "/tn", "ip", "/xml")
    assert done.returncode == 0
    assert done.stdout.strip() == tasks.to_xml(definition(folder, arguments="-jar integrasjonspunkt-2.28.1.jar"))[
        2:].decode("utf-16-le").replace("\r\n", "\n").strip()
    listed = schtasks_exe(winsw_env, "/query", "/fo", "csv", "/v")
    assert listed.returncode == 0
    (found,) = tasks.running_jar_in(listed.stdout, str(folder))
    assert found == tasks.ScheduledTask("\\ip", f"{sys.executable} -jar integrasjonspunkt-2.28.1.jar",
                                           str(folder), "SYSTEM")
    assert tasks.query_xml("\\ip") is not None and tasks.query_xml("\\other") is None


def test_delete_removes_it_and_create_without_f_does_not_replace(winsw_env: WinswEnv, tmp_path: Path) -> None:
    xml = create(winsw_env, tmp_path / "f")
    again = schtasks_exe(winsw_env, "/create", "/tn", "ip", "/xml", str(xml))
    assert again.returncode == 1 and again.stderr.startswith("ERROR: ")
    done = schtasks_exe(winsw_env, "/delete", "/tn", "ip", "/f")
    assert (done.returncode, done.stdout.strip()) == (0, 'SUCCESS: The scheduled task "ip" was successfully deleted.')
    assert winsw_env.tasks.load("ip") is None


def test_a_password_goes_to_create_once_and_is_kept_nowhere(winsw_env: WinswEnv, tmp_path: Path) -> None:
    folder = tmp_path / "user"
    folder.mkdir()
    xml = folder / "task.xml"
    xml.write_bytes(tasks.to_xml(definition(folder, user_id=".\\ipsvc", logon_type="Password")))
    without = schtasks_exe(winsw_env, "/create", "/tn", "ip", "/xml", str(xml), "/f")
    assert without.returncode == 1 and "password" in without.stderr
    tasks.create("\\ip", xml, definition(folder, user_id=".\\ipsvc", logon_type="Password"),
                 user=".\\ipsvc", password="Very$ecret-1")
    task = winsw_env.tasks.load("ip")
    assert task is not None and task["password_given"] and task["definition"]["user_id"] == ".\\ipsvc"
    assert "Very$ecret-1" not in json.dumps(task) and b"Very$ecret-1" not in xml.read_bytes()
    assert winsw_env.tasks.calls()[-1] == [str(winsw_env.system32 / "schtasks.exe"), "/create", "/tn", "\\ip",
                                           "/xml", str(xml), "/ru", ".\\ipsvc", "/rp", "Very$ecret-1", "/f"]


def _xml(body: str, *, namespace: str = tasks.NAMESPACE, version: str = "1.2") -> bytes:
    text = f'<?xml version="1.0" encoding="UTF-16"?>\r\n<Task version="{version}" xmlns="{namespace}">{body}</Task>'
    return b"\xff\xfe" + text.encode("utf-16-le")


ACTIONS = "<Actions><Exec><Command>C:\\java.exe</Command></Exec></Actions>"


@pytest.mark.parametrize(("data", "says"), [
    (_xml(ACTIONS, namespace="http://example.com/task"), "unexpected node"),
    (_xml(ACTIONS, version="2.0"), "out of range"),
    (_xml("<Triggers><BootTrigger/></Triggers>"), "missing a required element"),
    (_xml("<Actions><Exec><Arguments>x</Arguments></Exec></Actions>"), "missing a required element"),
    (_xml("<Principals><Principal><UserId>S-1-5-18</UserId><LogonType>ServiceAccount</LogonType></Principal>"
          "</Principals>" + ACTIONS), "out of range"),
    (_xml("<Settings><Frobnicate>true</Frobnicate></Settings>" + ACTIONS), "unexpected node"),
    (_xml("<Settings><Enabled>yes</Enabled></Settings>" + ACTIONS), "out of range"),
    (_xml("<Settings><RestartOnFailure><Interval>PT0S</Interval><Count>3</Count></RestartOnFailure></Settings>"
          + ACTIONS), "out of range"),
    (_xml("<Settings><RestartOnFailure><Interval>PT1M</Interval></RestartOnFailure></Settings>" + ACTIONS),
     "missing a required element"),
    (_xml(ACTIONS + ACTIONS), "unexpected node"),
    (_xml(ACTIONS)[2:].decode("utf-16-le").encode("utf-8"), "malformed"),
    (_xml("<Actions><Exec><Command>x</Command></Exec>")[:-20], "malformed"),
])
def test_create_refuses_what_task_scheduler_refuses(winsw_env: WinswEnv, tmp_path: Path, data: bytes,
                                                    says: str) -> None:
    xml = tmp_path / "bad.xml"
    xml.write_bytes(data)
    done = schtasks_exe(winsw_env, "/create", "/tn", "bad", "/xml", str(xml), "/f")
    assert done.returncode == 1 and done.stderr.startswith("ERROR: ") and says in done.stderr
    assert winsw_env.tasks.load("bad") is None


def test_a_minimal_task_is_accepted(winsw_env: WinswEnv, tmp_path: Path) -> None:
    xml = tmp_path / "min.xml"
    xml.write_bytes(_xml(ACTIONS, version="1.4"))
    assert schtasks_exe(winsw_env, "/create", "/tn", "min", "/xml", str(xml), "/f").returncode == 0


def test_a_boot_starts_the_boot_tasks_only(winsw_env: WinswEnv, tmp_path: Path) -> None:
    create(winsw_env, tmp_path / "boot", "\\at-boot")
    create(winsw_env, tmp_path / "manual", "\\manual", boot_trigger=False)
    assert winsw_env.boot_tasks() == ["\\at-boot"]
    wait_for(lambda: len(runs(tmp_path / "boot")) == 1)
    assert runs(tmp_path / "manual") == []
    assert winsw_env.boot_tasks() == []  # running already


def test_the_driver_raises_with_schtasks_text(winsw_env: WinswEnv) -> None:
    from installer.windows.services import ServiceError

    with pytest.raises(ServiceError) as caught:
        tasks.run("\\nope")
    assert "/run" in caught.value.message and "cannot find the file" in caught.value.message
    assert winsw_env.tasks.calls()[-1] == [str(winsw_env.system32 / "schtasks.exe"), "/run", "/tn", "\\nope"]
