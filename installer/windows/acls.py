"""Who may touch a folder: the ACLs setup gives with `icacls` (a new install folder will hold a keystore password
and an exe that runs as LocalSystem, so only Administrators, SYSTEM and the service's account may touch it), and
a folder's owner and DACL as Windows reports them (GetNamedSecurityInfo), with the account setup runs as.

Well-known SIDs, not names, so the commands work on a Norwegian or any other Windows language.
"""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path
from typing import Any

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
    apply(icacls_commands(folder, account))


def apply(commands: list[list[str]]) -> None:
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


def takeover_commands(folder: Path, account: str | None = None) -> list[list[str]]:
    """`icacls` command lines that take an existing folder over: Administrators own everything, every inherited
    or explicit entry below is reset, then the folder's own ACL (Administrators and SYSTEM only); the service
    account keeps Modify on the folders integrasjonspunkt writes to."""
    icacls = system32("icacls.exe")
    commands = [
        [icacls, str(folder), "/setowner", ADMINISTRATORS, "/T", "/C", "/L", "/Q"],
        [icacls, str(folder), "/reset", "/T", "/C", "/L", "/Q"],
        *icacls_commands(folder),
    ]
    if account and account.strip().lower() not in LOCAL_SYSTEM_NAMES:
        for name in ("integrasjonspunkt-logs", "activemq-data", "messages"):
            commands.append([icacls, str(folder / name), "/grant:r", f"{account}:(OI)(CI)M"])
    return commands


# --- what Windows reports ----------------------------------------------------------------------------------


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
