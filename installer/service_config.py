"""Changing a service's registration in place with `sc.exe config`, `sc.exe description` and `sc.exe failure`
(ChangeServiceConfig/ChangeServiceConfig2), instead of WinSW's `uninstall` + `install`.

`DeleteService` while any program holds the service open (services.msc, Event Viewer, a monitoring agent) only
marks it for deletion and disables it; `install` then answers "already exists", and the service vanishes when
that program closes it (FACTS.md W4). Changing what the service manager keeps – display name, description,
start type, account, dependencies, failure actions – where it is avoids that. The exe path stays: the service's
WinSW exe is replaced in its place.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET

from installer import service_xml
from installer.commands import CommandFailed, Completed, run_command
from installer.errors import SetupError
from installer.messages import t
from installer.system_tools import system32
from installer.winsw import ERROR_SERVICE_MARKED_FOR_DELETE, MarkedForDeletion, ServiceError, service_error

log = logging.getLogger(__name__)

SC_TIMEOUT = 30.0
DEFAULT_RESET_FAILURE = 86400  # WinSW's resetfailure default: 1 day
_START_WORDS = {"automatic": "auto", "manual": "demand", "disabled": "disabled", "boot": "boot", "system": "system"}


@dataclass(frozen=True)
class Registration:
    """What the service manager keeps of a service, as its WinSW XML says it."""

    display_name: str
    description: str
    start: str  # sc's word: auto, delayed-auto, demand, disabled
    depend: list[str]
    account: service_xml.ServiceAccount | None  # None: leave the account as it is (services.msc may have set it)
    reset_failure: int  # seconds
    failure_actions: list[tuple[str, int]]  # (restart|none|reboot, milliseconds)


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


def sc_commands(service_id: str, reg: Registration) -> list[list[str]]:
    """The sc.exe command lines that make the service's registration `reg` (each word its own argument:
    sc wants `name=` and the value as two)."""
    sc = system32("sc.exe")
    config = [sc, "config", service_id, "start=", reg.start, "DisplayName=", reg.display_name,
              "depend=", "/".join(reg.depend) or "/"]
    if reg.account is not None:
        config += ["obj=", "LocalSystem" if reg.account.is_local_system else reg.account.username]
        if reg.account.password and not reg.account.is_local_system:
            config += ["password=", reg.account.password]
    actions = "/".join(f"{action}/{delay}" for action, delay in reg.failure_actions)
    return [
        config,
        [sc, "description", service_id, reg.description],
        [sc, "failure", service_id, "reset=", str(reg.reset_failure), "actions=", actions],
    ]


def hold_start() -> bool:
    """While a journal is open the service starts on demand only (Windows): a reboot in the middle of a switch
    must not auto-start a half-switched version; the boot-time recovery puts things right and restores it."""
    return os.name == "nt"


def set_start(service_id: str, start: str) -> bool:
    """`sc.exe config <id> start= <start>`; False (logged) when the service is missing or sc fails."""
    try:
        done = run_command([system32("sc.exe"), "config", service_id, "start=", start], timeout=SC_TIMEOUT)
    except CommandFailed as exc:
        log.warning("start type of %s not set to %s: %s", service_id, start, exc.message)
        return False
    return done.code == 0


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
    secrets = (reg.account.password,) if reg.account is not None and reg.account.password else ()
    for command in sc_commands(service_id, reg):
        done = _sc(command, secrets)
        if done.is_code(ERROR_SERVICE_MARKED_FOR_DELETE):
            raise MarkedForDeletion(t("service.marked_for_deletion", service_id=service_id))
        if done.code != 0:
            raise ServiceError(t("service.config_failed", service_id=service_id, verb=command[1], code=done.code,
                                 output=done.output))


def restart_delay(xml_path: Path, service_id: str) -> float:
    """The longest `onfailure` restart delay the XML asks for, in seconds (0 when it restarts nothing or
    cannot be read): how long after a crash the service manager may still start the service on its own."""
    try:
        actions = registration_of(xml_path, service_id).failure_actions
    except (SetupError, ValueError, OSError, DefusedXmlException, ET.ParseError):
        return 0.0
    return max((delay / 1000 for action, delay in actions if action == "restart"), default=0.0)


def suspend_failure_actions(service_id: str) -> None:
    """`sc.exe failure <id> reset= 0 actions= ""`: no restart by the service manager while a switch runs
    (FACTS.md W5). A restart already pending is not cancelled by this; the caller waits it out."""
    _run_sc([system32("sc.exe"), "failure", service_id, "reset=", "0", "actions=", ""], service_id)


def restore_failure_actions(service_id: str, xml_path: Path) -> None:
    """The failure actions the XML asks for, back after a switch."""
    try:
        reg = registration_of(xml_path, service_id)
    except SetupError:
        raise
    except (ValueError, OSError, DefusedXmlException, ET.ParseError) as exc:
        raise ServiceError(t("service.config_unreadable", path=xml_path, reason=exc)) from None
    _run_sc(sc_commands(service_id, reg)[-1], service_id)


def _sc(command: list[str], secrets: tuple[str, ...] = ()) -> Completed:
    try:
        return run_command(command, timeout=SC_TIMEOUT, secrets=secrets)
    except CommandFailed as exc:
        raise service_error(exc) from None


def _run_sc(command: list[str], service_id: str) -> None:
    done = _sc(command)
    if done.is_code(ERROR_SERVICE_MARKED_FOR_DELETE):
        raise MarkedForDeletion(t("service.marked_for_deletion", service_id=service_id))
    if done.code != 0:
        raise ServiceError(t("service.config_failed", service_id=service_id, verb=command[1], code=done.code,
                             output=done.output))
