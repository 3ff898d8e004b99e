"""A stand-in for Python's `winreg` module, so that registry code runs on Linux.

The same names and behaviour as the real module for what the installer uses: predefined root keys as ints,
`OpenKey`/`OpenKeyEx` with `access` (including the `KEY_WOW64_64KEY`/`KEY_WOW64_32KEY` views), `QueryValueEx`,
`EnumKey`, `EnumValue`, `QueryInfoKey`, `CloseKey`, handles that are context managers, `CreateKey`/`CreateKeyEx`,
`SetValueEx`, `DeleteValue`, `DeleteKey`/`DeleteKeyEx`, `ExpandEnvironmentStrings`. Missing keys and values raise
`FileNotFoundError` (winerror 2), the end of an enumeration `OSError` (winerror 259), writing through a handle
opened for reading `PermissionError` (winerror 5), as Windows does. Names are case-insensitive and keep their case.

It behaves like a 64-bit process on 64-bit Windows: the 32-bit view of `HKLM\\SOFTWARE\\X` is
`HKLM\\SOFTWARE\\WOW6432Node\\X` (registry redirection); the default view is the 64-bit one.

Install it with `sys.modules["winreg"] = fake_winreg` (the `fake_winreg` fixture does) and fill it through
`registry()` (`set_value`, `create_key`) or the module API itself.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

HKEY_CLASSES_ROOT = 0x80000000
HKEY_CURRENT_USER = 0x80000001
HKEY_LOCAL_MACHINE = 0x80000002
HKEY_USERS = 0x80000003
HKEY_CURRENT_CONFIG = 0x80000005

KEY_QUERY_VALUE = 0x0001
KEY_SET_VALUE = 0x0002
KEY_CREATE_SUB_KEY = 0x0004
KEY_ENUMERATE_SUB_KEYS = 0x0008
KEY_NOTIFY = 0x0010
KEY_CREATE_LINK = 0x0020
KEY_WOW64_64KEY = 0x0100
KEY_WOW64_32KEY = 0x0200
KEY_READ = 0x20019
KEY_WRITE = 0x20006
KEY_EXECUTE = KEY_READ
KEY_ALL_ACCESS = 0xF003F

REG_NONE = 0
REG_SZ = 1
REG_EXPAND_SZ = 2
REG_BINARY = 3
REG_DWORD = 4
REG_DWORD_LITTLE_ENDIAN = 4
REG_DWORD_BIG_ENDIAN = 5
REG_LINK = 6
REG_MULTI_SZ = 7
REG_QWORD = 11
REG_QWORD_LITTLE_ENDIAN = 11

ROOT_NAMES = {
    "HKLM": HKEY_LOCAL_MACHINE,
    "HKEY_LOCAL_MACHINE": HKEY_LOCAL_MACHINE,
    "HKCU": HKEY_CURRENT_USER,
    "HKEY_CURRENT_USER": HKEY_CURRENT_USER,
    "HKCR": HKEY_CLASSES_ROOT,
    "HKEY_CLASSES_ROOT": HKEY_CLASSES_ROOT,
    "HKU": HKEY_USERS,
    "HKEY_USERS": HKEY_USERS,
}
_REDIRECTED = "software"  # the subtree of HKLM that has a separate 32-bit view


def _error(cls: type[OSError], winerror: int, text: str) -> OSError:
    exc = cls(winerror, text)
    exc.winerror = winerror  # type: ignore[attr-defined]
    return exc


def _not_found() -> OSError:
    return _error(FileNotFoundError, 2, "The system cannot find the file specified")


@dataclass
class _Key:
    name: str
    subkeys: dict[str, _Key] = field(default_factory=dict)  # lower-case name -> key
    values: dict[str, tuple[str, Any, int]] = field(default_factory=dict)  # lower-case -> (name, data, type)


@dataclass
class Registry:
    """The whole registry: one tree per predefined root."""

    roots: dict[int, _Key] = field(default_factory=dict)
    # False: a 32-bit Windows, where KEY_WOW64_32KEY changes nothing.
    wow64: bool = True

    def root(self, hkey: int) -> _Key:
        if hkey not in self.roots:
            self.roots[hkey] = _Key(hex(hkey))
        return self.roots[hkey]

    def _parts(self, hkey: int, path: str, access: int) -> list[str]:
        parts = [p for p in re.split(r"\\+", path) if p]
        if (
            self.wow64
            and hkey == HKEY_LOCAL_MACHINE
            and access & KEY_WOW64_32KEY
            and parts
            and parts[0].lower() == _REDIRECTED
            and not (len(parts) > 1 and parts[1].lower() == "wow6432node")
        ):
            parts.insert(1, "WOW6432Node")
        return parts

    def find(self, hkey: int, path: str, access: int = KEY_READ) -> _Key | None:
        key = self.root(hkey)
        for part in self._parts(hkey, path, access):
            key = key.subkeys.get(part.lower())  # type: ignore[assignment]
            if key is None:
                return None
        return key

    def make(self, hkey: int, path: str, access: int = KEY_READ) -> _Key:
        key = self.root(hkey)
        for part in self._parts(hkey, path, access):
            key = key.subkeys.setdefault(part.lower(), _Key(part))
        return key

    # --- filling, for tests: full paths such as r"HKLM\SOFTWARE\JavaSoft\JRE" -----------------------------
    @staticmethod
    def _split(full: str) -> tuple[int, str]:
        root, _, rest = full.partition("\\")
        return ROOT_NAMES[root.upper()], rest

    def create_key(self, full: str) -> None:
        self.make(*self._split(full))

    def set_value(self, full: str, name: str, data: Any, kind: int | None = None) -> None:
        if kind is None:
            kind = REG_DWORD if isinstance(data, int) else REG_MULTI_SZ if isinstance(data, list) else REG_SZ
        self.make(*self._split(full)).values[name.lower()] = (name, data, kind)

    def delete_key(self, full: str) -> None:
        """Remove a key and everything below it (as an uninstaller does)."""
        hkey, path = self._split(full)
        parent_path, _, name = path.rpartition("\\")
        parent = self.find(hkey, parent_path) if parent_path else self.root(hkey)
        if parent is not None:
            parent.subkeys.pop(name.lower(), None)


_registry = Registry()


def registry() -> Registry:
    return _registry


def reset(wow64: bool = True) -> Registry:
    global _registry
    _registry = Registry(wow64=wow64)
    return _registry


_PREDEFINED = (HKEY_CLASSES_ROOT, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, HKEY_USERS, HKEY_CURRENT_CONFIG)


class HKEYType:
    """An open key, like winreg's PyHKEY: closable, a context manager, an int."""

    _next_handle = 0x1000

    def __init__(self, root: int, path: str, node: _Key, access: int) -> None:
        HKEYType._next_handle += 4
        self.handle = HKEYType._next_handle
        self.root = root
        self.path = path
        self.access = access
        self._node: _Key | None = node

    def node(self) -> _Key:
        if self._node is None:
            raise _error(OSError, 6, "The handle is invalid")
        return self._node

    def Close(self) -> None:
        self._node = None
        self.handle = 0

    def Detach(self) -> int:
        handle, self.handle = self.handle, 0
        return handle

    def __int__(self) -> int:
        return self.handle

    def __bool__(self) -> bool:
        return self.handle != 0

    def __enter__(self) -> HKEYType:
        return self

    def __exit__(self, *exc: object) -> None:
        self.Close()


def _resolve(key: HKEYType | int) -> tuple[int, _Key, str]:
    """(predefined root, key, path below the root) of an open key or a predefined root."""
    if isinstance(key, HKEYType):
        return key.root, key.node(), key.path
    if key not in _PREDEFINED:
        raise _error(OSError, 6, "The handle is invalid")
    return key, _registry.root(key), ""


def _open(key: HKEYType | int, sub_key: str | None, access: int, create: bool) -> HKEYType:
    root, _node, base = _resolve(key)
    path = "\\".join(p for p in (base, sub_key or "") if p)
    node = _registry.make(root, path, access) if create else _registry.find(root, path, access)
    if node is None:
        raise _not_found()
    return HKEYType(root, path, node, access)


def OpenKey(key: HKEYType | int, sub_key: str | None, reserved: int = 0, access: int = KEY_READ) -> HKEYType:
    return _open(key, sub_key, access, create=False)


OpenKeyEx = OpenKey


def CreateKey(key: HKEYType | int, sub_key: str | None) -> HKEYType:
    return _open(key, sub_key, KEY_ALL_ACCESS, create=True)


def CreateKeyEx(key: HKEYType | int, sub_key: str, reserved: int = 0, access: int = KEY_WRITE) -> HKEYType:
    return _open(key, sub_key, access, create=True)


def CloseKey(hkey: HKEYType | int) -> None:
    if isinstance(hkey, HKEYType):
        hkey.Close()


def _readable(key: HKEYType | int) -> _Key:
    return _resolve(key)[1]


def _writable(key: HKEYType | int) -> _Key:
    if isinstance(key, HKEYType) and not key.access & KEY_SET_VALUE:
        raise _error(PermissionError, 5, "Access is denied")
    return _resolve(key)[1]


def QueryValueEx(key: HKEYType | int, value_name: str | None) -> tuple[Any, int]:
    entry = _readable(key).values.get((value_name or "").lower())
    if entry is None:
        raise _not_found()
    return entry[1], entry[2]


def QueryValue(key: HKEYType | int, sub_key: str | None) -> str:
    node = _readable(key)
    if sub_key:
        node = _readable(OpenKey(key, sub_key))
    entry = node.values.get("")
    return str(entry[1]) if entry else ""


def EnumKey(key: HKEYType | int, index: int) -> str:
    names = [k.name for k in _readable(key).subkeys.values()]
    if index >= len(names):
        raise _error(OSError, 259, "No more data is available")
    return names[index]


def EnumValue(key: HKEYType | int, index: int) -> tuple[str, Any, int]:
    entries = list(_readable(key).values.values())
    if index >= len(entries):
        raise _error(OSError, 259, "No more data is available")
    return entries[index]


def QueryInfoKey(key: HKEYType | int) -> tuple[int, int, int]:
    node = _readable(key)
    return len(node.subkeys), len(node.values), 0


def SetValueEx(key: HKEYType | int, value_name: str | None, reserved: int, type: int, value: Any) -> None:
    _writable(key).values[(value_name or "").lower()] = (value_name or "", value, type)


def SetValue(key: HKEYType | int, sub_key: str | None, type: int, value: str) -> None:
    node = _writable(key) if not sub_key else _resolve(CreateKey(key, sub_key))[1]
    node.values[""] = ("", value, type)


def DeleteValue(key: HKEYType | int, value: str | None) -> None:
    values = _writable(key).values
    if (value or "").lower() not in values:
        raise _not_found()
    del values[(value or "").lower()]


def DeleteKey(key: HKEYType | int, sub_key: str) -> None:
    DeleteKeyEx(key, sub_key, 0)


def DeleteKeyEx(key: HKEYType | int, sub_key: str, access: int = KEY_WOW64_64KEY, reserved: int = 0) -> None:
    """As DeleteKey, in the view `access` names (the 64-bit one unless KEY_WOW64_32KEY)."""
    root, _node, base = _resolve(key)
    path = "\\".join(p for p in (base, sub_key) if p)
    parent_path, _, name = path.rpartition("\\")
    parent = _registry.find(root, parent_path, access) if parent_path else _registry.root(root)
    target = parent.subkeys.get(name.lower()) if parent else None
    if parent is None or target is None:
        raise _not_found()
    if target.subkeys:
        raise _error(PermissionError, 5, "Access is denied")  # Windows refuses a key with subkeys
    del parent.subkeys[name.lower()]


def ExpandEnvironmentStrings(text: str) -> str:
    return re.sub(r"%([^%]+)%", lambda m: os.environ.get(m.group(1), m.group(0)), text)
