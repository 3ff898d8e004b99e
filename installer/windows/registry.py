"""Registry reads and the few keys setup writes, under HKEY_LOCAL_MACHINE.

`winreg` is imported inside each function, so that the rest of the program runs anywhere and tests can put a
module with the same API in `sys.modules["winreg"]`.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

VIEW_64 = "64"
VIEW_32 = "32"
# On 64-bit Windows a 32-bit program's registry writes land in WOW6432Node; the 64-bit view is the native one.
VIEWS = (VIEW_64, VIEW_32)

ENVIRONMENT = r"SYSTEM\CurrentControlSet\Control\Session Manager\Environment"


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
    value = read_value(ENVIRONMENT, name)
    return value if isinstance(value, str) else None


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
