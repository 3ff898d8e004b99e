"""`.setup/verified.json`: the digest each file had when setup placed it in the folder after verifying it, so a
kept jar is checked again before a rollback or repair reuses it (a file changed since is fetched anew)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from installer.fsutil import write_atomic

log = logging.getLogger(__name__)

NAME = "verified.json"


def _read(private: Path) -> dict[str, list[str]]:
    try:
        data = json.loads((private / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, list) and len(v) == 2} \
        if isinstance(data, dict) else {}


def record(private: Path, name: str, digest: tuple[str, str]) -> None:
    """Remember that `name` (a file in the folder) was placed with `digest` (algorithm, hex)."""
    recorded = _read(private)
    recorded[name] = [digest[0], digest[1].lower()]
    write_atomic(private / NAME, json.dumps(recorded, indent=1, sort_keys=True).encode("utf-8"))


def recorded(private: Path, name: str) -> tuple[str, str] | None:
    value = _read(private).get(name)
    return (str(value[0]), str(value[1])) if value else None
