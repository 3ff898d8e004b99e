"""Windows' own tools by their System32 path, and no program taken from the current folder (FACTS.md W8):
a planted `sc.exe` or `java.exe` beside setup or in the folder it is run from must never run."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from installer import adoption, winsw
from installer import java as java_mod
from installer.system_tools import system32, system_root
from installer.windows import services
from tests.harness import fake_winreg

PLANTED = f"#!{sys.executable}\nimport sys\nprint('SERVICE_START_NAME : .\\\\planted')\nsys.exit(0)\n"


def plant(folder: Path, name: str, text: str = PLANTED) -> Path:
    path = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_system32_follows_systemroot_else_c_windows() -> None:
    assert system32("sc.exe", {"SystemRoot": r"D:\WINNT"}) == r"D:\WINNT\System32\sc.exe"
    assert system32("reg.exe", {"SYSTEMROOT": "E:\\Windows\\"}) == r"E:\Windows\System32\reg.exe"
    assert system32("schtasks.exe", {}) == r"C:\Windows\System32\schtasks.exe"
    assert system_root({"SystemRoot": "  "}) == r"C:\Windows"
    assert system32("icacls.exe", {"SystemRoot": "/srv/win"}) == "/srv/win/System32/icacls.exe"


def test_java_is_never_taken_from_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "here"
    plant(here, "java", "#!/bin/sh\necho planted\n")
    monkeypatch.chdir(here)
    found = java_mod.candidates(None, {"PATH": f".{os.pathsep}{os.pathsep}bin"})
    assert [origin for _, origin in found if origin == "PATH"] == []


def test_the_service_registration_is_read_from_the_registry_not_from_sc_text(
        fake_winreg_module: fake_winreg.Registry, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """W12: sc.exe's labels may be translated; the registry's ObjectName, ImagePath and Start are not. sc.exe is
    not even there: a run of it would fail the test."""
    monkeypatch.setenv("SystemRoot", str(tmp_path / "no-windows"))
    key = r"HKLM\SYSTEM\CurrentControlSet\Services\Integrasjonspunkt"
    fake_winreg_module.set_value(key, "ObjectName", r".\integrasjonspunkt")
    fake_winreg_module.set_value(key, "ImagePath", r'"%SystemDrive%\ip\integrasjonspunkt-service.exe"',
                                 fake_winreg.REG_EXPAND_SZ)
    fake_winreg_module.set_value(key, "Start", 3)
    monkeypatch.setenv("SystemDrive", "D:")
    assert winsw.service_account("integrasjonspunkt") == r".\integrasjonspunkt"
    found = services.service_key("integrasjonspunkt")
    assert found == services.ServiceKey(r".\integrasjonspunkt", r'"D:\ip\integrasjonspunkt-service.exe"', 3, False)
    assert adoption.registration("integrasjonspunkt") == services.Registered(
        True, r".\integrasjonspunkt", r"D:\ip\integrasjonspunkt-service.exe")
    assert winsw.service_account("other") is None
    assert adoption.registration("other") == services.Registered(exists=False)
    fake_winreg_module.set_value(key, "DeleteFlag", 1)
    assert services.service_key("integrasjonspunkt").marked_for_deletion  # type: ignore[union-attr]


def test_the_path_search_for_java_skips_the_current_folder_even_as_windows_searches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """shutil.which before 3.12 puts the current directory first on Windows even when given a path."""
    here, listed = tmp_path / "here", tmp_path / "listed"
    plant(here, "java.EXE", "#!/bin/sh\necho planted\n")
    listed.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("PATHEXT", ".EXE")
    assert java_mod._search_path(str(listed)) is None
    plant(listed, "java", "#!/bin/sh\necho listed\n")
    assert java_mod._search_path(f"{listed}") == listed / "java"


class _Advapi32:
    """Records the service-manager calls and answers them as Windows would for a service in `state`."""

    def __init__(self, state: int | None) -> None:
        self.state = state
        self.calls: list[tuple[object, ...]] = []

    def OpenSCManagerW(self, machine: object, database: object, access: int) -> int:
        self.calls.append(("OpenSCManagerW", machine, database, access))
        return 11

    def OpenServiceW(self, manager: int, name: str, access: int) -> int:
        self.calls.append(("OpenServiceW", manager, name, access))
        return 0 if self.state is None else 22

    def QueryServiceStatusEx(self, service: int, level: int, buffer: object, size: int,
                             needed: object) -> int:
        self.calls.append(("QueryServiceStatusEx", service, level, size))
        buffer._obj.dwCurrentState = self.state  # type: ignore[attr-defined]  # the structure behind byref
        return 1

    def CloseServiceHandle(self, handle: int) -> int:
        self.calls.append(("CloseServiceHandle", handle))
        return 1


def test_the_service_state_comes_from_query_service_status_ex() -> None:
    fake = _Advapi32(3)
    assert services.service_state("integrasjonspunkt", fake, lambda: 0) == 3  # STOP_PENDING, which WinSW calls Started
    assert fake.calls == [("OpenSCManagerW", None, None, services.SC_MANAGER_CONNECT),
                          ("OpenServiceW", 11, "integrasjonspunkt", services.SERVICE_QUERY_STATUS),
                          ("QueryServiceStatusEx", 22, services.SC_STATUS_PROCESS_INFO, 36),
                          ("CloseServiceHandle", 22), ("CloseServiceHandle", 11)]
    missing = _Advapi32(None)
    assert services.service_state("integrasjonspunkt", missing, lambda: 1060) == services.STATE_NON_EXISTENT
    assert missing.calls[-1] == ("CloseServiceHandle", 11)
    assert services.service_state("integrasjonspunkt") is None  # off Windows: the caller asks sc.exe
