"""The ACL of a new install folder: the exact icacls command lines, checked against icacls' documented syntax
(`icacls <name> /inheritance:r /grant[:r] <Sid>:<perm> ...`, `*` before a SID, `(OI)(CI)` inheritance)."""

from __future__ import annotations

import re
import sys
from pathlib import Path, PureWindowsPath

import pytest

from installer.windows.acls import account_grants, account_removal, apply, icacls_commands
from tests.harness.fixtures_winsw import WinswEnv

GRANT = re.compile(r"^(\*S-1-5-[0-9-]+|[^:*]+):\(OI\)\(CI\)(F|M)$")


def test_administrators_and_system_only_for_a_localsystem_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SystemRoot", raising=False)
    monkeypatch.delenv("SYSTEMROOT", raising=False)
    folder = PureWindowsPath(r"C:\integrasjonspunkt")
    assert icacls_commands(folder) == [[
        r"C:\Windows\System32\icacls.exe", r"C:\integrasjonspunkt", "/inheritance:r",
        "/grant:r", "*S-1-5-32-544:(OI)(CI)F",
        "/grant:r", "*S-1-5-18:(OI)(CI)F",
        "/q",
    ]]
    assert icacls_commands(folder, "LocalSystem") == icacls_commands(folder)
    assert icacls_commands(folder, r"NT AUTHORITY\SYSTEM") == icacls_commands(folder)


@pytest.mark.parametrize("account", [r".\integrasjonspunkt", r"KOMMUNE\svc-ip", r"NT AUTHORITY\LocalService"])
def test_the_service_account_gets_modify(account: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SystemRoot", r"E:\WINDOWS")
    (command,) = icacls_commands(PureWindowsPath(r"D:\Program Data\ip æøå"), account)
    assert command[:3] == [r"E:\WINDOWS\System32\icacls.exe", r"D:\Program Data\ip æøå", "/inheritance:r"]
    assert command[-1] == "/q"
    grants = command[3:-1]
    assert grants[0::2] == ["/grant:r"] * 3
    assert all(GRANT.match(g) for g in grants[1::2])
    assert grants[-1] == f"{account}:(OI)(CI)M"


def test_a_created_user_reads_the_folder_and_changes_only_its_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """By SID; read and execute on the folder (write there would make setup distrust it), Modify on the logs,
    the data folders and the database file; icacls' /grant:r replaces that SID's entry, so a rerun adds none."""
    monkeypatch.setenv("SystemRoot", r"C:\Windows")
    root = PureWindowsPath(r"C:\integrasjonspunkt")
    sid = "S-1-5-21-1-2-3-1001"
    icacls = r"C:\Windows\System32\icacls.exe"
    assert account_grants(root, sid, [root / "integrasjonspunkt-logs", root / "activemq-data"],
                          [root / "integrasjonspunkt.mv.db"]) == [
        [icacls, r"C:\integrasjonspunkt", "/grant:r", "*S-1-5-21-1-2-3-1001:(OI)(CI)RX", "/q"],
        [icacls, r"C:\integrasjonspunkt\integrasjonspunkt-logs", "/grant:r", "*S-1-5-21-1-2-3-1001:(OI)(CI)M", "/q"],
        [icacls, r"C:\integrasjonspunkt\activemq-data", "/grant:r", "*S-1-5-21-1-2-3-1001:(OI)(CI)M", "/q"],
        [icacls, r"C:\integrasjonspunkt\integrasjonspunkt.mv.db", "/grant:r", "*S-1-5-21-1-2-3-1001:M", "/q"],
    ]
    assert account_removal(root, sid) == [
        [icacls, r"C:\integrasjonspunkt", "/remove:g", "*S-1-5-21-1-2-3-1001", "/t", "/c", "/q"]]


def _fake_icacls(winsw_env: WinswEnv, stdout: bytes, stderr: bytes, code: int) -> None:
    winsw_env.add_tool("icacls.exe", (
        f"#!{sys.executable}\nimport sys\n"
        f"sys.stdout.buffer.write({stdout!r}); sys.stderr.buffer.write({stderr!r})\n"
        f"open({str(winsw_env.system_root / 'icacls.args')!r}, 'w', encoding='utf-8').write(repr(sys.argv[1:]))\n"
        f"sys.exit({code})\n").encode())


def test_icacls_runs_from_system32_and_its_oem_output_is_read(winsw_env: WinswEnv, tmp_path: Path) -> None:
    """icacls writes the OEM code page (cp850 here): a strict decode of æøå must not turn a done ACL into a
    crash, and its failure text comes through readable."""
    folder = tmp_path / "ip æøå"
    _fake_icacls(winsw_env, "Behandlet fil: D:\\ip æøå\r\n".encode("cp850"), b"", 0)
    apply(icacls_commands(folder))
    assert (winsw_env.system_root / "icacls.args").read_text(encoding="utf-8") == repr(icacls_commands(folder)[0][1:])
    _fake_icacls(winsw_env, b"", "D:\\ip æøå: Tilgang nektet.\r\n".encode("cp850"), 5)
    with pytest.raises(OSError, match=r"icacls exited 5: D:.ip æøå: Tilgang nektet\."):
        apply(icacls_commands(folder))
