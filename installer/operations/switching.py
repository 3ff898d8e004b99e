"""Running the switch of /upgrade, /rollback and /repair: what its context holds from what preflight prepared
(the new XML, the registration decision, the data to back up), the XML staged, and the journaled run with what
follows a failure (the old version's check, the result and exit code: 13 rolled back, 14 when the undo or the
old version failed)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from installer import (
    accounts,
    config_keep,
    datasource,
    effective_config,
    interrupts,
    service_xml,
    task_runner,
    windows_args,
    winsw,
)
from installer import properties as props_mod
from installer.engine import Engine, Step, StepFailed
from installer.errors import ExitCode, SetupError, first_line
from installer.journal import Journal
from installer.layout import Layout
from installer.messages import t
from installer.operations import preflight
from installer.operations.session import Session
from installer.plans import steps, switch
from installer.plans.context import SwitchContext
from installer.plans.journaling import close_journal, open_journal, staged_xml_path
from installer.releases import line_for
from installer.result import Result
from installer.ui import UI
from installer.windows.acls import LOCAL_SYSTEM_NAMES

log = logging.getLogger(__name__)


def fields(session: Session, prepared: preflight.Prepared, *,
           repairing: bool = False) -> tuple[dict[str, Any], bytes]:
    """What every switch's context holds (for `SwitchContext.upgrade`, `.rollback` or `.repair`), every decision
    taken here, and the new XML to stage. Says what it decided (an account kept, written into the XML)."""
    installed, layout, settings = session.installed, session.layout, session.settings
    assert installed is not None
    mode = preflight.mode_of(settings, installed)
    new_xml, notes, xml_account, fresh = _new_xml(session, prepared, repairing)
    account = winsw.service_account(layout.service_id) if installed.mode == "service" else None
    set_in_services_msc = (account is not None and account.strip().lower() not in LOCAL_SYSTEM_NAMES
                           and xml_account is None)
    # The account is kept whichever way it runs: the one the service logs on as, else the one setup chose.
    run_as = account if set_in_services_msc else installed.account
    if mode == "task":
        _hand_task_password(session, run_as)
    elif installed.mode == "task":
        new_xml = _service_account_into(session, new_xml, run_as)  # (the password is handed for an undo too)
    keep_registration = set_in_services_msc and not settings.service_password and mode == installed.mode
    if keep_registration:
        session.ui.warn(t("upgrade.keeps_account", account=account))
    elif set_in_services_msc and account is not None and settings.service_password:
        # Re-registered with the same account: written into the XML for WinSW to register, then taken out.
        new_xml = service_xml.with_account(new_xml, service_xml.ServiceAccount(account, settings.service_password))
        session.ui.info(t("upgrade.account_into_xml", account=account))
    for note in notes:
        session.ui.info(note)
    if prepared.config_keys:
        session.ui.warn(t("config.kept_keys", old=installed.version, new=prepared.release.tag,
                          file=layout.properties, keys=config_keep.listed(prepared.config_keys)))
    keystore = props_mod.keystore_path(props_mod.read(layout.properties), layout.root)
    staged = steps.registration_digest(new_xml)
    values = {
        "stamp": switch.backup_stamp(),
        "folder": layout.root,
        "service_id": layout.service_id,
        "base": installed.service_base,
        "env": settings.env,
        "old_version": installed.version,
        "to_version": prepared.release.tag,
        "java_old": Path(installed.java),
        "java": prepared.java.path,
        "winsw_old": installed.winsw,
        "winsw": prepared.winsw.spec,
        "jar_source": prepared.jar,
        "winsw_source": prepared.winsw_exe,
        "jar_digest": tuple(prepared.jar_digest) if prepared.jar_digest else None,
        "winsw_digest": ("sha256", prepared.winsw.sha256),
        "staged_xml": staged_xml_path(layout),
        "health": prepared.release.line.health,
        "health_old": line_for(installed.version).health,
        "health_timeout": settings.health_timeout,
        "health_stable": settings.health_stable,
        "keystore": keystore,
        "keep_registration": keep_registration,
        "xml_first": fresh,
        "scrub_password": bool((set_in_services_msc or mode != installed.mode) and settings.service_password),
        "keep_jars": settings.keep_jars,
        "config_keys": tuple(prepared.config_keys.items()),
        "databases": _databases(layout, installed.version, prepared),
        "service_proxy": settings.service_proxy,
        "mode": mode,
        "mode_from": installed.mode,
        "account": run_as,
        "account_created": installed.account_created,
    }
    if not repairing:
        values["same_registration"] = staged is not None and staged == steps.registered_digest(layout)
    return values, new_xml


def _account(session: Session, run_as: str | None) -> accounts.Account:
    """The kept account; one the run's password cannot be given for is exit 10 before anything changes."""
    installed, settings = session.installed, session.settings
    assert installed is not None
    account = accounts.parse(run_as or accounts.LOCAL_SYSTEM, installed.service_id)
    if installed.account_created and preflight.mode_of(settings, installed) == "task":
        return account  # a user setup created logs on by S4U: no password to hand
    if installed.account_created:
        # From a task to a service: WinSW needs the password, which nobody knows.
        raise SetupError(ExitCode.PREREQUISITES, t("account.created_no_service", name=account.name))
    if account.needs_password and not settings.service_password:
        raise SetupError(ExitCode.PREREQUISITES, t("task.needs_password", account=account.username))
    return account


def _hand_task_password(session: Session, run_as: str | None) -> None:
    """A task that runs as a user is registered anew with each switch (its action names the jar): it needs
    the user's password again, asked for before anything changes. Task Scheduler has no virtual accounts."""
    account = _account(session, run_as)
    if account.kind in ("virtual", "gmsa"):
        raise SetupError(ExitCode.PREREQUISITES, t("account.not_for_task", value=account.username))
    task_runner.hand_password(session.layout.root, session.settings.service_password)


def _service_account_into(session: Session, new_xml: bytes, run_as: str | None) -> bytes:
    """From a task to a service: WinSW registers the service with the task's account from the XML (the
    password leaves it again once the service is registered)."""
    account = _account(session, run_as)
    wanted = account.for_xml(session.settings.service_password)
    return new_xml if wanted is None else service_xml.with_account(new_xml, wanted)


def _databases(layout: Layout, running: str, prepared: preflight.Prepared) -> tuple[Path, ...]:
    """The H2 files of the running version and of the target, by their datasource URLs, wherever they lie: one
    outside the folder (D:\\ipdata) is backed up after the stop like the folder's own (`backup.places`)."""
    old = effective_config.for_installation(layout.root, layout.jar(running), layout.xml)
    found = datasource.database_files(old, layout.root) + datasource.database_files(prepared.config, layout.root)
    return tuple(Path(p) for p in sorted({os.path.abspath(p) for p in found}))


def _new_xml(session: Session, prepared: preflight.Prepared,
             repairing: bool) -> tuple[bytes, list[str], object, bool]:
    """The XML for the target: the admin's XML with only what must change (jar, Java, profile). A repair of
    an XML that is missing or unreadable writes a fresh one (the broken file is kept in the backup)."""
    layout, settings = session.layout, session.settings
    jvm_named = settings.named_on_command_line("jvm-options") and settings.jvm_options is not None
    jar_name = layout.jar(prepared.release.tag).name
    try:
        existing = service_xml.read(layout.xml)
        new_xml, notes = service_xml.update(
            layout.xml, jar_name=jar_name, java=str(prepared.java.path), profile=settings.env,
            jvm_options=windows_args.split_windows_args(settings.jvm_options or "") if jvm_named else None,
            proxy=preflight.service_proxy(settings, session.ui))
        return new_xml, notes, existing.account, False
    except SetupError as exc:
        if not repairing:
            raise
        spec = service_xml.ServiceSpec(service_id=layout.service_id, java=str(prepared.java.path),
                                       jar_name=jar_name, profile=settings.env,
                                       jvm_options=preflight.fresh_jvm_options(settings, session.ui))
        return service_xml.render(spec), [t("repair.fresh_xml", reason=exc.message)], None, True


def execute(session: Session, ctx: SwitchContext, ui: UI) -> Result:
    """Run the switch under the journal; after a failure check the old version and say what happened."""
    verb = ctx.operation
    plan_steps: list[Step] = switch.plan(ctx, ui)
    journal = open_journal(session.layout, ctx)
    noted: dict[str, str] = {}

    def note_failure(step: str, exc: BaseException) -> None:
        noted["detail"] = steps.Target(ctx).winsw.log_tail()

    try:
        Engine(journal).run(plan_steps, on_failure=note_failure)
    except StepFailed as failed:
        return _rolled_back(session, journal, ctx, failed, noted.get("detail", ""), ui)
    close_journal(session.layout, journal)
    message = t(f"{verb}.done", old=ctx.old_version, new=ctx.to_version)
    return _result(ctx, version=ctx.to_version, message=message)


def _result(ctx: SwitchContext, **values: Any) -> Result:
    return Result(verb=ctx.operation, old=ctx.old_version, new=ctx.to_version, **values)


def _rolled_back(session: Session, journal: Journal, ctx: SwitchContext, failed: StepFailed, detail: str,
                 ui: UI) -> Result:
    cause = failed.cause
    reason = first_line(cause)
    old, new = ctx.old_version, ctx.to_version
    if failed.undo_failures:
        close_journal(session.layout, journal)
        switch.remember_failure(ctx, ExitCode.ATTENTION, "rollback-failed")
        return _result(ctx, exit_code=ExitCode.ATTENTION, result="rollback-failed", version=old,
                      detail=detail, message=t("upgrade.undo_failed", new=new, reason=reason,
                                               steps=", ".join(n for n, _ in failed.undo_failures)))
    try:
        with interrupts.shielded():  # the old version's check belongs to the undo
            switch.after_undo(ctx, ui)
    except Exception as exc:  # the old version does not answer either
        close_journal(session.layout, journal)
        switch.remember_failure(ctx, ExitCode.ATTENTION, "rollback-unhealthy")
        old_reason = first_line(exc)
        return _result(ctx, exit_code=ExitCode.ATTENTION, result="rollback-unhealthy", version=old,
                      detail=detail, message=t("upgrade.old_unhealthy", new=new, reason=reason,
                                               old=old, old_reason=old_reason))
    close_journal(session.layout, journal)
    if isinstance(cause, KeyboardInterrupt):
        switch.remember_failure(ctx, ExitCode.CANCELLED, "cancelled")
        return _result(ctx, exit_code=ExitCode.CANCELLED, result="cancelled", version=old,
                      message=t("upgrade.cancelled", old=old))
    code = ExitCode.UPGRADE_FAILED
    switch.remember_failure(ctx, code, "rolled-back")
    return _result(ctx, exit_code=code, result="rolled-back", version=old, detail=detail,
                  message=t("upgrade.rolled_back", new=new, step=failed.step, reason=reason, old=old))
