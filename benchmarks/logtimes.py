"""Time stamps from the logs a run leaves: the setup log (`2026-01-31 12:00:00,123 INFO    name: text`, local
time) and the stand-in's own lines (`2026-01-31T12:00:00.123+01:00  INFO 4242 --- ...`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_SETUP_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (\w+)\s+([\w.]+): (.*)$")
_WRAPPER_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (\w+)\s+- (.*)$")
_STANDIN_STAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(?:Z|[+-]\d\d:\d\d))\s")


@dataclass(frozen=True)
class Line:
    at: float  # seconds since the epoch
    logger: str
    text: str


class LogMark:
    """Remembers where a log file ends now, so only the lines written after can be read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0

    def new_text(self) -> str:
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            return handle.read().decode("utf-8", errors="replace")


def setup_lines(text: str) -> list[Line]:
    lines = []
    for raw in text.splitlines():
        match = _SETUP_LINE.match(raw)
        if match:
            at = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            lines.append(Line(at, match[3], match[4]))
    return lines


def wrapper_lines(text: str) -> list[Line]:
    """WinSW's `<base>.wrapper.log` (`2026-01-31 12:00:00,123 INFO  - text`, local time)."""
    lines = []
    for raw in text.splitlines():
        match = _WRAPPER_LINE.match(raw)
        if match:
            at = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            lines.append(Line(at, "wrapper", match[3]))
    return lines


def last(lines: list[Line], pattern: str, logger: str | None = None) -> Line | None:
    wanted = re.compile(pattern)
    return next((line for line in reversed(lines) if wanted.search(line.text) and logger in (None, line.logger)),
                None)


def steps(lines: list[Line]) -> list[tuple[str, float]]:
    """(`step NAME` or `undo NAME`, when it began), in order."""
    return [(line.text, line.at) for line in lines
            if line.logger == "installer.engine" and re.fullmatch(r"(step|undo) [\w-]+", line.text)]


def step_durations(lines: list[Line]) -> dict[str, float]:
    """How long each step ran: from its line to the next step's (or undo's) line."""
    marks = steps(lines)
    return {name: marks[i + 1][1] - at for i, (name, at) in enumerate(marks[:-1])}


def first(lines: list[Line], pattern: str, logger: str | None = None) -> Line | None:
    wanted = re.compile(pattern)
    return next((line for line in lines if wanted.search(line.text) and logger in (None, line.logger)), None)


def standin_times(text: str, pattern: str) -> list[float]:
    """When the stand-in logged lines matching `pattern`."""
    wanted = re.compile(pattern)
    found = []
    for raw in text.splitlines():
        match = _STANDIN_STAMP.match(raw)
        if match and wanted.search(raw):
            found.append(datetime.strptime(match[1].replace("Z", "+00:00"), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp())
    return found
