"""The install's steps: folders, properties when asked, jar, WinSW exe, XML, register, start, health check,
commit. /install runs them under the journal; a recovery rebuilds them from the journal's context."""

from __future__ import annotations

from installer import created_user, event_log, kosmos
from installer import step_names as names
from installer.engine import Step
from installer.plans import committing, steps
from installer.plans.context import InstallContext
from installer.plans.switch import scrub_password
from installer.state import State
from installer.ui import UI
from installer.windows import acls


def plan(ctx: InstallContext, ui: UI, properties_text: str | None = None,
         added_text: str | None = None, new_user_password: str | None = None) -> list[Step]:
    """The install's steps, rebuilt the same way by /recover (which passes no properties text: it never
    writes the file again, it only removes the one this install wrote; nor a password: it never creates the
    user, it only deletes the one this install created). In task mode no WinSW is placed: the XML describes the
    command, and the register step makes the task."""
    target = steps.Target(ctx, quiet=ui.quiet)
    layout = target.layout
    result: list[Step | None] = [steps.make_dirs(target)]
    if ctx.new_folder:
        result.append(Step(names.SECURE_FOLDER, lambda: acls.restrict(layout.root)))
    if ctx.create_user:
        result += [created_user.create_step(ctx.create_user, layout.root, new_user_password),
                   created_user.grant_step(ctx.create_user, layout, target.task_mode)]
    if ctx.writes_properties:
        result.append(steps.write_text_file(names.WRITE_PROPERTIES, layout.properties, properties_text or ""))
    if ctx.amends_properties:
        result.append(steps.amend_properties(target, names.WRITE_CONFIG_KEYS, added_text))
    if ctx.kosmos:
        # After the steps that only write beside it: KOSMOS's integrasjonspunkt runs until here.
        result.append(stop_kosmos(target, ctx))
    assert ctx.jar_source is not None, "an install always places a jar"
    result += [
        steps.place_file(target, names.PLACE_JAR, ctx.jar_source, layout.jar(ctx.to_version),
                         digest=ctx.jar_digest),
        None if target.task_mode or ctx.winsw_source is None else
        steps.place_file(target, names.PLACE_WINSW, ctx.winsw_source, layout.exe, executable=True,
                         digest=ctx.winsw_digest),
        steps.place_file(target, names.WRITE_XML, ctx.staged_xml, layout.xml),
        steps.register(target),
    ]
    if ctx.scrub_password:  # registered with the account: its password leaves the XML at once
        result.append(Step(names.SCRUB_PASSWORD, lambda: scrub_password(target, ctx.staged_xml)))
    result += [
        steps.start(target),
        steps.health_check(target, ctx.to_version, ctx.health, ctx.health_timeout, ctx.health_stable),
        Step(names.COMMIT, lambda: commit(ctx)),
    ]
    return [s for s in result if s is not None]


def stop_kosmos(target: steps.Target, ctx: InstallContext) -> Step:
    assert ctx.kosmos is not None
    service = ctx.kosmos.as_dict()
    jar = target.layout.jar(ctx.to_version)  # KOSMOS's copy of the version taken over, read for its port

    def do() -> None:
        kosmos.stop(service, target.layout.root, jar if jar.is_file() else None, target.ports())

    return Step(names.STOP_KOSMOS, do, lambda: kosmos.resume(service))


def commit(ctx: InstallContext) -> None:
    installed = State(version=ctx.to_version, env=ctx.env, service_id=ctx.service_id, java=str(ctx.java),
                      winsw=ctx.winsw, service_base=ctx.base, account=ctx.account,
                      service_proxy=bool(ctx.service_proxy), mode=ctx.mode, account_created=ctx.created_user)
    committing.commit(steps.Target(ctx), installed, "install", None)
    event_log.register(ctx.service_id)
