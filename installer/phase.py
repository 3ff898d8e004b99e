"""Whether this run has begun to change things (CLI.md: a failure before the first change is exit 10 or 11 with
"nothing changed", never 14, whatever raised it)."""

from __future__ import annotations

_changing = False


def began() -> None:
    """The run opens a journal (or finds one to finish): from here on a failure may have changed something."""
    global _changing
    _changing = True


def changing() -> bool:
    return _changing


def reset() -> None:
    global _changing
    _changing = False
