"""One Windows Event Log entry per silent run, in the Application log, where admins and monitoring look.

The event source is `<service id>-setup` (one per installation: a server may hold several, and uninstalling one
must not take the source of another). setup has no message DLL of its own: the source names .NET Framework 4's
`EventLogMessages.dll`, which is what .NET's `EventLog.CreateEventSource` registers for a source without one and
whose text for every event id is the first string (`%1`). .NET Framework 4 is there wherever WinSW 2.x runs.
Without a registered message file Event Viewer shows "The description for Event ID ... cannot be found".

The event id is the exit code (the table in docs/cli.md); the type follows from it.
"""

from __future__ import annotations

import logging
from typing import Any

from installer.errors import ExitCode
from installer.windows import events, registry, sysinfo

log = logging.getLogger(__name__)

APPLICATION_LOG = r"SYSTEM\CurrentControlSet\Services\EventLog\Application"
MESSAGE_FILE = r"%SystemRoot%\Microsoft.NET\{framework}\v4.0.30319\EventLogMessages.dll"
EVENTLOG_ERROR_TYPE, EVENTLOG_WARNING_TYPE, EVENTLOG_INFORMATION_TYPE = 0x1, 0x2, 0x4
TYPES_SUPPORTED = EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE
# ReportEvent takes at most 31,839 characters in one string.
MAX_TEXT = 31_839
# Results an admin should look at without anything being broken: the old version runs, or nothing changed on
# purpose. Every other code but 0 is an error.
_WARNINGS = frozenset({ExitCode.UPGRADE_FAILED, ExitCode.NOT_INSTALLED, ExitCode.CANCELLED, ExitCode.BUSY, 1638})


def source_name(service_id: str) -> str:
    return f"{service_id}-setup"


def source_key(service_id: str) -> str:
    return f"{APPLICATION_LOG}\\{source_name(service_id)}"


def message_file() -> str:
    # A 32-bit Windows has only the 32-bit Framework folder.
    return MESSAGE_FILE.format(framework="Framework" if sysinfo.machine_arch() == "x86" else "Framework64")


def event_type(code: int) -> int:
    if code == ExitCode.OK:
        return EVENTLOG_INFORMATION_TYPE
    return EVENTLOG_WARNING_TYPE if code in _WARNINGS else EVENTLOG_ERROR_TYPE


def event_id(code: int) -> int:
    """The exit code itself: every code setup has fits the 16 bits an event id shows."""
    return int(code) & 0xFFFF


def register(service_id: str) -> bool:
    """Register the event source (idempotent); False where there is no registry or it could not be written."""
    try:
        return registry.write_key(source_key(service_id), {
            "EventMessageFile": (registry.REG_EXPAND_SZ, message_file()),
            "TypesSupported": (registry.REG_DWORD, TYPES_SUPPORTED),
        })
    except OSError as exc:
        log.warning("event source %s not registered: %s", source_name(service_id), exc)
        return False


def unregister(service_id: str) -> None:
    try:
        if registry.delete_key(source_key(service_id)):
            log.info("event source %s removed", source_name(service_id))
    except OSError as exc:
        log.warning("event source %s not removed: %s", source_name(service_id), exc)


def report(service_id: str, code: int, text: str, advapi32: Any = None) -> bool:
    """Write one entry with `text` as its one string (windows/events.py). False off Windows or when Windows
    refuses (a report must never change the run's result). `advapi32` is for tests (a Linux run asserts the
    calls)."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - 1] + "…"
    return events.report_event(source_name(service_id), event_type(code), event_id(code), text, advapi32)
