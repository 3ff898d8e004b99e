"""Discovery of installations made by hand (issue 10): folders laid out as Digdir's page and XMLs describe them,
the WinSW and sc.exe stand-ins answering for the service, real `java -version` runs and real processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from installer import adoption, service_env, takeover, winsw_catalog
from installer.adoption import Discovery
from installer.errors import ExitCode, SetupError, same_exit_code
from installer.settings import Origin, Settings
from installer.ui import UI
from installer.windows.services import ServiceState
from installer.windows.tasks import ScheduledTask, running_jar_in
from installer.winsw_catalog import WinswBuild
from tests.adoption_support import DATA, digdir_xml, hand_made, run_exe
from tests.harness import fake_winreg, jdks
from tests.harness.fixtures_winreg import write_java
from tests.harness.fixtures_winsw import WinswEnv
from tests.harness.ports import free_port
from tests.harness.sandbox import write_properties
from tests.paths import REPO_ROOT

REPO_ROOT = REPO_ROOT
# Puts a healthy 2.28.1 stand-in jar under a name into a folder with a properties file.
JarCopier = Callable[[Path, str], Path]
ENVIRONMENT = r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment"


@pytest.fixture
def catalog(tmp_path: Path, winsw_env: WinswEnv) -> list[WinswBuild]:
    return winsw_catalog.load_catalog(winsw_env.write_catalog(tmp_path / "winsw-catalog.json"))


def only(found: Discovery) -> adoption.Candidate:
    assert len(found.candidates) == 1, found
    return found.candidates[0]


def settings_for(folder: Path, **values: object) -> Settings:
    settings = Settings(dir=folder, origins={"service-id": Origin.DEFAULT, "env": Origin.DEFAULT})
    for name, value in values.items():
        setattr(settings, name, value)
        settings.origins[name.replace("_", "-")] = "command line"
    return settings


def setup(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "installer", *argv, "/quiet"], capture_output=True, text=True,
                          env=env, cwd=REPO_ROOT, timeout=120)


# --- Digdir's two XMLs ------------------------------------------------------------------------------------


def test_staging_xml_with_a_renamed_exe_and_a_base_jar_path(tmp_path: Path, winsw_env: WinswEnv,
                                                            catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "integrasjonspunkt"
    hand_made(winsw_env, folder, kind="staging", base="ip", register=True)
    found = adoption.discover(folder, catalog)
    candidate = only(found)
    assert (candidate.base, candidate.service_id, candidate.standard_names) == ("ip", "integrasjonspunkt", False)
    assert candidate.jar == folder / "integrasjonspunkt-2.27.0.jar"
    assert (candidate.version, candidate.version_source) == ("2.27.0", "jar")
    assert (candidate.profile, candidate.env) == ("staging", "staging")
    # The XML says `java`: found on PATH as the service would find it, and run.
    assert candidate.executable == "java"
    assert candidate.java == Path(shutil.which("java") or "").absolute()
    assert candidate.java_version and candidate.java_version.split(".")[0].isdigit()
    assert candidate.winsw == "2.12.0/WinSW-x64.exe" and candidate.winsw_version == "2.12.0"
    assert candidate.service is ServiceState.STOPPED
    assert candidate.registration is not None and candidate.registration.account == "LocalSystem"
    assert candidate.registered_here and candidate.adoptable and not candidate.notes
    assert not (found.kosmos or found.tasks or found.java_processes)


def test_prod_xml_with_a_relative_jar_and_no_registration(tmp_path: Path, winsw_env: WinswEnv,
                                                          catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "ip"
    hand_made(winsw_env, folder, kind="prod", version="2.1.3")
    candidate = only(adoption.discover(folder, catalog))
    # No <workingdirectory>: the relative jar is in the exe's folder.
    assert candidate.jar == folder / "integrasjonspunkt-2.1.3.jar"
    assert candidate.standard_names and candidate.version == "2.1.3" and candidate.env == "production"
    assert candidate.service is ServiceState.NON_EXISTENT
    assert candidate.registration is not None and not candidate.registration.exists
    assert candidate.adoptable and any("not registered" in note for note in candidate.notes)


def test_relative_jar_follows_the_working_directory(tmp_path: Path, winsw_env: WinswEnv,
                                                    catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "ip"
    xml = digdir_xml("prod", "2.28.1").replace(b"<description>", b"<workingdirectory>%BASE%\\app</workingdirectory>"
                                               b"<description>")
    hand_made(winsw_env, folder, xml=xml, version="2.28.1")
    candidate = only(adoption.discover(folder, catalog))
    assert candidate.jar == folder / "app" / "integrasjonspunkt-2.28.1.jar"
    assert any("is not there" in note for note in candidate.notes)


def test_xml_without_a_profile_and_an_unknown_winsw(tmp_path: Path, winsw_env: WinswEnv,
                                                    catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "ip"
    xml = digdir_xml("prod", "2.28.1").replace(b"<argument>-Dspring.profiles.active=production</argument>", b"")
    hand_made(winsw_env, folder, xml=xml, version="2.28.1")
    (folder / "integrasjonspunkt-service.exe").write_bytes(winsw_env.asset_bytes + b"\n# another build\n")
    candidate = only(adoption.discover(folder, catalog))
    assert candidate.profile is None and candidate.env == "production"  # what 2.x runs without one
    assert candidate.winsw == "unknown/integrasjonspunkt-service.exe" and candidate.winsw_version == "2.12.0"


def test_a_4x_jar_without_a_profile_leaves_the_environment_open(tmp_path: Path, winsw_env: WinswEnv,
                                                                catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "ip"
    xml = (b"<service><id>integrasjonspunkt</id><name>ip</name><description>ip</description>"
           b"<executable>java</executable><arguments>-jar integrasjonspunkt-4.0.8.jar</arguments></service>")
    hand_made(winsw_env, folder, xml=xml, version="4.0.8")
    candidate = only(adoption.discover(folder, catalog))
    assert candidate.version == "v4.0.8"  # the published tag, whatever the file is called
    assert candidate.env is None


# --- the Java the service runs ------------------------------------------------------------------------------


def test_bare_java_follows_path_off_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    java = write_java(tmp_path / "jdk", 'openjdk version "1.8.0_392"\n')
    monkeypatch.setenv("PATH", str(java.parent))
    folder = tmp_path / "ip"
    folder.mkdir()
    assert service_env.resolve_executable("java", {}, folder, folder) == java
    assert adoption.java_version(java) == "1.8.0_392"
    # An XML's own <env name="PATH"> wins over the process's.
    other = write_java(tmp_path / "other", 'openjdk version "21"\n')
    assert service_env.resolve_executable("java", {"Path": str(other.parent)}, folder, folder) == other
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert service_env.resolve_executable("java", {}, folder, folder) is None


def test_bare_java_on_windows_uses_the_machine_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    fake_winreg_module: fake_winreg.Registry) -> None:
    # The service gets the machine's environment, not the admin's: this process's PATH holds another Java.
    machine = write_java(tmp_path / "Program Files" / "Java" / "jre1.8.0_202", 'java version "1.8.0_202"\n')
    admins = write_java(tmp_path / "admin-jdk", 'openjdk version "21"\n')
    monkeypatch.setenv("PATH", str(admins.parent))
    monkeypatch.delenv("SystemRoot", raising=False)
    fake_winreg_module.set_value(ENVIRONMENT, "Path", f"{tmp_path / 'nowhere'};\"{machine.parent}\";", 2)
    folder = tmp_path / "ip"
    folder.mkdir()
    assert service_env.resolve_executable("java", {}, folder, folder) == machine
    # The folder of the WinSW exe comes first, as for any program Windows starts by a bare name.
    own = write_java(folder / "jre", 'java version "1.8.0_401"\n')
    shutil.copy2(own, folder / "java")
    assert service_env.resolve_executable("java", {}, folder, folder) == folder / "java"


def test_java_through_a_machine_variable(tmp_path: Path, fake_winreg_module: fake_winreg.Registry) -> None:
    home = tmp_path / "Program Files" / "Eclipse Adoptium" / "jdk-8.0.392.8-hotspot"
    java = write_java(home, 'openjdk version "1.8.0_392"\n')
    fake_winreg_module.set_value(ENVIRONMENT, "JAVA_HOME", str(home))
    folder = tmp_path / "ip"
    folder.mkdir()
    executable = r"%JAVA_HOME%\bin\java"
    variables = service_env.service_variables(folder, [], executable)
    assert service_env.resolve_executable(executable, variables, folder, folder) == java


# --- what else a folder may hold ----------------------------------------------------------------------------


def kosmos_folder(folder: Path, winsw: WinswEnv) -> None:
    folder.mkdir(parents=True)
    shutil.copyfile(DATA / "digdir-kosmos-service.xml", folder / "kosmos-service.xml")
    winsw.install_exe(folder, base="kosmos-service")
    (folder / "kosmos-1.3.0.jar").write_bytes(b"PK\x05\x06" + bytes(18))
    (folder / "kosmos-local.properties").write_text("kosmos.integrasjonspunkt.port=9093\n", encoding="utf-8")


def test_kosmos_folder(tmp_path: Path, winsw_env: WinswEnv, catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "kosmos"
    kosmos_folder(folder, winsw_env)
    found = adoption.discover(folder, catalog)
    assert not found.candidates
    assert found.kosmos == ["kosmos-service.xml (service kosmossvc)", "kosmos-1.3.0.jar", "kosmos-local.properties"]
    with pytest.raises(SetupError) as stopped:
        takeover.choose(found, settings_for(folder), UI(), ExitCode.NOT_INSTALLED)
    assert stopped.value.code == ExitCode.PREREQUISITES and "two upgraders would fight" in stopped.value.message
    assert takeover.choose(found, settings_for(folder, ignore_kosmos=True), UI(), ExitCode.NOT_INSTALLED) is None


def test_kosmos_stops_adopt_and_upgrade_and_changes_nothing(tmp_path: Path, winsw_env: WinswEnv) -> None:
    folder = tmp_path / "kosmos"
    kosmos_folder(folder, winsw_env)
    hand_made(winsw_env, folder, kind="prod", version="2.28.1")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for verb in (["/adopt"], ["/upgrade", "2.x"]):
        proc = setup(*verb, "/dir", str(folder))
        assert same_exit_code(proc.returncode, 10), proc.stderr
        assert "KOSMOS" in proc.stderr and "/ignore-kosmos" in proc.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before
    assert not (folder / ".setup" / "state.json").exists()
    proc = setup("/adopt", "/ignore-kosmos", "/dir", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert "ignore-kosmos" in proc.stderr


def test_two_candidate_services(tmp_path: Path, winsw_env: WinswEnv, catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "ip"
    hand_made(winsw_env, folder, kind="prod", version="2.28.1", register=True)
    staging = digdir_xml("staging", "2.28.1").replace(b"<id>integrasjonspunkt</id>",
                                                      b"<id>integrasjonspunkt-staging</id>")
    hand_made(winsw_env, folder, xml=staging, base="ip-staging", version="2.28.1", register=True)
    found = adoption.discover(folder, catalog)
    assert sorted(c.service_id for c in found.candidates) == ["integrasjonspunkt", "integrasjonspunkt-staging"]
    with pytest.raises(SetupError) as unclear:
        takeover.choose(found, settings_for(folder), UI(), ExitCode.NOT_INSTALLED)
    assert unclear.value.code == ExitCode.NOT_INSTALLED and "/service-id" in unclear.value.message
    chosen = takeover.choose(found, settings_for(folder, service_id="integrasjonspunkt-staging"), UI(),
                          ExitCode.NOT_INSTALLED)
    assert chosen is not None and chosen.base == "ip-staging" and chosen.env == "staging"
    proc = setup("/upgrade", "2.x", "/dir", str(folder))
    assert same_exit_code(proc.returncode, 15) and "more than one" in proc.stderr
    assert not (folder / ".setup" / "state.json").exists()


def test_a_copy_beside_the_registered_service_is_left_alone(tmp_path: Path, winsw_env: WinswEnv,
                                                            catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "ip"
    hand_made(winsw_env, folder, kind="prod", version="2.28.1", register=True)
    shutil.copyfile(folder / "integrasjonspunkt-service.xml", folder / "integrasjonspunkt-service-old.xml")
    winsw_env.install_exe(folder, base="integrasjonspunkt-service-old")
    found = adoption.discover(folder, catalog)
    copy = next(c for c in found.candidates if c.base == "integrasjonspunkt-service-old")
    assert not copy.adoptable and copy.registered_elsewhere == str(folder / "integrasjonspunkt-service.exe")
    chosen = takeover.choose(found, settings_for(folder), UI(), ExitCode.NOT_INSTALLED)
    assert chosen is not None and chosen.base == "integrasjonspunkt-service"


def test_a_service_registered_from_another_folder_is_not_adopted(tmp_path: Path, winsw_env: WinswEnv,
                                                                  catalog: list[WinswBuild]) -> None:
    hand_made(winsw_env, tmp_path / "live", kind="prod", version="2.28.1", register=True)
    backup = tmp_path / "backup"
    hand_made(winsw_env, backup, kind="prod", version="2.28.0")
    found = adoption.discover(backup, catalog)
    assert only(found).service is None  # its exe would answer for the other folder's service
    with pytest.raises(SetupError) as refused:
        takeover.choose(found, settings_for(backup), UI(), ExitCode.NOT_INSTALLED)
    assert str(tmp_path / "live") in refused.value.message


def test_an_empty_folder_and_one_with_other_xml(tmp_path: Path, catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "ip"
    folder.mkdir()
    found = adoption.discover(folder, catalog)
    assert found.empty and takeover.choose(found, settings_for(folder), UI(), ExitCode.NOT_INSTALLED) is None
    (folder / "logback-spring.xml").write_text("<configuration><root level='INFO'/></configuration>")
    (folder / "integrasjonspunkt-service.xml").write_text("<service><id>broken", encoding="utf-8")
    found = adoption.discover(folder, catalog)
    assert found.empty and any("integrasjonspunkt-service.xml" in s for s in found.skipped)
    proc = setup("/adopt", "/dir", str(folder))
    assert same_exit_code(proc.returncode, 15) and "nothing to adopt" in proc.stderr
    proc = setup("/upgrade", "2.x", "/dir", str(folder))
    assert same_exit_code(proc.returncode, 15)
    proc = setup("/adopt", "/dir", str(tmp_path / "nowhere"))
    assert same_exit_code(proc.returncode, 15) and not (tmp_path / "nowhere").exists()


def test_a_jar_without_a_version_in_its_name(tmp_path: Path, winsw_env: WinswEnv,
                                             catalog: list[WinswBuild]) -> None:
    folder = tmp_path / "ip"
    xml = digdir_xml("staging", "X").replace(b"integrasjonspunkt-X.jar", b"integrasjonspunkt.jar")
    hand_made(winsw_env, folder, xml=xml, register=True)
    candidate = only(adoption.discover(folder, catalog))
    assert candidate.version is None and not candidate.adoptable
    with pytest.raises(SetupError) as refused:
        takeover.choose(adoption.discover(folder, catalog), settings_for(folder), UI(), ExitCode.NOT_INSTALLED)
    assert refused.value.code == ExitCode.NOT_INSTALLED and "/manage/info" in refused.value.message


# --- running processes: the version from /manage/info, and a jar started by hand ------------------------------


@pytest.fixture
def running_jar(tmp_path: Path, standin_jar: Callable[..., Path]) -> JarCopier:
    if jdks.java17() is None:
        pytest.skip("the 2.x stand-ins need a Java runtime")
    properties = write_properties(tmp_path / "admin", free_port())

    def make(folder: Path, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(properties, folder / "integrasjonspunkt-local.properties")
        shutil.copyfile(standin_jar("2.28.1"), folder / name)
        return folder / name

    return make


def wait_for(predicate: Callable[[], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_version_from_manage_info_when_the_jar_name_has_none(tmp_path: Path, winsw_env: WinswEnv,
                                                             catalog: list[WinswBuild], running_jar: JarCopier) -> None:
    folder = tmp_path / "ip"
    running_jar(folder, "integrasjonspunkt.jar")
    xml = digdir_xml("staging", "X").replace(b"integrasjonspunkt-X.jar", b"integrasjonspunkt.jar")
    exe = hand_made(winsw_env, folder, xml=xml, start=True)
    try:
        found: list[adoption.Candidate] = []

        def answered() -> bool:
            found[:] = [only(adoption.discover(folder, catalog))]
            return found[0].version is not None

        wait_for(answered)
        assert (found[0].version, found[0].version_source) == ("2.28.1", "info")
        assert found[0].service is ServiceState.STARTED
    finally:
        run_exe(exe, "stop")


def test_a_jar_started_by_hand_is_reported_not_adopted(tmp_path: Path, catalog: list[WinswBuild],
                                                       running_jar: JarCopier) -> None:
    folder = tmp_path / "ip"
    jar = running_jar(folder, "integrasjonspunkt-2.28.1.jar")
    java = jdks.java17()
    # Digdir's page, Alt 2: `java -jar integrasjonspunkt-[versjon].jar` in a command window in the folder.
    proc = subprocess.Popen([str(java), "-jar", jar.name, "--app.logger.enableSSL=false"], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        found: list[Discovery] = []

        def seen() -> bool:
            found[:] = [adoption.discover(folder, catalog)]
            return bool(found[0].java_processes)

        wait_for(seen)
        assert not found[0].candidates and f"pid {proc.pid}" in found[0].java_processes[0]
        with pytest.raises(SetupError) as refused:
            takeover.choose(found[0], settings_for(folder), UI(), ExitCode.NOT_INSTALLED)
        assert "outside any service" in refused.value.message
    finally:
        proc.terminate()
        proc.wait(30)


# --- scheduled tasks (Digdir's page, Alt 3) -----------------------------------------------------------------

TITLES = ('"HostName","TaskName","Next Run Time","Status","Logon Mode","Last Run Time","Last Result","Author",'
          '"Task To Run","Start In","Comment","Scheduled Task State","Idle Time","Power Management","Run As User",'
          '"Delete Task If Not Rescheduled","Stop Task If Runs X Hours and X Mins","Schedule","Schedule Type",'
          '"Start Time","Start Date","End Date","Days","Months","Repeat: Every","Repeat: Until: Time",'
          '"Repeat: Until: Duration","Repeat: Stop If Still Running"')


def task_row(name: str, command: str, start_in: str, user: str = r"SRV01\integrasjonspunkt") -> str:
    fields = ["SRV01", name, "N/A", "Running", "Interactive/Background", "04.03.2025 07:12:01", "267009",
              r"SRV01\admin", command, start_in, "N/A", "Enabled", "Disabled", "Stop On Battery Mode", user,
              "Disabled", "72:00:00", "Scheduling data is not available in this format.", "At system start up",
              "N/A", "N/A", "N/A", "N/A", "N/A", "N/A", "N/A", "N/A", "N/A"]
    return ",".join('"' + f.replace('"', '""') + '"' for f in fields)


def test_scheduled_task_running_the_jar_is_recognised() -> None:
    text = "\r\n".join([
        TITLES,
        task_row(r"\integrasjonspunkt", "JAVA -jar integrasjonspunkt-2.28.1.jar --app.logger.enableSSL=false",
                 r"D:\Integrasjonspunkt"),
        TITLES,  # the title row comes again before each task folder
        task_row(r"\Microsoft\Windows\Defrag\ScheduledDefrag", r"%windir%\system32\defrag.exe -c -h -o",
                 "N/A", "SYSTEM"),
        task_row(r"\ip-test", r'"C:\Program Files\Java\bin\java.exe" -jar -Dspring.profiles.active=staging '
                 r'"D:\integrasjonspunkt\integrasjonspunkt-2.28.0.jar"', "N/A"),
        task_row(r"\other-folder", "java -jar integrasjonspunkt-2.28.1.jar", r"E:\ip"),
        task_row(r"\integrasjonspunkt", "JAVA -jar integrasjonspunkt-2.28.1.jar --app.logger.enableSSL=false",
                 r"D:\Integrasjonspunkt"),  # one row per trigger
    ]) + "\r\n"
    tasks = running_jar_in(text, "d:\\integrasjonspunkt\\")
    assert [task.name for task in tasks] == [r"\integrasjonspunkt", r"\ip-test"]
    assert tasks[0].run_as == r"SRV01\integrasjonspunkt" and tasks[0].start_in == r"D:\Integrasjonspunkt"
    assert running_jar_in("", r"D:\integrasjonspunkt") == []


def test_a_scheduled_task_is_reported_not_adopted(tmp_path: Path, winsw_env: WinswEnv,
                                                  catalog: list[WinswBuild]) -> None:
    task = ScheduledTask(r"\integrasjonspunkt", "JAVA -jar integrasjonspunkt-2.28.1.jar", str(tmp_path),
                                  r"SRV01\integrasjonspunkt")
    found = Discovery(tmp_path, tasks=[task])
    with pytest.raises(SetupError) as refused:
        takeover.choose(found, settings_for(tmp_path), UI(), ExitCode.NOT_INSTALLED)
    assert refused.value.code == ExitCode.NOT_INSTALLED and r"\integrasjonspunkt" in refused.value.message
    assert "scheduled task" in refused.value.message
    # Beside a service it is reported, and the service is adopted.
    folder = tmp_path / "ip"
    hand_made(winsw_env, folder, kind="prod", version="2.28.1", register=True)
    found = adoption.discover(folder, catalog)
    found.tasks = [task]
    chosen = takeover.choose(found, settings_for(folder), UI(), ExitCode.NOT_INSTALLED)
    assert chosen is not None and chosen.service_id == "integrasjonspunkt"
