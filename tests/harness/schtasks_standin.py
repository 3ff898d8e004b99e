"""A stand-in for Windows' `schtasks.exe` (FACTS.md section 7), installed as `schtasks.exe` in the fake
`SystemRoot\\System32` by the `winsw_env` fixture, beside the WinSW stand-in's service registry.

It keeps registered tasks in a store (`scheduled-tasks/` beside the registry folder, one JSON file per task,
changed under one lock) and really runs them:

- `/create /tn NAME /xml FILE [/ru USER [/rp PASSWORD]] [/f]` reads the Task Scheduler XML (UTF-16 with a BOM),
  refuses what Task Scheduler refuses (not the task namespace, an unknown or repeated element, a missing
  `Actions`/`Command`, a value out of its type, `LogonType` ServiceAccount, a `Password` logon without `/ru` and
  `/rp`) and keeps the definition; the password itself is never kept;
- `/run /tn NAME` starts `Actions/Exec` (`Command` + `Arguments`, split by Windows' rules) in
  `WorkingDirectory` as a detached process (its own session, no console) and records its pid; a running task is
  left alone (`MultipleInstancesPolicy` IgnoreNew, the default);
- `/end /tn NAME` kills the process tree it started (TerminateProcess: no shutdown hook runs);
- `/delete /tn NAME /f`, `/query /tn NAME /xml` (the stored XML), `/query [/tn NAME] /fo csv /v`.

Every command line is appended to `calls.jsonl` in the store, so tests assert the exact calls. Exit codes and
texts are schtasks' (0, or 1 with `ERROR: ...`). `boot(store)` is the harness's reboot: it starts every task with
an enabled `BootTrigger`.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import psutil

from installer.windows_args import split_windows_args
from tests.harness.service_registry import ENV_REGISTRY, alive, identity

REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_STORE = "SCHTASKS_STANDIN_STORE"
NAMESPACE = "http://schemas.microsoft.com/windows/2004/02/mit/task"
VERSIONS = ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6")
NOT_FOUND = "ERROR: The system cannot find the file specified."
Task = dict[str, Any]

_BOOL = re.compile(r"^(true|false)$")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")  # xs:dateTime
_LOGON_TYPES = ("S4U", "Password", "InteractiveToken", "InteractiveTokenOrPassword", "Group", "None")
# The children each element may have (the schema's xs:all groups: any order, each at most once), and the
# value check of each leaf. Only the part of the schema setup writes or an admin's Alt 3 task uses is listed;
# anything else is "an unexpected node", as Task Scheduler says for an element it does not know.
_LEAF_CHECKS: dict[str, re.Pattern[str] | tuple[str, ...] | None] = {
    "Enabled": _BOOL, "StartWhenAvailable": _BOOL, "DisallowStartIfOnBatteries": _BOOL,
    "StopIfGoingOnBatteries": _BOOL, "AllowHardTerminate": _BOOL, "RunOnlyIfNetworkAvailable": _BOOL,
    "AllowStartOnDemand": _BOOL, "Hidden": _BOOL, "RunOnlyIfIdle": _BOOL, "WakeToRun": _BOOL,
    "ExecutionTimeLimit": _DURATION, "Delay": _DURATION, "DeleteExpiredTaskAfter": _DURATION,
    "MultipleInstancesPolicy": ("Parallel", "Queue", "IgnoreNew", "StopExisting"),
    "Priority": re.compile(r"^(10|[0-9])$"), "RunLevel": ("LeastPrivilege", "HighestAvailable"),
    "LogonType": _LOGON_TYPES, "Count": re.compile(r"^([1-9]\d?|1\d\d|2[0-4]\d|25[0-5])$"),
    "Interval": _DURATION, "StartBoundary": _DATE_TIME, "EndBoundary": _DATE_TIME, "Description": None, "Author": None,
    "Date": None, "URI": None, "Version": None, "Source": None, "Documentation": None, "UserId": None,
    "GroupId": None, "DisplayName": None, "Command": None, "Arguments": None, "WorkingDirectory": None,
    "DaysInterval": re.compile(r"^[1-9]\d*$"),
    "WeeksInterval": re.compile(r"^([1-9]|[1-4]\d|5[0-2])$"), "Duration": _DURATION, "WaitTimeout": _DURATION,
    "StopOnIdleEnd": _BOOL, "RestartOnIdle": _BOOL, "SecurityDescriptor": None, "Data": None,
}
_CHILDREN: dict[str, tuple[str, ...]] = {
    "Task": ("RegistrationInfo", "Triggers", "Settings", "Data", "Principals", "Actions"),
    "RegistrationInfo": ("URI", "SecurityDescriptor", "Source", "Date", "Author", "Version", "Description",
                         "Documentation"),
    "Triggers": ("BootTrigger", "CalendarTrigger", "LogonTrigger", "TimeTrigger"),
    "BootTrigger": ("Enabled", "StartBoundary", "EndBoundary", "ExecutionTimeLimit", "Delay"),
    "LogonTrigger": ("Enabled", "StartBoundary", "EndBoundary", "ExecutionTimeLimit", "Delay", "UserId"),
    "TimeTrigger": ("Enabled", "StartBoundary", "EndBoundary", "ExecutionTimeLimit"),
    "CalendarTrigger": ("Enabled", "StartBoundary", "EndBoundary", "ExecutionTimeLimit", "ScheduleByDay",
                        "ScheduleByWeek"),
    "ScheduleByDay": ("DaysInterval",),
    "ScheduleByWeek": ("WeeksInterval", "DaysOfWeek"),
    "DaysOfWeek": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "Settings": ("AllowStartOnDemand", "RestartOnFailure", "MultipleInstancesPolicy", "DisallowStartIfOnBatteries",
                 "StopIfGoingOnBatteries", "AllowHardTerminate", "StartWhenAvailable", "RunOnlyIfNetworkAvailable",
                 "IdleSettings", "Enabled", "Hidden", "RunOnlyIfIdle", "WakeToRun", "ExecutionTimeLimit",
                 "Priority", "DeleteExpiredTaskAfter"),
    "IdleSettings": ("Duration", "WaitTimeout", "StopOnIdleEnd", "RestartOnIdle"),
    "RestartOnFailure": ("Interval", "Count"),
    "Principals": ("Principal",),
    "Principal": ("UserId", "GroupId", "LogonType", "DisplayName", "RunLevel"),
    "Actions": ("Exec",),
    "Exec": ("Command", "Arguments", "WorkingDirectory"),
}
_REQUIRED = {"Task": ("Actions",), "Actions": ("Exec",), "Exec": ("Command",), "Principals": ("Principal",),
             "RestartOnFailure": ("Interval", "Count"), "ScheduleByDay": (),
             # A calendar trigger without a start is refused; so is a week without a day.
             "CalendarTrigger": ("StartBoundary",), "ScheduleByWeek": ("DaysOfWeek",)}
_ATTRIBUTES = {"Task": ("version",), "Actions": ("Context",), "Principal": ("id",), "Exec": ("id",),
               "BootTrigger": ("id",), "CalendarTrigger": ("id",), "LogonTrigger": ("id",), "TimeTrigger": ("id",)}
_CSV_TITLES = ["HostName", "TaskName", "Next Run Time", "Status", "Logon Mode", "Last Run Time", "Last Result",
               "Author", "Task To Run", "Start In", "Comment", "Scheduled Task State", "Idle Time",
               "Power Management", "Run As User", "Delete Task If Not Rescheduled",
               "Stop Task If Runs X Hours and X Mins",
               "Schedule", "Schedule Type", "Start Time", "Start Date", "End Date", "Days", "Months",
               "Repeat: Every", "Repeat: Until: Time", "Repeat: Until: Duration", "Repeat: Stop If Still Running"]
LOCAL_SYSTEM = ("S-1-5-18", "SYSTEM", "NT AUTHORITY\\SYSTEM")


class Refused(Exception):
    """What schtasks prints (after `ERROR: `) and exits 1 for."""


@cache
def schtasks_bytes() -> bytes:
    return (
        f"#!{sys.executable}\n"
        "# schtasks.exe stand-in for POSIX tests (tests/harness/schtasks_standin.py)\n"
        "import sys\n"
        f"sys.path.insert(0, {str(REPO_ROOT)!r})\n"
        "from tests.harness.schtasks_standin import main\n"
        "sys.exit(main(sys.argv))\n"
    ).encode()


def store_for(registry: Path) -> Path:
    return Path(registry).parent / "scheduled-tasks"


def store_from_env() -> Path:
    if os.environ.get(ENV_STORE):
        return Path(os.environ[ENV_STORE])
    registry = os.environ.get(ENV_REGISTRY)
    if not registry:
        raise RuntimeError(f"{ENV_REGISTRY} is not set: the schtasks stand-in has no task store")
    return store_for(Path(registry))


def task_path(name: str) -> str:
    """Task names are paths under the root folder `\\`; `name` and `\\name` are one task, in any case."""
    return name if name.startswith("\\") else "\\" + name


class Store:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _file(self, name: str) -> Path:
        digest = hashlib.sha256(task_path(name).lower().encode("utf-8")).hexdigest()[:16]
        return self.root / f"{digest}.json"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        import fcntl  # POSIX only, like the stand-in

        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def load(self, name: str) -> Task | None:
        try:
            return json.loads(self._file(name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def save(self, task: Task) -> None:
        path = self._file(task["name"])
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(task, indent=2), encoding="utf-8")
        tmp.replace(path)

    def delete(self, name: str) -> None:
        self._file(name).unlink(missing_ok=True)

    def tasks(self) -> list[Task]:
        if not self.root.is_dir():
            return []
        found = [json.loads(p.read_text(encoding="utf-8")) for p in self.root.glob("*.json")]
        return sorted(found, key=lambda task: task["name"].lower())

    def record_call(self, argv: list[str]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "calls.jsonl", "a", encoding="utf-8") as handle:
            handle.write(json.dumps(argv) + "\n")

    def calls(self) -> list[list[str]]:
        try:
            lines = (self.root / "calls.jsonl").read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines]


# --- the task XML -------------------------------------------------------------------------------------------

def _local(element: ET.Element) -> str:
    if not element.tag.startswith("{" + NAMESPACE + "}"):
        raise Refused(f"The task XML contains an unexpected node.\n:{element.tag}:")
    return element.tag[len(NAMESPACE) + 2:]


def _check(element: ET.Element, name: str) -> None:
    for attribute in element.attrib:
        if attribute not in _ATTRIBUTES.get(name, ()):
            raise Refused(f"The task XML contains an unexpected node.\n:{attribute}:")
    if name in _LEAF_CHECKS:
        if len(element):
            raise Refused(f"The task XML contains an unexpected node.\n:{_local(element[0])}:")
        rule, value = _LEAF_CHECKS[name], (element.text or "").strip()
        bad = (isinstance(rule, tuple) and value not in rule) or (isinstance(rule, re.Pattern)
                                                                  and not rule.match(value))
        if bad or (name == "Command" and not value):
            raise Refused("The task XML contains a value which is incorrectly formatted or out of range.\n"
                          f":{name}:{value}")
        return
    seen: set[str] = set()
    allowed = _CHILDREN.get(name, ())
    for child in element:
        child_name = _local(child)
        repeatable = name in ("Triggers", "Actions")
        if child_name not in allowed or (child_name in seen and not repeatable):
            raise Refused(f"The task XML contains an unexpected node.\n:{child_name}:")
        seen.add(child_name)
        _check(child, child_name)
    for required in _REQUIRED.get(name, ()):
        if required not in seen:
            raise Refused(f"The task XML is missing a required element or attribute.\n:{required}:")


def _text(root: ET.Element, path: str) -> str | None:
    found = root.find(path, {"t": NAMESPACE})
    return None if found is None else (found.text or "").strip()


def parse_task_xml(data: bytes) -> tuple[str, dict[str, Any]]:
    """The XML's text and the definition the stand-in acts on; Refused for what Task Scheduler refuses."""
    if data[:2] == b"\xff\xfe":
        text = data[2:].decode("utf-16-le", errors="strict")
    elif data[:2] == b"\xfe\xff":
        text = data[2:].decode("utf-16-be", errors="strict")
    else:
        # Task Scheduler writes and documents UTF-16; whether it takes UTF-8 is unverified: refused here.
        raise Refused("The task XML is malformed.\n(1,1)::")
    try:
        root = ET.fromstring(re.sub(r"^<\?xml[^>]*\?>", "", text.lstrip()).strip())
    except ET.ParseError as exc:
        raise Refused(f"The task XML is malformed.\n{exc.position}::") from None
    if root.tag != "{" + NAMESPACE + "}Task":
        raise Refused(f"The task XML contains an unexpected node.\n:{root.tag}:")
    version = root.get("version", "1.0")
    if version not in VERSIONS:
        raise Refused(f"The task XML contains a value which is incorrectly formatted or out of range.\n"
                      f":version:{version}")
    _check(root, "Task")
    interval = _text(root, "t:Settings/t:RestartOnFailure/t:Interval")
    if interval is not None and not _minutes_between(interval, 1, 31 * 24 * 60):
        raise Refused("The task XML contains a value which is incorrectly formatted or out of range.\n"
                      f":Interval:{interval}")
    principal = root.find("t:Principals/t:Principal", {"t": NAMESPACE})
    if principal is not None and principal.find("t:UserId", {"t": NAMESPACE}) is not None \
            and principal.find("t:GroupId", {"t": NAMESPACE}) is not None:
        raise Refused("The task XML contains an unexpected node.\n:GroupId:")
    logon = _text(root, "t:Principals/t:Principal/t:LogonType")
    if logon == "ServiceAccount":  # exported for SYSTEM, refused by schtasks /xml (FACTS.md section 7)
        raise Refused("The task XML contains a value which is incorrectly formatted or out of range.\n"
                      ":LogonType:ServiceAccount")
    context = root.find("t:Actions", {"t": NAMESPACE})
    principal_id = None if principal is None else principal.get("id")
    if context is not None and context.get("Context") and context.get("Context") != principal_id:
        raise Refused("The task XML contains a value which is incorrectly formatted or out of range.\n"
                      f":Context:{context.get('Context')}")
    boot = root.find("t:Triggers/t:BootTrigger", {"t": NAMESPACE})
    definition = {
        "version": version,
        "description": _text(root, "t:RegistrationInfo/t:Description") or "",
        "author": _text(root, "t:RegistrationInfo/t:Author") or "",
        "command": _text(root, "t:Actions/t:Exec/t:Command"),
        "arguments": _text(root, "t:Actions/t:Exec/t:Arguments") or "",
        "working_directory": _text(root, "t:Actions/t:Exec/t:WorkingDirectory") or "",
        "user_id": _text(root, "t:Principals/t:Principal/t:UserId"),
        "logon_type": logon,
        "run_level": _text(root, "t:Principals/t:Principal/t:RunLevel"),
        "boot_trigger": boot is not None and _text(boot, "t:Enabled") != "false",
        # A weekly calendar trigger: its start (date and local time) and days; None without one.
        "weekly": _weekly(root),
        "enabled": _text(root, "t:Settings/t:Enabled") != "false",
        "multiple_instances": _text(root, "t:Settings/t:MultipleInstancesPolicy") or "IgnoreNew",
        "execution_time_limit": _text(root, "t:Settings/t:ExecutionTimeLimit") or "PT72H",
        "restart_interval": interval,
        "restart_count": _text(root, "t:Settings/t:RestartOnFailure/t:Count"),
    }
    return text, definition


def _weekly(root: ET.Element) -> dict[str, Any] | None:
    calendar = root.find("t:Triggers/t:CalendarTrigger", {"t": NAMESPACE})
    if calendar is None or calendar.find("t:ScheduleByWeek", {"t": NAMESPACE}) is None:
        return None
    days = calendar.find("t:ScheduleByWeek/t:DaysOfWeek", {"t": NAMESPACE})
    return {"start": _text(calendar, "t:StartBoundary"), "enabled": _text(calendar, "t:Enabled") != "false",
            "days": [_local(day) for day in (days if days is not None else [])],
            "weeks": _text(calendar, "t:ScheduleByWeek/t:WeeksInterval") or "1"}


def _minutes_between(duration: str, low: int, high: int) -> bool:
    match = _DURATION.match(duration)
    if not match or match.group(1) or match.group(2):
        return False
    weeks, days, hours, minutes, seconds = (int((match.group(i) or "0")[:-1] or 0) for i in (3, 4, 6, 7, 8))
    total = (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds
    return low * 60 <= total <= high * 60


# --- the commands -------------------------------------------------------------------------------------------

def _options(args: list[str]) -> dict[str, str | bool]:
    """`/name value` pairs and bare switches, names in lower case; Refused for an unknown or repeated one."""
    takes_value = {"/tn", "/xml", "/ru", "/rp", "/fo", "/s", "/u", "/p"}
    switches = {"/f", "/v", "/nh", "/i", "/hresult"}
    found: dict[str, str | bool] = {}
    i = 0
    while i < len(args):
        name = args[i].lower()
        if name in found or (name not in takes_value and name not in switches):
            raise Refused(f"Invalid argument/option - '{args[i]}'.\nType \"SCHTASKS /? \" for usage.")
        if name in takes_value:
            if i + 1 >= len(args) or args[i + 1].lower() in takes_value | switches:
                raise Refused(f"Missing value for option '{args[i]}'.")
            found[name] = args[i + 1]
            i += 2
        else:
            found[name] = True
            i += 1
    return found


def _name(options: dict[str, str | bool]) -> str:
    name = options.get("/tn")
    if not isinstance(name, str) or not name.strip():
        raise Refused("Invalid syntax. Mandatory option '/tn' is missing.\nType \"SCHTASKS /? \" for usage.")
    return task_path(name.strip())


def _running(task: Task) -> bool:
    return alive(task.get("run"))


def create(store: Store, options: dict[str, str | bool]) -> str:
    name, file = _name(options), options.get("/xml")
    if not isinstance(file, str):
        raise Refused("Invalid syntax. Mandatory option '/xml' is missing (the stand-in takes tasks only as XML).")
    try:
        data = Path(file).read_bytes()
    except OSError:
        raise Refused("The system cannot find the file specified.") from None
    text, definition = parse_task_xml(data)
    user, password = options.get("/ru"), options.get("/rp")
    if password is not None and user is None:
        raise Refused("Invalid syntax. /RP can be specified only with /RU.")
    if isinstance(user, str):
        definition["user_id"] = user
    if definition["logon_type"] == "Password" and not isinstance(password, str):
        raise Refused("The user name or password is incorrect.")
    with store.locked():
        old = store.load(name)
        if old is not None and options.get("/f") is not True:
            # schtasks asks "Do you want to replace it (Y/N)?"; the stand-in has no console to ask in.
            raise Refused(f'Cannot create a file when that file already exists.\n(task "{name}")')
        task: Task = {"name": name, "xml": text, "definition": definition,
                      "password_given": isinstance(password, str),
                      "run": old.get("run") if old else None, "last_run": old.get("last_run") if old else None,
                      "last_result": old.get("last_result", 267011) if old else 267011, "runs": 0}
        store.save(task)
    return f'SUCCESS: The scheduled task "{name[1:]}" has successfully been created.'


def _task_environment() -> dict[str, str]:
    """Task Scheduler starts a task from its own service, not from the caller: nothing of setup's run (its
    IPSETUP_* settings) reaches the task. The registry variable stays, so the harness finds the process."""
    return {key: value for key, value in os.environ.items() if not key.upper().startswith("IPSETUP_")}


def start(task: Task) -> dict[str, float] | None:
    definition = task["definition"]
    argv = [definition["command"], *split_windows_args(definition["arguments"])]
    cwd = definition["working_directory"] or None
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True, env=_task_environment())
    return identity(proc.pid)


def run(store: Store, options: dict[str, str | bool]) -> str:
    name = _name(options)
    with store.locked():
        task = store.load(name)
        if task is None:
            raise Refused(NOT_FOUND[len("ERROR: "):])
        if not task["definition"]["enabled"]:
            raise Refused("The task has been disabled.")  # 0x80041325 SCHED_E_TASK_DISABLED
        policy = task["definition"]["multiple_instances"]
        if not (_running(task) and policy in ("IgnoreNew", "Queue")):
            if _running(task) and policy == "StopExisting":
                _kill_tree(task["run"])
            try:
                task["run"] = start(task)
                task["last_result"] = 267009  # 0x41301: the task is running
            except OSError as exc:
                task["run"] = None
                task["last_result"] = 2147942402 if isinstance(exc, FileNotFoundError) else 2147942405
            task["last_run"] = time.time()
            task["runs"] = task.get("runs", 0) + 1
            store.save(task)
    return f'SUCCESS: Attempted to run the scheduled task "{name[1:]}".'


def _kill_tree(ident: dict[str, Any] | None) -> None:
    if not alive(ident):
        return
    assert ident is not None
    try:
        root = psutil.Process(int(ident["pid"]))
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(procs, timeout=5)


def end(store: Store, options: dict[str, str | bool]) -> str:
    name = _name(options)
    with store.locked():
        task = store.load(name)
        if task is None:
            raise Refused(NOT_FOUND[len("ERROR: "):])
        if not _running(task):
            raise Refused(f'The scheduled task "{name[1:]}" is not running.')
        _kill_tree(task["run"])
        task["run"] = None
        task["last_result"] = 267014  # 0x41306: the task was terminated by the user
        store.save(task)
    return f'SUCCESS: The scheduled task "{name[1:]}" was terminated successfully.'


def delete(store: Store, options: dict[str, str | bool]) -> str:
    name = _name(options)
    if options.get("/f") is not True:
        raise Refused("(stand-in) /delete asks \"Are you sure (Y/N)?\" without /f; give /f.")
    with store.locked():
        if store.load(name) is None:
            raise Refused(NOT_FOUND[len("ERROR: "):])
        store.delete(name)  # a running instance goes on running, as on Windows
    return f'SUCCESS: The scheduled task "{name[1:]}" was successfully deleted.'


def _when(stamp: float | None) -> str:
    return time.strftime("%d.%m.%Y %H:%M:%S", time.localtime(stamp)) if stamp else "N/A"


def csv_row(task: Task) -> list[str]:
    definition = task["definition"]
    command = " ".join(part for part in (definition["command"], definition["arguments"]) if part)
    run_as = definition["user_id"] or ""
    run_as = "SYSTEM" if run_as.upper() in LOCAL_SYSTEM else run_as
    row = {"HostName": socket.gethostname().upper(), "TaskName": task["name"], "Next Run Time": "N/A",
           "Status": "Running" if _running(task) else ("Ready" if definition["enabled"] else "Disabled"),
           "Logon Mode": "Interactive/Background", "Last Run Time": _when(task.get("last_run")),
           "Last Result": str(task.get("last_result", 267011)), "Author": definition["author"] or "N/A",
           "Task To Run": command, "Start In": definition["working_directory"] or "N/A",
           "Comment": definition["description"] or "N/A",
           "Scheduled Task State": "Enabled" if definition["enabled"] else "Disabled", "Idle Time": "Disabled",
           "Power Management": "", "Run As User": run_as,
           "Schedule Type": "At system start up" if definition["boot_trigger"]
           else "Weekly" if definition.get("weekly") else "On demand only"}
    return [row.get(title, "N/A") for title in _CSV_TITLES]


def query(store: Store, options: dict[str, str | bool]) -> str:
    name = options.get("/tn")
    with store.locked():
        tasks = store.tasks() if name is None else [t for t in [store.load(_name(options))] if t is not None]
    if name is not None and not tasks:
        raise Refused(NOT_FOUND[len("ERROR: "):])
    if options.get("/xml") is not None:
        # `/xml` takes an optional ONE; the stand-in prints the stored definition as registered.
        return "\n".join(task["xml"] for task in tasks)
    fmt = options.get("/fo")
    if not isinstance(fmt, str) or fmt.lower() != "csv":
        raise Refused("(stand-in) only `/query /xml` and `/query /fo csv /v` are imitated.")
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    # The title row comes before every task folder; all tasks here sit in one folder per path prefix.
    folder = None
    for task in tasks:
        here = task["name"].rsplit("\\", 1)[0]
        if here != folder:
            writer.writerow(_CSV_TITLES)
            folder = here
        writer.writerow(csv_row(task))
    return out.getvalue().rstrip("\n")


def boot(store: Path) -> list[str]:
    """The harness's reboot, as far as tasks go: every enabled task with a BootTrigger is started (a running one
    is left as it is). Returns the names started."""
    started = []
    handle = Store(store)
    with handle.locked():
        for task in handle.tasks():
            definition = task["definition"]
            if definition["boot_trigger"] and definition["enabled"] and not _running(task):
                task["run"] = start(task)
                task["last_run"] = time.time()
                handle.save(task)
                started.append(task["name"])
    return started


COMMANDS = {"/create": create, "/run": run, "/end": end, "/delete": delete, "/query": query}


def main(argv: list[str]) -> int:
    try:
        store = Store(store_from_env())
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    args = argv[1:]
    store.record_call(argv)
    verb = args[0].lower() if args else ""
    if verb not in COMMANDS:
        print("ERROR: Invalid argument/option - '%s'.\nType \"SCHTASKS /?\" for usage." % (args[0] if args else ""))
        return 1
    rest = args[1:]
    if verb == "/query" and "/xml" in [a.lower() for a in rest]:
        # `/query /xml` takes no value here (its optional ONE is not used)
        rest = [a for a in rest if a.lower() != "/xml"]
        options: dict[str, str | bool] = {}
        try:
            options = _options(rest)
            options["/xml"] = True
            print(query(store, options))
        except Refused as exc:
            print(f"ERROR: {exc}", file=sys.stderr)
            return 1
        return 0
    try:
        print(COMMANDS[verb](store, _options(rest)))
    except Refused as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    return 0
