"""/install [SPEC]: from nothing to a running, healthy integrasjonspunkt service.

Resolve, download and verify (exit 11) → prerequisites (exit 10) → journaled steps: folders, properties when
asked, jar, WinSW exe, XML, register, start, health check → commit. Any failure after the first change undoes
every step (exit 12).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from installer import accounts, config_check, config_keep, created_user, health, prereqs, service_xml, task_runner
from installer import properties as props_mod
from installer.engine import Engine, StepFailed
from installer.errors import ExitCode, SetupError, first_line
from installer.kosmos import Kosmos
from installer.layout import Layout
from installer.messages import t
from installer.operations import preflight
from installer.operations.session import Session, changing
from installer.plans import install as install_plan
from installer.plans import steps
from installer.plans.context import InstallContext, KosmosService
from installer.plans.journaling import close_journal, open_journal, stage_xml, staged_xml_path
from installer.releases import Release, line_for, parse_spec, release_for_tag
from installer.result import Result
from installer.settings import Settings, require_dir
from installer.ui import UI
from installer.windows import users

log = logging.getLogger(__name__)

ALREADY_INSTALLED = 1638  # MSI: "Another version of this product is already installed."


@dataclass(frozen=True)
class Request:
    """What the command line asks of the folder, checked before the folder is made: a bad command line leaves
    no trace on the disk."""

    properties_text: str | None  # the properties file to write (/properties or /orgnr and /keystore*)
    new_user: str | None = None  # the local user /create-user makes
    user_made_here: bool = False  # that user exists as the one setup made for this folder


@dataclass(frozen=True)
class Prepared:
    """An install decided before anything changes: the release, and (for the wizard, which shows them before it
    asks) the prerequisites as known before the download. `execute` checks again with the downloaded jar."""

    settings: Settings
    layout: Layout
    request: Request
    release: Release
    checked: prereqs.CheckReport | None = None
    properties: dict[str, str] = field(default_factory=dict)  # the settings the checks and the summary read

    def summary(self) -> list[tuple[str, str]]:
        """The facts of the install as label/value rows (the wizard's plan before it asks)."""
        settings, layout, release, report = self.settings, self.layout, self.release, self.checked
        assert report is not None
        if settings.properties is not None:
            properties = t("wizard.plan_properties_copied", path=settings.properties)
        elif settings.orgnr:
            properties = t("wizard.plan_properties_typed", orgnr=settings.orgnr, keystore=settings.keystore,
                           alias=settings.keystore_alias, kind=settings.keystore_type)
        else:
            properties = t("wizard.plan_properties_kept", path=layout.properties)
        where = planned_health(line_for(release.version).health, self.properties, release.tag,
                               settings.tls_keystore)
        return [
            (t("wizard.fact_version"), release.tag),
            (t("wizard.fact_env"), settings.env),
            (t("wizard.fact_folder"), str(layout.root)),
            (t("wizard.fact_service"), t("wizard.plan_service", service_id=layout.service_id, exe=layout.exe.name)),
            (t("wizard.fact_java"), report.java.describe() if report.java else "-"),
            (t("wizard.fact_winsw"), report.winsw.spec if report.winsw else "-"),
            (t("wizard.fact_properties"), properties),
            (t("wizard.fact_wsdl") if where.kind == "wsdl" else t("wizard.fact_health"), where.url),
            (t("wizard.fact_log"), str(layout.setup_log)),
        ]


def run(settings: Settings, ui: UI, prepared: Prepared | None = None) -> Result:
    """/install: prepare and execute while the folder is held. `prepared`: made (and shown) before the folder
    was held, by the wizard; the command line prepares here."""
    request = prepared.request if prepared is not None else request_of(settings)
    with changing(settings, ui, "install", create=True) as session:
        if session.installed:
            return _already_installed(session)
        if request.user_made_here:
            created_user.refuse_made_before(request.new_user or "")
        if prepared is None:
            prepared = prepare(session.settings, session.layout, ui, request)
        return execute(session, prepared)


def request_of(settings: Settings) -> Request:
    new_properties = properties_to_write(settings)
    folder = require_dir(settings)
    if new_properties is None and not folder.exists():
        # Asked before the folder is made: a bad command line leaves no trace on the disk.
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("install.properties_needed", path=Layout(folder).properties))
    new_user, made_here = _new_user(settings, folder)
    if made_here and not Layout(folder).state_file.exists():
        created_user.refuse_made_before(new_user or "")
    return Request(new_properties, new_user, made_here)


def prepare(settings: Settings, layout: Layout, ui: UI, request: Request, *, release: Release | None = None,
            check: bool = False) -> Prepared:
    """What /install decides before it changes anything. `release`: already resolved (the wizard's answer).
    `check`: also check the prerequisites now, from the properties and an estimate of the space (the wizard
    shows them before it asks)."""
    if request.properties_text is None and not layout.properties.exists():
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("install.properties_needed", path=layout.properties))
    if release is None:
        release = preflight.resolve(settings, None, ui)
    if not check:
        return Prepared(settings, layout, request, release)
    props = props_mod.read(settings.properties or layout.properties)
    report = prereqs.check_release(settings, release.line, layout, port=props_mod.server_port(props),
                                   own_service_ports_ok=False, needed_bytes=prereqs.estimate_needed_bytes(layout))
    prereqs.show(report, ui)
    prereqs.raise_if_failed(report)
    return Prepared(settings, layout, request, release, report, props)


def execute(session: Session, prepared: Prepared, kosmos: Kosmos | None = None) -> Result:
    """The install in a held folder: download, check, the journaled steps. `kosmos`: KOSMOS runs
    integrasjonspunkt here; a first step stops and disables it (undone, KOSMOS runs again, when the install
    fails)."""
    settings, ui, release = session.settings, session.ui, prepared.release
    new_properties, new_user = prepared.request.properties_text, prepared.request.new_user
    verb = "install" if kosmos is None else "adopt"
    ui.info(t("install.target", version=release.tag, env=settings.env, folder=session.layout.root))
    to_write = new_properties if not session.layout.properties.exists() else None
    props = props_mod.parse(to_write) if to_write is not None else props_mod.read(session.layout.properties)
    # KOSMOS's integrasjonspunkt holds the port until the first step stops it.
    ready = preflight.prepare(settings, session.layout, ui, release, None, properties=props,
                              ports_ours=kosmos is not None)
    # A created user's password lives in this process only: in the staged XML until the registration (or handed
    # to schtasks), and in the step that creates the user; never in the journal's context.
    password = users.new_password(new_user) if new_user else settings.service_password
    added = None
    if ready.config_keys:
        added = props_mod.render_keys(ready.config_keys, t("config.keys_comment", version=release.tag))
        if to_write is not None:
            to_write, added = to_write + added, None
    ctx, new_xml = context(session, ready, password=password, new_user=new_user, kosmos=kosmos,
                           writes_properties=to_write is not None, amends_properties=added is not None)
    if ctx.mode == "task" and not new_user:  # a created user's task logs on by S4U: its password goes to NetUserAdd
        task_runner.hand_password(session.layout.root, password)
    stage_xml(ctx, new_xml)
    if ready.config_keys:
        ui.info(t("config.fresh_keys", version=release.tag, file=session.layout.properties,
                  keys=config_keep.listed(ready.config_keys)))
    plan_steps = install_plan.plan(ctx, ui, properties_text=to_write, added_text=added,
                                   new_user_password=password if new_user else None)
    journal = open_journal(session.layout, ctx)
    try:
        Engine(journal).run(plan_steps)
    except StepFailed as failed:
        close_journal(session.layout, journal)
        return _failed(session, ctx, failed, verb)
    close_journal(session.layout, journal)
    message = t("install.done", version=release.tag, url=ctx.health_url)
    if kosmos is not None:
        message += " " + t("kosmos.taken_over", service_id=kosmos.service_id)
    return Result(verb=verb, new=release.tag, version=release.tag, message=message)


def planned_health(kind: str, props: dict[str, str], tag: str, tls_keystore: str | Path | None
                   ) -> health.HealthEndpoints:
    """Where the health check will look once install has written the properties: HTTPS when a TLS keystore was
    given (install writes `difi.ssl.enabled=true`), else as the admin's keys say, read through the keys the jar
    lets the admin set them by (`difi.ssl.enabled` -> `server.ssl.enabled`). The jar is not downloaded yet."""
    values = dict(props)
    for effective, admin in config_keep.KEPT:
        if admin in values and effective not in values:
            values[effective] = values[admin]
    if tls_keystore is not None:
        values["server.ssl.enabled"] = "true"
    return health.endpoints_for(kind, values, tag)


def properties_to_write(settings: Settings) -> str | None:
    """The properties file's text from /properties FILE or /orgnr and /keystore*, checked; None when not asked."""
    if settings.properties is not None:
        try:
            return settings.properties.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SetupError(ExitCode.BAD_COMMAND_LINE,
                             t("install.properties_unreadable", path=settings.properties, error=exc)) from None
    given = [settings.orgnr, settings.keystore, settings.keystore_alias, settings.keystore_password]
    if not any(given):
        return None
    missing = [name for name, value in zip(("/orgnr", "/keystore", "/keystore-alias", "/keystore-password"),
                                           given, strict=True) if not value]
    if missing:
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("install.properties_missing", names=", ".join(missing)))
    assert settings.orgnr and settings.keystore and settings.keystore_alias and settings.keystore_password
    if not props_mod.valid_orgnr(settings.orgnr):
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("install.bad_orgnr", value=settings.orgnr))
    keystore = Path(settings.keystore).absolute()
    if not keystore.is_file():
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("install.no_keystore", path=keystore))
    kind = settings.keystore_type or config_check.keystore_format(keystore) or "JKS"
    return props_mod.render_local(settings.orgnr, keystore, settings.keystore_alias, settings.keystore_password,
                                  kind)


def _new_user(settings: Settings, folder: Path) -> tuple[str | None, bool]:
    """The name of the user /create-user makes, and whether it exists as the one setup made for this folder;
    any other user of that name is refused before anything changes (exit 10)."""
    if not settings.create_user:
        return None, False
    account = accounts.parse(settings.service_user or accounts.LOCAL_SYSTEM, settings.service_id)
    return account.name, created_user.refuse_existing(account.name, folder)


def context(session: Session, prepared: preflight.Prepared, *, password: str | None = None,
            new_user: str | None = None, kosmos: Kosmos | None = None, writes_properties: bool = False,
            amends_properties: bool = False) -> tuple[InstallContext, bytes]:
    """Everything the steps need, secret-free (the journal keeps it for /recover), and the service XML to stage
    (with the account's password until the service is registered)."""
    layout, settings = session.layout, session.settings
    account = accounts.parse(settings.service_user or accounts.LOCAL_SYSTEM, layout.service_id)
    task = settings.mode == "task"
    spec = service_xml.ServiceSpec(
        service_id=layout.service_id,
        java=str(prepared.java.path),
        jar_name=layout.jar(prepared.release.tag).name,
        profile=settings.env,
        jvm_options=preflight.fresh_jvm_options(settings, session.ui),
        # The password is in the staged XML only until the service is registered (the scrub step). A task
        # gets its account from schtasks, not from the XML.
        account=None if task else account.for_xml(password),
    )
    where = health.target_from(prepared.release.line.health, prepared.config, prepared.release.tag)
    ctx = InstallContext(
        to_version=prepared.release.tag,
        folder=layout.root,
        service_id=layout.service_id,
        env=settings.env,
        java=prepared.java.path,
        winsw=prepared.winsw.spec,
        jar_source=prepared.jar,
        winsw_source=prepared.winsw_exe,
        jar_digest=tuple(prepared.jar_digest) if prepared.jar_digest else None,
        winsw_digest=("sha256", prepared.winsw.sha256),
        staged_xml=staged_xml_path(layout),
        health=prepared.release.line.health,
        health_url=where.url,
        health_timeout=settings.health_timeout,
        health_stable=settings.health_stable,
        new_folder=session.new_folder,
        account=account.username,
        scrub_password=account.needs_password and not task,
        service_proxy=settings.service_proxy,
        mode=settings.mode,
        create_user=new_user,
        kosmos=None if kosmos is None else KosmosService(
            service_id=kosmos.service_id, exe=kosmos.exe, start=kosmos.start),
        writes_properties=writes_properties,
        amends_properties=amends_properties,
    )
    return ctx, service_xml.render(spec)


def _already_installed(session: Session) -> Result:
    installed = session.installed
    assert installed is not None
    settings = session.settings
    if settings.spec is None or settings.spec.lstrip("vV") == installed.version.lstrip("vV"):
        return Result(verb="install", result="nothing-to-do", version=installed.version,
                      message=t("install.nothing_to_do", version=installed.version))
    spec = parse_spec(settings.spec)
    lower = spec.version is not None and spec.version < release_for_tag(installed.version).version
    # The command that works: /upgrade refuses a lower version without /allow-downgrade.
    command = f"/upgrade {settings.spec}" + (" /allow-downgrade" if lower else "")
    return Result(verb="install", result="failed", version=installed.version, exit_code=ALREADY_INSTALLED,
                  message=t("install.use_upgrade", version=installed.version, spec=command.removeprefix("/upgrade ")))


def _failed(session: Session, ctx: InstallContext, failed: StepFailed, verb: str) -> Result:
    if isinstance(failed.cause, KeyboardInterrupt):
        return Result(verb=verb, exit_code=ExitCode.CANCELLED, result="cancelled", new=ctx.to_version,
                      message=t("install.cancelled"))
    reason = first_line(failed.cause)
    code = ExitCode.ATTENTION if failed.undo_failures else ExitCode.INSTALL_FAILED
    key = "install.failed_undo_failed" if failed.undo_failures else "install.failed"
    message = t(key, version=ctx.to_version, step=failed.step, reason=reason,
                undo=", ".join(n for n, _ in failed.undo_failures))
    if ctx.kosmos is not None and not failed.undo_failures:
        message += " " + t("kosmos.resumed", service_id=ctx.kosmos.service_id)
    return Result(verb=verb, exit_code=code, result="failed", version=ctx.to_version, new=ctx.to_version,
                  message=message,
                  detail=steps.Target(ctx).winsw.log_tail())
