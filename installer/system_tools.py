"""Where Windows' own tools are.

`CreateProcess` without a full path, and `shutil.which` before Python 3.12 on Windows, look in the exe's own
folder and the current directory before System32 (FACTS.md W8): an `sc.exe` planted beside setup.exe or in the
folder an admin runs it from would run elevated. So sc, icacls, schtasks and reg are run by their System32 path.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_SYSTEM_ROOT = r"C:\Windows"


def system_root(environ: Mapping[str, str] | None = None) -> str:
    """`%SystemRoot%` (any case of the name, as Windows' environment ignores case), else C:\\Windows."""
    environ = os.environ if environ is None else environ
    for name in ("SystemRoot", "SYSTEMROOT", "systemroot"):
        value = environ.get(name, "").strip()
        if value:
            return value
    return DEFAULT_SYSTEM_ROOT


def system32(tool: str, environ: Mapping[str, str] | None = None) -> str:
    """The full path of a Windows tool, e.g. `C:\\Windows\\System32\\sc.exe`."""
    root = system_root(environ)
    separator = "\\" if "\\" in root or ":" in root else os.sep
    return separator.join([root.rstrip("\\/"), "System32", tool])
