"""/uninstall: stop and remove the service, its exe, XML and jars. The admin's data, properties and keystore
stay unless /purge (asked first unless /quiet or /yes)."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from installer import apps_entry, created_user
from installer import properties as props_mod
from installer.errors import ExitCode
from installer.layout import JAR_PREFIX, Layout
from installer.messages import t
from installer.operations import schedule
from installer.operations.session import changing
from installer.plans import steps
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI
from installer.windows.services import ServiceState

log = logging.getLogger(__name__)


def run(settings: Settings, ui: UI) -> Result:
    if settings.purge and not (settings.quiet or settings.yes) and not ui.confirm(
            t("uninstall.confirm_purge", folder=settings.dir), default=False):
        return Result(verb="uninstall", exit_code=ExitCode.CANCELLED, result="cancelled",
                      message=t("uninstall.purge_declined"))
    with changing(settings, ui, "uninstall") as session:
        installed = session.installed
        if installed is None:
            return session.nothing_installed("uninstall")
        layout = session.layout
        target = steps.Target.of_installation(layout, installed.mode, installed.account, quiet=ui.quiet)
        registered = layout.exe.exists() or target.task_mode
        if registered and target.winsw.status() is not ServiceState.NON_EXISTENT:
            target.winsw.stop(steps.STOP_TIMEOUT, layout.root, target.ports())
            target.winsw.uninstall(steps.UNINSTALL_TIMEOUT)
        user_note = _remove_created_user(layout.root, installed.account, ui) if installed.account_created else ""
        schedule.delete_task(layout, installed)  # before the state file goes: it names the task
        keystore = props_mod.keystore_path(props_mod.read(layout.properties), layout.root)
        for path in (layout.exe, layout.xml, *layout.root.glob(f"{JAR_PREFIX}*.jar"), layout.state_file):
            path.unlink(missing_ok=True)
        apps_entry.remove(layout.service_id)  # the event source goes after this run's own event (run_report)
        shutil.rmtree(layout.cache, ignore_errors=True)
        if settings.purge:
            kept = _purge(layout, keystore)
            message = t("uninstall.done_purged", version=installed.version, folder=layout.root)
            for path in kept:
                ui.warn(t("uninstall.kept_outside", path=path, folder=layout.root))
                message += " " + t("uninstall.kept_outside", path=path, folder=layout.root)
        else:
            message = t("uninstall.done", version=installed.version, folder=layout.root)
        return Result(verb="uninstall", version=installed.version, old=installed.version,
                      message=message + user_note)


def _remove_created_user(folder: Path, account: str | None, ui: UI) -> str:
    """The user /create-user made goes with the service, /purge or not: nothing else runs as it, nobody knows
    its password, and a new install with /create-user makes a new one. A failure is said, not fatal: the
    service is already gone."""
    name = (account or "").rpartition("\\")[2]
    if not name:
        return ""
    try:
        if not created_user.remove(folder, name):
            return ""
    except OSError as exc:
        ui.warn(t("account.not_removed", name=name, reason=exc))
        return " " + t("account.not_removed", name=name, reason=exc)
    return " " + t("account.removed", name=name)


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path` (a link counts as itself, not its target) lies inside `folder`."""
    real = Path(os.path.realpath(path.parent)) / path.name
    return real.is_relative_to(os.path.realpath(folder)) and real != Path(os.path.realpath(folder))


def _purge(layout: Layout, keystore: Path | None) -> list[Path]:
    """Delete the admin's data inside the folder: only with /purge, after the confirmation above. What the
    properties name outside the folder (a keystore in a shared folder) is kept; the paths kept are returned."""
    targets = [*layout.data_paths(), layout.backups]
    kept: list[Path] = []
    if keystore is not None and keystore.is_file():
        if _inside(keystore, layout.root):
            targets.append(keystore)
        else:
            log.warning("purge: keeping %s, outside %s", keystore, layout.root)
            kept.append(keystore)
    for path in targets:
        if not _inside(path, layout.root):
            kept.append(path)
            continue
        log.warning("purge: deleting %s", path)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)  # a link goes, never what it points to
    return kept
