"""/adopt: take over an integrasjonspunkt installed by hand – write the state file and change nothing else.

The verbs that change an installation (/install, /upgrade, /rollback, /repair, /uninstall) adopt first, with a
message, when the folder has no state file but a hand-made installation (`adopt_first`, called by the session).
"""

from __future__ import annotations

import logging
from typing import Any

from installer import adoption, phase, winsw_catalog
from installer.adoption import Candidate, Discovery
from installer.errors import ExitCode, SetupError
from installer.messages import joined, t
from installer.operations.outcome import record_operation
from installer.operations.session import Session, changing
from installer.operations.status import SERVICE_WORDS
from installer.result import Result
from installer.settings import Settings
from installer.state import State, save
from installer.ui import UI

log = logging.getLogger(__name__)

# The verbs that adopt a hand-made installation before they act (CLI.md, "Verbs").
ADOPTED_FIRST = frozenset({"install", "upgrade", "rollback", "repair", "uninstall"})


def run(settings: Settings, ui: UI) -> Result:
    with changing(settings, ui, "adopt") as session:
        folder = session.layout.root
        if session.installed is not None:
            return Result(verb="adopt", result="nothing-to-do", version=session.installed.version,
                          message=t("adopt.already", version=session.installed.version, folder=folder))
        found = discover(session)
        chosen = choose(found, settings, ui, ExitCode.NOT_INSTALLED)
        if chosen is None:
            return Result(verb="adopt", exit_code=ExitCode.NOT_INSTALLED, result="not-installed",
                          message=t("adopt.nothing", folder=folder))
        installed = take_over(session, chosen)
        _show(chosen, installed, ui)
        message = t("adopt.done", version=installed.version, env=installed.env, folder=folder,
                    service_id=installed.service_id, base=chosen.base)
        return Result(verb="adopt", version=installed.version, new=installed.version, message=message,
                      extra=_document(chosen, installed))


def adopt_first(session: Session, verb: str) -> None:
    """Before `verb` acts on a folder without a state file: adopt the hand-made installation there, if any.

    Nothing there: returns and the verb goes on as it would. KOSMOS, several services, or one that cannot be
    adopted: stops the verb (SetupError) before it changes anything.
    """
    if session.installed is not None or not session.layout.root.is_dir():
        return
    found = discover(session)
    if found.empty:
        return
    code = ExitCode.PREREQUISITES if verb == "install" else ExitCode.NOT_INSTALLED
    chosen = choose(found, session.settings, session.ui, code)
    if chosen is None:
        return
    session.ui.info(t("adopt.automatic", folder=session.layout.root, version=chosen.version, verb="/" + verb,
                      base=chosen.base))
    phase.began()  # taking over writes the state file (and may register the service)
    installed = take_over(session, chosen)
    apply_recorded(session.settings, installed)
    session.reload()


def discover(session: Session) -> Discovery:
    catalog = winsw_catalog.load_catalog(session.settings.winsw_catalog)
    return adoption.discover(session.layout.root, catalog)


def _listed(candidates: list[Candidate]) -> str:
    return joined(c.describe() for c in candidates)


def choose(found: Discovery, settings: Settings, ui: UI, code: ExitCode) -> Candidate | None:
    """The one service to adopt; None when the folder holds none. Raises SetupError with `code` (exit 10 for
    KOSMOS) when adopting would be wrong or it is not clear which one."""
    folder = found.folder
    if found.kosmos:
        signs = ", ".join(found.kosmos)
        if not settings.ignore_kosmos:
            raise SetupError(ExitCode.PREREQUISITES, t("adopt.kosmos", folder=folder, signs=signs))
        ui.warn(t("adopt.kosmos_ignored", signs=signs))
    pool = found.candidates
    if settings.origins.get("service-id") not in (None, "default", "state"):
        pool = [c for c in pool if c.service_id.lower() == settings.service_id.lower()]
    usable = [c for c in pool if c.adoptable]
    if len(usable) > 1:
        # A copy left beside the registered service is not a second installation.
        registered = [c for c in usable if c.registered_here]
        if len(registered) != 1:
            raise SetupError(code, t("adopt.several", folder=folder, candidates=_listed(usable)))
        for other in usable:
            if other is not registered[0]:
                ui.warn(t("adopt.unregistered_copy", file=other.xml.name, chosen=registered[0].xml.name))
        usable = registered
    if not usable:
        if pool:
            reasons = joined((f"{c.xml.name}: {' '.join(c.problems)}" for c in pool), " ")
            raise SetupError(code, t("adopt.cannot", folder=folder, reasons=reasons))
        if found.candidates:
            raise SetupError(code, t("adopt.no_such_id", folder=folder, service_id=settings.service_id,
                                     candidates=_listed(found.candidates)))
        if found.tasks:
            raise SetupError(code, t("adopt.task", folder=folder, tasks=_tasks(found)))
        if found.java_processes:
            raise SetupError(code, t("adopt.by_hand", folder=folder, processes=", ".join(found.java_processes)))
        return None
    for other in pool:
        if not other.adoptable:
            ui.warn(t("adopt.left_alone", file=other.xml.name, reasons=joined(other.problems, " ")))
    if found.tasks:
        ui.warn(t("adopt.task_too", tasks=_tasks(found)))
    return usable[0]


def _tasks(found: Discovery) -> str:
    return ", ".join(f"{task.name} ({task.command})" for task in found.tasks)


def take_over(session: Session, chosen: Candidate) -> State:
    """Write the state file for `chosen`: the only change adoption makes."""
    settings, ui = session.settings, session.ui
    assert chosen.version is not None
    for note in chosen.notes:
        ui.warn(note)
    env = chosen.env
    if env is None:
        env = settings.env
        ui.warn(t("adopt.no_profile", version=chosen.version, env=env))
    elif settings.named_on_command_line("env") and settings.env != env:
        ui.warn(t("adopt.env_differs", found=env, given=settings.env))
    installed = State(
        version=chosen.version,
        env=env,
        service_id=chosen.service_id,
        # Written into the XML as an absolute path at the next change (a bare `java` as the service finds it).
        java=str(chosen.java) if chosen.java else chosen.executable,
        winsw=chosen.winsw,
        service_base=None if chosen.standard_names else chosen.base,
        adopted=True,
    )
    record_operation(installed, "adopt", None, chosen.version, "ok", ExitCode.OK)
    save(session.layout.state_file, installed)
    log.info("adopted %s: %s", session.layout.root, installed.to_document())
    return installed


def apply_recorded(settings: Settings, installed: State) -> None:
    """What the state file now records counts as it would have from the start of this run: the command line
    still wins (CLI.md: env, service-id and java come from the state file unless the command line names them)."""
    for name, value in installed.recorded_settings().items():
        if not settings.named_on_command_line(name):
            setattr(settings, name.replace("-", "_"), value)
            settings.origins[name] = "state"


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
