"""Moving a running installation from one version to another: the steps of /upgrade and /rollback.

Before the service is touched: the new jar is placed, the new XML is staged and the data is copied. Then:
failure actions suspended (a crash-looping version's pending restart waited out; commit and undo restore
them) → stop → back up what changed → XML → WinSW exe → registration changed in place (sc.exe config; never WinSW's
uninstall + install, which leaves a service marked for deletion while services.msc holds it open) → (data
guard) → start → health → commit. When the service logs on as an account set in services.msc and the XML
carries none, the registration is left as it is. So it is when the new XML differs from the one the service was
registered with only in the jar, Java and options (the usual upgrade): WinSW reads those at every start.

On failure the engine undoes the steps newest first – the new version stops, its data is moved aside and the
backup restored, the old XML, exe and registration come back, the old version starts – and `after_undo`
health-checks the old version.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

from installer import backup, created_user, fsutil, health, service_config, service_xml
from installer import properties as props_mod
from installer import step_names as names
from installer.engine import Step
from installer.layout import JAR_PREFIX
from installer.messages import t
from installer.plans import committing, steps
from installer.plans.context import SwitchContext
from installer.releases import try_version
from installer.state import State, record_operation
from installer.state import load as load_state
from installer.state import save as save_state
from installer.ui import UI
from installer.windows.services import ServiceError

log = logging.getLogger(__name__)


# Versions from which on the data files cannot be read by an older version (FACTS.md, "Hazards").
DATA_FORMAT_LINES = ("2.24.0",)


def crosses_data_line(newer: str, older: str) -> str | None:
    for line in DATA_FORMAT_LINES:
        boundary, new_v, old_v = try_version(line), try_version(newer), try_version(older)
        if boundary and new_v and old_v and new_v >= boundary > old_v:
            return line
    return None


def backup_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def data_items(target: steps.Target, ctx: SwitchContext) -> list[Path]:
    """The admin's data in the folder, plus the keystore when it lives there."""
    items = target.layout.data_paths()
    # The H2 files the datasource URLs of both versions point at (wherever that is).
    items += [p for p in ctx.databases if p not in items]
    keystore = ctx.keystore
    if keystore and keystore.parent == target.layout.root and keystore not in items:
        items.append(keystore)
    return items


def plan(ctx: SwitchContext, ui: UI) -> list[Step]:
    target = steps.Target(ctx, quiet=ui.quiet)
    layout = target.layout
    backup_dir, failed_dir = ctx.backup_dir, ctx.failed_dir
    items = data_items(target, ctx)
    # The databases the datasource URLs name, in the folder or elsewhere: never read while the service runs.
    databases = list(ctx.databases)
    placed = backup.places(items, layout.root)

    def precopy() -> None:
        written = 0
        for within, group in placed.items():
            written += backup.seed_locked(group, backup_dir, layout.backups, within=within, locked=databases)
            written += backup.sync(group, backup_dir / within, running=True, locked=databases).written
        log.info("first backup pass while %s runs (the database from the last backup set): %d bytes",
                 ctx.old_version, written)

    def backup_changes() -> None:
        done = backup.SyncResult()
        for within, group in placed.items():
            one = backup.sync(group, backup_dir / within)
            done.written += one.written
            done.links += one.links
            if within:
                log.info("%s (outside the folder) is kept in %s", ", ".join(map(str, group)), backup_dir / within)
        for extra in (layout.xml, layout.exe):
            if extra.exists():
                shutil.copy2(extra, backup_dir / extra.name)
        log.info("second backup pass with the service stopped: %d bytes", done.written)
        if done.links:
            ui.warn(t("upgrade.links_left_out", count=len(done.links), links=", ".join(done.links)))

    def restore(saved: Path, aside: Path) -> None:
        for within, group in placed.items():
            backup.restore(group, saved / within, aside / within)

    def guard_undo() -> None:
        # The new version may have written the data: set it aside, bring the backup back.
        restore(backup_dir, failed_dir)

    restore_from, replaced_dir = ctx.restore_from, ctx.replaced_dir

    def restore_before() -> None:
        # /rollback /restore-data: the data as it was before the upgrade being undone.
        assert restore_from is not None and replaced_dir is not None
        restore(restore_from, replaced_dir)

    def restore_before_undo() -> None:
        assert restore_from is not None and replaced_dir is not None
        restore(replaced_dir, restore_from)

    write_xml = steps.place_file(target, names.WRITE_XML, ctx.staged_xml, layout.xml)
    # `/repair /mode`: the old way (service or task) stops and goes, the new one is registered and started.
    old = steps.Target(ctx.old_way(), quiet=ui.quiet) if ctx.changes_way else target
    if ctx.changes_way:
        unregister = steps.unregister(old, names.UNREGISTER_OLD)
        register = steps.register(target, names.REGISTER_NEW)
    elif ctx.reregister:
        unregister = steps.reinstall_if_missing(target, names.UNREGISTER_OLD)
        register = steps.change_registration(target, backup_dir / layout.xml.name, names.REGISTER_NEW)
    else:
        unregister = steps.keep_registration(names.UNREGISTER_OLD)
        register = steps.keep_registration(names.REGISTER_NEW, shown=False)
    # A repair of a broken XML writes it first: WinSW needs a readable XML even to stop the service.
    xml_first = ctx.xml_first
    result = [
        steps.place_file(target, names.PLACE_JAR, ctx.jar_source, layout.jar(ctx.to_version),
                         digest=ctx.jar_digest)
        if ctx.jar_source else None,
        write_xml if xml_first else None,
        Step(names.PRECOPY_DATA, precopy),
        steps.suspend_restarts(old),
        steps.stop(old, names.STOP_OLD),
        Step(names.BACKUP_DATA, backup_changes),
        steps.amend_properties(target, names.WRITE_CONFIG_KEYS, props_mod.render_keys(
            dict(ctx.config_keys), t("config.keys_comment", version=ctx.to_version))) if ctx.config_keys else None,
        None if ctx.keep_registration else unregister,
        None if xml_first else write_xml,
        steps.place_file(target, names.PLACE_WINSW, ctx.winsw_source, layout.exe, executable=True,
                         digest=ctx.winsw_digest)
        if ctx.winsw_source else None,
        # A user setup created gets the new way's logon right before it is registered that way.
        created_user.logon_right_step(ctx.account or "", layout.root, target.task_mode)
        if ctx.changes_way and ctx.account_created else None,
        None if ctx.keep_registration else register,
        Step(names.SCRUB_PASSWORD, lambda: scrub_password(target, ctx.staged_xml)) if ctx.scrub_password else None,
        Step(names.RESTORE_DATA, restore_before, restore_before_undo) if ctx.restore_from else None,
        Step(names.DATA_GUARD, lambda: None, guard_undo),
        steps.start(target, names.START_NEW),
        steps.health_check(target, ctx.to_version, ctx.health, ctx.health_timeout, ctx.health_stable),
        Step(names.COMMIT, lambda: commit(ctx)),
    ]
    return [s for s in result if s is not None]


def scrub_password(target: steps.Target, staged: Path) -> None:
    """The service is registered with its account: the password leaves the XML and the staged copy."""
    xml = target.layout.xml
    tmp = xml.with_name(xml.name + ".new")
    tmp.write_bytes(service_xml.without_password(xml.read_bytes()))
    fsutil.replace(tmp, xml)
    fsutil.unlink(staged)


def after_undo(ctx: SwitchContext, ui: UI) -> None:
    """The old version runs again, the way it ran: prove it answers (raises health.Unhealthy when it does not)."""
    target = steps.Target(ctx.old_way(), quiet=ui.quiet)
    where = steps.health_target(target, ctx.health_old, ctx.old_version)
    ui.info(t("upgrade.checking_old", version=ctx.old_version, url=where.url))
    health.wait_healthy(where, timeout=ctx.health_timeout, stable=min(ctx.health_stable, 2.0),
                        watch=steps.process_watch(target, target.layout.jar(ctx.old_version)))


def commit(ctx: SwitchContext) -> None:
    target = steps.Target(ctx)
    layout = target.layout
    installed = load_state(layout.state_file) or State(
        version=ctx.old_version, env=ctx.env, service_id=ctx.service_id, java=str(ctx.java_old or ""),
        winsw=ctx.winsw_old or "", service_base=ctx.base)
    old = installed.version
    if old == ctx.to_version:
        pass  # a repair: the version and its history stay
    elif ctx.operation == "rollback":
        # Back to the version before: it leaves the list, and the one rolled back from does not enter it.
        installed.previous_versions = [v for v in installed.previous_versions if v not in (old, ctx.to_version)]
    else:
        installed.previous_versions = [old] + [v for v in installed.previous_versions
                                               if v not in (old, ctx.to_version)]
    installed.version = ctx.to_version
    installed.env = ctx.env
    installed.java = str(ctx.java)
    installed.winsw = ctx.winsw
    installed.service_proxy = ctx.service_proxy
    if ctx.changes_way:
        installed.mode, installed.account = ctx.mode, ctx.account
        if installed.mode == "task":
            fsutil.unlink(layout.exe)  # no WinSW runs it any more
    installed.failed_versions = [v for v in installed.failed_versions if v != ctx.to_version]
    restore_restarts(target)
    committing.commit(target, installed, ctx.operation, old)
    prune_jars(layout.root, [ctx.to_version, *installed.previous_versions], ctx.keep_jars)
    backup.prune(layout.backups, ctx.keep_jars)
    shutil.rmtree(layout.cache, ignore_errors=True)


def restore_restarts(target: steps.Target) -> None:
    """The failure actions the new XML asks for, suspended for the switch. The new version runs and is healthy:
    a failure here is logged, not undone (the service then only lacks its automatic restarts)."""
    if target.task_mode:
        return
    try:
        service_config.restore_failure_actions(target.service_id, target.layout.xml)
    except ServiceError as exc:
        log.warning("failure actions of %s not restored: %s", target.service_id, exc.message)


def prune_jars(folder: Path, newest_first: list[str], keep: int) -> None:
    """Keep the jars of the installed version and the versions before it, `keep` in all."""
    wanted = {f"{JAR_PREFIX}{tag}.jar" for tag in newest_first[:keep]}
    for jar in folder.glob(f"{JAR_PREFIX}*.jar"):
        if jar.name not in wanted:
            log.info("removing old jar %s", jar.name)
            fsutil.unlink(jar)


def remember_failure(ctx: SwitchContext, code: int, result: str) -> None:
    """After a failed upgrade: the state names the failed version so ranges skip it next time."""
    layout = ctx.layout
    installed = load_state(layout.state_file)
    if installed is None:
        return
    if (ctx.operation == "upgrade" and ctx.to_version not in installed.failed_versions
            and ctx.to_version != ctx.old_version):
        installed.failed_versions.append(ctx.to_version)
    record_operation(installed, ctx.operation, ctx.old_version, ctx.to_version, result, code)
    save_state(layout.state_file, installed)
