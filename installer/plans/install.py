"""The install's steps: folders, properties when asked, jar, WinSW exe, XML, register, start, health check,
commit. /install runs them under the journal; a recovery rebuilds them from the journal's context."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from installer import apps_entry, created_user, event_log, kosmos
from installer import step_names as names
from installer.engine import Step
from installer.errors import ExitCode
from installer.plans import steps
from installer.plans.switch import scrub_password
from installer.state import State, record_operation, save
from installer.ui import UI
from installer.windows import acls


def plan(ctx: dict[str, Any], ui: UI, properties_text: str | None = None,
         added_text: str | None = None, new_user_password: str | None = None) -> list[Step]:
    """The install's steps, rebuilt the same way by /recover (which passes no properties text: it never
    writes the file again, it only removes the one this install wrote; nor a password: it never creates the
    user, it only deletes the one this install created). In task mode no WinSW is placed: the XML describes the
    command, and the register step makes the task."""
    target = steps.Target(ctx, quiet=ui.quiet)
    layout = target.layout
    result: list[Step | None] = [steps.make_dirs(target)]
    if ctx.get("new_folder"):
        result.append(Step(names.SECURE_FOLDER, lambda: acls.restrict(layout.root)))
    if ctx.get("create_user"):
        result += [created_user.create_step(ctx, new_user_password), created_user.grant_step(ctx)]
    if properties_text is not None or ctx.get("writes_properties"):
        ctx["writes_properties"] = True
        result.append(steps.write_text_file(names.WRITE_PROPERTIES, layout.properties, properties_text or ""))
    if added_text is not None or ctx.get("amends_properties"):
        result.append(steps.amend_properties(target, names.WRITE_CONFIG_KEYS, added_text))
    if ctx.get("kosmos"):
        # After the steps that only write beside it: KOSMOS's integrasjonspunkt runs until here.
        result.append(stop_kosmos(target))
    result += [
        steps.place_file(target, names.PLACE_JAR, Path(ctx["jar_cache"]), layout.jar(ctx["to"]),
                         digest=steps.verified_digest(ctx, "jar_digest")),
        None if target.task_mode else
        steps.place_file(target, names.PLACE_WINSW, Path(ctx["winsw_cache"]), layout.exe, executable=True,
                         digest=steps.verified_digest(ctx, "winsw_digest")),
        steps.place_file(target, names.WRITE_XML, Path(ctx["staged_xml"]), layout.xml),
        steps.register(target),
    ]
    if ctx.get("scrub_password"):  # registered with the account: its password leaves the XML at once
        result.append(Step(names.SCRUB_PASSWORD, lambda: scrub_password(target, Path(ctx["staged_xml"]))))
    result += [
        steps.start(target),
        steps.health_check(target, ctx["to"], ctx["health"], ctx["health_timeout"], ctx["health_stable"]),
        Step(names.COMMIT, lambda: commit(ctx, ui)),
    ]
    return [s for s in result if s is not None]


def stop_kosmos(target: steps.Target) -> Step:
    ctx, layout = target.ctx, target.layout
    jar = layout.jar(ctx["to"])  # KOSMOS's copy of the version taken over, read for the shutdown endpoint's port

    def do() -> None:
        kosmos.stop(ctx["kosmos"], layout.root, jar if jar.is_file() else None, target.ports())

    return Step(names.STOP_KOSMOS, do, lambda: kosmos.resume(ctx["kosmos"]))


def commit(ctx: dict[str, Any], ui: UI) -> None:
    target = steps.Target(ctx)
    layout = target.layout
    installed = State(version=ctx["to"], env=ctx["env"], service_id=ctx["service_id"], java=ctx["java"],
                      winsw=ctx["winsw"], service_base=ctx.get("base"), account=ctx.get("account"),
                      service_proxy=bool(ctx.get("service_proxy")), mode=ctx.get("mode", "service"),
                      account_created=bool(ctx.get("create_user")))
    record_operation(installed, "install", None, ctx["to"], "ok", ExitCode.OK)
    save(layout.state_file, installed)
    apps_entry.write(layout, ctx["to"])
    event_log.register(ctx["service_id"])
    shutil.rmtree(target.aside, ignore_errors=True)
    shutil.rmtree(layout.private / "staged", ignore_errors=True)
