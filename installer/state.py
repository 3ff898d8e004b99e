"""The state file `.setup/state.json`: what is installed, what came before, what failed here.

Written atomically with a format version, so a crash leaves the old or the new state, never half of one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from installer.fsutil import read_json, write_json_atomic

FORMAT = 1


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
    previous_versions: list[str] = field(default_factory=list)  # newest first
    failed_versions: list[str] = field(default_factory=list)
    last_operation: dict[str, Any] | None = None
    last_recovery: dict[str, Any] | None = None

    def to_document(self) -> dict[str, Any]:
        return {"format": FORMAT, **asdict(self)}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> State:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in doc.items() if k in known})

    def recorded_settings(self) -> dict[str, Any]:
        """What settings.resolve takes from the state file (option names as keys)."""
        return {"env": self.env, "service-id": self.service_id, "java": self.java}


def load(path: Path) -> State | None:
    doc = read_json(path)
    if doc is None:
        return None
    return State.from_document(doc)


def save(path: Path, state: State) -> None:
    write_json_atomic(path, state.to_document())
