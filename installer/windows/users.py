"""The local user `/create-user` makes for the service: its password, the account (netapi32 NetUserAdd,
NetUserGetInfo, NetUserDel), its SID (advapi32 LookupAccountNameW) and its profile (userenv DeleteProfileW).

Every call goes through a `Dlls` object: `system_dlls()` on Windows, a fake that records the calls in tests.
The password is handed to NetUserAdd and to the service registration and nowhere else: never logged, never
in the journal or state, never on a command line or in an environment.
"""

from __future__ import annotations

import ctypes
import logging
import os
import secrets
import string
import struct
from collections.abc import Callable
from ctypes import wintypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

USER_PRIV_USER = 1
UF_SCRIPT = 0x0001  # required by NetUserAdd at level 1
UF_DONT_EXPIRE_PASSWD = 0x10000
NERR_SUCCESS = 0
NERR_USER_NOT_FOUND = 2221
NERR_USER_EXISTS = 2224
ERROR_FILE_NOT_FOUND = 2
SECURITY_MAX_SID_SIZE = 68

PASSWORD_LENGTH = 40
SYMBOLS = "!#+-.:=?@_~"  # none that a shell, XML or WinSW's %VAR% expansion would read specially (no & < > " ' % ^)
_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, SYMBOLS)


@dataclass
class Dlls:
    netapi32: Any
    advapi32: Any
    kernel32: Any
    userenv: Any
    last_error: Callable[[], int]


def system_dlls() -> Dlls:
    """The real DLLs; OSError off Windows (a created user needs Windows' account database)."""
    if os.name != "nt":
        raise OSError("creating a local user needs Windows")
    load = ctypes.WinDLL  # type: ignore[attr-defined]
    return Dlls(netapi32=load("netapi32", use_last_error=True), advapi32=load("advapi32", use_last_error=True),
                kernel32=load("kernel32", use_last_error=True), userenv=load("userenv", use_last_error=True),
                last_error=ctypes.get_last_error)  # type: ignore[attr-defined]


class UserInfo1(ctypes.Structure):
    """USER_INFO_1 (lmaccess.h)."""

    _fields_ = [("usri1_name", wintypes.LPWSTR), ("usri1_password", wintypes.LPWSTR),
                ("usri1_password_age", wintypes.DWORD), ("usri1_priv", wintypes.DWORD),
                ("usri1_home_dir", wintypes.LPWSTR), ("usri1_comment", wintypes.LPWSTR),
                ("usri1_flags", wintypes.DWORD), ("usri1_script_path", wintypes.LPWSTR)]


def new_password(username: str, length: int = PASSWORD_LENGTH) -> str:
    """A random password that meets Windows' complexity rule (all four character classes, not containing the
    account name) at any length policy up to `length`."""
    alphabet = "".join(_CLASSES)
    while True:
        chars = [secrets.choice(group) for group in _CLASSES]
        chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if len(username) < 3 or username.lower() not in password.lower():
            return password


def marker(folder: Path) -> str:
    """The comment a created user carries: setup deletes only a user whose comment names this folder."""
    return f"integrasjonspunkt service account, created by setup for {folder}"


def comment_of(name: str, dlls: Dlls) -> str | None:
    """The user's comment (NetUserGetInfo level 1); None when there is no such local user."""
    buffer = ctypes.c_void_p()
    error = dlls.netapi32.NetUserGetInfo(None, name, 1, ctypes.byref(buffer))
    if error == NERR_USER_NOT_FOUND:
        return None
    if error != NERR_SUCCESS:
        raise OSError(f"NetUserGetInfo({name}) failed: error {error}")
    try:
        info = ctypes.cast(buffer, ctypes.POINTER(UserInfo1)).contents
        return info.usri1_comment or ""
    finally:
        dlls.netapi32.NetApiBufferFree(buffer)


def create(name: str, password: str, comment: str, dlls: Dlls) -> None:
    """NetUserAdd at level 1: an ordinary user (USER_PRIV_USER, so Windows also makes it a member of Users),
    whose password never expires (a service cannot change it)."""
    info = UserInfo1(usri1_name=name, usri1_password=password, usri1_password_age=0, usri1_priv=USER_PRIV_USER,
                     usri1_home_dir=None, usri1_comment=comment, usri1_flags=UF_SCRIPT | UF_DONT_EXPIRE_PASSWD,
                     usri1_script_path=None)
    bad_field = wintypes.DWORD(0)
    error = dlls.netapi32.NetUserAdd(None, 1, ctypes.byref(info), ctypes.byref(bad_field))
    if error != NERR_SUCCESS:
        raise OSError(f"NetUserAdd({name}) failed: error {error}" +
                      (f" (field {bad_field.value})" if bad_field.value else ""))
    log.info("local user %s created", name)


def delete(name: str, dlls: Dlls) -> None:
    """NetUserDel; a user that is already gone is fine."""
    error = dlls.netapi32.NetUserDel(None, name)
    if error not in (NERR_SUCCESS, NERR_USER_NOT_FOUND):
        raise OSError(f"NetUserDel({name}) failed: error {error}")
    log.info("local user %s deleted", name)


def delete_profile(sid: str, dlls: Dlls) -> None:
    """The profile Windows made when the service first logged on (C:\\Users\\<name>); none is fine."""
    if not dlls.userenv.DeleteProfileW(sid, None, None):
        error = dlls.last_error()
        if error != ERROR_FILE_NOT_FOUND:
            raise OSError(f"DeleteProfileW({sid}) failed: error {error}")


def sid_of(name: str, dlls: Dlls) -> bytes | None:
    """The binary SID of this machine's user `name` (LookupAccountNameW on COMPUTER\\name, so a domain user of
    the same name is never taken); None when there is none."""
    computer = os.environ.get("COMPUTERNAME")
    qualified = f"{computer}\\{name}" if computer else name
    sid = ctypes.create_string_buffer(SECURITY_MAX_SID_SIZE)
    sid_size = wintypes.DWORD(SECURITY_MAX_SID_SIZE)
    domain = ctypes.create_unicode_buffer(256)
    domain_size = wintypes.DWORD(256)
    use = wintypes.DWORD(0)
    if not dlls.advapi32.LookupAccountNameW(None, qualified, sid, ctypes.byref(sid_size), domain,
                                            ctypes.byref(domain_size), ctypes.byref(use)):
        log.info("LookupAccountNameW(%s): error %d", qualified, dlls.last_error())
        return None
    return sid.raw[:sid_size.value]


def sid_string(sid: bytes) -> str:
    """`S-1-5-21-...` from a binary SID (revision, count, 48-bit big-endian authority, 32-bit little-endian
    sub-authorities)."""
    revision, count = sid[0], sid[1]
    authority = int.from_bytes(sid[2:8], "big")
    subs = struct.unpack(f"<{count}I", sid[8:8 + 4 * count])
    return "-".join(["S", str(revision), str(authority), *map(str, subs)])
