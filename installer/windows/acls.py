"""Who may touch a folder: its owner and DACL (GetNamedSecurityInfo) and the account setup runs as."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


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
