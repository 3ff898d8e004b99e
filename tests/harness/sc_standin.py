"""A stand-in for Windows' `sc.exe`: `sc.exe qc <id>` and `sc.exe query <id>` print a service's registration
and state from the WinSW stand-in's registry, the way sc does (FACTS.md section 5)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from tests.harness.service_registry import Record, Registry, state_of

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TYPE_NAMES = {0: "BOOT_START", 1: "SYSTEM_START", 2: "AUTO_START", 3: "DEMAND_START", 4: "DISABLED"}
STATES = {"stopped": (1, "STOPPED"), "starting": (2, "START_PENDING"), "stopping": (3, "STOP_PENDING"),
          "running": (4, "RUNNING")}


@cache
def sc_bytes() -> bytes:
    return (
        f"#!{sys.executable}\n"
        "# sc.exe stand-in for POSIX tests (tests/harness/sc_standin.py)\n"
        "import sys\n"
        f"sys.path.insert(0, {str(REPO_ROOT)!r})\n"
        "from tests.harness.sc_standin import main\n"
        "sys.exit(main(sys.argv))\n"
    ).encode()


def _field(name: str, value: object) -> str:
    return f"        {name:<19}: {value}".rstrip()


def query_config(record: Record) -> str:
    start_type = int(record.get("start_type", 2))
    return "\n".join([
        "[SC] QueryServiceConfig SUCCESS",
        "",
        f"SERVICE_NAME: {record['id']}",
        _field("TYPE", "10  WIN32_OWN_PROCESS"),
        _field("START_TYPE", f"{start_type:<4}{START_TYPE_NAMES.get(start_type, '')}"),
        _field("ERROR_CONTROL", "1   NORMAL"),
        _field("BINARY_PATH_NAME", f'"{record["binary_path"]}"'),
        _field("LOAD_ORDER_GROUP", ""),
        _field("TAG", "0"),
        _field("DISPLAY_NAME", record.get("display_name") or record["id"]),
        _field("DEPENDENCIES", ""),
        _field("SERVICE_START_NAME", record.get("account") or "LocalSystem"),
        "",
    ])


def query_state(record: Record) -> str:
    code, name = STATES[state_of(record)]
    return "\n".join([
        "",
        f"SERVICE_NAME: {record['id']}",
        _field("TYPE", "10  WIN32_OWN_PROCESS"),
        _field("STATE", f"{code}  {name}"),
        "                                (STOPPABLE, NOT_PAUSABLE, ACCEPTS_SHUTDOWN)",
        _field("WIN32_EXIT_CODE", "0  (0x0)"),
        _field("SERVICE_EXIT_CODE", "0  (0x0)"),
        _field("CHECKPOINT", "0x0"),
        _field("WAIT_HINT", "0x0"),
        "",
    ])


def set_service_account(registry: Path, service_id: str, account: str) -> None:
    """What an admin does in services.msc: the service logs on as `account` from now on."""
    reg = Registry(registry)
    with reg.locked(service_id):
        record = reg.current(service_id)
        if record is None:
            raise KeyError(f"no service {service_id!r} in {registry}")
        record["account"] = account
        reg.save(record)


def main(argv: list[str]) -> int:
    args = argv[1:]
    if len(args) != 2 or args[0].lower() not in ("qc", "query"):
        print("DESCRIPTION:\n        SC is a command line program used for communicating with the\n"
              "        Service Control Manager and services.\n(stand-in: only `qc <id>` and `query <id>`)")
        return 1
    verb, service_id = args[0].lower(), args[1]
    try:
        registry = Registry.from_env()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    with registry.locked(service_id):
        record = registry.current(service_id)
    if record is None:
        print(f"[SC] {'OpenService' if verb == 'qc' else 'EnumQueryServicesStatus:OpenService'} FAILED 1060:\n\n"
              "The specified service does not exist as an installed service.\n")
        return 1060
    print(query_config(record) if verb == "qc" else query_state(record))
    return 0
