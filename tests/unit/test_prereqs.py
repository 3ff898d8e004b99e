"""The prerequisite checks with real parts: Java found and run (fake executables named by the registry layouts of
real setups, and this machine's JDKs), the built-in WinSW catalog, free disk of real folders, and ports held by
real sockets and a real stand-in integrasjonspunkt. Every verdict and message is asserted."""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from installer import prereqs, processes
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.machine import Machine
from installer.prereqs import CheckReport, Finding
from installer.settings import Origin, Settings
from installer.ui import UI
from installer.winsw_catalog import WinswBuild, load_catalog
from tests.harness.fixtures_winreg import SetupFactory, WindowsSetup, write_java
from tests.harness.ports import free_port

NEEDED_JAVA8 = "Java 8 (a newer one runs with a warning)"
NEEDED_JAVA21 = "Java 21 or newer"
ORACLE_ORIGIN = r"Oracle, registry HKLM\SOFTWARE\JavaSoft\Java Runtime Environment\1.8, 64-bit view"

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake java executables are POSIX shell scripts")


@pytest.fixture(scope="module")
def catalog() -> list[WinswBuild]:
    return load_catalog(None)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "integrasjonspunkt"


Check = Callable[..., CheckReport]


@pytest.fixture
def run_check(catalog: list[WinswBuild], folder: Path) -> Check:
    """check() for a release line (2 or 4) with a free port and 1 byte of disk needed, unless a test says."""

    def run(line: int, settings: Settings | None = None, **options: Any) -> CheckReport:
        java_major = 8 if line == 2 else 21
        java = {"configured_java": options.pop("configured_java")} if "configured_java" in options else {}
        arguments: dict[str, Any] = {"port": free_port(), "own_service_ports_ok": False, "needed_bytes": 1,
                                     "catalog": catalog, "machine": None, **options}
        asked = prereqs.wanted(settings or Settings(), **java)
        return prereqs.check(asked, java_major, java_major, Layout(folder), **arguments)

    return run


def on_windows(setup: SetupFactory, name: str, admin: bool | None = True) -> tuple[WindowsSetup, Machine]:
    made = setup(name)
    return made, dataclasses.replace(prereqs.detect_machine(windows=True), admin=admin)


def finding(report: CheckReport, check: str) -> Finding:
    (found,) = [f for f in report.findings if f.check == check]
    return found


def admin_java(path: Path | str) -> Settings:
    return Settings(java=str(path), origins={"java": Origin.COMMAND_LINE})


def recorded_java(path: Path | str) -> Settings:
    return Settings(java=str(path), origins={"java": Origin.STATE})


# --- a whole report on real setups --------------------------------------------------------------------------


def test_server_2016_with_oracle_jre8_is_ready_for_2x(windows_setup: SetupFactory, run_check: Check) -> None:
    setup, machine = on_windows(windows_setup, "server2016-net462-oracle-jre8")
    report = run_check(2, machine=machine)
    java = setup.java("oracle-8u202-x64")
    assert [f.check for f in report.findings] == ["java", "winsw", "dotnet", "windows", "admin", "disk", "port"]
    assert report.findings[:5] == [
        Finding("java", f"Java 1.8.0_202 (64-bit JRE) at {java}", NEEDED_JAVA8, "ok", ""),
        Finding("winsw", "2.12.0/WinSW.NET461.exe", ".NET Framework 4.6.1 or newer", "ok", ""),
        Finding("dotnet", ".NET Framework 4.6.2 (release 394802)", ".NET Framework 4.6.1 or newer", "ok", ""),
        Finding("windows", "Windows Server 2016 Standard (10.0.14393)", "any", "ok", ""),
        Finding("admin", "yes", "yes", "ok", ""),
    ]
    assert finding(report, "disk").verdict == "ok" and finding(report, "disk").needed == "1 bytes"
    assert finding(report, "port").found == "free"
    assert report.ok and report.warnings == []
    assert report.java is not None and report.java.path == java and report.java.origin == ORACLE_ORIGIN
    assert report.winsw is not None and report.winsw.spec == "2.12.0/WinSW.NET461.exe"
    prereqs.raise_if_failed(report)  # nothing to raise


def test_server_2016_with_only_java8_cannot_take_4x(windows_setup: SetupFactory, run_check: Check) -> None:
    setup, machine = on_windows(windows_setup, "server2016-net462-oracle-jre8")
    report = run_check(4, machine=machine)
    message = (
        f"No usable Java for this version: it needs Java 21 or newer. Found: Java 1.8.0_202 at "
        f"{setup.java('oracle-8u202-x64')} ({ORACLE_ORIGIN}). Install a 64-bit Java 21 (for example Eclipse "
        "Temurin 21 JRE from https://adoptium.net) and run setup again, or give its java.exe with /java PATH.")
    assert finding(report, "java") == Finding("java", "no usable Java", NEEDED_JAVA21, "fail", message)
    assert not report.ok and report.java is None
    with pytest.raises(SetupError) as caught:
        prereqs.raise_if_failed(report)
    assert caught.value.code == ExitCode.PREREQUISITES
    assert caught.value.message == message
    assert caught.value.detail == "Java: found no usable Java; needed Java 21 or newer"


def test_server_2012r2_gets_the_self_contained_winsw(windows_setup: SetupFactory, run_check: Check) -> None:
    _setup, machine = on_windows(windows_setup, "server2012r2-net452")
    report = run_check(2, machine=machine)
    assert report.findings[1:4] == [
        Finding("winsw", "2.12.0/WinSW-x64.exe", "nothing (self-contained)", "ok", ""),
        Finding("dotnet", ".NET Framework 4.5.2 (release 379893)", "none (self-contained WinSW)", "ok", ""),
        Finding("windows", "Windows Server 2012 R2 Standard (6.3.9600)", "any", "ok", ""),
    ]
    assert finding(report, "java").message == (
        "No usable Java for this version: it needs Java 8 (a newer one runs with a warning). Found: no Java at "
        "all. Install a 64-bit Java 8 (for example Eclipse Temurin 8 JRE from https://adoptium.net) and run setup "
        "again, or give its java.exe with /java PATH.")


def test_requested_net461_build_on_server_2012r2(windows_setup: SetupFactory, run_check: Check) -> None:
    _setup, machine = on_windows(windows_setup, "server2012r2-net452")
    report = run_check(2, Settings(winsw="2.12.0/WinSW.NET461.exe"), machine=machine)
    message = ("WinSW 2.12.0/WinSW.NET461.exe needs .NET Framework 4.6.1 or newer; this server has .NET Framework "
               "4.5.2 (release 379893). Builds that run here (/winsw): 2.12.0/WinSW-x64.exe, 2.12.0/WinSW-x86.exe, "
               "2.11.0/WinSW-x64.exe, 2.11.0/WinSW-x86.exe, 3.0.0-alpha.11/WinSW-x64.exe, "
               "3.0.0-alpha.11/WinSW-x86.exe.")
    assert report.findings[1:4] == [
        Finding("winsw", "2.12.0/WinSW.NET461.exe (/winsw)", ".NET Framework 4.6.1 or newer", "fail", message),
        Finding("dotnet", ".NET Framework 4.5.2 (release 379893)", ".NET Framework 4.6.1 or newer", "fail", message),
        Finding("windows", "Windows Server 2012 R2 Standard (6.3.9600)", "any", "ok", ""),
    ]
    assert report.winsw is None
    with pytest.raises(SetupError) as caught:
        prereqs.raise_if_failed(report)
    # Java is missing too; the .NET message is given once.
    assert caught.value.message.count(message) == 1
    assert caught.value.message.startswith("No usable Java for this version")
    assert caught.value.detail.splitlines()[1:] == [
        "WinSW build: found 2.12.0/WinSW.NET461.exe (/winsw); needed .NET Framework 4.6.1 or newer",
        ".NET Framework: found .NET Framework 4.5.2 (release 379893); needed .NET Framework 4.6.1 or newer",
    ]


def test_requested_build_too_new_for_this_windows(windows_setup: SetupFactory, run_check: Check) -> None:
    _setup, machine = on_windows(windows_setup, "server2016-net462-oracle-jre8")
    old = dataclasses.replace(machine, windows_version="6.1.7601", windows_name="Windows Server 2008 R2 Standard")
    report = run_check(2, Settings(winsw="3.0.0-alpha.11/WinSW-x64.exe"), machine=old)
    windows = finding(report, "windows")
    assert (windows.found, windows.needed, windows.verdict) == ("Windows Server 2008 R2 Standard (6.1.7601)", "6.3",
                                                                "fail")
    assert windows.message.startswith("WinSW 3.0.0-alpha.11/WinSW-x64.exe needs Windows 6.3 or newer; this is "
                                      "6.1.7601. Builds that run here (/winsw): 2.12.0/WinSW.NET461.exe, ")
    assert finding(report, "dotnet") == Finding("dotnet", ".NET Framework 4.6.2 (release 394802)",
                                                "none (self-contained WinSW)", "ok", "")
    assert finding(report, "winsw").verdict == "fail"


def test_unknown_winsw_build_is_a_bad_command_line(windows_setup: SetupFactory, run_check: Check) -> None:
    _setup, machine = on_windows(windows_setup, "server2016-net462-oracle-jre8")
    with pytest.raises(SetupError) as caught:
        run_check(2, Settings(winsw="2.99.0/WinSW.exe"), machine=machine)
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE


# --- Java per release line ----------------------------------------------------------------------------------


def test_temurin_8_for_2x_and_21_for_4x(windows_setup: SetupFactory, run_check: Check) -> None:
    setup, machine = on_windows(windows_setup, "temurin-8-and-21")
    assert finding(run_check(2, machine=machine), "java") == Finding(
        "java", f"Java 1.8.0_392 (64-bit JDK) at {setup.java('temurin-8u392')}", NEEDED_JAVA8, "ok", "")
    assert finding(run_check(4, machine=machine), "java") == Finding(
        "java", f"Java 21.0.5 (64-bit JRE) at {setup.java('temurin-21.0.5')}", NEEDED_JAVA21, "ok", "")


def test_2x_on_java_21_goes_ahead_with_a_warning(windows_setup: SetupFactory, run_check: Check) -> None:
    setup, machine = on_windows(windows_setup, "microsoft-jdk21")
    java = setup.java("microsoft-21.0.5")
    report = run_check(2, machine=machine)
    assert finding(report, "java") == Finding(
        "java", f"Java 21.0.5 (64-bit JDK) at {java}", NEEDED_JAVA8, "warning",
        f"Digdir supports only Java 8 for this version; it will run on Java 21.0.5 ({java}). Install Java 8 and "
        "give it with /java to follow Digdir's advice.")
    assert report.ok and report.warnings == [finding(report, "java")]
    assert finding(run_check(4, machine=machine), "java").verdict == "ok"


def test_64_bit_java_8_before_a_newer_32_bit_one(windows_setup: SetupFactory, run_check: Check) -> None:
    setup, machine = on_windows(windows_setup, "java32-on-64")
    report = run_check(2, machine=machine)
    assert finding(report, "java") == Finding(
        "java", f"Java 1.8.0_202 (64-bit JRE) at {setup.java('oracle-8u202-x64')}", NEEDED_JAVA8, "ok", "")
    x86 = setup.java("oracle-8u401-x86")
    named = run_check(2, admin_java(x86), machine=machine)
    assert finding(named, "java") == Finding(
        "java", f"Java 1.8.0_401 (32-bit JRE) at {x86}", NEEDED_JAVA8, "warning",
        f"{x86} is a 32-bit Java: it cannot use more than about 1.4 GB of memory (Digdir's service file asks for "
        "-Xmx2048m). Prefer a 64-bit Java.")
    assert named.java is not None and named.java.origin == "/java"


def test_java_home_at_a_deleted_folder_is_reported(windows_setup: SetupFactory, run_check: Check) -> None:
    setup, machine = on_windows(windows_setup, "java-home-deleted")
    broken = f"{Path(setup.java_home_env or '') / 'bin' / 'java'} (JAVA_HOME): no java executable there"
    assert finding(run_check(2, machine=machine), "java") == Finding(
        "java", f"Java 1.8.0_432 (64-bit JDK) at {setup.java('corretto-8u432')}", NEEDED_JAVA8, "ok",
        f"Not usable: {broken}.")
    failed = finding(run_check(4, machine=machine), "java")
    assert failed.verdict == "fail"
    assert failed.message == (
        f"No usable Java for this version: it needs Java 21 or newer. Found: Java 1.8.0_432 at "
        f"{setup.java('corretto-8u432')} (Oracle, registry HKLM\\SOFTWARE\\JavaSoft\\Java Development Kit\\1.8, "
        f"64-bit view); Java 17.0.13 at {setup.java('zulu-17.0.13')} (Azul Zulu, registry HKLM\\SOFTWARE\\Azul "
        f"Systems\\Zulu\\zulu-17, 64-bit view); {broken}. Install a 64-bit Java 21 (for example Eclipse Temurin "
        "21 JRE from https://adoptium.net) and run setup again, or give its java.exe with /java PATH.")


def test_java_named_by_the_admin_is_used_or_the_run_stops(windows_setup: SetupFactory, run_check: Check,
                                                           tmp_path: Path) -> None:
    setup, machine = on_windows(windows_setup, "temurin-8-and-21")
    jdk8 = setup.java("temurin-8u392")
    too_old = finding(run_check(4, admin_java(jdk8), machine=machine), "java")
    assert too_old == Finding(
        "java", f"Java 1.8.0_392 (64-bit JDK) at {jdk8}", NEEDED_JAVA21, "fail",
        f"The Java given with /java ({jdk8}) is 1.8.0_392; this version needs Java 21 or newer. Install a 64-bit "
        "Java 21 (for example Eclipse Temurin 21 JRE from https://adoptium.net) and run setup again, or give its "
        "java.exe with /java PATH.")
    missing = tmp_path / "jdk-deleted" / "bin" / "java"
    assert finding(run_check(2, admin_java(missing), machine=machine), "java") == Finding(
        "java", str(missing), NEEDED_JAVA8, "fail",
        f"The Java given with /java ({missing}) cannot be used: no java executable there.")
    broken = write_java(tmp_path / "broken-jre", "Error: could not find java.dll\n", exit_code=1)
    assert finding(run_check(2, admin_java(broken), machine=machine), "java").message == (
        f"The Java given with /java ({broken}) cannot be used: 'java -version' failed (exit 1): Error: could not "
        "find java.dll.")


def test_recorded_java_is_kept_while_it_fits_the_line(windows_setup: SetupFactory, run_check: Check,
                                                       tmp_path: Path) -> None:
    setup, machine = on_windows(windows_setup, "temurin-8-and-21")
    jdk8, jre21 = setup.java("temurin-8u392"), setup.java("temurin-21.0.5")
    kept = run_check(2, recorded_java(jdk8), machine=machine)
    assert kept.java is not None and kept.java.path == jdk8 and kept.java.origin == "/java"
    assert finding(kept, "java").verdict == "ok"
    # The new line needs a newer Java: discovery picks it and says why.
    moved = run_check(4, recorded_java(jdk8), machine=machine)
    assert finding(moved, "java") == Finding(
        "java", f"Java 21.0.5 (64-bit JRE) at {jre21}", NEEDED_JAVA21, "ok",
        f"The Java this installation used ({jdk8}, 1.8.0_392) is too old for this version, which needs Java 21 "
        "or newer; another one was found.")
    gone = tmp_path / "removed-jre" / "bin" / "java"
    replaced = run_check(2, recorded_java(gone), machine=machine)
    assert finding(replaced, "java") == Finding(
        "java", f"Java 1.8.0_392 (64-bit JDK) at {jdk8}", NEEDED_JAVA8, "warning",
        f"The Java this installation used ({gone}) cannot be used any more (no java executable there); another "
        "one was found.")
    # configured_java=None: the caller wants discovery alone.
    found = run_check(2, admin_java(gone), machine=machine, configured_java=None)
    assert found.java is not None and found.java.path == jdk8


def test_real_jdks_on_this_machine(run_check: Check) -> None:
    from tests.harness import jdks

    java17, java21 = jdks.java17(), jdks.java21()
    if java17 is None or java21 is None:
        pytest.skip("needs a Java 17 and a Java >= 21")
    with_17 = run_check(2, admin_java(java17))
    assert finding(with_17, "java").verdict == "warning"
    assert finding(with_17, "java").found.startswith("Java 17.") and str(java17) in finding(with_17, "java").found
    assert finding(run_check(4, admin_java(java17)), "java").verdict == "fail"
    assert finding(run_check(4, admin_java(java21)), "java").verdict == "ok"


# --- the machine --------------------------------------------------------------------------------------------


def test_off_windows_dotnet_and_admin_do_not_apply(run_check: Check) -> None:
    import platform

    report = run_check(2, Settings(java=shutil.which("java")))
    assert report.findings[1:5] == [
        Finding("winsw", "2.12.0/WinSW-x64.exe", "nothing (self-contained)", "ok", ""),
        Finding("dotnet", "not applicable", "not applicable", "ok", ""),
        Finding("windows", f"{platform.system()} {platform.release()}", "not applicable", "ok", ""),
        Finding("admin", "not applicable", "not applicable", "ok", ""),
    ]


def test_administrator_rights(windows_setup: SetupFactory, run_check: Check) -> None:
    _setup, machine = on_windows(windows_setup, "server2016-net462-oracle-jre8", admin=False)
    assert finding(run_check(2, machine=machine), "admin") == Finding(
        "admin", "no", "yes", "fail",
        "setup needs administrator rights to install and control the service: start it from an administrator "
        "prompt (right-click, Run as administrator).")
    unknown = dataclasses.replace(machine, admin=None)
    assert finding(run_check(2, machine=unknown), "admin") == Finding(
        "admin", "unknown", "yes", "warning", "Could not tell whether setup runs with administrator rights.")


def test_free_disk(run_check: Check, folder: Path) -> None:
    free = shutil.disk_usage(folder.parent).free
    wanted = free + 1024**4  # more than this disk has left
    report = run_check(2, needed_bytes=wanted)
    disk = finding(report, "disk")
    assert disk.verdict == "fail"
    assert disk.found.endswith(f" free ({folder.parent})")
    assert disk.needed == prereqs.size_text(wanted)
    assert disk.message == (f"Not enough free disk in {folder.parent}: {prereqs.size_text(wanted)} needed (new "
                            f"jar, data backup, logs), {disk.found.split(' free')[0]} free. Free some space and run "
                            "setup again.")
    assert not folder.exists(), "checking never creates the folder"


@pytest.mark.parametrize(("count", "text"), [(1, "1 bytes"), (1023, "1023 bytes"), (1536, "1.5 KB"),
                                             (200 * 1024**2, "200.0 MB"), (3 * 1024**3, "3.0 GB"),
                                             (5 * 1024**4, "5.0 TB")])
def test_size_text(count: int, text: str) -> None:
    assert prereqs.size_text(count) == text


def test_estimate_needed_bytes(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    margin = prereqs.LOG_MARGIN_BYTES
    assert prereqs.estimate_needed_bytes(layout) == 2 * prereqs.DEFAULT_JAR_BYTES + margin
    (tmp_path / "integrasjonspunkt-2.28.0.jar").write_bytes(b"x" * 3000)
    (tmp_path / "integrasjonspunkt-2.28.1.jar").write_bytes(b"x" * 5000)
    (tmp_path / "integrasjonspunkt.mv.db").write_bytes(b"d" * 700)
    (tmp_path / "messages" / "in").mkdir(parents=True)
    (tmp_path / "messages" / "in" / "m1.xml").write_bytes(b"m" * 300)
    (tmp_path / "integrasjonspunkt.trace.db").write_bytes(b"t" * 10_000)  # may be dropped: not counted
    assert prereqs.estimate_needed_bytes(layout) == 2 * 5000 + 1000 + margin
    assert prereqs.estimate_needed_bytes(layout, jar_bytes=10) == 20 + 1000 + margin


# --- the port -----------------------------------------------------------------------------------------------


def test_free_port_stays_free_after_probing(run_check: Check) -> None:
    port = free_port()
    for _ in range(3):  # a connect probe leaves no TIME_WAIT that a bind-based check would trip over
        assert finding(run_check(2, port=port), "port") == Finding("port", "free", f"port {port} free", "ok", "")


def test_port_held_by_another_program(run_check: Check) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        me = psutil.Process()
        report = run_check(2, port=port, own_service_ports_ok=True)
    assert finding(report, "port") == Finding(
        "port", f"port {port} in use by {me.name()} (pid {me.pid})", f"port {port} free", "fail",
        f"Port {port} is in use by {me.name()} (pid {me.pid}). Stop that program, or give integrasjonspunkt "
        "another port with server.port in integrasjonspunkt-local.properties.")


@pytest.fixture
def running_standin(folder: Path, standin_jar: Callable[..., Path], java17: Path) -> Iterator[tuple[int, int]]:
    """A stand-in integrasjonspunkt 2.28.1 running from `folder` as the service would: (pid, port)."""
    folder.mkdir(parents=True)
    jar = folder / "integrasjonspunkt-2.28.1.jar"
    shutil.copy(standin_jar("2.28.1"), jar)
    port = free_port()
    (folder / "integrasjonspunkt-local.properties").write_text(
        f"difi.move.org.number=910076787\nserver.port={port}\n", encoding="utf-8")
    process = subprocess.Popen([str(java17), "-jar", str(jar)], cwd=folder, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not processes.port_listening(port):
            assert process.poll() is None, "the stand-in exited"
            assert time.monotonic() < deadline, "the stand-in did not listen"
            time.sleep(0.05)
        yield process.pid, port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_port_held_by_this_installations_own_service(run_check: Check, running_standin: tuple[int, int]) -> None:
    pid, port = running_standin
    during_upgrade = run_check(2, port=port, own_service_ports_ok=True)
    assert finding(during_upgrade, "port") == Finding(
        "port", f"port {port} held by this installation's service (pid {pid}), which is stopped first",
        f"port {port} free", "ok", "")
    name = psutil.Process(pid).name()
    fresh_install = run_check(2, port=port, own_service_ports_ok=False)
    assert finding(fresh_install, "port").verdict == "fail"
    assert finding(fresh_install, "port").found == f"port {port} in use by {name} (pid {pid})"


# --- how findings are shown ---------------------------------------------------------------------------------


def test_show_logs_one_line_per_check_when_quiet(windows_setup: SetupFactory, run_check: Check,
                                                 caplog: pytest.LogCaptureFixture,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    _setup, machine = on_windows(windows_setup, "microsoft-jdk21")
    report = run_check(2, machine=machine)
    with caplog.at_level(logging.INFO, logger="installer"):
        prereqs.show(report, UI(quiet=True), "2.28.1")
    lines = [r.getMessage() for r in caplog.records if r.name == "installer.ui"]
    assert len(lines) == len(report.findings) + 1
    assert lines[0].startswith("Prerequisites for integrasjonspunkt 2.28.1: Java | Java 21.0.5 (64-bit JDK) at ")
    assert lines[0].endswith(" | warning")
    assert lines[2] == ("Prerequisites for integrasjonspunkt 2.28.1: .NET Framework | .NET Framework 4.8 (release "
                        "528449) | .NET Framework 4.6.1 or newer | ok")
    assert lines[-1].startswith("Digdir supports only Java 8 for this version")
    assert capsys.readouterr().out == ""


def test_show_draws_a_table_for_a_person(windows_setup: SetupFactory, run_check: Check,
                                         capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _setup, machine = on_windows(windows_setup, "server2012r2-net452")
    prereqs.show(run_check(2, machine=machine), UI(quiet=False))
    out = capsys.readouterr().out
    assert "Prerequisites" in out
    for text in ("Check", "Found", "Needed", "Verdict", "WinSW build", "2.12.0/WinSW-x64.exe", "FAIL",
                 "Windows Server 2012 R2 Standard (6.3.9600)"):
        assert text in out
    assert os.linesep in out


def test_free_disk_names_the_backups(run_check: Check, folder: Path) -> None:
    for name, size in (("20261101T000000Z-before-2.28.0", 3000), ("20261102T000000Z-failed-2.28.2", 5000)):
        (folder / "backups" / name / "messages").mkdir(parents=True)
        (folder / "backups" / name / "messages" / "m1").write_bytes(b"x" * size)
    free = shutil.disk_usage(folder.parent).free
    disk = finding(run_check(2, needed_bytes=free + 1024**4), "disk")
    assert disk.found.endswith(f" free ({folder}); backups: 2 sets, 7.8 KB")
    assert disk.message.endswith(f"The backups in {folder / 'backups'} take 7.8 KB: delete the sets you no longer "
                                 "need (the README says which).")
    assert finding(run_check(2), "disk").verdict == "ok"
