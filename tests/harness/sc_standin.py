"""A stand-in for Windows' `sc.exe`: `sc.exe qc <id>` and `sc.exe query <id>` print a service's registration
and state from the WinSW stand-in's registry, the way sc does (FACTS.md section 5); `sc.exe config`,
`sc.exe description` and `sc.exe failure` change it in place (ChangeServiceConfig/ChangeServiceConfig2), and
fail with 1072 on a service marked for deletion, as Windows does."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from tests.harness.service_registry import Record, Registry, state_of

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TYPE_WORDS = {"boot": 0, "system": 1, "auto": 2, "delayed-auto": 2, "demand": 3, "disabled": 4}
FAILURE_ACTIONS = {"restart": "restart", "none": "none", "reboot": "reboot", "": "none"}
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


def _options(words: list[str]) -> dict[str, str] | None:
    """sc's `name= value` pairs (the `=` belongs to the name, the value is the next word)."""
    if len(words) % 2 or not all(w.endswith("=") for w in words[0::2]):
        return None
    return {name[:-1].lower(): value for name, value in zip(words[0::2], words[1::2], strict=True)}


def _change(record: Record, verb: str, rest: list[str]) -> str | None:
    """Apply `config`/`description`/`failure` to the record; an error text for a bad command line."""
    if verb == "description":
        if len(rest) != 1:
            return "description takes one text"
        record["description"] = rest[0]
        return None
    options = _options(rest)
    if options is None:
        return f"bad options: {rest}"
    if verb == "config":
        for name, value in options.items():
            if name == "start" and value.lower() in START_TYPE_WORDS:
                record["start_type"] = START_TYPE_WORDS[value.lower()]
                record["delayed_auto_start"] = value.lower() == "delayed-auto"
            elif name == "displayname":
                record["display_name"] = value
            elif name == "obj":
                record["account"] = value
            elif name == "depend":
                record["depend"] = [d for d in value.split("/") if d]
            elif name != "password":
                return f"unknown option {name}="
        return None
    reset, actions = options.get("reset"), options.get("actions")
    if reset is None or actions is None:
        return "failure needs reset= and actions="
    parts = actions.split("/") if actions else []
    if len(parts) % 2:
        return f"bad actions= {actions}"
    record["reset_failure"] = float(int(reset))
    record["failure_actions"] = [[FAILURE_ACTIONS[a], int(d) / 1000.0] for a, d in zip(parts[0::2], parts[1::2],
                                                                                       strict=True)]
    return None


CHANGE_CALLS = {"config": "ChangeServiceConfig", "description": "ChangeServiceConfig2",
                "failure": "ChangeServiceConfig2"}


def change(verb: str, service_id: str, rest: list[str]) -> int:
    registry = Registry.from_env()
    with registry.locked(service_id):
        record = registry.current(service_id)
        if record is None:
            print("[SC] OpenService FAILED 1060:\n\nThe specified service does not exist as an installed service.\n")
            return 1060
        if record.get("marked_for_deletion"):
            print(f"[SC] {CHANGE_CALLS[verb]} FAILED 1072:\n\nThe specified service has been marked for deletion.\n")
            return 1072
        problem = _change(record, verb, rest)
        if problem:
            print(f"(stand-in) {problem}", file=sys.stderr)
            return 87  # ERROR_INVALID_PARAMETER
        registry.save(record)
    print(f"[SC] {CHANGE_CALLS[verb]} SUCCESS")
    return 0


def main(argv: list[str]) -> int:
    args = argv[1:]
    if len(args) >= 2 and args[0].lower() in CHANGE_CALLS:
        return change(args[0].lower(), args[1], args[2:])
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
