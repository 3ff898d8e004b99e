"""What a created user may do, by its SID: the logon rights Digdir lists (advapi32 LsaOpenPolicy,
LsaAddAccountRights, LsaRemoveAccountRights) and read access to the event log's registry key
(GetNamedSecurityInfoW, SetEntriesInAclW, SetNamedSecurityInfoW), so the service can look up its event source
there: without it a non-admin writer fails searching the Security log's key.

Rights go by their constant names (`SeServiceLogonRight`), which no Windows language translates (FACTS.md W12).
"""

from __future__ import annotations

import ctypes
import logging
from ctypes import wintypes

from installer.windows.users import Dlls

log = logging.getLogger(__name__)

SERVICE_LOGON = "SeServiceLogonRight"
BATCH_LOGON = "SeBatchLogonRight"
# Digdir's least-privilege user: no log-on locally, through Remote Desktop or from the network.
DENY_RIGHTS = ("SeDenyInteractiveLogonRight", "SeDenyRemoteInteractiveLogonRight", "SeDenyNetworkLogonRight")
SERVICE_RIGHTS = (SERVICE_LOGON, *DENY_RIGHTS)
TASK_RIGHTS = (BATCH_LOGON, *DENY_RIGHTS)

POLICY_CREATE_ACCOUNT = 0x10
POLICY_LOOKUP_NAMES = 0x800

EVENT_LOG_KEY = r"MACHINE\SYSTEM\CurrentControlSet\Services\EventLog"  # HKLM\... as the security API names it
SE_REGISTRY_KEY = 4
DACL_SECURITY_INFORMATION = 4
KEY_READ = 0x20019
GRANT_ACCESS = 1
REVOKE_ACCESS = 4
CONTAINER_INHERIT_ACE = 0x2  # the logs' own keys (Application, System, Security) inherit it
TRUSTEE_IS_SID = 0
TRUSTEE_IS_USER = 1


class LsaObjectAttributes(ctypes.Structure):
    _fields_ = [("Length", wintypes.ULONG), ("RootDirectory", wintypes.HANDLE), ("ObjectName", ctypes.c_void_p),
                ("Attributes", wintypes.ULONG), ("SecurityDescriptor", ctypes.c_void_p),
                ("SecurityQualityOfService", ctypes.c_void_p)]


class LsaUnicodeString(ctypes.Structure):
    _fields_ = [("Length", wintypes.USHORT), ("MaximumLength", wintypes.USHORT), ("Buffer", wintypes.LPWSTR)]


class Trustee(ctypes.Structure):
    _fields_ = [("pMultipleTrustee", ctypes.c_void_p), ("MultipleTrusteeOperation", ctypes.c_int),
                ("TrusteeForm", ctypes.c_int), ("TrusteeType", ctypes.c_int), ("ptstrName", ctypes.c_void_p)]


class ExplicitAccess(ctypes.Structure):
    _fields_ = [("grfAccessPermissions", wintypes.DWORD), ("grfAccessMode", ctypes.c_int),
                ("grfInheritance", wintypes.DWORD), ("Trustee", Trustee)]


def _unicode_strings(names: tuple[str, ...]) -> ctypes.Array[LsaUnicodeString]:
    array = (LsaUnicodeString * len(names))()
    for item, name in zip(array, names, strict=True):
        item.Buffer = name
        item.Length = 2 * len(name)  # bytes, without the terminator
        item.MaximumLength = 2 * (len(name) + 1)
    return array


def _policy(dlls: Dlls) -> ctypes.c_void_p:
    handle = ctypes.c_void_p()
    attributes = LsaObjectAttributes()
    status = dlls.advapi32.LsaOpenPolicy(None, ctypes.byref(attributes),
                                         POLICY_CREATE_ACCOUNT | POLICY_LOOKUP_NAMES, ctypes.byref(handle))
    if status != 0:
        raise OSError(f"LsaOpenPolicy failed: error {dlls.advapi32.LsaNtStatusToWinError(status)}")
    return handle


def add_rights(sid: bytes, rights: tuple[str, ...], dlls: Dlls) -> None:
    handle = _policy(dlls)
    try:
        buffer = ctypes.create_string_buffer(sid, len(sid))
        status = dlls.advapi32.LsaAddAccountRights(handle, buffer, _unicode_strings(rights), len(rights))
        if status != 0:
            raise OSError(f"LsaAddAccountRights failed: error {dlls.advapi32.LsaNtStatusToWinError(status)}")
    finally:
        dlls.advapi32.LsaClose(handle)
    log.info("rights granted: %s", ", ".join(rights))


def remove_rights(sid: bytes, rights: tuple[str, ...], dlls: Dlls) -> None:
    handle = _policy(dlls)
    try:
        buffer = ctypes.create_string_buffer(sid, len(sid))
        status = dlls.advapi32.LsaRemoveAccountRights(handle, buffer, False, _unicode_strings(rights), len(rights))
        if status != 0:
            raise OSError(f"LsaRemoveAccountRights failed: error {dlls.advapi32.LsaNtStatusToWinError(status)}")
    finally:
        dlls.advapi32.LsaClose(handle)


def remove_all_rights(sid: bytes, dlls: Dlls) -> None:
    """Every right of the account (LsaRemoveAccountRights AllRights): a deleted user's SID would otherwise stay
    in the local security policy."""
    handle = _policy(dlls)
    try:
        buffer = ctypes.create_string_buffer(sid, len(sid))
        status = dlls.advapi32.LsaRemoveAccountRights(handle, buffer, True, None, 0)
        # STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034): the account had no rights left.
        if status not in (0, 0xC0000034, -0x3FFFFFCC):
            raise OSError(f"LsaRemoveAccountRights failed: error {dlls.advapi32.LsaNtStatusToWinError(status)}")
    finally:
        dlls.advapi32.LsaClose(handle)


def _event_log_entry(sid: bytes, mode: int, dlls: Dlls) -> None:
    """Read access on the event log key for `sid` granted (GRANT_ACCESS) or every entry of it taken out
    (REVOKE_ACCESS), merged into the key's DACL as it is."""
    old_dacl, descriptor, new_dacl = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    error = dlls.advapi32.GetNamedSecurityInfoW(EVENT_LOG_KEY, SE_REGISTRY_KEY, DACL_SECURITY_INFORMATION,
                                                None, None, ctypes.byref(old_dacl), None, ctypes.byref(descriptor))
    if error != 0:
        raise OSError(f"GetNamedSecurityInfoW({EVENT_LOG_KEY}) failed: error {error}")
    try:
        buffer = ctypes.create_string_buffer(sid, len(sid))
        entry = ExplicitAccess(grfAccessPermissions=KEY_READ if mode == GRANT_ACCESS else 0, grfAccessMode=mode,
                               grfInheritance=CONTAINER_INHERIT_ACE if mode == GRANT_ACCESS else 0,
                               Trustee=Trustee(None, 0, TRUSTEE_IS_SID, TRUSTEE_IS_USER,
                                               ctypes.cast(buffer, ctypes.c_void_p)))
        error = dlls.advapi32.SetEntriesInAclW(1, ctypes.byref(entry), old_dacl, ctypes.byref(new_dacl))
        if error != 0:
            raise OSError(f"SetEntriesInAclW failed: error {error}")
        try:
            error = dlls.advapi32.SetNamedSecurityInfoW(EVENT_LOG_KEY, SE_REGISTRY_KEY, DACL_SECURITY_INFORMATION,
                                                        None, None, new_dacl, None)
            if error != 0:
                raise OSError(f"SetNamedSecurityInfoW({EVENT_LOG_KEY}) failed: error {error}")
        finally:
            dlls.kernel32.LocalFree(new_dacl)
    finally:
        dlls.kernel32.LocalFree(descriptor)


def grant_event_log_read(sid: bytes, dlls: Dlls) -> None:
    _event_log_entry(sid, GRANT_ACCESS, dlls)
    log.info("read access to HKLM\\%s granted", EVENT_LOG_KEY.removeprefix("MACHINE\\"))


def revoke_event_log(sid: bytes, dlls: Dlls) -> None:
    _event_log_entry(sid, REVOKE_ACCESS, dlls)
