"""The service manager: a service's state, its registration (read from the registry, else `sc.exe qc`) and
changing that registration in place with `sc.exe config`, `description` and `failure`, as WinSW's own
Native/ServiceApis does through ChangeServiceConfig/ChangeServiceConfig2.

`DeleteService` while any program holds the service open (services.msc, Event Viewer, a monitoring agent) only
marks it for deletion and disables it; `install` then answers "already exists", and the service vanishes when
that program closes it (FACTS.md W4). Changing what the service manager keeps where it is avoids that.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from installer.commands import CommandFailed, Completed, run_command
from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.system_tools import system32
from installer.windows import registry

if TYPE_CHECKING:
    from installer.service_xml import ServiceAccount

log = logging.getLogger(__name__)

SC_TIMEOUT = 30.0
ERROR_SERVICE_ALREADY_RUNNING = 1056
ERROR_SERVICE_DOES_NOT_EXIST = 1060
ERROR_SERVICE_CANNOT_ACCEPT_CONTROL = 1061
ERROR_SERVICE_NOT_ACTIVE = 1062
ERROR_SERVICE_MARKED_FOR_DELETE = 1072
ERROR_SERVICE_EXISTS = 1073


class ServiceError(SetupError):
    """A service call that did not reach its state; the caller decides the exit code."""

    def __init__(self, message: str, detail: str = "", code: ExitCode = ExitCode.ATTENTION) -> None:
        super().__init__(code, message, detail)


def service_error(exc: CommandFailed) -> ServiceError:
    """A program that could not be run, as the service call's failure (the caller decides the exit code)."""
    return ServiceError(exc.message, exc.detail, exc.code)


class ServiceExists(ServiceError):
    """`install` found a service with this id (adopt it, or stop)."""


class MarkedForDeletion(ServiceError):
    """The service is marked for deletion: a program holds it open, and nothing can change it until it closes."""


class ServiceState(Enum):
    NON_EXISTENT = "NonExistent"
    STOPPED = "Stopped"
    STARTED = "Started"
    STARTING = "Starting"
    STOPPING = "Stopping"


# SERVICE_STATUS.dwCurrentState; continue/pause pending and paused read as running.
_SC_STATES = {1: ServiceState.STOPPED, 2: ServiceState.STARTING, 3: ServiceState.STOPPING, 4: ServiceState.STARTED,
              5: ServiceState.STARTED, 6: ServiceState.STARTED, 7: ServiceState.STARTED}
_SC_STATE = re.compile(r"^\s*STATE\s*:\s*(\d+)", re.MULTILINE)


def manager_state(service_id: str) -> ServiceState | None:
    """The state as the service manager keeps it (QueryServiceStatusEx on Windows; elsewhere `sc.exe query`:
    STATE's number, which no Windows language translates), or None when neither can tell."""
    native = service_state(service_id)  # QueryServiceStatusEx on Windows
    if native is not None:
        return ServiceState.NON_EXISTENT if native == STATE_NON_EXISTENT else _SC_STATES.get(native)
    try:
        done = run_command([system32("sc.exe"), "query", service_id], timeout=SC_TIMEOUT)
    except CommandFailed:
        return None
    if done.is_code(ERROR_SERVICE_DOES_NOT_EXIST):
        return ServiceState.NON_EXISTENT
    match = _SC_STATE.search(done.stdout)
    return _SC_STATES.get(int(match.group(1))) if done.code == 0 and match else None


# --- a service's registration, from the registry (not localised, unlike sc.exe's text) ------------------------

SERVICES = r"SYSTEM\CurrentControlSet\Services"


@dataclass(frozen=True)
class ServiceKey:
    r"""`HKLM\SYSTEM\CurrentControlSet\Services\<id>` as the service manager writes it."""

    account: str  # ObjectName: LocalSystem, NT AUTHORITY\LocalService, .\user, DOMAIN\user
    image_path: str | None  # ImagePath: the exe, quoted, maybe with arguments
    start: int | None  # Start: 2 automatic, 3 demand, 4 disabled
    marked_for_deletion: bool  # DeleteFlag: DeleteService ran while a handle was open


def service_key(service_id: str) -> ServiceKey | None:
    """The service's key; None when the service does not exist (or there is no registry: ask registry_available)."""
    path = f"{SERVICES}\\{service_id}"
    if service_id.lower() not in (name.lower() for name in registry.subkeys(SERVICES)):
        return None
    account = registry.read_value(path, "ObjectName")
    image = registry.read_value(path, "ImagePath")
    start = registry.read_value(path, "Start")
    return ServiceKey(
        account=account if isinstance(account, str) and account else "LocalSystem",
        image_path=image if isinstance(image, str) else None,
        start=start if isinstance(start, int) else None,
        marked_for_deletion=registry.read_value(path, "DeleteFlag") == 1,
    )


# --- the service manager's own state of a service (QueryServiceStatusEx) ------------------------------------

SC_MANAGER_CONNECT = 0x0001
SERVICE_QUERY_STATUS = 0x0004
SC_STATUS_PROCESS_INFO = 0
STATE_NON_EXISTENT = 0  # not a SERVICE_STATUS state: the service is not registered


def _status_process_type() -> Any:
    import ctypes

    class ServiceStatusProcess(ctypes.Structure):
        _fields_ = [(name, ctypes.c_uint32) for name in (
            "dwServiceType", "dwCurrentState", "dwControlsAccepted", "dwWin32ExitCode",
            "dwServiceSpecificExitCode", "dwCheckPoint", "dwWaitHint", "dwProcessId", "dwServiceFlags")]

    return ServiceStatusProcess


def service_state(service_id: str, advapi32: Any = None, last_error: Any = None) -> int | None:
    """SERVICE_STATUS_PROCESS.dwCurrentState (1 stopped, 2 start pending, 3 stop pending, 4 running, ...),
    STATE_NON_EXISTENT when the service is not registered, None off Windows or when the call fails. No program
    is started: WinSW's `status` is a .NET start inside the upgrade's downtime. `advapi32`/`last_error` are
    for tests (a Linux run asserts the calls)."""
    import ctypes

    if advapi32 is None:
        if os.name != "nt":
            return None
        advapi32 = ctypes.WinDLL("advapi32", use_last_error=True)  # type: ignore[attr-defined]
        last_error = ctypes.get_last_error  # type: ignore[attr-defined]
        # SC_HANDLE is a pointer: without these, ctypes would cut a 64-bit handle to an int.
        handle, dword = ctypes.c_void_p, ctypes.c_uint32
        advapi32.OpenSCManagerW.restype = handle
        advapi32.OpenSCManagerW.argtypes = [ctypes.c_wchar_p, ctypes.c_wchar_p, dword]
        advapi32.OpenServiceW.restype = handle
        advapi32.OpenServiceW.argtypes = [handle, ctypes.c_wchar_p, dword]
        advapi32.QueryServiceStatusEx.argtypes = [handle, ctypes.c_int, ctypes.c_void_p, dword,
                                                  ctypes.POINTER(dword)]
        advapi32.CloseServiceHandle.argtypes = [handle]
    manager = advapi32.OpenSCManagerW(None, None, SC_MANAGER_CONNECT)
    if not manager:
        return None
    try:
        service = advapi32.OpenServiceW(manager, service_id, SERVICE_QUERY_STATUS)
        if not service:
            return STATE_NON_EXISTENT if last_error and last_error() == ERROR_SERVICE_DOES_NOT_EXIST else None
        try:
            status = _status_process_type()()
            needed = ctypes.c_uint32(0)
            if not advapi32.QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, ctypes.byref(status),
                                                 ctypes.sizeof(status), ctypes.byref(needed)):
                return None
            return int(status.dwCurrentState)
        finally:
            advapi32.CloseServiceHandle(service)
    finally:
        advapi32.CloseServiceHandle(manager)


# --- what the service manager has registered: the registry, else `sc.exe qc` ---------------------------------


@dataclass(frozen=True)
class Registered:
    """What the service manager knows of a service id."""

    exists: bool
    account: str | None = None
    binary_path: str | None = None  # the exe, without quotes or arguments


def binary_exe(binary_path: str) -> str:
    """The exe in a service's ImagePath / BINARY_PATH_NAME (`"C:\\ip\\ip.exe"`, or unquoted with arguments)."""
    text = binary_path.strip()
    if text.startswith('"'):
        return text[1:].split('"', 1)[0]
    match = re.match(r"(?i)(.*?\.exe)(\s|$)", text)
    return match.group(1) if match else text


def registered(service_id: str) -> Registered:
    """The service's registration: the registry's ObjectName and ImagePath (sc.exe's labels may be translated,
    W12), else `sc.exe qc`'s SERVICE_START_NAME and BINARY_PATH_NAME. CommandFailed when sc.exe cannot be run,
    ServiceError when it fails."""
    if registry.registry_available():
        key = service_key(service_id)
        if key is None:
            return Registered(exists=False)
        return Registered(True, key.account, binary_exe(key.image_path) if key.image_path else None)
    done = run_command([system32("sc.exe"), "qc", service_id], timeout=SC_TIMEOUT)
    if done.is_code(ERROR_SERVICE_DOES_NOT_EXIST):
        return Registered(exists=False)
    if done.code != 0:
        raise ServiceError(t("service.sc_failed", service_id=service_id, code=done.code, output=done.output))

    def value(name: str) -> str | None:
        match = re.search(rf"^\s*{name}\s*:\s*(.*?)\s*$", done.stdout, re.MULTILINE)
        return match.group(1) if match and match.group(1) else None

    binary = value("BINARY_PATH_NAME")
    return Registered(True, value("SERVICE_START_NAME"), binary_exe(binary) if binary else None)


# --- changing the registration in place (sc.exe config, description, failure) ---------------------------------


@dataclass(frozen=True)
class Registration:
    """What the service manager keeps of a service, as its WinSW XML says it."""

    display_name: str
    description: str
    start: str  # sc's word: auto, delayed-auto, demand, disabled
    depend: list[str]
    account: ServiceAccount | None  # None: leave the account as it is (services.msc may have set it)
    reset_failure: int  # seconds
    failure_actions: list[tuple[str, int]]  # (restart|none|reboot, milliseconds)


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


def set_start(service_id: str, start: str) -> bool:
    """`sc.exe config <id> start= <start>`; False (logged) when the service is missing or sc fails."""
    try:
        done = run_command([system32("sc.exe"), "config", service_id, "start=", start], timeout=SC_TIMEOUT)
    except CommandFailed as exc:
        log.warning("start type of %s not set to %s: %s", service_id, start, exc.message)
        return False
    return done.code == 0


def configure(service_id: str, reg: Registration) -> None:
    """Give the registered service `reg` (config, description, failure). MarkedForDeletion when a program holds
    it open."""
    secrets = (reg.account.password,) if reg.account is not None and reg.account.password else ()
    for command in sc_commands(service_id, reg):
        _run_sc(command, service_id, secrets)


def set_failure_actions(service_id: str, reg: Registration) -> None:
    """`sc.exe failure`: the failure actions of `reg`."""
    _run_sc(sc_commands(service_id, reg)[-1], service_id)


def suspend_failure_actions(service_id: str) -> None:
    """`sc.exe failure <id> reset= 0 actions= ""`: no restart by the service manager while a switch runs
    (FACTS.md W5). A restart already pending is not cancelled by this; the caller waits it out."""
    _run_sc([system32("sc.exe"), "failure", service_id, "reset=", "0", "actions=", ""], service_id)


def _run_sc(command: list[str], service_id: str, secrets: tuple[str, ...] = ()) -> Completed:
    try:
        done = run_command(command, timeout=SC_TIMEOUT, secrets=secrets)
    except CommandFailed as exc:
        raise service_error(exc) from None
    if done.is_code(ERROR_SERVICE_MARKED_FOR_DELETE):
        raise MarkedForDeletion(t("service.marked_for_deletion", service_id=service_id))
    if done.code != 0:
        raise ServiceError(t("service.config_failed", service_id=service_id, verb=command[1], code=done.code,
                             output=done.output))
    return done
