"""The state file `.setup/state.json`: what is installed, what came before, what failed here.

Written atomically with a format version, so a crash leaves the old or the new state, never half of one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from installer import __version__, schedule
from installer import setup_files as files
from installer.fsutil import write_json_atomic
from installer.messages import t
from installer.releases import is_safe_tag
from installer.settings import valid_service_id

FORMAT = 1
ENVS = ("staging", "production")
MODES = ("service", "task")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class State:
    version: str  # the installed tag, as published (`2.28.6`, `v4.0.8`)
    env: str
    service_id: str
    java: str  # absolute path of the java executable the service runs
    winsw: str  # "version/asset"
    service_base: str | None = None  # an adopted install's own exe/XML base name
    adopted: bool = False
    # The account the service was registered with by setup (`/service-user`); None: LocalSystem, or adopted.
    account: str | None = None
    previous_versions: list[str] = field(default_factory=list)  # newest first
    failed_versions: list[str] = field(default_factory=list)
    last_operation: dict[str, Any] | None = None
    last_recovery: dict[str, Any] | None = None
    service_proxy: bool = False  # /service-proxy on: the download proxy is in the service's Java options
    mode: str = "service"  # "task": run by a Task Scheduler task, no WinSW (/mode task); older files: service
    account_created: bool = False  # /create-user: setup made `account`, and /uninstall deletes it
    schedule: dict[str, Any] | None = None  # /schedule: installer/schedule.py Schedule.to_document()

    def to_document(self) -> dict[str, Any]:
        return {"format": FORMAT, "written_by": __version__, **asdict(self)}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> State:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in doc.items() if k in known})

    def recorded_settings(self) -> dict[str, Any]:
        """What settings.resolve takes from the state file (option names as keys)."""
        return {"env": self.env, "service-id": self.service_id, "java": self.java,
                "service-proxy": self.service_proxy}


def load(path: Path) -> State | None:
    """The state in `path`, None when there is none. A damaged file, one from a newer setup, or a value that
    fails its grammar ends the run naming the file (see setup_files); a newer file is never rewritten."""
    doc = files.read_document(path, FORMAT, t("files.remedy_state"))
    if doc is None:
        return None
    _check(path, doc)
    return State.from_document(doc)


def _check(path: Path, doc: dict[str, Any]) -> None:
    """Every field by its kind and grammar: the service id names the exe /status runs, the tags name jars."""
    for name in ("version", "env", "service_id", "java", "winsw"):
        if not isinstance(doc.get(name), str):
            raise files.damaged(path, t("files.missing_field", field=name), t("files.remedy_state"))
    files.require(path, doc, "version", is_safe_tag(doc["version"]))
    files.require(path, doc, "env", doc["env"] in ENVS)
    files.require(path, doc, "service_id", valid_service_id(doc["service_id"]))
    files.require(path, doc, "service_base", doc.get("service_base") is None or files.plain_name(doc["service_base"]))
    files.require(path, doc, "java", files.absolute_path(doc["java"]))
    files.require(path, doc, "winsw", valid_winsw(doc["winsw"]))
    kinds = {"previous_versions": list, "failed_versions": list, "last_operation": (dict, type(None)),
             "last_recovery": (dict, type(None)), "adopted": bool, "account": (str, type(None)),
             "service_proxy": bool, "mode": str, "account_created": bool}
    for name, kind in kinds.items():
        if name in doc and not isinstance(doc[name], kind):
            raise files.damaged(path, t("files.missing_field", field=name), t("files.remedy_state"))
    files.require(path, doc, "mode", doc.get("mode", "service") in MODES)
    for name in ("previous_versions", "failed_versions"):
        files.require(path, doc, name, all(isinstance(v, str) and is_safe_tag(v) for v in doc.get(name, [])))
    files.require(path, doc, "schedule", doc.get("schedule") is None or schedule.valid_document(doc["schedule"]))


def valid_winsw(value: object) -> bool:
    """"version/asset" as the catalog names a build ("unknown/<exe name>" for an adopted one)."""
    if not isinstance(value, str) or value.count("/") != 1:
        return False
    version, asset = value.split("/")
    return files.plain_name(version) and files.plain_name(asset)


def save(path: Path, state: State) -> None:
    write_json_atomic(path, state.to_document())


def record_operation(state: State, verb: str, old: str | None, new: str | None, result: str, code: int) -> None:
    """What the verbs record when they end: the last operation in the state file."""
    state.last_operation = {"verb": verb, "from": old, "to": new, "result": result, "exit_code": int(code),
                            "at": utc_now()}
