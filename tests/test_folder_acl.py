"""The ACL of a new install folder: the exact icacls command lines, checked against icacls' documented syntax
(`icacls <name> /inheritance:r /grant[:r] <Sid>:<perm> ...`, `*` before a SID, `(OI)(CI)` inheritance)."""

from __future__ import annotations

import re
from pathlib import PureWindowsPath

import pytest

from installer.folder_acl import icacls_commands

GRANT = re.compile(r"^(\*S-1-5-[0-9-]+|[^:*]+):\(OI\)\(CI\)(F|M)$")


def test_administrators_and_system_only_for_a_localsystem_service() -> None:
    folder = PureWindowsPath(r"C:\integrasjonspunkt")
    assert icacls_commands(folder) == [[
        "icacls", r"C:\integrasjonspunkt", "/inheritance:r",
        "/grant:r", "*S-1-5-32-544:(OI)(CI)F",
        "/grant:r", "*S-1-5-18:(OI)(CI)F",
    ]]
    assert icacls_commands(folder, "LocalSystem") == icacls_commands(folder)
    assert icacls_commands(folder, r"NT AUTHORITY\SYSTEM") == icacls_commands(folder)


@pytest.mark.parametrize("account", [r".\integrasjonspunkt", r"KOMMUNE\svc-ip", r"NT AUTHORITY\LocalService"])
def test_the_service_account_gets_modify(account: str) -> None:
    (command,) = icacls_commands(PureWindowsPath(r"D:\Program Data\ip æøå"), account)
    assert command[:3] == ["icacls", r"D:\Program Data\ip æøå", "/inheritance:r"]
    grants = command[3:]
    assert grants[0::2] == ["/grant:r"] * 3
    assert all(GRANT.match(g) for g in grants[1::2])
    assert grants[-1] == f"{account}:(OI)(CI)M"
