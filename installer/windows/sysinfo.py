"""What this Windows is and how setup runs on it: admin rights, the version, the processor, the UI language,
and the one-file bootloader's DLL directory."""

from __future__ import annotations

import logging
import os
import platform
import sys
from dataclasses import dataclass
from typing import Any

from installer.windows import registry

log = logging.getLogger(__name__)

_CURRENT_VERSION = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion"
_ARCHITECTURES = {"amd64": "x64", "x86_64": "x64", "x86": "x86", "i386": "x86", "i686": "x86",
                  "arm64": "arm64", "aarch64": "arm64"}
# Primary language id of Norwegian (LANGID 0x0414 bokmål, 0x0814 nynorsk) in Windows' LANGID scheme.
_LANG_NORWEGIAN = 0x14


def is_admin() -> bool | None:
    """True when this process runs elevated on Windows; None elsewhere (the check does not apply)."""
    if os.name != "nt":
        return None
    import ctypes

    try:
        return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        log.warning("IsUserAnAdmin is not available", exc_info=True)
        return None


@dataclass(frozen=True)
class WindowsVersion:
    version: str  # "10.0.14393", "6.3.9600"
    name: str  # "Windows Server 2016 Standard"


def windows_version() -> WindowsVersion | None:
    """The Windows version from the registry (the true one: GetVersionEx lies to programs without a manifest)."""
    if not registry.registry_available():
        return None
    name = registry.read_value(_CURRENT_VERSION, "ProductName") or "Windows"
    build = registry.read_value(_CURRENT_VERSION, "CurrentBuildNumber")
    major = registry.read_value(_CURRENT_VERSION, "CurrentMajorVersionNumber")
    minor = registry.read_value(_CURRENT_VERSION, "CurrentMinorVersionNumber")
    if isinstance(major, int) and isinstance(minor, int):
        base = f"{major}.{minor}"
    else:
        # Before Windows 10 only the "6.3"-style CurrentVersion exists.
        base = str(registry.read_value(_CURRENT_VERSION, "CurrentVersion") or "")
    if not base:
        return None
    return WindowsVersion(f"{base}.{build}" if build else base, str(name))


def machine_arch() -> str:
    """`x64`, `x86` or `arm64` (Windows names); another platform's machine name when unknown."""
    raw = None
    if registry.registry_available():
        raw = registry.read_value(registry.ENVIRONMENT, "PROCESSOR_ARCHITECTURE")
    if not raw and os.name == "nt":
        # A 32-bit process on 64-bit Windows sees x86 here and the truth in PROCESSOR_ARCHITEW6432.
        raw = os.environ.get("PROCESSOR_ARCHITEW6432") or os.environ.get("PROCESSOR_ARCHITECTURE")
    if not raw:
        raw = platform.machine()
    return _ARCHITECTURES.get(str(raw).lower(), str(raw).lower())


def language_for_langid(langid: int) -> str:
    """`nb` for a Norwegian LANGID (bokmål or nynorsk), else `en`."""
    return "nb" if langid & 0x3FF == _LANG_NORWEGIAN else "en"


def language_for_locale(name: str) -> str:
    """`nb` for a POSIX locale name such as `nb_NO.UTF-8` (or `no`, `nn`), else `en`."""
    return "nb" if name.split("_")[0].split(".")[0].lower() in ("nb", "no", "nn") else "en"


def ui_language() -> str:
    """The language for messages when /lang is not given: the Windows UI language, else the locale."""
    if os.name == "nt":
        import ctypes

        try:
            return language_for_langid(int(ctypes.windll.kernel32.GetUserDefaultUILanguage()))  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return "en"
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return language_for_locale(value)
    return "en"


# --- the one-file bootloader's DLL directory ---------------------------------------------------------------


def forget_dll_directory(kernel32: Any = None, *, frozen: bool | None = None, windows: bool | None = None) -> bool:
    """Undo the one-file bootloader's SetDllDirectory(<_MEI temp folder>): every child process (java.exe,
    WinSW, sc.exe) would inherit it and could load a DLL of ours instead of its own. True when it was called.
    `kernel32` is for tests (a Linux run asserts the call)."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    windows = os.name == "nt" if windows is None else windows
    if not (frozen and windows):
        return False
    if kernel32 is None:
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    try:
        kernel32.SetDllDirectoryW(None)
    except (AttributeError, OSError):
        log.warning("SetDllDirectoryW(NULL) failed", exc_info=True)
        return False
    return True
