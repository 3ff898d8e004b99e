"""The crash-safe record of an operation in progress: `.setup/journal.json`.

Before a step runs, the journal records it as started; after, as done. Every write is atomic (temp file, fsync,
rename), so after a power cut the file says exactly which steps may have had an effect. The journal also
carries the operation's context: everything needed to rebuild its steps in a new process.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from installer.fsutil import read_json, write_json_atomic
from installer.state import utc_now

FORMAT = 1

STARTED = "started"
DONE = "done"
UNDONE = "undone"
UNDO_FAILED = "undo-failed"


@dataclass
class Journal:
    path: Path
    operation: str
    context: dict[str, Any]
    steps: dict[str, str] = field(default_factory=dict)  # step name -> state, in the order they began
    healthy: bool = False
    started_at: str = field(default_factory=utc_now)
    pid: int = field(default_factory=os.getpid)

    def document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "operation": self.operation,
            "context": self.context,
            "steps": [{"name": n, "state": s} for n, s in self.steps.items()],
            "healthy": self.healthy,
            "started_at": self.started_at,
            "pid": self.pid,
        }

    def save(self) -> None:
        write_json_atomic(self.path, self.document())

    def mark(self, step: str, state: str) -> None:
        self.steps[step] = state
        self.save()

    def mark_healthy(self) -> None:
        self.healthy = True
        self.save()

    def state_of(self, step: str) -> str | None:
        return self.steps.get(step)

    def close(self) -> None:
        self.path.unlink(missing_ok=True)

    def summary(self) -> dict[str, Any]:
        """What /status shows of an interrupted operation."""
        return {
            "operation": self.operation,
            "from": self.context.get("from"),
            "to": self.context.get("to"),
            "started_at": self.started_at,
            "healthy": self.healthy,
            "last_step": next(reversed(self.steps), None),
        }


def load(path: Path) -> Journal | None:
    doc = read_json(path)
    if doc is None:
        return None
    return Journal(
        path=path,
        operation=doc["operation"],
        context=doc.get("context", {}),
        steps={s["name"]: s["state"] for s in doc.get("steps", [])},
        healthy=bool(doc.get("healthy")),
        started_at=doc.get("started_at", ""),
        pid=int(doc.get("pid", 0)),
    )
