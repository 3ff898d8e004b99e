"""Files shipped in `assets/`: found in the source tree and inside a PyInstaller bundle alike."""

from __future__ import annotations

import sys
from pathlib import Path


def assets_dir() -> Path:
    # A one-file bundle unpacks its data to sys._MEIPASS; release.spec puts assets/ there under the same name.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "assets"
    return Path(__file__).resolve().parent.parent / "assets"


def asset_path(name: str) -> Path:
    """The path of the shipped file `name` (a plain file name, never a path)."""
    if not name or name != Path(name).name or name in (".", ".."):
        raise ValueError(f"not an asset name: {name!r}")
    return assets_dir() / name
