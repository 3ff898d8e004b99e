"""What the verbs say when they end: the record in the state file and the service's last log lines."""

from __future__ import annotations

from collections import deque
from pathlib import Path

from installer.layout import Layout
from installer.state import State, utc_now

LOG_LINES = 15


def record_operation(state: State, verb: str, old: str | None, new: str | None, result: str, code: int) -> None:
    state.last_operation = {"verb": verb, "from": old, "to": new, "result": result, "exit_code": int(code),
                            "at": utc_now()}


def _tail(path: Path, lines: int) -> list[str]:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return list(deque(handle, maxlen=lines))
    except OSError:
        return []


def failure_detail(layout: Layout, lines: int = LOG_LINES) -> str:
    """The last lines of the service's error log (and of its output log, where Spring writes most)."""
    parts = []
    for suffix in ("err", "out"):
        path = layout.service_logs / f"{layout.base}.{suffix}.log"
        tail = _tail(path, lines)
        if tail:
            parts.append(f"--- last lines of {path}:\n" + "".join(tail).rstrip())
    return "\n".join(parts)
