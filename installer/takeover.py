"""Taking over an integrasjonspunkt installed by hand: which service to adopt, and the state file that makes it
this product's installation (the only change adoption makes). /adopt does it on its own; the verbs that change
an installation (/install, /upgrade, /rollback, /repair, /uninstall) do it first, with a message, when the folder
has no state file but a hand-made installation (`adopt_first`, called by the session).
"""

from __future__ import annotations

import logging

from installer import adoption, apps_entry, boot_recovery, phase, winsw_catalog
from installer.adoption import Candidate, Discovery
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.messages import joined, t
from installer.settings import Origin, Settings, take_recorded
from installer.state import State, record_operation, save
from installer.ui import UI
from installer.verbs import where

log = logging.getLogger(__name__)

# The verbs that adopt a hand-made installation before they act (CLI.md, "Verbs").
ADOPTED_FIRST = where("adopts_first")


def adopt_first(settings: Settings, ui: UI, layout: Layout, verb: str) -> State | None:
    """Before `verb` acts on a folder without a state file: adopt the hand-made installation there, if any, and
    return its state (None: nothing there, and the verb goes on as it would). KOSMOS, several services, or one
    that cannot be adopted: stops the verb (SetupError) before it changes anything."""
    if verb not in ADOPTED_FIRST or not layout.root.is_dir():
        return None
    found = discover(settings, layout)
    if found.empty:
        return None
    code = ExitCode.PREREQUISITES if verb == "install" else ExitCode.NOT_INSTALLED
    chosen = choose(found, settings, ui, code)
    if chosen is None:
        return None
    ui.info(t("adopt.automatic", folder=layout.root, version=chosen.version, verb="/" + verb, base=chosen.base))
    phase.began()  # taking over writes the state file (and may register the service)
    installed = take_over(settings, ui, layout, chosen)
    take_recorded(settings, installed.recorded_settings())
    return installed


def discover(settings: Settings, layout: Layout) -> Discovery:
    catalog = winsw_catalog.load_catalog(settings.winsw_catalog)
    return adoption.discover(layout.root, catalog)


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
    if settings.origins.get("service-id") not in (None, Origin.DEFAULT, Origin.STATE):
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


def take_over(settings: Settings, ui: UI, layout: Layout, chosen: Candidate) -> State:
    """Write the state file for `chosen` (the only change adoption makes to the installation) and the Apps &
    features entry."""
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
    save(layout.state_file, installed)
    make_visible(layout, installed)
    return installed


def make_visible(layout: Layout, installed: State) -> None:
    """The installation is this product's now: it appears in Apps & features, uninstalled by the folder's own
    copy of setup."""
    log.info("adopted %s: %s", layout.root, installed.to_document())
    try:
        boot_recovery.copy_running_setup(layout)
    except OSError as exc:
        log.warning("no copy of setup in %s: %s", layout.private, exc)
    apps_entry.write(Layout(layout.root, installed.service_id, installed.service_base), installed.version)
