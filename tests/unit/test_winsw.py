"""The WinSW driver against the WinSW stand-in, with real processes, ports and files: install/start/stop/
uninstall cycles (with the Java stand-in integrasjonspunkt), a lingering Java process, double install,
uninstall of a running service, start-then-die, WinSW 2 and 3 output, the account via sc.exe; and
processes.py's finding of the service's Java process and ports."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import psutil
import pytest

from installer import processes, service_xml, winsw
from installer.windows.services import ServiceError, ServiceExists, ServiceState
from installer.winsw import WinSW, parse_status
from tests.harness import winsw_standin
from tests.harness.fixtures_winsw import WinswEnv
from tests.harness.ports import free_port
from tests.harness.waiting import wait_until
from tests.paths import HARNESS
from tests.unit.test_system_tools import plant

PROGRAM = HARNESS / "service_program.py"
JAR = "integrasjonspunkt-2.28.1.jar"
START_WAIT = 20.0  # seconds for a started service's process to show (a JVM on a busy machine)



def write_program_xml(folder: Path, base: str, *options: str, service_id: str = "integrasjonspunkt") -> None:
    """A service running the Python service program; a jar path of the folder in its command line makes it
    look like the service's Java process to processes.java_processes."""
    arguments = f'"{PROGRAM}" "%BASE%/{JAR}" --record "%BASE%/runs.jsonl" ' + " ".join(options)
    (folder / f"{base}.xml").write_text(
        f"<service><id>{service_id}</id><name>{service_id}</name><description>d</description>"
        f"<executable>{escape(sys.executable)}</executable><arguments>{escape(arguments)}</arguments>"
        f"<logpath>%BASE%/integrasjonspunkt-logs</logpath><stoptimeout>10 sec</stoptimeout></service>",
        encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "integrasjons punkt"
    path.mkdir()
    return path


@pytest.fixture
def program_service(winsw_env: WinswEnv, folder: Path) -> Callable[..., WinSW]:
    def make(*options: str, v3: bool = False) -> WinSW:
        exe = winsw_env.install_exe(folder, v3=v3)
        write_program_xml(folder, exe.stem, *options)
        return WinSW(exe, "integrasjonspunkt", quiet=True)

    return make


@pytest.fixture
def java_service(winsw_env: WinswEnv, folder: Path, java17: Path,
                 standin_jar: Callable[..., Path]) -> Iterator[Callable[..., tuple[WinSW, int]]]:
    def make(behaviour: str = "healthy", **params: object) -> tuple[WinSW, int]:
        shutil.copyfile(standin_jar("2.28.1", behaviour, **params), folder / JAR)
        port = free_port()
        (folder / "integrasjonspunkt-local.properties").write_text(
            f"difi.move.org.number=910076787\nserver.port={port}\n", encoding="utf-8")
        exe = winsw_env.install_exe(folder)
        spec = service_xml.ServiceSpec(service_id="integrasjonspunkt", java=str(java17), jar_name=JAR,
                                       profile="staging", jvm_options=["-Xmx64m", "-XX:TieredStopAtLevel=1"])
        (folder / "integrasjonspunkt-service.xml").write_bytes(service_xml.render(spec))
        return WinSW(exe, "integrasjonspunkt"), port

    yield make


# --- status parsing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("stdout", "code", "state"), [
    ("NonExistent\n", 0, ServiceState.NON_EXISTENT),
    ("Started\r\n", 0, ServiceState.STARTED),
    ("Stopped\n", 0, ServiceState.STOPPED),
    ("Active (running)\n", 1, ServiceState.STARTED),
    ("Active (starting)\n", 1, ServiceState.STARTING),
    ("Active (stopping)\n", 1, ServiceState.STOPPING),
    ("Inactive (stopped)\n", 0, ServiceState.STOPPED),
    ("NonExistent\n", 1060, ServiceState.NON_EXISTENT),
    ("", 1060, ServiceState.NON_EXISTENT),
    ("", 1060 & 0xFF, ServiceState.NON_EXISTENT),  # POSIX keeps the low 8 bits
    ("2024-01-01 10:00:00,000 WARN  - something\nStarted\n", 0, ServiceState.STARTED),
    ("Running\n", 0, None),
    ("", 1, None),
])
def test_parse_status(stdout: str, code: int, state: ServiceState | None) -> None:
    assert parse_status(stdout, code) is state


# --- cycles ---------------------------------------------------------------------------------------------------


def test_cycle_with_the_java_standin(java_service: Callable[..., tuple[WinSW, int]], folder: Path) -> None:
    service, port = java_service()
    assert service.status() is ServiceState.NON_EXISTENT
    assert winsw.service_account("integrasjonspunkt") is None
    service.install()
    assert service.status() is ServiceState.STOPPED
    assert (service.version(), service.is_v3) == ("2.12.0", False)
    assert winsw.service_account("integrasjonspunkt") == "LocalSystem"

    service.start(30)
    assert service.status() is ServiceState.STARTED
    wait_until(lambda: processes.port_listening(port), START_WAIT)
    (java,) = processes.java_processes(folder)
    assert processes.runs_jar(java, folder / JAR)
    assert processes.port_holder(port) == (java.pid, java.name())
    log = (folder / "integrasjonspunkt-logs" / "integrasjonspunkt-service.out.log").read_text()
    assert 'The following 1 profile is active: "staging"' in log

    service.stop(30, folder, [port])
    assert service.status() is ServiceState.STOPPED
    assert processes.java_processes(folder) == []
    assert not processes.port_listening(port)
    assert not java.is_running() or java.status() == psutil.STATUS_ZOMBIE

    service.uninstall(10)
    assert service.status() is ServiceState.NON_EXISTENT


def test_cycle_with_winsw_3_output(program_service: Callable[..., WinSW], folder: Path,
                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="installer")
    service = program_service(v3=True)
    assert (service.version(), service.is_v3) == ("3.0.0-alpha.11", True)
    assert service.status() is ServiceState.NON_EXISTENT
    service.install(username=".\\integrasjonspunkt", password="pw-not-for-logs")
    assert winsw.service_account("integrasjonspunkt") == ".\\integrasjonspunkt"
    assert "pw-not-for-logs" not in caplog.text and "--no-elevate" in caplog.text
    service.start(10)
    assert service.status() is ServiceState.STARTED
    wait_until(lambda: len(processes.java_processes(folder)) == 1, START_WAIT)
    service.stop(10, folder, [])
    assert service.status() is ServiceState.STOPPED and processes.java_processes(folder) == []
    service.uninstall(10)
    assert service.status() is ServiceState.NON_EXISTENT


def test_start_of_a_missing_service(program_service: Callable[..., WinSW]) -> None:
    service = program_service()
    with pytest.raises(ServiceError, match="not registered"):
        service.start(5)


# --- awkward moments ------------------------------------------------------------------------------------------


def test_double_install_is_a_clear_error(program_service: Callable[..., WinSW],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(winsw, "EXISTS_GRACE", 0.2)
    service = program_service()
    service.install()
    with pytest.raises(ServiceExists) as caught:
        service.install()
    assert "integrasjonspunkt" in caught.value.message
    assert service.status() is ServiceState.STOPPED


def test_install_rides_out_a_service_marked_for_deletion(program_service: Callable[..., WinSW],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    service = program_service()
    service.install()
    monkeypatch.setenv(winsw_standin.ENV_DELETE_DELAY, "0.6")
    assert subprocess.run([str(service.exe), "uninstall"], capture_output=True).returncode == 0
    assert service.status() is ServiceState.STOPPED  # still there, marked for deletion
    started = time.monotonic()
    service.install(timeout=10)
    assert time.monotonic() - started >= 0.3
    assert service.status() is ServiceState.STOPPED


def test_uninstall_waits_until_the_marked_service_is_gone(program_service: Callable[..., WinSW],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    service = program_service()
    service.install()
    monkeypatch.setenv(winsw_standin.ENV_DELETE_DELAY, "0.5")
    service.uninstall(10)
    assert service.status() is ServiceState.NON_EXISTENT


def test_uninstall_of_a_running_service(program_service: Callable[..., WinSW], folder: Path) -> None:
    service = program_service()
    service.install()
    service.start(10)
    started = time.monotonic()
    with pytest.raises(ServiceError, match="still registered"):
        service.uninstall(1.0)
    assert time.monotonic() - started < 5
    assert service.status() is ServiceState.STARTED  # marked for deletion while its process runs
    service.stop(10, folder, [])
    assert service.status() is ServiceState.NON_EXISTENT  # gone with its process
    service.install()


def test_stop_rides_out_a_pending_stop(program_service: Callable[..., WinSW], folder: Path,
                                       monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="installer")
    monkeypatch.setenv(winsw_standin.ENV_STOP_PENDING, "0.6")
    service = program_service()
    service.install()
    service.start(10)
    wait_until(lambda: len(processes.java_processes(folder)) == 1, START_WAIT)
    assert subprocess.run([str(service.exe), "stop"], capture_output=True).returncode == 0
    service.stop(10, folder, [])  # its own stop gets 1061 and waits on
    assert service.status() is ServiceState.STOPPED
    assert "cannot accept control messages" in caplog.text


def test_a_pending_stop_that_winsw_2_calls_started_is_not_asked_again(program_service: Callable[..., WinSW],
                                                                        folder: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """WinSW 2.12 prints Started for StopPending: the driver asks the service manager (sc query) instead of
    sending `stop` again every half second while the stop is under way."""
    monkeypatch.setenv(winsw_standin.ENV_STOP_PENDING, "2")
    service = program_service()
    service.install()
    service.start(10)
    wait_until(lambda: len(processes.java_processes(folder)) == 1, START_WAIT)
    service.stop(15, folder, [])
    assert service.status() is ServiceState.STOPPED
    wrapper_log = (folder / "integrasjonspunkt-logs" / f"{service.exe.stem}.wrapper.log").read_text(encoding="utf-8")
    assert wrapper_log.count("Stopping the service with id") == 1, wrapper_log


def test_stop_ends_when_the_services_own_process_ends(java_service: Callable[..., tuple[WinSW, int]],
                                                      folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="installer")
    service, port = java_service()
    service.install()
    service.start(30)
    wait_until(lambda: processes.port_listening(port), START_WAIT)
    (java,) = processes.java_processes(folder)
    (wrapper,) = processes.wrappers_of([java], service.exe)
    asked: list[ServiceState] = []
    status = service.status
    monkeypatch.setattr(service, "status", lambda: asked.append(status()) or asked[-1])
    service.stop(30, folder, [port])
    # Java's exit, then its parent's (the stand-in's service process): Stopped, without running `status`.
    assert asked == [] and "the service's process has ended" in caplog.text
    assert not wrapper.is_running() or wrapper.status() == psutil.STATUS_ZOMBIE
    assert status() is ServiceState.STOPPED


def test_stop_waits_for_a_lingering_java_process(java_service: Callable[..., tuple[WinSW, int]], folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="installer")
    monkeypatch.setenv(winsw_standin.ENV_LINGER, "1")  # Stopped while java still runs, as WinSW may say
    service, port = java_service("slow_stop", delay=1.5)
    service.install()
    service.start(30)
    wait_until(lambda: processes.port_listening(port), START_WAIT)
    (java,) = processes.java_processes(folder)
    shown = processes.describe(java)
    service.stop(30, folder, [port])
    assert not java.is_running() or java.status() == psutil.STATUS_ZOMBIE
    assert not processes.port_listening(port)
    assert f"waiting for {shown} to exit" in caplog.text


def test_stop_deadline_names_the_process_left(program_service: Callable[..., WinSW], folder: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(winsw_standin.ENV_LINGER, "1")
    service = program_service("--term-delay", "10")
    service.install()
    service.start(10)
    wait_until(lambda: len(processes.java_processes(folder)) == 1, START_WAIT)
    (proc,) = processes.java_processes(folder)
    with pytest.raises(ServiceError) as caught:
        service.stop(0.8, folder, [])
    assert "Java process is still running" in caught.value.message and f"pid {proc.pid}" in caught.value.message


def test_stop_deadline_names_the_port_holder(program_service: Callable[..., WinSW], folder: Path) -> None:
    port = free_port()
    holder = subprocess.Popen([sys.executable, "-c", "import socket,time\ns=socket.socket()\n"
                               f"s.bind(('127.0.0.1',{port}))\ns.listen()\nprint('ok',flush=True)\ntime.sleep(60)"],
                              stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"ok\n"
        service = program_service()
        service.install()
        with pytest.raises(ServiceError) as caught:
            service.stop(0.5, folder, [port])
        assert f"port {port} is still in use" in caught.value.message
        assert f"pid {holder.pid}" in caught.value.message
    finally:
        holder.kill()
        holder.wait()


def test_start_then_die_fails_with_the_service_log(java_service: Callable[..., tuple[WinSW, int]]) -> None:
    service, _ = java_service("exit_at_start")
    service.install()
    with pytest.raises(ServiceError) as caught:
        service.start(30, settle=5)
    assert "stopped right after it was started" in caught.value.message
    assert "APPLICATION FAILED TO START" in caught.value.detail


def test_winsw_3_start_that_fails(winsw_env: WinswEnv, folder: Path) -> None:
    exe = winsw_env.install_exe(folder, v3=True)
    (folder / f"{exe.stem}.xml").write_text(
        f"<service><id>integrasjonspunkt</id><executable>{folder / 'no-java'}</executable></service>",
        encoding="utf-8")
    service = WinSW(exe, "integrasjonspunkt")
    service.install()
    with pytest.raises(ServiceError, match="stopped right after it was started"):
        service.start(10)


def test_status_that_cannot_be_read(tmp_path: Path) -> None:
    exe = tmp_path / "odd-service.exe"
    exe.write_text("#!/bin/sh\necho Running\nexit 3\n")
    exe.chmod(0o755)
    with pytest.raises(ServiceError, match="Running"):
        WinSW(exe, "odd").status()
    with pytest.raises(ServiceError, match="Could not run"):
        WinSW(tmp_path / "missing.exe", "odd").status()


def test_service_account_follows_the_registration(program_service: Callable[..., WinSW],
                                                  winsw_env: WinswEnv) -> None:
    service = program_service()
    service.install()
    assert winsw.service_account("integrasjonspunkt") == "LocalSystem"
    winsw_env.set_account("integrasjonspunkt", "NT AUTHORITY\\LocalService")
    assert winsw.service_account("integrasjonspunkt") == "NT AUTHORITY\\LocalService"


def test_account_from_a_rendered_xml(winsw_env: WinswEnv, folder: Path) -> None:
    for v3, service_id in ((False, "ip-v2"), (True, "ip-v3")):
        exe = winsw_env.install_exe(folder, f"{service_id}-service", v3=v3)
        spec = service_xml.ServiceSpec(service_id=service_id, java="/usr/bin/java", jar_name=JAR, profile="staging",
                                       jvm_options=[], account=service_xml.ServiceAccount(".\\integrasjonspunkt"))
        (folder / f"{service_id}-service.xml").write_bytes(service_xml.render(spec))
        WinSW(exe, service_id).install()
        assert winsw.service_account(service_id) == ".\\integrasjonspunkt"


# --- processes.py ---------------------------------------------------------------------------------------------


def test_java_processes_by_absolute_and_relative_jar(tmp_path: Path) -> None:
    here, elsewhere = tmp_path / "ip", tmp_path / "other"
    here.mkdir()
    elsewhere.mkdir()
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    procs = [
        subprocess.Popen([*sleeper, "-jar", str(here / JAR)]),
        subprocess.Popen([*sleeper, "-jar", JAR], cwd=here),
        subprocess.Popen([*sleeper, "-jar", str(elsewhere / JAR)]),
        subprocess.Popen([*sleeper, "-jar", JAR], cwd=elsewhere),
    ]
    try:
        wait_until(lambda: len(processes.java_processes(here)) == 2, timeout=10)
        assert {p.pid for p in processes.java_processes(here)} == {procs[0].pid, procs[1].pid}
        assert {p.pid for p in processes.java_processes(elsewhere)} == {procs[2].pid, procs[3].pid}
        assert processes.runs_jar(psutil.Process(procs[1].pid), here / JAR)
        assert not processes.runs_jar(psutil.Process(procs[1].pid), here / "integrasjonspunkt-2.28.0.jar")
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def test_java_processes_counts_only_the_services_own_java(tmp_path: Path) -> None:
    """KOSMOS's jar in the same folder, and a process that only names the service's jar (no `-jar`, not started
    by the folder's exe), are not the service's Java."""
    here = tmp_path / "ip"
    here.mkdir()
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    procs = [
        subprocess.Popen([*sleeper, "-jar", str(here / JAR)]),
        subprocess.Popen([*sleeper, "-jar", str(here / "kosmos-1.2.0.jar")]),
        subprocess.Popen([*sleeper, str(here / JAR)]),
        subprocess.Popen([*sleeper, "-cp", str(here / JAR), "-jar", str(here / "kosmos-1.2.0.jar")]),
    ]
    try:
        wait_until(lambda: all(psutil.Process(p.pid).cmdline()[-1:] != [sys.executable] for p in procs), 10)
        wait_until(lambda: len(processes.java_processes(here)) >= 1, timeout=10)
        assert [p.pid for p in processes.java_processes(here)] == [procs[0].pid]
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def test_wrappers_of_finds_the_parent_running_the_exe(tmp_path: Path) -> None:
    exe = tmp_path / "integrasjonspunkt-service.exe"
    exe.write_text("import subprocess, sys, time\n"
                   "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', '-jar', 'x.jar'])\n"
                   "print(child.pid, flush=True)\n"
                   "time.sleep(60)\n", encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(exe)], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = psutil.Process(int(parent.stdout.readline()))
        assert [p.pid for p in processes.wrappers_of([child], exe)] == [parent.pid]
        assert processes.wrappers_of([child], tmp_path / "another-service.exe") == []
        assert processes.wrappers_of([psutil.Process(parent.pid)], exe) == []  # its parent is this test
    finally:
        for proc in psutil.Process(parent.pid).children(recursive=True):
            proc.kill()
        parent.kill()
        parent.wait()


def test_a_service_process_that_outlives_java_is_not_taken_for_stopped() -> None:
    lingering = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        began = time.monotonic()
        assert not WinSW._wrappers_gone([psutil.Process(lingering.pid)], time.monotonic() + 30)
        assert time.monotonic() - began >= winsw.STOP_RETRY  # it was given its moment
        assert not WinSW._wrappers_gone([], time.monotonic() + 30)  # none known: ask the service
    finally:
        lingering.kill()
        lingering.wait()


@pytest.mark.parametrize("table", ["proc", "psutil"])
def test_port_listening_reads_the_socket_table(table: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """From the table of listening sockets: a port with a connection left in TIME_WAIT, or bound without
    listening, is free; the psutil reading is the one Windows takes (GetExtendedTcpTable)."""
    if table == "psutil":
        monkeypatch.setattr(processes, "_PROC_TCP", ("/nonexistent/tcp", "/nonexistent/tcp6"))
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert processes.port_listening(port)
        assert port in (processes.listening_ports() or set())
        assert processes.port_holder(port) == (psutil.Process().pid, psutil.Process().name())
        with socket.create_connection(("127.0.0.1", port)):
            accepted, _ = server.accept()
            accepted.close()  # this side closes first: its end of the connection waits in TIME_WAIT
    assert not processes.port_listening(port)
    assert processes.port_holder(port) is None
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        assert not processes.port_listening(bound.getsockname()[1])
    with socket.socket(socket.AF_INET6) as server6:
        server6.bind(("::1", 0))
        server6.listen()
        assert processes.port_listening(server6.getsockname()[1])


def test_sc_runs_from_system32_not_from_path_or_the_current_folder(
        program_service: Callable[..., WinSW], winsw_env: WinswEnv, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    program_service().install()
    planted = tmp_path / "planted"
    plant(planted, "sc.exe")
    monkeypatch.chdir(planted)
    monkeypatch.setenv("PATH", f".{os.pathsep}{planted}{os.pathsep}{os.environ['PATH']}")
    assert winsw.service_account("integrasjonspunkt") == "LocalSystem"
