"""Typed operation contexts for tests that build a plan or a step target without running a verb: every value a
context needs, with the ones a test cares about given by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from installer.plans.context import InstallContext, SwitchContext


def _common(folder: Path | str) -> dict[str, Any]:
    return {"folder": Path(folder), "service_id": "integrasjonspunkt", "env": "production", "to_version": "2",
            "java": Path("/j/bin/java"), "winsw": "2.12.0/WinSW-x64.exe", "jar_source": Path("/c/j"),
            "winsw_source": Path("/c/w"), "staged_xml": Path("/s/x"), "health": "wsdl", "health_timeout": 1.0,
            "health_stable": 1.0}


def install_context(folder: Path | str = "/x", **changes: Any) -> InstallContext:
    return InstallContext(**{**_common(folder), **changes})


def switch_context(folder: Path | str = "/x", **changes: Any) -> SwitchContext:
    values = {**_common(folder), "operation": "upgrade", "old_version": "1", "backup_dir": Path("/b"),
              "failed_dir": Path("/f")}
    return SwitchContext(**{**values, **changes})
