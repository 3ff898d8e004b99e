"""Every Windows-only call: registry reads, admin rights, the Windows version and UI language.

`winreg` is imported inside each function, so that the rest of the program runs anywhere and tests can put a
module with the same API in `sys.modules["winreg"]`. Registry paths are under HKEY_LOCAL_MACHINE.
"""

from __future__ import annotations

import logging
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VIEW_64 = "64"
VIEW_32 = "32"
# On 64-bit Windows a 32-bit program's registry writes land in WOW6432Node; the 64-bit view is the native one.
VIEWS = (VIEW_64, VIEW_32)

_CURRENT_VERSION = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion"
_ENVIRONMENT = r"SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
_ARCHITECTURES = {"amd64": "x64", "x86_64": "x64", "x86": "x86", "i386": "x86", "i686": "x86",
                  "arm64": "arm64", "aarch64": "arm64"}
# Primary language id of Norwegian (LANGID 0x0414 bokmål, 0x0814 nynorsk) in Windows' LANGID scheme.
_LANG_NORWEGIAN = 0x14


def registry_available() -> bool:
    try:
        import winreg  # noqa: F401
    except ImportError:
        return False
    return True


def _access(winreg: Any, view: str | None) -> int:
    access = int(winreg.KEY_READ)
    if view == VIEW_64:
        access |= winreg.KEY_WOW64_64KEY
    elif view == VIEW_32:
        access |= winreg.KEY_WOW64_32KEY
    return access


def read_value(path: str, name: str, view: str | None = VIEW_64) -> Any | None:
    """The value `name` of HKLM\\`path` (REG_EXPAND_SZ expanded), or None when the key or value is missing."""
    try:
        import winreg
    except ImportError:
        return None
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, _access(winreg, view)) as key:
            value, kind = winreg.QueryValueEx(key, name)
    except OSError:
        return None
    if kind == winreg.REG_EXPAND_SZ and isinstance(value, str):
        value = winreg.ExpandEnvironmentStrings(value)
    return value


def subkeys(path: str, view: str | None = VIEW_64) -> list[str]:
    """The names of HKLM\\`path`'s subkeys; [] when the key is missing."""
    try:
        import winreg
    except ImportError:
        return []
    names: list[str] = []
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, _access(winreg, view)) as key:
            index = 0
            while True:
                try:
                    names.append(winreg.EnumKey(key, index))
                except OSError:  # ERROR_NO_MORE_ITEMS ends the enumeration
                    break
                index += 1
    except OSError:
        return []
    return names


def machine_environment(name: str) -> str | None:
    """A machine-wide environment variable (what a service sees, e.g. `Path`, `JAVA_HOME`), expanded; None when
    it is not set or there is no registry."""
    value = read_value(_ENVIRONMENT, name)
    return value if isinstance(value, str) else None


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


def current_user_sid(run: Any = None) -> str | None:
    """The SID of the account this process runs as (`whoami /user`, by its System32 path: FACTS.md W8), or None.
    `run`: subprocess.run or a stand-in (tests)."""
    if run is None and os.name != "nt":
        return None
    import subprocess

    run = run or subprocess.run
    whoami = str(Path(os.environ.get("SYSTEMROOT") or r"C:\Windows") / "System32" / "whoami.exe")  # any case on Windows
    try:
        done = run([whoami, "/user", "/fo", "csv", "/nh"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("whoami /user: %s", exc)
        return None
    fields = [field.strip().strip('"') for field in (done.stdout or "").strip().split('","')]
    sid = fields[-1].strip('"') if fields else ""
    return sid if done.returncode == 0 and sid.startswith("S-1-") else None


def security_descriptor(path: Path, dlls: Any = None) -> str | None:
    """The owner and DACL of `path` as SDDL (language-neutral SIDs, e.g. `O:BAD:PAI(A;OICI;FA;;;SY)`); None when
    unreadable or off Windows. `dlls`: what has `advapi32` and `kernel32` (ctypes.windll; tests pass a fake)."""
    if dlls is None and os.name != "nt":
        return None
    import ctypes
    from ctypes import wintypes

    dlls = dlls if dlls is not None else ctypes.windll  # type: ignore[attr-defined]
    owner_and_dacl = 0x1 | 0x4  # OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION
    se_file_object = 1
    advapi32 = dlls.advapi32
    descriptor = ctypes.c_void_p()
    error = advapi32.GetNamedSecurityInfoW(str(path), se_file_object, owner_and_dacl, None, None, None, None,
                                           ctypes.byref(descriptor))
    if error != 0:
        log.warning("GetNamedSecurityInfoW(%s) failed: %d", path, error)
        return None
    text = wintypes.LPWSTR()
    try:
        if not advapi32.ConvertSecurityDescriptorToStringSecurityDescriptorW(
                descriptor, 1, owner_and_dacl, ctypes.byref(text), None):
            return None
        value = text.value
        dlls.kernel32.LocalFree(text)
        return value
    finally:
        dlls.kernel32.LocalFree(descriptor)


@dataclass(frozen=True)
class WindowsVersion:
    version: str  # "10.0.14393", "6.3.9600"
    name: str  # "Windows Server 2016 Standard"


def windows_version() -> WindowsVersion | None:
    """The Windows version from the registry (the true one: GetVersionEx lies to programs without a manifest)."""
    if not registry_available():
        return None
    name = read_value(_CURRENT_VERSION, "ProductName") or "Windows"
    build = read_value(_CURRENT_VERSION, "CurrentBuildNumber")
    major = read_value(_CURRENT_VERSION, "CurrentMajorVersionNumber")
    minor = read_value(_CURRENT_VERSION, "CurrentMinorVersionNumber")
    if isinstance(major, int) and isinstance(minor, int):
        base = f"{major}.{minor}"
    else:
        # Before Windows 10 only the "6.3"-style CurrentVersion exists.
        base = str(read_value(_CURRENT_VERSION, "CurrentVersion") or "")
    if not base:
        return None
    return WindowsVersion(f"{base}.{build}" if build else base, str(name))


def machine_arch() -> str:
    """`x64`, `x86` or `arm64` (Windows names); another platform's machine name when unknown."""
    raw = None
    if registry_available():
        raw = read_value(_ENVIRONMENT, "PROCESSOR_ARCHITECTURE")
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


def free_bytes(path: Path) -> tuple[int, Path]:
    """Free space for `path` and the folder measured: the nearest one that exists (the install folder may not)."""
    probe = Path(os.path.abspath(path))
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    return shutil.disk_usage(probe).free, probe


# --- a service's registration, from the registry (not localised, unlike sc.exe's text) ------------------------

SERVICES = r"SYSTEM\CurrentControlSet\Services"


@dataclass(frozen=True)
class ServiceKey:
    r"""`HKLM\SYSTEM\CurrentControlSet\Services\<id>` as the service manager writes it."""

    account: str  # ObjectName: LocalSystem, NT AUTHORITY\LocalService, .\user, DOMAIN\user
    image_path: str | None  # ImagePath: the exe, quoted, maybe with arguments
    start: int | None  # Start: 2 automatic, 3 demand, 4 disabled
    marked_for_deletion: bool  # DeleteFlag: DeleteService ran while a handle was open


def service_key(service_id: str) -> ServiceKey | None:
    """The service's key; None when the service does not exist (or there is no registry: ask registry_available)."""
    path = f"{SERVICES}\\{service_id}"
    if service_id.lower() not in (name.lower() for name in subkeys(SERVICES)):
        return None
    account = read_value(path, "ObjectName")
    image = read_value(path, "ImagePath")
    start = read_value(path, "Start")
    return ServiceKey(
        account=account if isinstance(account, str) and account else "LocalSystem",
        image_path=image if isinstance(image, str) else None,
        start=start if isinstance(start, int) else None,
        marked_for_deletion=read_value(path, "DeleteFlag") == 1,
    )


# --- RunOnce: a command Windows runs once at the next start (boot-time recovery) --------------------------

RUN_ONCE = r"SOFTWARE\Microsoft\Windows\CurrentVersion\RunOnce"


def set_run_once(name: str, command: str) -> bool:
    """Write HKLM RunOnce `name` = `command` (64-bit view); False where there is no registry."""
    try:
        import winreg
    except ImportError:
        return False
    access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
    with winreg.CreateKeyEx(winreg.HKEY_LOCAL_MACHINE, RUN_ONCE, 0, access) as key:
        winreg.SetValueEx(key, name, 0, winreg.REG_SZ, command)
    log.info("RunOnce %s = %s", name, command)
    return True


def delete_run_once(name: str) -> None:
    try:
        import winreg
    except ImportError:
        return
    access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, RUN_ONCE, 0, access) as key:
            winreg.DeleteValue(key, name)
    except OSError:
        return  # already gone (Windows removes a RunOnce value before it runs it)
    log.info("RunOnce %s removed", name)


# --- the console (the wizard keeps a double-clicked window open) ----------------------------------------------


def console_process_ids() -> list[int] | None:
    """The processes attached to this console (GetConsoleProcessList); None off Windows or without a console."""
    if os.name != "nt":
        return None
    import ctypes

    size = 16
    while True:
        buffer = (ctypes.c_uint32 * size)()
        try:
            count = int(ctypes.windll.kernel32.GetConsoleProcessList(buffer, size))  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return None
        if count == 0:
            return None
        if count <= size:
            return list(buffer[:count])
        size = count


def alone_in_console(console_pids: list[int], own_pid: int, launcher_pid: int | None) -> bool:
    """True when no process but setup itself (and its one-file launcher) uses the console: Explorer made the
    window for a double-click, and it closes when setup ends. From a command prompt the shell is there too."""
    return all(pid in (own_pid, launcher_pid) for pid in console_pids)


def _launcher_pid() -> int | None:
    """PyInstaller's one-file launcher: the parent process running the same executable, sharing the console."""
    if not getattr(sys, "frozen", False):
        return None
    import psutil

    try:
        parent = psutil.Process().parent()
        if parent is not None and os.path.normcase(parent.exe()) == os.path.normcase(sys.executable):
            return parent.pid
    except psutil.Error:
        return None
    return None


def started_by_double_click() -> bool:
    """True on Windows when setup has its console to itself (see alone_in_console); False elsewhere."""
    pids = console_process_ids()
    if not pids:
        return False
    alone = alone_in_console(pids, os.getpid(), _launcher_pid())
    log.info("console processes %s: %s", pids, "started by double-click" if alone else "started from a console")
    return alone


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


# --- the service manager's own state of a service (QueryServiceStatusEx) ------------------------------------

SC_MANAGER_CONNECT = 0x0001
SERVICE_QUERY_STATUS = 0x0004
SC_STATUS_PROCESS_INFO = 0
ERROR_SERVICE_DOES_NOT_EXIST = 1060
STATE_NON_EXISTENT = 0  # not a SERVICE_STATUS state: the service is not registered


def _status_process_type() -> Any:
    import ctypes

    class ServiceStatusProcess(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint32) for name in (
            "dwServiceType", "dwCurrentState", "dwControlsAccepted", "dwWin32ExitCode",
            "dwServiceSpecificExitCode", "dwCheckPoint", "dwWaitHint", "dwProcessId", "dwServiceFlags")]

    return ServiceStatusProcess


def service_state(service_id: str, advapi32: Any = None, last_error: Any = None) -> int | None:
    """SERVICE_STATUS_PROCESS.dwCurrentState (1 stopped, 2 start pending, 3 stop pending, 4 running, ...),
    STATE_NON_EXISTENT when the service is not registered, None off Windows or when the call fails. No program
    is started: WinSW's `status` is a .NET start inside the upgrade's downtime. `advapi32`/`last_error` are
    for tests (a Linux run asserts the calls)."""
    import ctypes

    if advapi32 is None:
        if os.name != "nt":
            return None
        advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
        last_error = ctypes.get_last_error  # type: ignore[attr-defined]
        # SC_HANDLE is a pointer: without these, ctypes would cut a 64-bit handle to an int.
        handle, dword = ctypes.c_void_p, ctypes.c_uint32
        advapi32.OpenSCManagerW.restype = handle
        advapi32.OpenSCManagerW.argtypes = [ctypes.c_wchar_p, ctypes.c_wchar_p, dword]
        advapi32.OpenServiceW.restype = handle
        advapi32.OpenServiceW.argtypes = [handle, ctypes.c_wchar_p, dword]
        advapi32.QueryServiceStatusEx.argtypes = [handle, ctypes.c_int, ctypes.c_void_p, dword,
                                                  ctypes.POINTER(dword)]
        advapi32.CloseServiceHandle.argtypes = [handle]
    manager = advapi32.OpenSCManagerW(None, None, SC_MANAGER_CONNECT)
    if not manager:
        return None
    try:
        service = advapi32.OpenServiceW(manager, service_id, SERVICE_QUERY_STATUS)
        if not service:
            return STATE_NON_EXISTENT if last_error and last_error() == ERROR_SERVICE_DOES_NOT_EXIST else None
        try:
            status = _status_process_type()()
            needed = ctypes.c_uint32(0)
            if not advapi32.QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, ctypes.byref(status),
                                                 ctypes.sizeof(status), ctypes.byref(needed)):
                return None
            return int(status.dwCurrentState)
        finally:
            advapi32.CloseServiceHandle(service)
    finally:
        advapi32.CloseServiceHandle(manager)


# --- keys setup owns: the event source, the Apps & features entry ---------------------------------------------

# Value kinds by name, so callers need not import winreg.
REG_SZ, REG_EXPAND_SZ, REG_DWORD = "REG_SZ", "REG_EXPAND_SZ", "REG_DWORD"


def write_key(path: str, values: dict[str, tuple[str, str | int]]) -> bool:
    """Create HKLM\\`path` (64-bit view) and set `values` (name -> (kind, data)); False where there is no
    registry. Values the key has and `values` does not name are left as they are."""
    try:
        import winreg
    except ImportError:
        return False
    access = winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY
    with winreg.CreateKeyEx(winreg.HKEY_LOCAL_MACHINE, path, 0, access) as key:
        for name, (kind, data) in values.items():
            winreg.SetValueEx(key, name, 0, getattr(winreg, kind), data)
    return True


def delete_key(path: str) -> bool:
    """Delete HKLM\\`path` (a key without subkeys, 64-bit view); False when it was not there or there is no
    registry."""
    try:
        import winreg
    except ImportError:
        return False
    parent, _, name = path.rpartition("\\")
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, parent, 0,
                            winreg.KEY_SET_VALUE | winreg.KEY_WOW64_64KEY) as key:
            winreg.DeleteKeyEx(key, name, winreg.KEY_WOW64_64KEY, 0)
    except FileNotFoundError:
        return False
    return True
