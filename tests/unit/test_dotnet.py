""".NET Framework and the machine read from the registry (through the fake `winreg` with the layouts of real
setups), the Windows-only helpers, and the fake `winreg` itself behaving like the real module."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from installer import dotnet, fsutil
from installer.dotnet import DotNet
from installer.windows import registry as windows_registry
from installer.windows import sysinfo
from tests.harness import fake_winreg
from tests.harness.fixtures_winreg import SetupFactory

NDP = r"HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP"


@pytest.mark.parametrize(
    ("release", "version"),
    [
        (378389, "4.5"), (378675, "4.5.1"), (379893, "4.5.2"), (393295, "4.6"), (393297, "4.6"),
        (394254, "4.6.1"), (394271, "4.6.1"), (394802, "4.6.2"), (460798, "4.7"), (461308, "4.7.1"),
        (461808, "4.7.2"), (528040, "4.8"), (528449, "4.8"), (533320, "4.8.1"), (533325, "4.8.1"),
        (1, "4.0"),
    ],
)
def test_release_numbers_map_to_versions(release: int, version: str) -> None:
    assert dotnet.version_for_release(release) == version


def test_server_2016_has_462_which_runs_the_net461_build(windows_setup: SetupFactory) -> None:
    windows_setup("server2016-net462-oracle-jre8")
    found = dotnet.read()
    assert found == DotNet(release=394802, v4=True, v35=False)
    assert found.version == "4.6.2"
    assert found.describe() == ".NET Framework 4.6.2 (release 394802)"
    assert [need for need in dotnet.NEEDS if found.satisfies(need)] == ["none", "net4", "net461"]


def test_server_2012r2_with_452_only(windows_setup: SetupFactory) -> None:
    windows_setup("server2012r2-net452")
    found = dotnet.read()
    assert found.version == "4.5.2"
    assert found.describe() == ".NET Framework 4.5.2 (release 379893)"
    assert not found.satisfies("net461")
    assert found.satisfies("net4")
    assert not found.satisfies("net2")


def test_net48_on_server_2022(windows_setup: SetupFactory) -> None:
    windows_setup("microsoft-jdk21")
    assert dotnet.read().describe() == ".NET Framework 4.8 (release 528449)"


def test_net40_without_release_and_net35(fake_winreg_module: fake_winreg.Registry) -> None:
    fake_winreg_module.set_value(NDP + r"\v4\Full", "Install", 1)
    fake_winreg_module.set_value(NDP + r"\v3.5", "Install", 1)
    found = dotnet.read()
    assert found == DotNet(release=None, v4=True, v35=True)
    assert found.describe() == ".NET Framework 4.0, .NET Framework 3.5"
    assert [need for need in dotnet.NEEDS if found.satisfies(need)] == ["none", "net2", "net4"]


def test_no_dotnet_at_all(fake_winreg_module: fake_winreg.Registry) -> None:
    found = dotnet.read()
    assert found == DotNet(release=None, v4=False, v35=False)
    assert found.version is None
    assert found.describe() == "no .NET Framework"
    assert [need for need in dotnet.NEEDS if found.satisfies(need)] == ["none"]


def test_need_labels() -> None:
    assert dotnet.need_label("net461") == ".NET Framework 4.6.1 or newer"
    assert dotnet.need_label("net4") == ".NET Framework 4.0 or newer"
    assert dotnet.need_label("net2") == ".NET Framework 3.5 or newer"
    with pytest.raises(ValueError):
        DotNet(None, False, False).satisfies("net5")


# --- the registry and the machine -------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX behaviour")
def test_without_a_registry_nothing_is_read() -> None:
    assert "winreg" not in sys.modules
    assert not windows_registry.registry_available()
    assert windows_registry.read_value(r"SOFTWARE\Microsoft", "x") is None
    assert windows_registry.subkeys(r"SOFTWARE") == []
    assert sysinfo.windows_version() is None
    assert sysinfo.is_admin() is None
    assert dotnet.read() == DotNet(release=None, v4=False, v35=False)


@pytest.mark.parametrize(
    ("name", "version", "product"),
    [
        ("server2016-net462-oracle-jre8", "10.0.14393", "Windows Server 2016 Standard"),
        ("server2012r2-net452", "6.3.9600", "Windows Server 2012 R2 Standard"),
        ("microsoft-jdk21", "10.0.20348", "Windows Server 2022 Datacenter"),
    ],
)
def test_windows_version_from_the_registry(windows_setup: SetupFactory, name: str, version: str,
                                           product: str) -> None:
    windows_setup(name)
    assert sysinfo.windows_version() == sysinfo.WindowsVersion(version, product)
    assert sysinfo.machine_arch() == "x64"


@pytest.mark.parametrize(("raw", "arch"), [("AMD64", "x64"), ("x86", "x86"), ("ARM64", "arm64")])
def test_machine_arch_from_the_registry(fake_winreg_module: fake_winreg.Registry, raw: str, arch: str) -> None:
    fake_winreg_module.set_value(r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment",
                                 "PROCESSOR_ARCHITECTURE", raw)
    assert sysinfo.machine_arch() == arch


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX behaviour")
def test_machine_arch_off_windows_is_this_machine() -> None:
    import platform

    expected = {"x86_64": "x64", "aarch64": "arm64"}.get(platform.machine(), platform.machine().lower())
    assert sysinfo.machine_arch() == expected


def test_registry_values_of_type_expand_sz_are_expanded(fake_winreg_module: fake_winreg.Registry,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ProgramFiles", r"C:\Program Files")
    fake_winreg_module.set_value(r"HKLM\SOFTWARE\Test", "Home", r"%ProgramFiles%\Java", fake_winreg.REG_EXPAND_SZ)
    fake_winreg_module.set_value(r"HKLM\SOFTWARE\Test", "Plain", r"%ProgramFiles%\Java")
    assert windows_registry.read_value(r"SOFTWARE\Test", "Home") == r"C:\Program Files\Java"
    assert windows_registry.read_value(r"SOFTWARE\Test", "Plain") == r"%ProgramFiles%\Java"
    assert windows_registry.read_value(r"SOFTWARE\Test", "Missing") is None
    assert windows_registry.read_value(r"SOFTWARE\Missing", "Home") is None


def test_32_bit_view_reads_wow6432node(fake_winreg_module: fake_winreg.Registry) -> None:
    fake_winreg_module.set_value(r"HKLM\SOFTWARE\WOW6432Node\Vendor\App", "Where", "x86")
    fake_winreg_module.set_value(r"HKLM\SOFTWARE\Vendor\App", "Where", "x64")
    assert windows_registry.read_value(r"SOFTWARE\Vendor\App", "Where", windows_registry.VIEW_64) == "x64"
    assert windows_registry.read_value(r"SOFTWARE\Vendor\App", "Where", windows_registry.VIEW_32) == "x86"
    assert windows_registry.subkeys(r"SOFTWARE\Vendor", windows_registry.VIEW_32) == ["App"]
    # On 32-bit Windows there is one view.
    registry = fake_winreg.reset(wow64=False)
    registry.set_value(r"HKLM\SOFTWARE\Vendor\App", "Where", "x86")
    assert windows_registry.read_value(r"SOFTWARE\Vendor\App", "Where", windows_registry.VIEW_32) == "x86"


@pytest.mark.parametrize(("langid", "lang"), [(0x0414, "nb"), (0x0814, "nb"), (0x0409, "en"), (0x041D, "en")])
def test_windows_ui_language(langid: int, lang: str) -> None:
    assert sysinfo.language_for_langid(langid) == lang


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX behaviour")
@pytest.mark.parametrize(
    ("env", "lang"),
    [({"LANG": "nb_NO.UTF-8"}, "nb"), ({"LANG": "C.UTF-8"}, "en"), ({"LC_ALL": "nn_NO", "LANG": "C"}, "nb"),
     ({"LC_MESSAGES": "no_NO"}, "nb"), ({}, "en"), ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "nb_NO"}, "nb")],
)
def test_posix_ui_language(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], lang: str) -> None:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    assert sysinfo.ui_language() == lang


def test_free_bytes_of_a_folder_not_made_yet(tmp_path: Path) -> None:
    target = tmp_path / "not" / "made" / "yet"
    free, measured = fsutil.free_bytes(target)
    assert measured == tmp_path
    assert free > 0
    assert not (tmp_path / "not").exists()


# --- the fake winreg behaves like the real module -----------------------------------------------------------


def test_fake_winreg_api(fake_winreg_module: fake_winreg.Registry) -> None:
    import winreg

    assert winreg is fake_winreg
    with winreg.CreateKeyEx(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce", 0,
                            winreg.KEY_WRITE | winreg.KEY_READ) as key:
        winreg.SetValueEx(key, "ipsetup-recover", 0, winreg.REG_SZ, r'"C:\ip\.setup\setup.exe" /recover')
    with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"software\microsoft\windows\currentversion\runonce") as key:
        assert winreg.QueryValueEx(key, "IPSETUP-RECOVER") == (r'"C:\ip\.setup\setup.exe" /recover', winreg.REG_SZ)
        assert winreg.EnumValue(key, 0) == ("ipsetup-recover", r'"C:\ip\.setup\setup.exe" /recover', winreg.REG_SZ)
        with pytest.raises(OSError) as end:
            winreg.EnumValue(key, 1)
        assert end.value.winerror == 259
        with pytest.raises(PermissionError) as denied:
            winreg.SetValueEx(key, "x", 0, winreg.REG_SZ, "y")
        assert denied.value.winerror == 5
        assert winreg.QueryInfoKey(key)[:2] == (0, 1)
    with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Windows\CurrentVersion") as parent:
        assert winreg.EnumKey(parent, 0) == "RunOnce"  # the case as created
        with pytest.raises(OSError):
            winreg.EnumKey(parent, 1)
    key = winreg.OpenKeyEx(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce", 0,
                           winreg.KEY_SET_VALUE | winreg.KEY_QUERY_VALUE)
    winreg.DeleteValue(key, "ipsetup-recover")
    with pytest.raises(FileNotFoundError) as missing:
        winreg.QueryValueEx(key, "ipsetup-recover")
    assert missing.value.winerror == 2
    with pytest.raises(FileNotFoundError):
        winreg.DeleteValue(key, "ipsetup-recover")
    winreg.CloseKey(key)
    with pytest.raises(OSError):
        winreg.QueryValueEx(key, "anything")  # a closed handle
    with pytest.raises(FileNotFoundError):
        winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Nobody")
    with pytest.raises(PermissionError):
        winreg.DeleteKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Windows")  # it has subkeys
    winreg.DeleteKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce")
    with pytest.raises(FileNotFoundError):
        winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce")
    with (
        winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE") as software,
        winreg.OpenKey(software, r"Microsoft\Windows") as nested,
    ):
        assert winreg.EnumKey(nested, 0) == "CurrentVersion"
