"""A stand-in for the parts of netapi32, advapi32, kernel32 and userenv that `/create-user` calls: the local
account database (users with their comment and password), the LSA account rights, the event log key's DACL
entries and user profiles. It takes the same ctypes arguments the real functions take, answers as they answer,
and records every call (the password replaced by `<password>`) so tests assert the exact calls.

In a test: `FakeAccounts().dlls()`. For a setup process: `FAKE_WINDOWS_ACCOUNTS=<file.json>` and the folder
of `accounts_site/sitecustomize.py` on PYTHONPATH, so that setup's `users.system_dlls()` answers with this
stand-in, its state kept in the file between runs.

Differences from Windows: no password policy (any password is accepted; tests check its strength), no Users
group, SIDs made up (`S-1-5-21-1000-2000-3000-<n>`), the event log key's DACL is only the entries added here, and
nothing logs on: a profile exists only when a test says so (`profiles`).
"""

from __future__ import annotations

import ctypes
import json
import os
import struct
from pathlib import Path
from typing import Any

from installer.windows import users

ENV_FILE = "FAKE_WINDOWS_ACCOUNTS"
NERR_USER_NOT_FOUND, NERR_USER_EXISTS = 2221, 2224
ERROR_NONE_MAPPED = 1332
PASSWORD = "<password>"


def sid_bytes(text: str) -> bytes:
    parts = [int(p) for p in text.split("-")[1:]]
    revision, authority, subs = parts[0], parts[1], parts[2:]
    return bytes([revision, len(subs)]) + authority.to_bytes(6, "big") + struct.pack(f"<{len(subs)}I", *subs)


def _sid_at(address: int) -> str:
    count = ctypes.string_at(address + 1, 1)[0]
    return users.sid_string(ctypes.string_at(address, 8 + 4 * count))


class FakeAccounts:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.users: dict[str, dict[str, Any]] = {}
        self.rights: dict[str, list[str]] = {}
        self.event_log: dict[str, int] = {}  # SID -> access mask on the EventLog key
        self.profiles: list[str] = []
        self.calls: list[list[Any]] = []
        self.next_rid = 1001
        self.error = 0
        self.fail: dict[str, int] = {}  # function name -> the error it answers (a test's fault)
        self._keep: list[Any] = []
        self._pending: tuple[str, int, int, int] | None = None
        if path is not None and path.exists():
            self.__dict__.update(json.loads(path.read_text(encoding="utf-8")))

    # --- persistence, for setup processes -----------------------------------------------------------------

    def _save(self) -> None:
        if self.path is not None:
            keep = ("users", "rights", "event_log", "profiles", "calls", "next_rid", "fail")
            self.path.write_text(json.dumps({k: self.__dict__[k] for k in keep}, indent=1), encoding="utf-8")

    def _call(self, *record: Any) -> None:
        self.calls.append(list(record))
        self._save()

    def dlls(self) -> users.Dlls:
        class Lib:
            pass

        net, adv, k32, env = Lib(), Lib(), Lib(), Lib()
        for name in ("NetUserGetInfo", "NetApiBufferFree", "NetUserAdd", "NetUserDel"):
            setattr(net, name, getattr(self, name))
        for name in ("LookupAccountNameW", "LsaOpenPolicy", "LsaAddAccountRights", "LsaRemoveAccountRights",
                     "LsaClose", "LsaNtStatusToWinError", "GetNamedSecurityInfoW", "SetEntriesInAclW",
                     "SetNamedSecurityInfoW"):
            setattr(adv, name, getattr(self, name))
        k32.LocalFree = self.LocalFree
        env.DeleteProfileW = self.DeleteProfileW
        return users.Dlls(netapi32=net, advapi32=adv, kernel32=k32, userenv=env, last_error=lambda: self.error)

    def sid(self, name: str) -> str:
        return str(self.users[name]["sid"])

    # --- netapi32 ------------------------------------------------------------------------------------------

    def NetUserGetInfo(self, server: Any, name: str, level: int, buffer: Any) -> int:
        self._call("NetUserGetInfo", server, name, level)
        if name not in self.users:
            return NERR_USER_NOT_FOUND
        info = users.UserInfo1(usri1_name=name, usri1_comment=self.users[name]["comment"])
        self._keep.append(info)
        buffer._obj.value = ctypes.addressof(info)
        return 0

    def NetApiBufferFree(self, buffer: Any) -> int:
        self._call("NetApiBufferFree")
        return 0

    def NetUserAdd(self, server: Any, level: int, info_ref: Any, bad_field: Any) -> int:
        info = info_ref._obj
        self._call("NetUserAdd", server, level, {
            "name": info.usri1_name, "password": PASSWORD if info.usri1_password else None,
            "password_age": info.usri1_password_age, "priv": info.usri1_priv, "home_dir": info.usri1_home_dir,
            "comment": info.usri1_comment, "flags": info.usri1_flags, "script_path": info.usri1_script_path})
        if "NetUserAdd" in self.fail:
            return self.fail["NetUserAdd"]
        if info.usri1_name in self.users:
            return NERR_USER_EXISTS
        self.users[info.usri1_name] = {"comment": info.usri1_comment, "password": info.usri1_password,
                                       "flags": info.usri1_flags, "sid": f"S-1-5-21-1000-2000-3000-{self.next_rid}"}
        self.next_rid += 1
        self._save()
        return 0

    def NetUserDel(self, server: Any, name: str) -> int:
        self._call("NetUserDel", server, name)
        if "NetUserDel" in self.fail:
            return self.fail["NetUserDel"]
        if name not in self.users:
            return NERR_USER_NOT_FOUND
        del self.users[name]
        self._save()
        return 0

    # --- advapi32 ------------------------------------------------------------------------------------------

    def LookupAccountNameW(self, system: Any, qualified: str, sid: Any, sid_size: Any, domain: Any,
                           domain_size: Any, use: Any) -> int:
        self._call("LookupAccountNameW", system, qualified, sid_size._obj.value, domain_size._obj.value)
        name = qualified.rpartition("\\")[2]
        if name not in self.users:
            self.error = ERROR_NONE_MAPPED
            return 0
        data = sid_bytes(self.sid(name))
        ctypes.memmove(sid, data, len(data))
        sid_size._obj.value = len(data)
        use._obj.value = 1  # SidTypeUser
        return 1

    def LsaOpenPolicy(self, system: Any, attributes: Any, access: int, handle: Any) -> int:
        self._call("LsaOpenPolicy", system, ctypes.sizeof(attributes._obj), access)
        handle._obj.value = 0x4C5341
        return 0

    def LsaAddAccountRights(self, handle: Any, sid: Any, names: Any, count: int) -> int:
        text = users.sid_string(sid.raw)
        granted = [names[i].Buffer for i in range(count)]
        assert all(names[i].Length == 2 * len(granted[i]) for i in range(count))
        self._call("LsaAddAccountRights", handle.value, text, granted, count)
        self.rights[text] = sorted(set(self.rights.get(text, [])) | set(granted))
        self._save()
        return 0

    def LsaRemoveAccountRights(self, handle: Any, sid: Any, all_rights: bool, names: Any,
                               count: int) -> int:
        text = users.sid_string(sid.raw)
        named = None if names is None else [names[i].Buffer for i in range(count)]
        self._call("LsaRemoveAccountRights", handle.value, text, bool(all_rights), named, count)
        if text not in self.rights:
            return -0x3FFFFFCC  # STATUS_OBJECT_NAME_NOT_FOUND
        if all_rights:
            del self.rights[text]
        else:
            self.rights[text] = [r for r in self.rights[text] if r not in (named or [])]
        self._save()
        return 0

    def LsaClose(self, handle: Any) -> int:
        self._call("LsaClose", handle.value)
        return 0

    def LsaNtStatusToWinError(self, status: int) -> int:
        return 5

    def GetNamedSecurityInfoW(self, name: str, kind: int, info: int, owner: Any, group: Any, dacl: Any,
                              sacl: Any, descriptor: Any) -> int:
        self._call("GetNamedSecurityInfoW", name, kind, info, owner, group, sacl)
        dacl._obj.value, descriptor._obj.value = 0xDAC1, 0x5D
        return 0

    def SetEntriesInAclW(self, count: int, entries: Any, old: Any, new: Any) -> int:
        entry = entries._obj
        sid = _sid_at(entry.Trustee.ptstrName)
        self._call("SetEntriesInAclW", count, {
            "access": entry.grfAccessPermissions, "mode": entry.grfAccessMode, "inheritance": entry.grfInheritance,
            "form": entry.Trustee.TrusteeForm, "type": entry.Trustee.TrusteeType, "sid": sid}, old.value)
        self._pending = (sid, entry.grfAccessMode, entry.grfAccessPermissions, entry.grfInheritance)
        new._obj.value = 0xDAC2
        return 0

    def SetNamedSecurityInfoW(self, name: str, kind: int, info: int, owner: Any, group: Any, dacl: Any,
                              sacl: Any) -> int:
        self._call("SetNamedSecurityInfoW", name, kind, info, owner, group, dacl.value, sacl)
        assert self._pending is not None and dacl.value == 0xDAC2
        sid, mode, access, _ = self._pending
        if mode == 1:
            self.event_log[sid] = access
        elif mode == 4:
            self.event_log.pop(sid, None)
        self._save()
        return 0

    # --- kernel32, userenv -----------------------------------------------------------------------------------

    def LocalFree(self, pointer: Any) -> None:
        self._call("LocalFree", pointer.value)

    def DeleteProfileW(self, sid: str, path: Any, computer: Any) -> int:
        self._call("DeleteProfileW", sid, path, computer)
        if sid in self.profiles:
            self.profiles.remove(sid)
            self._save()
            return 1
        self.error = 2
        return 0


def install_from_env() -> None:
    """For a setup process (sitecustomize): setup's Windows account calls go to the file the environment names."""
    path = os.environ.get(ENV_FILE)
    if path:
        users.system_dlls = lambda: FakeAccounts(Path(path)).dlls()  # type: ignore[assignment]
