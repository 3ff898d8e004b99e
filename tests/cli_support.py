"""Running `python -m installer` as an admin's prompt would, for tests that need no World."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def setup(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "LANG": "C.UTF-8", "COLUMNS": "250", **(env or {})}
    return subprocess.run([sys.executable, "-m", "installer", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=environ, check=False)


def listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))
