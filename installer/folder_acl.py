"""The ACL of a new install folder on Windows: it will hold a keystore password and an exe that runs as
LocalSystem, so only Administrators, SYSTEM and the service's account may touch it.

Well-known SIDs, not names, so the commands work on a Norwegian or any other Windows language.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

ADMINISTRATORS = "*S-1-5-32-544"
SYSTEM = "*S-1-5-18"
LOCAL_SYSTEM_NAMES = {"localsystem", "nt authority\\system", ".\\localsystem"}


def icacls_commands(folder: Path, account: str | None = None) -> list[list[str]]:
    """`icacls` command lines: drop inherited entries, full control for Administrators and SYSTEM, modify for
    the service's own account when it is not LocalSystem; (OI)(CI) so files and sub-folders inherit it."""
    command = ["icacls", str(folder), "/inheritance:r",
               "/grant:r", f"{ADMINISTRATORS}:(OI)(CI)F",
               "/grant:r", f"{SYSTEM}:(OI)(CI)F"]
    if account and account.strip().lower() not in LOCAL_SYSTEM_NAMES:
        command += ["/grant:r", f"{account}:(OI)(CI)M"]
    return [command]


def restrict(folder: Path, account: str | None = None) -> None:
    """Apply the ACL (Windows only; elsewhere the folder keeps the permissions the OS gave it)."""
    if os.name != "nt":
        return
    for command in icacls_commands(folder, account):
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        log.info("%s -> %d %s%s", " ".join(command), proc.returncode, proc.stdout.strip(), proc.stderr.strip())
        if proc.returncode != 0:
            raise OSError(f"icacls exited {proc.returncode}: {(proc.stderr or proc.stdout).strip()}")
