"""The machine setup runs on, as the prerequisites and the WinSW build choice see it: operating system,
architecture, Windows version, .NET Framework and administrator rights."""

from __future__ import annotations

import logging
import os
import platform
from dataclasses import dataclass

from installer import dotnet
from installer.windows import sysinfo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Machine:
    os: str  # "windows", "linux", ...
    arch: str  # "x64", "x86", "arm64"
    windows_version: str | None  # "10.0.14393"
    windows_name: str | None  # "Windows Server 2016 Standard"
    dotnet: dotnet.DotNet | None  # None off Windows
    admin: bool | None  # None off Windows or when unknown

    @property
    def is_windows(self) -> bool:
        return self.os == "windows"


def detect_machine(*, windows: bool | None = None) -> Machine:
    """This machine. `windows` overrides what counts as Windows (tests run the registry code on Linux)."""
    windows = os.name == "nt" if windows is None else windows
    version = sysinfo.windows_version() if windows else None
    machine = Machine(
        os="windows" if windows else platform.system().lower(),
        arch=sysinfo.machine_arch(),
        windows_version=version.version if version else None,
        windows_name=version.name if version else None,
        dotnet=dotnet.read() if windows else None,
        admin=sysinfo.is_admin() if windows else None,
    )
    log.info("machine: %s", machine)
    return machine
