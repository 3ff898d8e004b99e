"""Text from other programs' bytes: UTF-8 when it is, else the code page Windows programs write in.

Console programs (sc, icacls, schtasks, WinSW) write the OEM code page (cp850 or cp865 on a Norwegian server),
Java writes its logs in the ANSI code page (cp1252) unless told otherwise. A strict decode of either raises on
the first æøå; these never raise.
"""

from __future__ import annotations

import os

OEM_FALLBACK = "cp850"  # where Python has no "oem" codec (off Windows): Western Europe's OEM code page
ANSI_FALLBACK = "cp1252"


def _oem() -> str:
    return "oem" if os.name == "nt" else OEM_FALLBACK


def console_output(data: bytes) -> str:
    """A console program's output: UTF-8, else the OEM code page."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(_oem(), errors="replace")


def ansi_text(data: bytes) -> str:
    """A file a Windows program wrote (a Java log): UTF-8, else the ANSI code page cp1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(ANSI_FALLBACK, errors="replace")
