"""The wizard on a folder that holds an installation: its status, then upgrade (to what, and why that version),
repair, rollback, uninstall or quit – each one the verb's own `run`."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from installer import adoption, artifacts, config_keep, resolution, state, winsw_catalog
from installer import properties as props_mod
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.messages import t
from installer.operations import (
    adopt,
    preflight,
    recover,
    repair,
    rollback,
    schedule,
    status,
    uninstall,
    upgrade,
)
from installer.plans import switch
from installer.releases import Release, release_for_tag
from installer.result import Result
from installer.settings import Settings, require_dir, take_recorded
from installer.state import State
from installer.wizard.display import Guided, WizardUI

log = logging.getLogger(__name__)


def has_installation(settings: Settings, folder: Path) -> bool:
    """A state file, an interrupted operation, or an installation made by hand to take over."""
    layout = Layout(folder)
    return layout.state_file.is_file() or layout.journal_file.is_file() or _hand_made(settings, folder)


def _hand_made(settings: Settings, folder: Path) -> bool:
    if not folder.is_dir() or Layout(folder).state_file.exists():
        return False
    return not adoption.discover(folder, winsw_catalog.load_catalog(settings.winsw_catalog)).empty


@dataclass
class Offer:
    release: Release | None  # None: nothing newer to offer
    why: str
    other_line: Release | None = None  # Digdir's approved version, on another major line (/allow-major)


def guide(run: Guided) -> Result:
    """Called for a folder where `has_installation` is true."""
    settings, ui = run.settings, run.ui
    folder = require_dir(settings)
    ui.heading(t("wizard.existing", folder=folder))
    layout = Layout(folder)
    if not layout.state_file.exists() and not layout.journal_file.exists():
        # has_installation found one made by hand.
        adopted = _adopt(run)
        if adopted is not None:
            return adopted
    seen = status.run(settings, ui)
    if seen.result == "busy":
        raise SetupError(ExitCode.BUSY, seen.message)
    (ui.success if seen.exit_code == ExitCode.OK else ui.warn)(seen.message)
    installed = state.load(layout.state_file)
    if installed is not None:
        settings = run.settings = replace(settings, origins=dict(settings.origins))
        take_recorded(settings, installed.recorded_settings())
    actions: list[tuple[str, str]] = []
    default = "quit"
    if seen.result == "interrupted":
        actions.append(("recover", t("wizard.action_recover")))
        default = "recover"
    if installed is None:
        actions.append(("quit", t("wizard.action_quit")))
        return _act(run, ui.ask.choice(t("wizard.ask_action"), actions, default), None, None)
    offer = upgrade_offer(settings, installed)
    if offer.release is not None:
        actions.append(("upgrade", t("wizard.action_upgrade", version=offer.release.tag, why=offer.why)))
        default = "upgrade" if default == "quit" else default
    else:
        ui.info(offer.why)
    if offer.other_line is not None:
        actions.append(("line", t("wizard.action_line", version=offer.other_line.tag, env=settings.env)))
    actions.append(("repair", t("wizard.action_repair", version=installed.version)))
    if default == "quit" and seen.exit_code != ExitCode.OK:
        default = "repair"
    if installed.previous_versions:
        actions.append(("rollback", t("wizard.action_rollback", version=installed.previous_versions[0])))
    actions.append(("uninstall", t("wizard.action_uninstall", version=installed.version)))
    actions.append(("quit", t("wizard.action_quit")))
    return _act(run, ui.ask.choice(t("wizard.ask_action"), actions, default), installed, offer)


def upgrade_offer(settings: Settings, installed: State) -> Offer:
    """Digdir's approved version for the environment (or the newest on the installed line, when the approved one
    is on another line or cannot be read), if it is newer than the installed one."""
    current = release_for_tag(installed.version)
    try:
        release = resolution.resolve_for(settings, "latest", installed)
        why = t("wizard.why_same_line", line=f"{current.version.major}.x") if release.note else \
            t("wizard.why_approved", env=settings.env)
        other = _other_line(settings, installed) if release.note else None
    except resolution.NothingToDo as nothing:
        return Offer(None, nothing.message)
    except SetupError as exc:
        log.warning("Digdir's approved version: %s", exc.message)
        line = f"{current.version.major}.x"
        try:
            release = resolution.resolve_for(settings, line, installed)
        except SetupError as again:
            return Offer(None, t("wizard.no_offer", reason=again.message))
        why = t("wizard.why_newest_line", line=line, reason=exc.message)
        other = None
    if release.version <= current.version:
        return Offer(None, t("wizard.up_to_date", version=installed.version, why=why), other)
    return Offer(release, why, other)


def _other_line(settings: Settings, installed: State) -> Release | None:
    """Digdir's approved version when it is on another major line and newer: the line change to offer."""
    try:
        release = resolution.resolve_for(replace(settings, allow_major=True), "latest", installed)
    except (SetupError, resolution.NothingToDo) as exc:
        log.warning("Digdir's approved version on another line: %s", exc.message)
        return None
    return release if release.version > release_for_tag(installed.version).version else None


def _act(run: Guided, action: str, installed: State | None, offer: Offer | None) -> Result:
    settings, ui = run.settings, run.ui
    if action == "quit":
        return Result(verb="wizard", result="nothing-to-do", message=t("wizard.nothing_done"))
    if action == "recover":
        return run.perform(recover.run, replace(settings, verb="recover"))
    assert installed is not None and offer is not None
    if action == "upgrade":
        target = _ask_upgrade_version(settings, ui, installed, offer)
        if not ui.confirm(t("wizard.confirm_upgrade", old=installed.version, new=target.tag), default=True):
            return _declined()
        # The target resolved here is the one /upgrade takes (not resolved again).
        return run.perform(functools.partial(upgrade.run, release=target),
                           replace(settings, verb="upgrade", spec=target.tag))
    if action == "line":
        assert offer.other_line is not None
        return _change_line(run, installed, offer.other_line)
    if action == "repair":
        if not ui.confirm(t("wizard.confirm_repair", version=installed.version), default=True):
            return _declined()
        return run.perform(repair.run, replace(settings, verb="repair"))
    if action == "rollback":
        older = installed.previous_versions[0]
        restore = False
        line = switch.crosses_data_line(installed.version, older)
        if line:
            ui.warn(t("wizard.rollback_data_line", new=installed.version, old=older, line=line))
            restore = True
        if not ui.confirm(t("wizard.confirm_rollback", old=installed.version, new=older), default=not restore):
            return _declined()
        return run.perform(rollback.run, replace(settings, verb="rollback", restore_data=restore))
    if not ui.confirm(t("wizard.confirm_uninstall", version=installed.version, folder=settings.dir), default=False):
        return _declined()
    return run.perform(uninstall.run, replace(settings, verb="uninstall", purge=False))


def _change_line(run: Guided, installed: State, release: Release) -> Result:
    """The upgrade to another major line (`/upgrade <tag> /allow-major`), after listing the keys it will write into
    the properties file to keep the running behaviour (the upgrade's own computation, on the target's jar)."""
    settings, ui = replace(run.settings, verb="upgrade", spec=release.tag, allow_major=True), run.ui
    layout = Layout(require_dir(settings))
    jar = artifacts.obtain_cached_jar(release, settings, layout, ui)
    _, keys = preflight.configuration(settings, layout, ui, release, installed, jar, props_mod.read(layout.properties))
    if keys:
        ui.info(t("wizard.line_keys", file=layout.properties, new=release.tag))
        for key, value in keys.items():
            ui.info("  " + config_keep.listed({key: value}))
    else:
        ui.info(t("wizard.line_no_keys", file=layout.properties, new=release.tag))
    if not ui.confirm(t("wizard.confirm_line", old=installed.version, new=release.tag), default=False):
        return _declined()
    return run.perform(functools.partial(upgrade.run, release=release), settings)


def _ask_upgrade_version(settings: Settings, ui: WizardUI, installed: State, offer: Offer) -> Release:
    assert offer.release is not None
    current = release_for_tag(installed.version)
    chosen: list[Release] = []

    def check(answer: str) -> str | None:
        try:
            release = resolution.resolve_for(settings, answer, installed)
        except (SetupError, resolution.NothingToDo) as exc:
            return exc.message
        if release.version <= current.version:
            return t("wizard.not_newer", version=release.tag, installed=installed.version)
        chosen.append(release)
        return None

    ui.ask.text(t("wizard.ask_upgrade_version"), offer.release.tag, check)
    return chosen[-1]


def _adopt(run: Guided) -> Result | None:
    """A hand-made installation: take it over first (/adopt); None when it was, the result when not."""
    ui = run.ui
    folder = require_dir(run.settings)
    kosmos = adoption.discover(folder, winsw_catalog.load_catalog(run.settings.winsw_catalog)).kosmos
    if kosmos:
        # KOSMOS runs it: the take-over replaces KOSMOS with the service (/adopt /from-kosmos).
        ui.info(t("wizard.kosmos_here", folder=folder, signs=", ".join(kosmos)))
        if not ui.confirm(t("wizard.confirm_kosmos"), default=True):
            return _declined()
        result = run.perform(adopt.run, replace(run.settings, verb="adopt", from_kosmos=True))
        if result.exit_code != ExitCode.OK:
            return result
        _offer_schedule(run)
        return None
    ui.info(t("wizard.hand_made", folder=run.settings.dir))
    if not ui.confirm(t("wizard.confirm_adopt"), default=True):
        return _declined()
    result = run.perform(adopt.run, replace(run.settings, verb="adopt"))
    return None if result.exit_code == ExitCode.OK else result


def _offer_schedule(run: Guided) -> None:
    """What KOSMOS did, done safely: Digdir's approved version, unattended (/schedule latest)."""
    ui, settings = run.ui, run.settings
    if not ui.confirm(t("wizard.confirm_schedule"), default=True):
        return
    scheduled = run.perform(schedule.run, replace(settings, verb="schedule", spec="latest"))
    run.settings = settings
    (ui.success if scheduled.exit_code == ExitCode.OK else ui.warn)(scheduled.message)


def _declined() -> Result:
    return Result(verb="wizard", exit_code=ExitCode.CANCELLED, result="cancelled", message=t("wizard.declined"))
