"""The end of every operation that leaves a version running healthy: the state file says so, Apps & features
shows the version, and what the operation set aside or staged goes."""

from __future__ import annotations

import shutil

from installer import apps_entry
from installer.errors import ExitCode
from installer.plans import steps
from installer.state import State, record_operation, save


def commit(target: steps.Target, installed: State, operation: str, old: str | None) -> None:
    """Record `operation` (from `old` to the version `installed` names) in the state file and clear the aside
    and staged files."""
    layout = target.layout
    record_operation(installed, operation, old, installed.version, "ok", ExitCode.OK)
    save(layout.state_file, installed)
    apps_entry.write(layout, installed.version)  # Intune and ConfigMgr read the version here
    shutil.rmtree(target.aside, ignore_errors=True)
    shutil.rmtree(layout.private / "staged", ignore_errors=True)
