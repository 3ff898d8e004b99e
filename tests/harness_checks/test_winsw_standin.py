"""The WinSW and sc.exe stand-ins against WinSW's contract (FACTS.md sections 2 and 5): each output line and
exit code, the awkward moments, XML discovery and Windows argument splitting, with real processes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

import psutil
import pytest

from installer.errors import same_exit_code
from installer.system_tools import system32
from tests.harness import sc_standin, winsw_standin
from tests.harness.fixtures_winsw import WinswEnv
from tests.harness.ports import free_port
from tests.harness.service_registry import Registry
from tests.harness.waiting import wait_until
from tests.paths import HARNESS

PROGRAM = HARNESS / "service_program.py"
V2_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO |WARN |ERROR|FATAL) - (.*)$")



class Service:
    """A folder with the stand-in as `<base>.exe` and its XML, and ways to run it."""

    def __init__(self, env: WinswEnv, folder: Path, *, service_id: str = "svc", base: str = "svc-service",
                 v3: bool = False) -> None:
        self.env = env
        self.folder = folder
        self.id = service_id
        self.exe = env.install_exe(folder, base, v3=v3)
        self.xml = folder / f"{base}.xml"

    def write(self, arguments: str = "", extra: str = "", *, executable: str = sys.executable,
              name: str = "Svc Name", root: str = "service") -> Service:
        self.xml.write_text(
            f"<{root}>\n  <id>{escape(self.id)}</id>\n  <name>{escape(name)}</name>\n"
            f"  <description>a test service</description>\n  <executable>{escape(executable)}</executable>\n"
            f"  <arguments>{escape(arguments)}</arguments>\n  {extra}\n</{root}>\n", encoding="utf-8")
        return self

    def program(self, *options: str, extra: str = "") -> Service:
        return self.write(f'"{PROGRAM}" --record "%BASE%/runs.jsonl" ' + " ".join(options), extra)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.exe), *args], capture_output=True, text=True, timeout=60)

    def status(self) -> str:
        return self.run("status").stdout.strip()

    def runs(self) -> list[dict[str, object]]:
        path = self.folder / "runs.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def record(self) -> dict[str, object] | None:
        return self.env.record(self.id)

    def wait_status(self, wanted: str, timeout: float = 10.0) -> None:
        wait_until(lambda: self.status() == wanted, timeout)


def messages(stdout: str) -> list[tuple[str, str]]:
    """(level, text) of each WinSW 2 log line; a line in another form fails the test."""
    found = []
    for line in stdout.splitlines():
        match = V2_LINE.match(line)
        assert match, f"not a WinSW log line: {line!r}"
        found.append((match.group(1).strip(), match.group(2)))
    return found


@pytest.fixture
def svc(winsw_env: WinswEnv, tmp_path: Path) -> Service:
    return Service(winsw_env, tmp_path / "svc folder")


# --- WinSW 2 ------------------------------------------------------------------------------------------------


def test_v2_lines_and_exit_codes_through_a_lifecycle(svc: Service) -> None:
    svc.program()
    done = svc.run("status")
    assert (done.stdout, done.returncode) == ("NonExistent\n", 0)
    done = svc.run("install")
    assert done.returncode == 0
    assert messages(done.stdout) == [("INFO", "Installing the service with id 'svc'")]

    done = svc.run("install")
    assert same_exit_code(done.returncode, 1073)
    lines = done.stdout.splitlines()
    assert lines[1:3] == ["Service with id 'svc' already exists",
                          "To install the service, delete the existing one or change service Id in the "
                          "configuration file"]
    assert messages("\n".join(lines[:1] + lines[3:]))[-1] == (
        "FATAL", "Installation failure: Service with id 'svc' already exists")

    assert (svc.run("status").stdout, svc.run("status").returncode) == ("Stopped\n", 0)
    done = svc.run("start")
    assert done.returncode == 0
    assert messages(done.stdout) == [("INFO", "Starting the service with id 'svc'")]
    assert svc.status() == "Started"  # at once: start returns when the service manager took it
    done = svc.run("start")
    assert (done.returncode, messages(done.stdout)[-1]) == (
        0, ("INFO", "The service with ID 'svc' has already been started"))
    wait_until(lambda: len(svc.runs()) == 1)

    done = svc.run("stop")
    assert (done.returncode, messages(done.stdout)) == (0, [("INFO", "Stopping the service with id 'svc'")])
    svc.wait_status("Stopped")
    done = svc.run("stop")
    assert (done.returncode, messages(done.stdout)[-1]) == (0, ("INFO", "The service with ID 'svc' is not running"))

    done = svc.run("uninstall")
    assert (done.returncode, messages(done.stdout)) == (0, [("INFO", "Uninstalling the service with id 'svc'")])
    assert svc.status() == "NonExistent"
    done = svc.run("uninstall")
    assert (done.returncode, messages(done.stdout)[-1]) == (
        0, ("WARN", "The service with id 'svc' does not exist. Nothing to uninstall"))
    for verb in ("start", "stop", "restart"):
        done = svc.run(verb)
        assert same_exit_code(done.returncode, 1060), verb
        assert messages(done.stdout)[-1] == (
            "FATAL", "The specified service does not exist as an installed service."), verb

    assert svc.run("version").stdout == "WinSW 2.12.0\n"
    done = svc.run("frobnicate")
    assert same_exit_code(done.returncode, -1)
    assert done.stdout.startswith("Unknown command: frobnicate\n")


def test_v2_stopwait_and_restart_wait(svc: Service) -> None:
    svc.program("--term-delay", "0.3")
    assert svc.run("install").returncode == 0
    assert svc.run("start").returncode == 0
    wait_until(lambda: len(svc.runs()) == 1)
    done = svc.run("restart")
    assert done.returncode == 0
    assert messages(done.stdout)[0] == ("INFO", "Restarting the service with id 'svc'")
    wait_until(lambda: len(svc.runs()) == 2)
    assert svc.runs()[0]["pid"] != svc.runs()[1]["pid"]
    done = svc.run("stopwait")
    assert done.returncode == 0
    assert messages(done.stdout)[-1] == ("INFO", "The service stopped.")
    assert svc.status() == "Stopped"  # stopwait waited


def test_xml_found_by_base_name_base_env_and_logs(svc: Service) -> None:
    (svc.folder / "work").mkdir(parents=True)
    svc.write(f'"{PROGRAM}" --record "%BASE%/runs.jsonl" --exit-after 0 --code 0 %GREETING% %UNSET%',
              '<env name="GREETING" value="hi-%SERVICE_ID%"/>\n'
              '  <logpath>%BASE%/logs</logpath>\n  <workingdirectory>%BASE%/work</workingdirectory>')
    assert svc.run("install").returncode == 0
    assert svc.run("start").returncode == 0
    svc.wait_status("Stopped")  # exit code 0: a clean stop, no failure action
    (run,) = svc.runs()
    assert run["argv"][-2:] == ["hi-svc", "%UNSET%"]  # an unknown %VAR% stays as written, as on Windows
    assert run["cwd"] == str(svc.folder / "work")
    assert run["env"] == {"BASE": str(svc.folder), "SERVICE_ID": "svc", "GREETING": "hi-svc",
                          "WINSW_SERVICE_ID": "svc"}
    logs = svc.folder / "logs"
    assert f"service program {run['pid']} started" in (logs / "svc-service.out.log").read_text()
    assert "a line on stderr" in (logs / "svc-service.err.log").read_text()
    wrapper = (logs / "svc-service.wrapper.log").read_text()
    assert "Installing the service with id 'svc'" in wrapper and f"Started process {run['pid']}" in wrapper


def test_working_directory_defaults_to_the_exe_folder_and_argument_elements(svc: Service) -> None:
    svc.write(extra=f"<argument>{PROGRAM}</argument><argument>--exit-after</argument><argument>0</argument>"
                    "<argument>--code</argument><argument>0</argument><argument>two words</argument>"
                    '<argument>"already quoted"</argument>')
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 1)
    (run,) = svc.runs()
    assert run["cwd"] == str(svc.folder)
    assert run["argv"][-2:] == ["two words", "already quoted"]


def test_arguments_are_split_by_windows_rules_not_shell_rules(svc: Service) -> None:
    arguments = (f'"{PROGRAM}" --exit-after 0 --code 0 --record "%BASE%/runs.jsonl" '
                 '"a b" c\\d e\\"f "g\\\\" "" \'h i\' $HOME *.jar "%BASE%/x y.jar"\r\n  next-line')
    svc.write(arguments)
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 1)
    assert svc.runs()[0]["argv"][6:] == ["a b", "c\\d", 'e"f', "g\\", "", "'h", "i'", "$HOME", "*.jar",
                                         f"{svc.folder}/x y.jar", "next-line"]


def test_missing_or_broken_xml(svc: Service) -> None:
    done = svc.run("status")
    assert same_exit_code(done.returncode, -1)
    assert "Unable to locate svc-service.xml file within executable directory" in done.stdout
    svc.xml.write_text("<service><id>svc</id>", encoding="utf-8")
    done = svc.run("install")
    assert same_exit_code(done.returncode, -1)
    assert "The configuration file cound not be loaded." in done.stdout
    svc.write("x").xml.write_text(svc.xml.read_text().replace("<name>Svc Name</name>", ""), encoding="utf-8")
    done = svc.run("install")
    assert same_exit_code(done.returncode, -1)
    assert "<name> is missing in configuration XML" in done.stdout  # WinSW 2 requires it


def test_v2_finds_elements_anywhere_v3_only_under_service(winsw_env: WinswEnv, tmp_path: Path) -> None:
    nested = "<configuration><wrapper><id>svc</id><name>n</name><description>d</description>" \
             f"<executable>{sys.executable}</executable></wrapper></configuration>"
    v2 = Service(winsw_env, tmp_path / "v2")
    v2.xml.write_text(nested, encoding="utf-8")
    assert v2.run("install").returncode == 0
    v3 = Service(winsw_env, tmp_path / "v3", service_id="other", v3=True)
    v3.xml.write_text(nested.replace(">svc<", ">other<"), encoding="utf-8")
    done = v3.run("install")
    assert same_exit_code(done.returncode, -1)
    assert "root element must be <service>" in done.stdout


def test_the_registry_is_machine_wide_and_ids_ignore_case(winsw_env: WinswEnv, tmp_path: Path) -> None:
    first = Service(winsw_env, tmp_path / "a").write("x")
    second = Service(winsw_env, tmp_path / "b", service_id="SVC").write("x")
    assert first.run("install").returncode == 0
    assert same_exit_code(second.run("install").returncode, 1073)
    assert second.status() == "Stopped"


# --- the awkward moments -------------------------------------------------------------------------------------


def test_uninstall_while_running_leaves_it_marked_for_deletion(svc: Service) -> None:
    svc.program()
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 1)
    done = svc.run("uninstall")
    assert done.returncode == 0
    assert messages(done.stdout)[-1] == ("WARN", "The service with id 'svc' is running. It may be impossible to "
                                                 "uninstall it")
    assert svc.status() == "Started"
    for verb in ("install", "start"):
        done = svc.run(verb)
        assert same_exit_code(done.returncode, 1072), verb
        assert done.stdout.rstrip().endswith("The specified service has been marked for deletion."), verb
    done = svc.run("uninstall")
    assert (done.returncode, messages(done.stdout)[-1]) == (
        0, ("ERROR", "Failed to uninstall the service with id 'svc'. It has been marked for deletion."))
    assert svc.run("stop").returncode == 0
    svc.wait_status("NonExistent")  # gone once its process ended
    assert svc.run("install").returncode == 0


def test_removed_service_stays_marked_while_something_holds_it(svc: Service,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    svc.program()
    svc.run("install")
    monkeypatch.setenv(winsw_standin.ENV_DELETE_DELAY, "0.6")
    assert svc.run("uninstall").returncode == 0
    assert svc.status() == "Stopped"
    assert same_exit_code(svc.run("install").returncode, 1072)
    svc.wait_status("NonExistent")
    assert svc.run("install").returncode == 0


def test_stop_while_a_stop_is_pending_exits_1061(svc: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    svc.program()
    monkeypatch.setenv(winsw_standin.ENV_STOP_PENDING, "0.8")
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 1)
    assert svc.run("stop").returncode == 0
    done = svc.run("stop")
    assert same_exit_code(done.returncode, 1061)
    assert messages(done.stdout)[-1] == ("FATAL", "The service cannot accept control messages at this time.")
    assert svc.status() == "Started"  # WinSW 2 says Started while a stop is pending
    svc.wait_status("Stopped")


def test_start_then_die_flips_back_to_stopped(svc: Service) -> None:
    svc.program("--exit-after", "0.6", "--code", "1")
    svc.run("install")
    assert svc.run("start").returncode == 0  # WinSW 2 start does not wait
    assert svc.status() == "Started"
    svc.wait_status("Stopped")
    assert len(svc.runs()) == 1  # no <onfailure>: no restart


def test_onfailure_restarts_with_a_new_pid_per_failure_count(svc: Service) -> None:
    svc.program("--exit-after", "0.2", "--code", "3",
                extra='<onfailure action="restart" delay="100"/><onfailure action="restart" delay="100 ms"/>'
                      '<onfailure action="none"/>')
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 3)
    svc.wait_status("Stopped")
    time.sleep(0.3)
    runs = svc.runs()
    assert len(runs) == 3 and len({r["pid"] for r in runs}) == 3  # the third failure's action is none
    record = svc.record()
    assert record is not None and record["failures"] == 3


def test_resetfailure_starts_the_count_again(svc: Service) -> None:
    svc.program("--exit-after", "0.15", "--code", "3",
                extra='<onfailure action="restart" delay="50 ms"/><onfailure action="none"/>'
                      "<resetfailure>1</resetfailure>")
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) >= 4)  # every failure is the first one again
    record = svc.record()
    assert record is not None and record["failures"] == 1


def test_stoptimeout_then_kill(svc: Service) -> None:
    svc.program("--ignore-term", extra="<stoptimeout>300</stoptimeout>")  # a bare number is milliseconds
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 1)
    pid = int(svc.runs()[0]["pid"])
    started = time.monotonic()
    assert svc.run("stop").returncode == 0
    svc.wait_status("Stopped")
    assert time.monotonic() - started >= 0.3
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_15s_duration_fails_like_winsw_2_12(svc: Service) -> None:
    svc.program(extra="<resetfailure>15s</resetfailure>")
    done = svc.run("install")
    assert same_exit_code(done.returncode, -1)
    assert "FormatException" in done.stdout
    assert svc.status() == "Stopped"  # registered before the failure actions were read
    svc.run("uninstall")
    svc.program("--ignore-term", extra="<stoptimeout>15s</stoptimeout>")
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 1)
    svc.run("stop")
    svc.wait_status("Stopped", timeout=5)  # no graceful wait at all: killed at once
    wrapper = (svc.folder / "svc-service.wrapper.log").read_text()
    assert "Failed to read <stoptimeout>" in wrapper


def test_linger_reports_stopped_while_the_process_still_runs(svc: Service,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    svc.program("--term-delay", "2.0", "--port", str(port))
    monkeypatch.setenv(winsw_standin.ENV_LINGER, "1")
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 1)
    pid = int(svc.runs()[0]["pid"])
    svc.run("stop")
    svc.wait_status("Stopped", timeout=1.5)
    assert psutil.pid_exists(pid)
    wait_until(lambda: not psutil.pid_exists(pid), timeout=5)


# --- WinSW 3 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["asset", "env"])
def test_v3_lines_and_exit_codes(winsw_env: WinswEnv, tmp_path: Path, how: str,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "env":
        monkeypatch.setenv(winsw_standin.ENV_V3, "1")
    svc = Service(winsw_env, tmp_path / "v3", v3=how == "asset")
    svc.program("--term-delay", "0.8")
    done = svc.run("status")
    assert (done.stdout, same_exit_code(done.returncode, 1060)) == ("NonExistent\n", True)
    done = svc.run("install", "--no-elevate")
    assert (done.returncode, done.stdout.splitlines()) == (
        0, ["Installing service 'Svc Name (svc)'...", "Service 'Svc Name (svc)' was installed successfully."])
    done = svc.run("install")
    assert same_exit_code(done.returncode, 1073)
    assert done.stdout.splitlines()[1:] == ["A service with ID 'svc' already exists.", "Failed to install the service."]
    assert (svc.run("status").stdout, svc.run("status").returncode) == ("Inactive (stopped)\n", 0)
    done = svc.run("start", "--no-elevate")
    assert (done.returncode, done.stdout.splitlines()) == (
        0, ["Starting service 'Svc Name (svc)'...", "Service 'Svc Name (svc)' started successfully."])
    done = svc.run("status")
    assert (done.stdout, done.returncode) == ("Active (running)\n", 1)  # start waited
    assert svc.run("stop", "--no-wait").returncode == 0
    assert svc.status() == "Active (stopping)"
    done = svc.run("stop")
    assert same_exit_code(done.returncode, 1061)
    svc.wait_status("Inactive (stopped)")
    assert svc.run("start").returncode == 0
    done = svc.run("stop")
    assert (done.returncode, done.stdout.splitlines()) == (
        0, ["Stopping service 'Svc Name (svc)'...", "Service 'Svc Name (svc)' stopped successfully."])
    assert svc.status() == "Inactive (stopped)"  # stop waited
    done = svc.run("uninstall")
    assert done.stdout.splitlines()[-1] == "Service 'Svc Name (svc)' was uninstalled successfully."
    assert svc.run("--version").stdout == "3.0.0-alpha.11\n"
    assert svc.run("version").returncode != 0


def test_v3_start_fails_when_the_service_cannot_start(winsw_env: WinswEnv, tmp_path: Path) -> None:
    svc = Service(winsw_env, tmp_path / "v3", v3=True).write("x", executable=str(tmp_path / "no-such-java"))
    svc.run("install")
    done = svc.run("start")
    assert same_exit_code(done.returncode, -1)
    assert done.stdout.splitlines()[-1] == "Failed to start the service."
    assert svc.status() == "Inactive (stopped)"


# --- sc.exe -------------------------------------------------------------------------------------------------


def sc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([system32("sc.exe"), *args], capture_output=True, text=True, timeout=30)


def test_sc_qc_prints_the_registration(winsw_env: WinswEnv, tmp_path: Path) -> None:
    done = sc("qc", "svc")
    assert same_exit_code(done.returncode, 1060)
    assert done.stdout.splitlines()[:3] == ["[SC] OpenService FAILED 1060:", "",
                                            "The specified service does not exist as an installed service."]
    svc = Service(winsw_env, tmp_path / "sc").write("x")
    svc.run("install")
    done = sc("qc", "svc")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "[SC] QueryServiceConfig SUCCESS",
        "",
        "SERVICE_NAME: svc",
        "        TYPE               : 10  WIN32_OWN_PROCESS",
        "        START_TYPE         : 2   AUTO_START",
        "        ERROR_CONTROL      : 1   NORMAL",
        f'        BINARY_PATH_NAME   : "{svc.exe}"',
        "        LOAD_ORDER_GROUP   :",
        "        TAG                : 0",
        "        DISPLAY_NAME       : Svc Name",
        "        DEPENDENCIES       :",
        "        SERVICE_START_NAME : LocalSystem",
        "",
    ]
    winsw_env.set_account("svc", ".\\integrasjonspunkt")
    assert "SERVICE_START_NAME : .\\integrasjonspunkt" in sc("qc", "svc").stdout
    assert "STATE              : 1  STOPPED" in sc("query", "svc").stdout


def test_sc_shows_the_account_of_the_xml_or_the_v3_command_line(winsw_env: WinswEnv, tmp_path: Path) -> None:
    account = "<serviceaccount><domain>NT AUTHORITY</domain><user>LocalService</user></serviceaccount>"
    Service(winsw_env, tmp_path / "a", service_id="a").write("x", account).run("install")
    assert "SERVICE_START_NAME : NT AUTHORITY\\LocalService" in sc("qc", "a").stdout
    v3 = Service(winsw_env, tmp_path / "b", service_id="b", v3=True).write("x", account)
    v3.run("install", "--username", ".\\ip", "--password", "pw")
    assert "SERVICE_START_NAME : .\\ip" in sc("qc", "b").stdout


def test_an_open_handle_leaves_an_uninstalled_service_marked_and_disabled(svc: Service) -> None:
    """FACTS.md W4: DeleteService with a handle open (services.msc) only marks the service and disables it;
    WinSW 2.12 then says Stopped, install answers 1073, start and sc config fail, until the handle closes."""
    svc.program()
    assert svc.run("install").returncode == 0
    svc.env.open_handle("svc")
    assert svc.run("uninstall").returncode == 0
    assert svc.status() == "Stopped"
    record = svc.record()
    assert record is not None and record["marked_for_deletion"] and record["start_type"] == 4
    assert same_exit_code(svc.run("install").returncode, 1073)
    assert same_exit_code(svc.run("start").returncode, 1072)
    done = sc("config", "svc", "start=", "auto")
    assert same_exit_code(done.returncode, 1072) and "ChangeServiceConfig FAILED 1072" in done.stdout
    assert svc.status() == "Stopped"
    svc.env.close_handle("svc")
    assert svc.status() == "NonExistent"
    assert svc.run("install").returncode == 0


def test_sc_config_description_and_failure_change_the_registration(svc: Service) -> None:
    svc.program()
    assert svc.run("install").returncode == 0
    for args in (["config", "svc", "start=", "demand", "DisplayName=", "Nytt navn æøå", "depend=", "/",
                  "obj=", ".\\ip", "password=", "hemmelig"],
                 ["description", "svc", "Ny beskrivelse"],
                 ["failure", "svc", "reset=", "3600", "actions=", "restart/10000/none/0"]):
        done = sc(*args)
        assert (done.returncode, done.stdout.strip()) == (0, f"[SC] {sc_standin.CHANGE_CALLS[args[0]]} SUCCESS")
    record = svc.record()
    assert record is not None
    assert (record["start_type"], record["display_name"], record["account"], record["description"]) == (
        3, "Nytt navn æøå", ".\\ip", "Ny beskrivelse")
    assert (record["reset_failure"], record["failure_actions"]) == (3600.0, [["restart", 10.0], ["none", 0.0]])
    assert sc("config", "svc", "bogus=", "x").returncode == 87


# --- the fixture --------------------------------------------------------------------------------------------


def test_asset_is_stable_and_the_catalog_names_it(winsw_env: WinswEnv, tmp_path: Path) -> None:
    assert winsw_standin.standin_bytes() == winsw_env.asset_bytes
    assert winsw_env.asset_bytes != winsw_env.asset_bytes_v3
    catalog = json.loads(winsw_env.write_catalog(tmp_path / "c.json").read_text())
    assert catalog == {"builds": [{"version": "2.12.0", "asset": "WinSW-x64.exe", "sha256": winsw_env.sha256,
                                   "needs": "none", "arch": "any"}]}
    v3 = json.loads(winsw_env.write_catalog(tmp_path / "d.json", "3.0.0-alpha.11").read_text())
    assert v3["builds"][0]["sha256"] == winsw_env.sha256_v3


def test_kill_all_ends_every_process_of_the_registry(svc: Service) -> None:
    svc.program("--ignore-term")
    svc.run("install")
    svc.run("start")
    wait_until(lambda: len(svc.runs()) == 1)
    record = Registry(svc.env.registry).load("svc")
    assert record is not None
    pids = [int(svc.runs()[0]["pid"]), int(record["run"]["supervisor"]["pid"])]
    svc.env.kill_all()
    wait_until(lambda: not any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE
                               for p in pids))
    assert svc.status() == "Stopped"
