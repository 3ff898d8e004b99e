"""A reboot in the middle heals itself: while a journal is open, Windows is asked (RunOnce) to run
`"<D>\\.setup\\setup.exe" /recover /dir "<D>" /quiet` at its next start. The copy in `.setup/` is used because
the file the admin ran may be gone by then. The entry is removed when the journal closes."""

from __future__ import annotations

import hashlib
import logging
import shutil
import sys
from pathlib import Path

from installer import winapi
from installer.layout import Layout
from installer.service_xml import quote_windows_arg

log = logging.getLogger(__name__)


def entry_name(layout: Layout) -> str:
    """One entry per install folder: two folders on one server never overwrite each other's entry."""
    digest = hashlib.sha256(str(layout.root).lower().encode("utf-8")).hexdigest()[:12]
    return f"integrasjonspunkt-setup-recover-{digest}"


def command(layout: Layout) -> str:
    # Quoted by Windows' rules: a folder "D:\" written as `"D:\"` would make `\"` a literal quote and swallow
    # the rest of the line; the backslashes before a closing quote are doubled.
    setup, folder = quote_windows_arg(str(layout.setup_copy), True), quote_windows_arg(str(layout.root), True)
    return f"{setup} /recover /dir {folder} /quiet"


def _copy_running_setup(layout: Layout) -> None:
    """Keep a copy of the frozen setup.exe that is running now (from source there is nothing to copy)."""
    if not getattr(sys, "frozen", False):
        return
    running = Path(sys.executable).resolve()
    if running == layout.setup_copy.resolve():
        return
    layout.setup_copy.parent.mkdir(parents=True, exist_ok=True)
    tmp = layout.setup_copy.with_name(layout.setup_copy.name + ".new")
    shutil.copyfile(running, tmp)
    tmp.replace(layout.setup_copy)


def arm(layout: Layout) -> None:
    if not winapi.registry_available():
        return
    try:
        _copy_running_setup(layout)
        winapi.set_run_once(entry_name(layout), command(layout))
    except OSError as exc:
        # Recovery at the next run of setup still works; only the automatic one at boot is missing.
        log.warning("could not arrange recovery at the next start of Windows: %s", exc)


def disarm(layout: Layout) -> None:
    if winapi.registry_available():
        winapi.delete_run_once(entry_name(layout))
