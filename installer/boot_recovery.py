"""A reboot in the middle heals itself: while a journal is open, `"<D>\\.setup\\setup.exe" /recover /dir "<D>"
/quiet` is arranged to run at the next start of Windows, and removed when the journal closes. The copy in
`.setup/` is used because the file the admin ran may be gone by then.

Two ways, because each has a gap: a scheduled task with a boot trigger that runs as SYSTEM (FACTS.md section 7)
heals at boot, before anyone logs on, but needs the Task Scheduler service; HKLM RunOnce needs nothing but runs
only at the next logon of an administrator (W6). Both run the same /recover: the lock lets one work, and the
other finds no journal."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from installer import service_config
from installer.layout import Layout
from installer.windows import registry, services, tasks
from installer.windows.services import ServiceError
from installer.windows_args import quote_windows_arg

log = logging.getLogger(__name__)


def entry_name(layout: Layout) -> str:
    """One entry per install folder: two folders on one server never overwrite each other's entry."""
    return f"integrasjonspunkt-setup-recover-{layout.folder_digest}"


def command(layout: Layout) -> str:
    # Quoted by Windows' rules: a folder "D:\" written as `"D:\"` would make `\"` a literal quote and swallow
    # the rest of the line; the backslashes before a closing quote are doubled.
    setup, folder = quote_windows_arg(str(layout.setup_copy), True), quote_windows_arg(str(layout.root), True)
    return f"{setup} /recover /dir {folder} /quiet"


TASK_NAMESPACE = tasks.NAMESPACE


def task_name(layout: Layout) -> str:
    return "\\" + entry_name(layout)


def task_definition(layout: Layout) -> tasks.TaskDefinition:
    """At boot, as SYSTEM (the SID and no LogonType, which Task Scheduler accepts from an XML on every version), no time
    limit."""
    return tasks.TaskDefinition(
        description=f"Finishes or undoes an interrupted integrasjonspunkt setup in {layout.root} "
                    "(removed when it is done).",
        command=str(layout.setup_copy),
        arguments=f"/recover /dir {quote_windows_arg(str(layout.root), True)} /quiet",
        working_directory=str(layout.setup_copy.parent))


def task_xml(layout: Layout) -> bytes:
    return tasks.to_xml(task_definition(layout))


def _task_file(layout: Layout) -> Path:
    return layout.private / "recover-task.xml"


def register_task(layout: Layout) -> bool:
    try:
        tasks.create(task_name(layout), _task_file(layout), task_definition(layout))
    except ServiceError as exc:
        log.warning("the boot-time recovery task was not registered: %s", exc.message)
        return False
    return True


def delete_task(layout: Layout) -> None:
    try:
        tasks.delete(task_name(layout))
    except ServiceError as exc:
        log.warning("the boot-time recovery task was not removed: %s", exc.message)
    _task_file(layout).unlink(missing_ok=True)


def copy_running_setup(layout: Layout) -> None:
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


def _on_windows(windows: bool | None) -> bool:
    return os.name == "nt" if windows is None else windows


def arm(layout: Layout, *, windows: bool | None = None) -> None:
    """`windows` is for tests: a Linux run with the fake registry and the Task Scheduler stand-in."""
    on_windows = _on_windows(windows)
    if not on_windows and not registry.registry_available():
        return
    try:
        copy_running_setup(layout)
        if on_windows and not register_task(layout):
            log.warning("the boot-time recovery task was not registered; RunOnce remains (next logon)")
        if on_windows and layout.service_id:
            # A reboot now must not auto-start a half-switched version: demand start until the journal closes.
            services.set_start(layout.service_id, "demand")
        registry.set_run_once(entry_name(layout), command(layout))
    except OSError as exc:
        # Recovery at the next run of setup still works; only the automatic one at boot is missing.
        log.warning("could not arrange recovery at the next start of Windows: %s", exc)


def disarm(layout: Layout, *, windows: bool | None = None) -> None:
    if _on_windows(windows):
        delete_task(layout)
        start = service_config.start_of(layout.xml, layout.service_id) if layout.service_id else None
        if start is not None:
            services.set_start(layout.service_id, start)
    if registry.registry_available():
        registry.delete_run_once(entry_name(layout))
