"""/adopt: take over an integrasjonspunkt installed by hand – write the state file and change nothing else.

The verbs that change an installation (/install, /upgrade, /rollback, /repair, /uninstall) adopt first, with a
message, when the folder has no state file but a hand-made installation (installer/takeover.py).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from installer import accounts, kosmos, phase, takeover, task_adoption
from installer.adoption import Candidate
from installer.errors import ExitCode, SetupError
from installer.fsutil import write_atomic
from installer.messages import t
from installer.operations import install
from installer.operations.session import Session, changing
from installer.operations.status import SERVICE_WORDS
from installer.result import Result
from installer.settings import Origin, Settings
from installer.state import State, record_operation, save
from installer.task_runner import TaskRunner
from installer.ui import UI
from installer.windows import tasks
from installer.windows.services import ServiceError
from installer.windows.tasks import ScheduledTask

log = logging.getLogger(__name__)


def run(settings: Settings, ui: UI) -> Result:
    with changing(settings, ui, "adopt") as session:
        folder = session.layout.root
        if session.installed is not None:
            return Result(verb="adopt", result="nothing-to-do", version=session.installed.version,
                          message=t("adopt.already", version=session.installed.version, folder=folder))
        if settings.from_kosmos:
            return _from_kosmos(session)
        found = takeover.discover(settings, session.layout)
        if not found.candidates and not found.kosmos and len(found.tasks) == 1:
            return _from_task(session, found.tasks[0])
        chosen = takeover.choose(found, settings, ui, ExitCode.NOT_INSTALLED)
        if chosen is None:
            return Result(verb="adopt", exit_code=ExitCode.NOT_INSTALLED, result="not-installed",
                          message=t("adopt.nothing", folder=folder))
        installed = takeover.take_over(settings, ui, session.layout, chosen)
        _show(chosen, installed, ui)
        message = t("adopt.done", version=installed.version, env=installed.env, folder=folder,
                    service_id=installed.service_id, base=chosen.base)
        return Result(verb="adopt", version=installed.version, new=installed.version, message=message,
                      extra=_document(chosen, installed))


def _from_kosmos(session: Session) -> Result:
    """Install this product's service in KOSMOS's place, same folder, same version, profile and Java; the first
    step stops and disables KOSMOS, and undoing it starts KOSMOS again (CLI.md, /from-kosmos)."""
    settings, ui, folder = session.settings, session.ui, session.layout.root
    found = kosmos.find(folder)
    ui.info(t("kosmos.found", service_id=found.service_id, version=found.version, env=found.env,
              source=t(f"kosmos.source_{found.version_source}"), java=found.java or "-"))
    settings.spec = found.version
    if not settings.named_on_command_line("env"):
        settings.env, settings.origins["env"] = found.env, Origin.KOSMOS
    elif settings.env != found.env:
        ui.warn(t("kosmos.env_differs", found=found.env, given=settings.env))
    if found.java is not None and not settings.named_on_command_line("java"):
        # Kept while it fits the release line, as a recorded Java is; else discovery chooses.
        settings.java, settings.origins["java"] = str(found.java), Origin.STATE
    prepared = install.prepare(settings, session.layout, ui, install.Request(None))
    return install.execute(session, prepared, kosmos=found)


def _from_task(session: Session, scheduled: ScheduledTask) -> Result:
    """Digdir's Alt 3 made by hand becomes this product's task-mode installation: the service XML that describes
    its command, the task `\\<ID>` registered from it, the hand-made one removed when it had another name, the
    state file. Its program goes on running."""
    settings, layout = session.settings, session.layout
    try:
        hand = task_adoption.read(scheduled.name, layout.root)
    except task_adoption.NotAdoptable as exc:
        raise SetupError(ExitCode.NOT_INSTALLED, str(exc)) from None
    account = accounts.parse(hand.account or accounts.LOCAL_SYSTEM, layout.service_id)
    if account.needs_password and not settings.service_password:
        raise SetupError(ExitCode.PREREQUISITES, t("task.needs_password", account=account.username))
    phase.began()
    write_atomic(layout.xml, task_adoption.service_xml_for(hand, layout.service_id))
    runner = TaskRunner(layout, layout.service_id, hand.account)
    replaced = scheduled.name.lower() != runner.name.lower()
    try:
        runner.install(password=settings.service_password)
        if replaced:
            tasks.delete(scheduled.name)
    except ServiceError:
        if replaced:
            with contextlib.suppress(ServiceError):
                tasks.delete(runner.name)
        layout.xml.unlink(missing_ok=True)
        raise
    installed = State(version=hand.version, env=hand.env, service_id=layout.service_id, java=hand.java,
                      winsw="unknown/none", adopted=True, account=account.username, mode="task")
    record_operation(installed, "adopt", None, hand.version, "ok", ExitCode.OK)
    save(layout.state_file, installed)
    takeover.make_visible(layout, installed)
    message = t("adopt.task_done", version=hand.version, env=hand.env, folder=layout.root, task=runner.name,
                name=scheduled.name)
    return Result(verb="adopt", version=hand.version, new=hand.version, message=message,
                  extra={"env": hand.env, "service_id": layout.service_id, "mode": "task", "task": runner.name,
                         "java": hand.java, "account": account.username, "jar": str(hand.jar)})


def _service_word(chosen: Candidate) -> str:
    return SERVICE_WORDS[chosen.service] if chosen.service else "?"


def _document(chosen: Candidate, installed: State) -> dict[str, Any]:
    return {
        "env": installed.env,
        "service_id": installed.service_id,
        "service_base": chosen.base,
        "service": _service_word(chosen),
        "java": installed.java,
        "java_version": chosen.java_version,
        "winsw": installed.winsw,
        "winsw_version": chosen.winsw_version,
        "jar": str(chosen.jar) if chosen.jar else None,
        "version_from": chosen.version_source,
        "account": chosen.registration.account if chosen.registration else None,
        "notes": chosen.notes,
    }


def _show(chosen: Candidate, installed: State, ui: UI) -> None:
    doc = {"version": installed.version, **_document(chosen, installed)}
    rows = [[key, "-" if value in (None, []) else "; ".join(value) if isinstance(value, list) else str(value)]
            for key, value in doc.items() if key != "notes"]
    ui.table(t("adopt.title", folder=chosen.exe.parent), [t("status.what"), t("status.value")], rows)
