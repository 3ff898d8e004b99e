"""The trust boundary of the install folder (CLI.md "Trust"): a folder another account owns or can write to is
read from and run from by nobody. The tests run as root and make such folders for real (another uid, group- or
other-writable modes); Windows' verdict is judged from the security descriptor Windows returns (SDDL) and its
take-over from the exact icacls command lines."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from installer import folder_trust, state
from installer.errors import ExitCode, same_exit_code
from installer.layout import Layout
from installer.operations.session import changing
from installer.settings import Settings
from installer.ui import UI
from installer.windows import acls
from tests.cli_support import listing, setup
from tests.trust_support import planted_java

pytestmark = pytest.mark.skipif(os.name == "nt" or os.geteuid() != 0,
                                reason="POSIX owners: the tests make folders of another uid as root")

OTHER_UID = 4242


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    """A folder another local user made before the admin (W9): owned by that user."""
    folder = tmp_path / "ip"
    folder.mkdir(mode=0o755)
    os.chown(folder, OTHER_UID, OTHER_UID)
    return folder


# --- the POSIX verdict -----------------------------------------------------------------------------


def test_a_folder_of_root_without_group_or_other_write_is_trusted(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    (folder / ".setup").mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    (folder / "setup.toml").write_text("keep-jars = 2\n")
    assert folder_trust.check(folder).trusted
    assert folder_trust.check(tmp_path / "not-yet").trusted  # setup creates it, locked down


def test_a_folder_owned_by_another_uid_is_not_trusted(foreign: Path) -> None:
    verdict = folder_trust.check(foreign)
    assert not verdict.trusted
    assert verdict.path == foreign
    assert f"uid {OTHER_UID}" in verdict.reason


@pytest.mark.parametrize("mode", [0o775, 0o757, 0o777])
def test_a_group_or_other_writable_folder_is_not_trusted(tmp_path: Path, mode: int) -> None:
    folder = tmp_path / "ip"
    folder.mkdir()
    folder.chmod(mode)
    verdict = folder_trust.check(folder)
    assert not verdict.trusted
    assert f"mode {mode:o}" in verdict.reason


@pytest.mark.parametrize("inside", [".setup", "setup.toml", ".setup/state.json", ".setup/journal.json"])
def test_what_setup_reads_inside_is_judged_too(tmp_path: Path, inside: str) -> None:
    folder = tmp_path / "ip"
    (folder / ".setup").mkdir(parents=True)
    folder.chmod(0o755)
    (folder / ".setup").chmod(0o755)
    path = folder / inside
    if not path.exists():
        path.write_text("{}")
    os.chown(path, OTHER_UID, OTHER_UID)
    verdict = folder_trust.check(folder)
    assert (verdict.trusted, verdict.path) == (False, path)


def test_a_link_in_place_of_setup_folder_is_not_trusted(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / ".setup").symlink_to(elsewhere)
    verdict = folder_trust.check(folder)
    assert (verdict.trusted, verdict.path) == (False, folder / ".setup")


# --- the Windows verdict and take-over ----------------------------------------------------------------

LOCKED = "O:BAG:SYD:PAI(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)"
# A folder an ordinary user made under C:\ (W9): the user owns it, Authenticated Users inherit Modify.
USER_MADE = ("O:S-1-5-21-1004336348-1177238915-682003330-1001G:S-1-5-21-1004336348-1177238915-682003330-513"
             "D:AI(A;OICIID;FA;;;BA)(A;OICIID;FA;;;SY)(A;OICIIOID;GXGR;;;BU)(A;OICIIOID;SDGXGWGR;;;AU)"
             "(A;ID;0x1301bf;;;AU)(A;ID;0x1200a9;;;BU)")


def test_sddl_of_a_locked_folder_is_trusted() -> None:
    assert folder_trust.sddl_problem(LOCKED) == ""
    # Read and execute for Users, CREATOR OWNER's inherit-only entry, a deny entry: no one else can write.
    assert folder_trust.sddl_problem(LOCKED + "(A;OICI;0x1200a9;;;BU)(A;OICIIO;GA;;;CO)(D;OICI;FA;;;AU)") == ""


def test_sddl_of_a_user_made_folder_names_the_owner() -> None:
    assert "S-1-5-21-1004336348-1177238915-682003330-1001" in folder_trust.sddl_problem(USER_MADE)


@pytest.mark.parametrize("ace", ["(A;ID;0x1301bf;;;AU)", "(A;OICI;FW;;;BU)", "(A;;WD;;;WD)", "(A;OICIIO;GW;;;AU)",
                                 "(A;;0x2;;;S-1-5-21-1-2-3-1001)"])
def test_sddl_where_another_account_can_write(ace: str) -> None:
    sid = ace.rsplit(";", 1)[1].rstrip(")")
    assert sid in folder_trust.sddl_problem(LOCKED + ace)


def test_sddl_without_a_dacl_lets_everyone_write() -> None:
    assert "Everyone" in folder_trust.sddl_problem("O:BAG:SYD:NO_ACCESS_CONTROL")


def test_secure_folder_command_lines_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SystemRoot", raising=False)
    icacls = r"C:\Windows\System32\icacls.exe"
    folder = PureWindowsPath(r"C:\integrasjonspunkt")
    assert acls.takeover_commands(folder, r".\svc-ip") == [  # type: ignore[arg-type]
        [icacls, r"C:\integrasjonspunkt", "/setowner", "*S-1-5-32-544", "/T", "/C", "/L", "/Q"],
        [icacls, r"C:\integrasjonspunkt", "/reset", "/T", "/C", "/L", "/Q"],
        [icacls, r"C:\integrasjonspunkt", "/inheritance:r", "/grant:r", "*S-1-5-32-544:(OI)(CI)F",
         "/grant:r", "*S-1-5-18:(OI)(CI)F", "/q"],
        [icacls, r"C:\integrasjonspunkt\integrasjonspunkt-logs", "/grant:r", r".\svc-ip:(OI)(CI)M"],
        [icacls, r"C:\integrasjonspunkt\activemq-data", "/grant:r", r".\svc-ip:(OI)(CI)M"],
        [icacls, r"C:\integrasjonspunkt\messages", "/grant:r", r".\svc-ip:(OI)(CI)M"],
    ]
    assert len(acls.takeover_commands(folder, "LocalSystem")) == 3  # type: ignore[arg-type]


# --- the verbs --------------------------------------------------------------------------------------


def test_check_does_not_run_a_java_planted_in_a_foreign_folder(foreign: Path, tmp_path: Path,
                                                               published: list[str]) -> None:
    mark = planted_java(tmp_path, foreign)
    os.chown(foreign / "setup.toml", OTHER_UID, OTHER_UID)
    state.save(Layout(foreign).state_file, state.State(version="2.28.1", env="production",
                                                       service_id="integrasjonspunkt", java=str(foreign / "java"),
                                                       winsw="2.12.0/WinSW-x64.exe"))
    done = setup("/check", "2.28.1", "/dir", foreign, "/json", *published)
    assert not mark.exists(), "the planted java ran"
    assert done.returncode == ExitCode.PREREQUISITES, done.stderr
    document = json.loads(done.stdout)
    assert document["folder_trusted"] is False
    (finding,) = [f for f in document["findings"] if f["check"] == "folder"]
    assert finding["verdict"] == "fail"
    assert f'setup /install /dir "{foreign}" /secure-folder' in finding["message"]


def test_check_of_a_group_writable_folder_ignores_its_setup_toml(tmp_path: Path, published: list[str]) -> None:
    folder = tmp_path / "ip"
    folder.mkdir()
    mark = planted_java(tmp_path, folder)
    folder.chmod(0o777)
    done = setup("/check", "2.28.1", "/dir", folder, "/json", *published)
    assert not mark.exists(), "the planted java ran"
    assert json.loads(done.stdout)["folder_trusted"] is False


def test_a_changing_verb_on_a_foreign_folder_changes_nothing(foreign: Path, tmp_path: Path) -> None:
    properties = tmp_path / "integrasjonspunkt-local.properties"
    properties.write_text("difi.move.org.number=991825827\n")
    before = listing(foreign)
    for verb in (["/install", "2.28.1", "/properties", properties], ["/upgrade", "2.x"], ["/uninstall"],
                 ["/recover"], ["/rollback"], ["/repair"], ["/adopt"]):
        done = setup(*verb, "/dir", foreign, "/quiet")
        assert done.returncode == ExitCode.PREREQUISITES, (verb, done.stderr)
        assert '/secure-folder' in done.stderr
        assert listing(foreign) == before, "no lock, no log, nothing written"
    assert foreign.stat().st_uid == OTHER_UID


def test_status_of_a_foreign_folder_runs_nothing_and_says_so(foreign: Path, tmp_path: Path) -> None:
    mark = tmp_path / "winsw-ran"
    layout = Layout(foreign)
    state.save(layout.state_file, state.State(version="2.28.1", env="production", service_id="integrasjonspunkt",
                                              java="/usr/bin/java", winsw="2.12.0/WinSW-x64.exe"))
    layout.exe.write_text(f"#!/bin/sh\ntouch {mark}\necho Started\n")
    layout.exe.chmod(0o755)
    done = setup("/status", "/dir", foreign, "/json")
    assert same_exit_code(done.returncode, ExitCode.ATTENTION), done.stderr
    document = json.loads(done.stdout)
    assert document["folder_trusted"] is False
    assert document["installed"] is None and document["version"] is None
    assert not mark.exists(), "the folder's WinSW exe ran"


def test_secure_folder_takes_the_folder_over_then_the_verb_goes_on(foreign: Path) -> None:
    (foreign / ".setup").mkdir()
    (foreign / ".setup" / "cache").mkdir()
    for path in (foreign, foreign / ".setup", foreign / ".setup" / "cache"):
        os.chown(path, OTHER_UID, OTHER_UID)
        path.chmod(0o777)
    done = setup("/uninstall", "/dir", foreign, "/secure-folder", "/quiet")
    assert same_exit_code(done.returncode, ExitCode.NOT_INSTALLED), done.stderr
    for path in (foreign, foreign / ".setup", foreign / ".setup" / "cache"):
        info = path.stat()
        assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o755), path
    assert folder_trust.check(foreign).trusted


def test_secure_folder_only_with_a_changing_verb(foreign: Path) -> None:
    done = setup("/status", "/dir", foreign, "/secure-folder")
    assert same_exit_code(done.returncode, ExitCode.BAD_COMMAND_LINE)
    assert foreign.stat().st_uid == OTHER_UID


def test_a_new_folder_is_locked_down_before_the_lock_file_exists(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "ip"
    old = os.umask(0)  # a careless umask would make mkdir's folder world-writable
    try:
        with changing(Settings(verb="install", dir=folder), UI(quiet=True), "install", create=True) as session:
            assert session.new_folder
            assert stat.S_IMODE(folder.stat().st_mode) == 0o755
            assert Layout(folder).lock_file.exists()
            assert folder_trust.check(folder).trusted
    finally:
        os.umask(old)


def test_the_wizard_on_a_foreign_folder_asks_nothing_and_reads_nothing(foreign: Path, tmp_path: Path) -> None:
    import pexpect

    state.save(Layout(foreign).state_file, state.State(version="2.28.1", env="production",
                                                       service_id="integrasjonspunkt", java="/usr/bin/java",
                                                       winsw="2.12.0/WinSW-x64.exe"))
    before = listing(foreign)
    environment = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "installer", "/lang", "en", "/dir", str(foreign)], env=environment,
                          encoding="utf-8", timeout=60, dimensions=(60, 250))
    child.expect(pexpect.EOF)
    text = child.before
    child.close()
    assert same_exit_code(child.exitstatus, ExitCode.PREREQUISITES), text
    assert "/secure-folder" in " ".join(text.split())
    assert "2.28.1" not in text, "the planted state file was read"
    assert listing(foreign) == before


class FakeWindowsDlls:
    """advapi32 and kernel32 as ctypes.windll offers them: each call recorded, the out-parameters filled as Windows
    fills them (a security descriptor pointer, then its SDDL string)."""

    def __init__(self, sddl: str, error: int = 0) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.sddl, self.error = sddl, error
        self.advapi32, self.kernel32 = self, self

    def GetNamedSecurityInfoW(self, *args: object) -> int:
        self.calls.append(("GetNamedSecurityInfoW", *args[:7]))
        args[7]._obj.value = 0x5EC  # type: ignore[attr-defined]
        return self.error

    def ConvertSecurityDescriptorToStringSecurityDescriptorW(self, *args: object) -> int:
        self.calls.append(("ConvertSecurityDescriptorToStringSecurityDescriptorW", args[0].value, *args[1:3],  # type: ignore[attr-defined]
                           args[4]))
        args[3]._obj.value = self.sddl  # type: ignore[attr-defined]
        return 1

    def LocalFree(self, handle: object) -> int:
        self.calls.append(("LocalFree", handle.value))  # type: ignore[attr-defined]
        return 0


def test_the_security_descriptor_is_read_with_the_documented_calls() -> None:
    dlls = FakeWindowsDlls(LOCKED)
    assert acls.security_descriptor(PureWindowsPath(r"C:\integrasjonspunkt"), dlls) == LOCKED  # type: ignore[arg-type]
    assert dlls.calls == [
        # SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, no SIDs or ACLs wanted back
        ("GetNamedSecurityInfoW", r"C:\integrasjonspunkt", 1, 5, None, None, None, None),
        # SDDL_REVISION_1, the same parts, no length wanted
        ("ConvertSecurityDescriptorToStringSecurityDescriptorW", 0x5EC, 1, 5, None),
        ("LocalFree", LOCKED),
        ("LocalFree", 0x5EC),
    ]
    failing = FakeWindowsDlls(LOCKED, error=5)  # ERROR_ACCESS_DENIED
    assert acls.security_descriptor(PureWindowsPath(r"C:\x"), failing) is None  # type: ignore[arg-type]


RUNNER = "S-1-5-21-1004336348-1177238915-682003330-500"


def test_the_account_setup_runs_as_may_own_and_write_the_folder() -> None:
    # A folder an elevated administrator made in their profile: they own it and keep Full control.
    made = f"O:{RUNNER}D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;FA;;;{RUNNER})"
    assert folder_trust.sddl_problem(made, RUNNER) == ""
    assert RUNNER in folder_trust.sddl_problem(made, None)
    assert "S-1-5-21-1-2-3-1001" in folder_trust.sddl_problem(made + "(A;;FA;;;S-1-5-21-1-2-3-1001)", RUNNER)


def test_the_running_user_comes_from_whoami_by_its_system32_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0, f'"kommune\\\\drift-admin","{RUNNER}"\r\n', "")

    monkeypatch.setenv("SYSTEMROOT", r"D:\Windows")
    assert acls.current_user_sid(run) == RUNNER
    assert calls == [[str(Path(r"D:\Windows") / "System32" / "whoami.exe"), "/user", "/fo", "csv", "/nh"]]
