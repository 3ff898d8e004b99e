"""Where an installation is: its layout and its state file, read once (the layout of an installation depends
on the service id and base its state file records)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from installer import state
from installer.layout import Layout
from installer.settings import Settings
from installer.state import State


@dataclass(frozen=True)
class Located:
    layout: Layout
    installed: State | None  # None: nothing installed here (or no folder yet)


def locate(folder: Path, settings: Settings) -> Located:
    """The installation in `folder`: the layout its state file names, or, with none, the layout a new one with
    the settings' service id gets. A damaged state file raises (naming the file and what to do)."""
    installed = state.load(Layout(folder).state_file) if folder.is_dir() else None
    if installed is not None:
        return Located(Layout(folder, installed.service_id, installed.service_base), installed)
    return Located(Layout(folder, settings.service_id), None)
