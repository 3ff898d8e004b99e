"""Fixtures of the Windows part of the test harness: a fake `winreg` in `sys.modules`, filled with the registry
layouts of real setups, and small fake `java` executables that print each `java -version` format.

The registry layouts follow what the installers write (Windows NT CurrentVersion, .NET Framework's NDP keys,
Oracle's JavaSoft keys, Temurin's and Microsoft's `<version>\\hotspot\\MSI` keys, Azul's `zulu-<n>`); only the
Java homes are temporary POSIX folders, so that the fake executables there really run.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.harness import fake_winreg

# `java -version` as each build prints it (to stderr).
JAVA_OUTPUTS: dict[str, str] = {
    "oracle-8u202-x64": 'java version "1.8.0_202"\n'
    "Java(TM) SE Runtime Environment (build 1.8.0_202-b08)\n"
    "Java HotSpot(TM) 64-Bit Server VM (build 25.202-b08, mixed mode)\n",
    "oracle-8u401-x86": 'java version "1.8.0_401"\n'
    "Java(TM) SE Runtime Environment (build 1.8.0_401-b10)\n"
    "Java HotSpot(TM) Client VM (build 25.401-b10, mixed mode, sharing)\n",
    "temurin-8u392": 'openjdk version "1.8.0_392"\n'
    "OpenJDK Runtime Environment (Temurin)(build 1.8.0_392-b08)\n"
    "OpenJDK 64-Bit Server VM (Temurin)(build 25.392-b08, mixed mode)\n",
    "temurin-21.0.5": 'openjdk version "21.0.5" 2024-10-15 LTS\n'
    "OpenJDK Runtime Environment Temurin-21.0.5+11 (build 21.0.5+11-LTS)\n"
    "OpenJDK 64-Bit Server VM Temurin-21.0.5+11 (build 21.0.5+11-LTS, mixed mode, sharing)\n",
    "microsoft-21.0.5": 'openjdk version "21.0.5" 2024-10-15 LTS\n'
    "OpenJDK Runtime Environment Microsoft-10377968 (build 21.0.5+11-LTS)\n"
    "OpenJDK 64-Bit Server VM Microsoft-10377968 (build 21.0.5+11-LTS, mixed mode, sharing)\n",
    "zulu-17.0.13": 'openjdk version "17.0.13" 2024-10-15 LTS\n'
    "OpenJDK Runtime Environment Zulu17.54+21-CA (build 17.0.13+11-LTS)\n"
    "OpenJDK 64-Bit Server VM Zulu17.54+21-CA (build 17.0.13+11-LTS, mixed mode, sharing)\n",
    "corretto-8u432": 'openjdk version "1.8.0_432"\n'
    "OpenJDK Runtime Environment Corretto-8.432.06.1 (build 1.8.0_432-b06)\n"
    "OpenJDK 64-Bit Server VM Corretto-8.432.06.1 (build 25.432-b06, mixed mode)\n",
    "liberica-17.0.13": 'openjdk version "17.0.13" 2024-10-15 LTS\n'
    "OpenJDK Runtime Environment (build 17.0.13+12-LTS)\n"
    "OpenJDK 64-Bit Server VM (build 17.0.13+12-LTS, mixed mode, sharing)\n",
    "openjdk-21-ga": 'openjdk version "21" 2023-09-19\n'
    "OpenJDK Runtime Environment (build 21+35-2513)\n"
    "OpenJDK 64-Bit Server VM (build 21+35-2513, mixed mode, sharing)\n",
    "openjdk-25-ea": 'openjdk version "25-ea" 2025-09-16\n'
    "OpenJDK Runtime Environment (build 25-ea+22-2668)\n"
    "OpenJDK 64-Bit Server VM (build 25-ea+22-2668, mixed mode, sharing)\n",
    "temurin-17.0.8.1-tool-options": "Picked up JAVA_TOOL_OPTIONS: -Dfile.encoding=UTF-8\n"
    'openjdk version "17.0.8.1" 2023-08-24\n'
    "OpenJDK Runtime Environment Temurin-17.0.8.1+1 (build 17.0.8.1+1)\n"
    "OpenJDK 64-Bit Server VM Temurin-17.0.8.1+1 (build 17.0.8.1+1, mixed mode, sharing)\n",
    "semeru-openj9-8-x86": 'openjdk version "1.8.0_382"\n'
    "IBM Semeru Runtime Open Edition (build 1.8.0_382-b05)\n"
    "Eclipse OpenJ9 VM (build openj9-0.40.0, JRE 1.8.0 Windows Server 2016 x86-32-Bit 20230722_710 (JIT enabled, "
    "AOT enabled)\n",
}


def write_java(home: Path, output: str, *, jdk: bool = False, exit_code: int = 0, hang: bool = False) -> Path:
    """A fake `<home>/bin/java` that prints `output` to stderr like `java -version` (a JDK also gets `javac`)."""
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    java = bin_dir / "java"
    # Shell built-ins and absolute paths only: the tests may leave PATH without a usable folder.
    sleep = shutil.which("sleep", path=os.defpath)
    body = f"exec {sleep} 600\n" if hang else f"printf '%s' {shlex.quote(output)} >&2\nexit {exit_code}\n"
    java.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    java.chmod(0o755)
    if jdk:
        javac = bin_dir / "javac"
        javac.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        javac.chmod(0o755)
    return java


@dataclass
class WindowsSetup:
    """A filled fake registry and the Java homes it names (by the JAVA_OUTPUTS key of their java)."""

    registry: fake_winreg.Registry
    homes: dict[str, Path] = field(default_factory=dict)
    java_home_env: str | None = None  # JAVA_HOME as the admin left it

    def java(self, name: str) -> Path:
        return self.homes[name] / "bin" / "java"


HKLM = "HKLM"
_NT = HKLM + r"\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
_NDP = HKLM + r"\SOFTWARE\Microsoft\NET Framework Setup\NDP"
_ENV = HKLM + r"\SYSTEM\CurrentControlSet\Control\Session Manager\Environment"


def _windows(reg: fake_winreg.Registry, name: str, build: str, major: int | None, release_id: str | None,
             arch: str = "AMD64") -> None:
    reg.set_value(_NT, "ProductName", name)
    reg.set_value(_NT, "CurrentVersion", "6.3")  # Windows 10/Server 2016 and later keep "6.3" here
    reg.set_value(_NT, "CurrentBuildNumber", build)
    reg.set_value(_NT, "CurrentBuild", build)
    reg.set_value(_NT, "InstallationType", "Server")
    if major is not None:
        reg.set_value(_NT, "CurrentMajorVersionNumber", major)
        reg.set_value(_NT, "CurrentMinorVersionNumber", 0)
    if release_id:
        reg.set_value(_NT, "ReleaseId", release_id)
    reg.set_value(_ENV, "PROCESSOR_ARCHITECTURE", arch)
    reg.set_value(_ENV, "OS", "Windows_NT")


def _dotnet4(reg: fake_winreg.Registry, release: int, version: str) -> None:
    for profile in ("Full", "Client"):
        key = rf"{_NDP}\v4\{profile}"
        reg.set_value(key, "Install", 1)
        reg.set_value(key, "Release", release)
        reg.set_value(key, "Version", version)
        reg.set_value(key, "TargetVersion", "4.0.0")
    reg.set_value(rf"{_NDP}\v4.0", "", "deprecated")


def _oracle_jre8(reg: fake_winreg.Registry, home: Path, update: int, wow6432: bool = False) -> None:
    base = HKLM + (r"\SOFTWARE\WOW6432Node" if wow6432 else r"\SOFTWARE") + r"\JavaSoft\Java Runtime Environment"
    reg.set_value(base, "CurrentVersion", "1.8")
    reg.set_value(base, "BrowserJavaVersion", f"11.{update}.2")
    for version in ("1.8", f"1.8.0_{update}"):
        reg.set_value(rf"{base}\{version}", "JavaHome", str(home))
        reg.set_value(rf"{base}\{version}", "MicroVersion", "0")
        reg.set_value(rf"{base}\{version}", "RuntimeLib", str(home / "bin" / "server" / "jvm.dll"))
    reg.set_value(rf"{base}\1.8.0_{update}\MSI", "FullVersion", f"1.8.0_{update}-b08")
    reg.set_value(rf"{base}\1.8.0_{update}\MSI", "INSTALLDIR", str(home) + os.sep)


def _hotspot_msi(reg: fake_winreg.Registry, vendor_key: str, version: str, home: Path) -> None:
    key = rf"{HKLM}\SOFTWARE\{vendor_key}\{version}\hotspot\MSI"
    reg.set_value(key, "Path", str(home) + os.sep)
    reg.set_value(key, "Main", 1)
    reg.set_value(key, "EnvironmentPath", 1)
    reg.set_value(key, "JavaHome", 0)  # the MSI feature flag, not a folder


def server_2016_net462_oracle_jre8(reg: fake_winreg.Registry, root: Path) -> WindowsSetup:
    """Windows Server 2016 with .NET Framework 4.6.2 and Oracle's 64-bit JRE 8u202 (what Digdir's page assumes)."""
    _windows(reg, "Windows Server 2016 Standard", "14393", 10, "1607")
    _dotnet4(reg, 394802, "4.6.01590")
    home = root / "Program Files" / "Java" / "jre1.8.0_202"
    write_java(home, JAVA_OUTPUTS["oracle-8u202-x64"])
    _oracle_jre8(reg, home, 202)
    return WindowsSetup(reg, {"oracle-8u202-x64": home})


def server_2012r2_net452(reg: fake_winreg.Registry, root: Path) -> WindowsSetup:
    """Windows Server 2012 R2 with .NET Framework 4.5.2 only (no CurrentMajorVersionNumber before Windows 10)."""
    _windows(reg, "Windows Server 2012 R2 Standard", "9600", None, None)
    _dotnet4(reg, 379893, "4.5.51209")
    return WindowsSetup(reg)


def temurin_8_and_21(reg: fake_winreg.Registry, root: Path) -> WindowsSetup:
    """Windows Server 2019, .NET 4.8, Temurin 8 JDK and Temurin 21 JRE side by side (Adoptium's MSI keys)."""
    _windows(reg, "Windows Server 2019 Standard", "17763", 10, "1809")
    _dotnet4(reg, 528049, "4.8.03761")
    jdk8 = root / "Program Files" / "Eclipse Adoptium" / "jdk-8.0.392.8-hotspot"
    jre21 = root / "Program Files" / "Eclipse Adoptium" / "jre-21.0.5.11-hotspot"
    write_java(jdk8, JAVA_OUTPUTS["temurin-8u392"], jdk=True)
    write_java(jre21, JAVA_OUTPUTS["temurin-21.0.5"])
    _hotspot_msi(reg, r"Eclipse Adoptium\JDK", "8.0.392.8", jdk8)
    _hotspot_msi(reg, r"Eclipse Adoptium\JRE", "21.0.5.11", jre21)
    return WindowsSetup(reg, {"temurin-8u392": jdk8, "temurin-21.0.5": jre21})


def microsoft_jdk21(reg: fake_winreg.Registry, root: Path) -> WindowsSetup:
    """Windows Server 2022, .NET 4.8, Microsoft Build of OpenJDK 21."""
    _windows(reg, "Windows Server 2022 Datacenter", "20348", 10, "2009")
    _dotnet4(reg, 528449, "4.8.04161")
    home = root / "Program Files" / "Microsoft" / "jdk-21.0.5.11-hotspot"
    write_java(home, JAVA_OUTPUTS["microsoft-21.0.5"], jdk=True)
    _hotspot_msi(reg, r"Microsoft\JDK", "21.0.5.11", home)
    return WindowsSetup(reg, {"microsoft-21.0.5": home})


def java32_on_64(reg: fake_winreg.Registry, root: Path) -> WindowsSetup:
    """64-bit Windows Server 2016 where Oracle's 32-bit JRE 8u401 registered in WOW6432Node, beside an older
    64-bit JRE 8u202 in the 64-bit view."""
    _windows(reg, "Windows Server 2016 Standard", "14393", 10, "1607")
    _dotnet4(reg, 394802, "4.6.01590")
    x86 = root / "Program Files (x86)" / "Java" / "jre1.8.0_401"
    x64 = root / "Program Files" / "Java" / "jre1.8.0_202"
    write_java(x86, JAVA_OUTPUTS["oracle-8u401-x86"])
    write_java(x64, JAVA_OUTPUTS["oracle-8u202-x64"])
    _oracle_jre8(reg, x86, 401, wow6432=True)
    _oracle_jre8(reg, x64, 202)
    return WindowsSetup(reg, {"oracle-8u401-x86": x86, "oracle-8u202-x64": x64})


def java_home_deleted(reg: fake_winreg.Registry, root: Path) -> WindowsSetup:
    """JAVA_HOME still names a JDK folder that was deleted; Azul Zulu 17 and Amazon Corretto 8 are installed."""
    _windows(reg, "Windows Server 2019 Standard", "17763", 10, "1809")
    _dotnet4(reg, 528049, "4.8.03761")
    zulu = root / "Program Files" / "Zulu" / "zulu-17"
    corretto = root / "Program Files" / "Amazon Corretto" / "jdk1.8.0_432"
    write_java(zulu, JAVA_OUTPUTS["zulu-17.0.13"], jdk=True)
    write_java(corretto, JAVA_OUTPUTS["corretto-8u432"], jdk=True)
    reg.set_value(HKLM + r"\SOFTWARE\Azul Systems\Zulu\zulu-17", "InstallationPath", str(zulu) + os.sep)
    reg.set_value(HKLM + r"\SOFTWARE\Azul Systems\Zulu\zulu-17", "CurrentVersion", "17.54.21")
    # Corretto 8's MSI writes the JavaSoft keys (corretto/corretto-8#14, #40), none of its own.
    for key in ("1.8", "1.8.0_432"):
        reg.set_value(HKLM + rf"\SOFTWARE\JavaSoft\Java Development Kit\{key}", "JavaHome", str(corretto))
    deleted = root / "Program Files" / "Java" / "jdk-11.0.2"
    return WindowsSetup(reg, {"zulu-17.0.13": zulu, "corretto-8u432": corretto}, java_home_env=str(deleted))


def liberica_17(reg: fake_winreg.Registry, root: Path) -> WindowsSetup:
    r"""Windows Server 2022, .NET 4.8, BellSoft Liberica JDK 17 (`BellSoft\Liberica\<version>`,
    `InstallationPath`, as Java finders in public code read it; BellSoft documents no layout)."""
    _windows(reg, "Windows Server 2022 Datacenter", "20348", 10, "2009")
    _dotnet4(reg, 528449, "4.8.04161")
    home = root / "Program Files" / "BellSoft" / "LibericaJDK-17"
    write_java(home, JAVA_OUTPUTS["liberica-17.0.13"], jdk=True)
    reg.set_value(HKLM + r"\SOFTWARE\BellSoft\Liberica\17.0.13+12", "InstallationPath", str(home) + os.sep)
    return WindowsSetup(reg, {"liberica-17.0.13": home})


SetupFactory = Callable[[str], WindowsSetup]

SETUPS: dict[str, Callable[[fake_winreg.Registry, Path], WindowsSetup]] = {
    "server2016-net462-oracle-jre8": server_2016_net462_oracle_jre8,
    "server2012r2-net452": server_2012r2_net452,
    "temurin-8-and-21": temurin_8_and_21,
    "microsoft-jdk21": microsoft_jdk21,
    "java32-on-64": java32_on_64,
    "java-home-deleted": java_home_deleted,
    "liberica-17": liberica_17,
}


@pytest.fixture
def fake_winreg_module(monkeypatch: pytest.MonkeyPatch) -> Iterator[fake_winreg.Registry]:
    """An empty fake registry, installed as `sys.modules["winreg"]` for this test."""
    registry = fake_winreg.reset()
    monkeypatch.setitem(sys.modules, "winreg", fake_winreg)
    yield registry
    fake_winreg.reset()


@pytest.fixture
def windows_setup(fake_winreg_module: fake_winreg.Registry, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> SetupFactory:
    """`windows_setup(name)` fills the fake registry with one of SETUPS. Java is then found only there (and
    through JAVA_HOME when the setup has one): PATH holds no java and the Linux JVM folders are empty."""
    import installer.java

    empty = tmp_path / "empty-jvm-dir"
    empty.mkdir()
    monkeypatch.setattr(installer.java, "LINUX_JVM_DIRS", (empty,))
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("JAVA_HOME", raising=False)

    def make(name: str) -> WindowsSetup:
        setup = SETUPS[name](fake_winreg_module, tmp_path / name)
        if setup.java_home_env:
            monkeypatch.setenv("JAVA_HOME", setup.java_home_env)
        return setup

    return make
