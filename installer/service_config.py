"""What a service's WinSW XML asks of the service manager (display name, description, start type, account,
dependencies, failure actions), given to the registered service in place by windows/services.py instead of
WinSW's `uninstall` + `install`. The exe path stays: the service's WinSW exe is replaced in its place.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import xml.etree.ElementTree as ET
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from installer import service_xml
from installer.errors import SetupError
from installer.messages import t
from installer.windows import services
from installer.windows.services import Registration, ServiceError

log = logging.getLogger(__name__)

DEFAULT_RESET_FAILURE = 86400  # WinSW's resetfailure default: 1 day
_START_WORDS = {"automatic": "auto", "manual": "demand", "disabled": "disabled", "boot": "boot", "system": "system"}


def _texts(root: object, tag: str) -> list[str]:
    # WinSW 2 finds an element anywhere in the file.
    return [(e.text or "").strip() for e in root.iter(tag)]  # type: ignore[attr-defined]


def registration_of(xml_path: Path, service_id: str) -> Registration:
    """The registration the XML asks for; ValueError when WinSW would reject a value."""
    parsed = service_xml.read(xml_path)
    root = DefusedET.fromstring(xml_path.read_bytes())
    mode = (_texts(root, "startmode") or ["Automatic"])[-1].lower() or "automatic"
    if mode not in _START_WORDS:
        raise ValueError(f"startmode {mode!r}")
    start = _START_WORDS[mode]
    if start == "auto" and list(root.iter("delayedAutoStart")):
        start = "delayed-auto"  # WinSW 2: the element's presence means true
    actions = []
    for action, delay in parsed.failure_actions:
        actions.append((action or "none", round(service_xml.parse_duration(delay) * 1000) if delay else 0))
    reset = (round(service_xml.parse_duration(parsed.reset_failure)) if parsed.reset_failure
             else DEFAULT_RESET_FAILURE)
    return Registration(
        display_name=parsed.name or service_id,
        description=parsed.description or "",
        start=start,
        depend=[d for d in _texts(root, "depend") if d],
        account=parsed.account,
        reset_failure=reset,
        failure_actions=actions,
    )


def hold_start() -> bool:
    """While a journal is open the service starts on demand only (Windows): a reboot in the middle of a switch
    must not auto-start a half-switched version; the boot-time recovery puts things right and restores it."""
    return os.name == "nt"


def start_of(xml_path: Path, service_id: str) -> str | None:
    """The start type the XML asks for (sc's word); None when the XML cannot be read."""
    try:
        return registration_of(xml_path, service_id).start
    except (SetupError, ValueError, OSError, DefusedXmlException, ET.ParseError):
        return None


def apply(service_id: str, xml_path: Path, *, hold: bool = False) -> None:
    """Give the registered service what its XML asks for (`hold`: start type demand, for the length of an
    open journal). MarkedForDeletion when a program holds it open."""
    try:
        reg = registration_of(xml_path, service_id)
        if hold:
            reg = dataclasses.replace(reg, start="demand")
    except SetupError:
        raise
    except (ValueError, OSError, DefusedXmlException, ET.ParseError) as exc:
        raise ServiceError(t("service.config_unreadable", path=xml_path, reason=exc)) from None
    services.configure(service_id, reg)


def restart_delay(xml_path: Path, service_id: str) -> float:
    """The longest `onfailure` restart delay the XML asks for, in seconds (0 when it restarts nothing or
    cannot be read): how long after a crash the service manager may still start the service on its own."""
    try:
        actions = registration_of(xml_path, service_id).failure_actions
    except (SetupError, ValueError, OSError, DefusedXmlException, ET.ParseError):
        return 0.0
    return max((delay / 1000 for action, delay in actions if action == "restart"), default=0.0)


def restore_failure_actions(service_id: str, xml_path: Path) -> None:
    """The failure actions the XML asks for, back after a switch."""
    try:
        reg = registration_of(xml_path, service_id)
    except SetupError:
        raise
    except (ValueError, OSError, DefusedXmlException, ET.ParseError) as exc:
        raise ServiceError(t("service.config_unreadable", path=xml_path, reason=exc)) from None
    services.set_failure_actions(service_id, reg)
