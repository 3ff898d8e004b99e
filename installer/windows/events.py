"""The Event Log: one entry from an event source (RegisterEventSourceW, ReportEventW, DeregisterEventSource)."""

from __future__ import annotations

import logging
import os
from typing import Any

log = logging.getLogger(__name__)


def _advapi32() -> Any:
    import ctypes
    from ctypes import wintypes

    advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
    advapi32.RegisterEventSourceW.restype = wintypes.HANDLE
    advapi32.RegisterEventSourceW.argtypes = [wintypes.LPCWSTR, wintypes.LPCWSTR]
    advapi32.ReportEventW.restype = wintypes.BOOL
    advapi32.ReportEventW.argtypes = [wintypes.HANDLE, wintypes.WORD, wintypes.WORD, wintypes.DWORD, wintypes.LPVOID,
                                      wintypes.WORD, wintypes.DWORD, ctypes.POINTER(wintypes.LPCWSTR),
                                      wintypes.LPVOID]
    advapi32.DeregisterEventSource.restype = wintypes.BOOL
    advapi32.DeregisterEventSource.argtypes = [wintypes.HANDLE]
    return advapi32


def report_event(source: str, event_type: int, event_id: int, text: str, advapi32: Any = None) -> bool:
    """Write one entry with `text` as its one string; False off Windows or when Windows refuses. `advapi32` is
    for tests (a Linux run asserts the calls)."""
    from ctypes import wintypes

    if advapi32 is None:
        if os.name != "nt":
            return False
        advapi32 = _advapi32()
    handle = advapi32.RegisterEventSourceW(None, source)
    if not handle:
        log.warning("RegisterEventSourceW(%s) failed", source)
        return False
    try:
        strings = (wintypes.LPCWSTR * 1)(text)
        if not advapi32.ReportEventW(handle, event_type, 0, event_id, None, 1, 0, strings, None):
            log.warning("ReportEventW failed (%s, event %d)", source, event_id)
            return False
        return True
    finally:
        advapi32.DeregisterEventSource(handle)
