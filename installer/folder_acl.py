"""The ACL of a new install folder on Windows: it will hold a keystore password and an exe that runs as
LocalSystem, so only Administrators, SYSTEM and the service's account may touch it.

Well-known SIDs, not names, so the commands work on a Norwegian or any other Windows language.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

from installer.decoding import console_output
from installer.system_tools import system32

log = logging.getLogger(__name__)

ADMINISTRATORS = "*S-1-5-32-544"
SYSTEM = "*S-1-5-18"
LOCAL_SYSTEM_NAMES = {"localsystem", "nt authority\\system", ".\\localsystem"}


def icacls_commands(folder: Path, account: str | None = None) -> list[list[str]]:
    """`icacls` command lines: drop inherited entries, full control for Administrators and SYSTEM, modify for
    the service's own account when it is not LocalSystem; (OI)(CI) so files and sub-folders inherit it."""
    command = [system32("icacls.exe"), str(folder), "/inheritance:r",
               "/grant:r", f"{ADMINISTRATORS}:(OI)(CI)F",
               "/grant:r", f"{SYSTEM}:(OI)(CI)F"]
    if account and account.strip().lower() not in LOCAL_SYSTEM_NAMES:
        command += ["/grant:r", f"{account}:(OI)(CI)M"]
    # /q: no "processed file" line per file; failures still come on stderr.
    return [[*command, "/q"]]


def restrict(folder: Path, account: str | None = None) -> None:
    """Apply the ACL (Windows only; elsewhere the folder keeps the permissions the OS gave it)."""
    if os.name != "nt":
        return
    run_icacls(icacls_commands(folder, account))


def run_icacls(commands: list[list[str]]) -> None:
    """Run the command lines in order; OSError with icacls' own words when one fails."""
    for command in commands:
        # Bytes, decoded with a fallback: icacls writes the OEM code page, and a folder name with æøå in a
        # strict decode would fail after the ACL was set.
        proc = subprocess.run(command, capture_output=True, check=False)
        out, err = console_output(proc.stdout).strip(), console_output(proc.stderr).strip()
        log.info("%s -> %d %s%s", subprocess.list2cmdline(command), proc.returncode, out, err)
        if proc.returncode != 0:
            raise OSError(f"icacls exited {proc.returncode}: {err or out}")


def account_grants(root: Path, sid: str, modify_dirs: list[Path], modify_files: list[Path]) -> list[list[str]]:
    """`icacls` command lines for a user setup created, by SID: read and execute on the whole folder (never write
    on the folder itself: setup reads its setup.toml and state from there, see folder_trust), Modify on the
    folders the service writes (logs, data) and on its database file in the folder. Added to what is there."""
    ace = f"*{sid}"
    commands = [[system32("icacls.exe"), str(root), "/grant:r", f"{ace}:(OI)(CI)RX", "/q"]]
    commands += [[system32("icacls.exe"), str(path), "/grant:r", f"{ace}:(OI)(CI)M", "/q"] for path in modify_dirs]
    commands += [[system32("icacls.exe"), str(path), "/grant:r", f"{ace}:M", "/q"] for path in modify_files]
    return commands


def account_removal(root: Path, sid: str) -> list[list[str]]:
    """The user's entries out of the folder's ACLs, all the way down (/t), going on past a file it cannot
    change (/c): a deleted user's SID would stay there unresolvable."""
    return [[system32("icacls.exe"), str(root), "/remove:g", f"*{sid}", "/t", "/c", "/q"]]
