"""The wizard's fresh install: environment, version, folder, Java, the properties; then the checks and the plan,
a confirmation, and /install with the answers."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from installer import java, logsetup, resolution
from installer import properties as props_mod
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.messages import t
from installer.operations import install
from installer.releases import Release
from installer.result import Result
from installer.settings import Origin, Settings
from installer.wizard.display import Guided, WizardUI, show_facts

log = logging.getLogger(__name__)

ENVIRONMENTS = ("production", "staging")
# What the version question offers beside the spec typed by hand: Digdir's approved version for the
# environment, and the newest 2.x (the line most installations still run).
OFFERS = (("latest", "wizard.version_approved", "wizard.approved_unavailable"),
          ("2.x", "wizard.version_newest_2", "wizard.newest_2_unavailable"))
OTHER = "other"


def unquote(answer: str) -> str:
    """Explorer's "Copy as path" puts quotes around a path."""
    return answer.strip().strip('"').strip()


def orgnr_problem(answer: str) -> str | None:
    digits = re.sub(r"\s", "", answer)
    if not re.fullmatch(r"\d{9}", digits):
        return t("wizard.orgnr_digits", value=answer)
    if not props_mod.valid_orgnr(digits):
        return t("wizard.orgnr_check_digit", value=answer)
    return None


def folder_problem(answer: str) -> str | None:
    path = Path(unquote(answer))
    if not path.is_absolute():
        return t("wizard.folder_not_absolute", path=answer)
    if path.exists() and not path.is_dir():
        return t("wizard.folder_is_file", path=path)
    return None


def file_problem(answer: str) -> str | None:
    path = Path(unquote(answer))
    return None if path.is_file() else t("wizard.file_missing", path=path.absolute())


def guide(run: Guided, maintain: Callable[[Guided], Result],
          has_installation: Callable[[Settings, Path], bool]) -> Result:
    """Ask, check, show the plan, confirm, install. A folder that holds an installation goes to `maintain`."""
    settings, ui = run.settings, run.ui
    ui.heading(t("wizard.new_install"))
    env = ui.ask.choice(t("wizard.ask_env"), [(e, t(f"wizard.env_{e}")) for e in ENVIRONMENTS], settings.env)
    settings = replace(settings, env=env)
    release = _ask_version(settings, ui)
    folder = Path(unquote(ui.ask.text(t("wizard.ask_folder"), str(settings.dir), folder_problem)))
    settings = run.settings = replace(settings, dir=folder)
    if has_installation(settings, folder):
        ui.info(t("wizard.folder_has_installation", folder=folder))
        return maintain(run)
    layout = Layout(folder, settings.service_id)
    chosen_java = _ask_java(settings, release, ui)
    if chosen_java is not None:
        settings = replace(settings, java=chosen_java, origins={**settings.origins, "java": Origin.WIZARD})
    answers = _ask_properties(layout, ui)
    if release.line.profile_required:
        answers |= _ask_tls(ui)
    settings = replace(settings, verb="install", spec=release.tag, **answers)

    # Prepared once: the checks and the plan shown here are what /install then runs with.
    prepared = install.prepare(settings, layout, ui, install.request_of(settings), release=release, check=True)
    show_facts(ui, t("wizard.plan_title"), prepared.summary(), "cyan")
    if not ui.confirm(t("wizard.confirm_install", version=release.tag, folder=folder), default=True):
        return Result(verb="install", exit_code=ExitCode.CANCELLED, result="cancelled", message=t("wizard.declined"))
    return run.perform(functools.partial(install.run, prepared=prepared), settings)


def _ask_version(settings: Settings, ui: WizardUI) -> Release:
    offers: dict[str, Release] = {}
    labels: list[tuple[str, str]] = []
    problems: list[SetupError] = []
    for spec, label_key, problem_key in OFFERS:
        try:
            release = resolution.resolve_for(settings, spec, None)
        except SetupError as exc:
            log.warning("%s: %s", spec, exc.message)
            problems.append(exc)
            ui.warn(t(problem_key, env=settings.env, reason=exc.message))
            continue
        if release.tag not in offers:
            offers[release.tag] = release
            labels.append((release.tag, t(label_key, tag=release.tag, env=settings.env)))
    if not offers:
        raise problems[0]
    labels.append((OTHER, t("wizard.version_other")))
    chosen = ui.ask.choice(t("wizard.ask_version"), labels, labels[0][0])
    if chosen != OTHER:
        return offers[chosen]
    typed: list[Release] = []

    def check(answer: str) -> str | None:
        try:
            typed.append(resolution.resolve_for(settings, answer, None))
        except (SetupError, resolution.NothingToDo) as exc:
            return exc.message
        return None

    ui.ask.text(t("wizard.ask_version_spec"), None, check)
    return typed[-1]


def _ask_java(settings: Settings, release: Release, ui: WizardUI) -> str | None:
    """The Java to run the service when several fit; None leaves the choice to the checks (one or none fits)."""
    if settings.java:
        return None  # named by the admin (/java, setup.toml)
    fitting = [found for found in java.discover(None) if found.major >= release.line.java_min]
    best = java.choose(fitting, release.line.java_min, release.line.java_preferred)
    if len(fitting) < 2 or best is None:
        return None
    options = [(str(found.path), t("wizard.java_option", java=found.describe(), origin=found.origin))
               for found in fitting]
    return ui.ask.choice(t("wizard.ask_java", version=release.tag), options, str(best.path))


def _ask_properties(layout: Layout, ui: WizardUI) -> dict[str, Any]:
    """Settings that make /install write the properties file: a file to copy, or the values typed."""
    if layout.properties.is_file():
        ui.info(t("wizard.properties_found", path=layout.properties))
        return {}
    ui.info(t("wizard.properties_intro", path=layout.properties))
    source = unquote(ui.ask.text(t("wizard.ask_properties_file"), "", file_problem))
    if source:
        return {"properties": Path(source).absolute()}
    orgnr = re.sub(r"\s", "", ui.ask.text(t("wizard.ask_orgnr"), None, orgnr_problem))
    keystore = Path(unquote(ui.ask.text(t("wizard.ask_keystore"), None, file_problem))).absolute()
    guessed = "PKCS12" if keystore.suffix.lower() in (".p12", ".pfx") else "JKS"
    kind = ui.ask.choice(t("wizard.ask_keystore_type"), [("PKCS12", "PKCS12"), ("JKS", "JKS")], guessed)
    alias = ui.ask.text(t("wizard.ask_alias"))
    password = ui.ask.secret(t("wizard.ask_keystore_password"))
    logsetup.register_secret(password)
    return {"orgnr": orgnr, "keystore": str(keystore), "keystore_type": kind, "keystore_alias": alias,
            "keystore_password": password}


def _ask_tls(ui: WizardUI) -> dict[str, Any]:
    """3.x/4.x serve HTTPS unless told otherwise: off (Digdir's local default), or on with a TLS keystore."""
    ui.info(t("wizard.tls_intro"))
    if ui.ask.choice(t("wizard.ask_tls"), [("off", t("wizard.tls_off")), ("on", t("wizard.tls_on"))], "off") == "off":
        return {}
    keystore = Path(unquote(ui.ask.text(t("wizard.ask_tls_keystore"), None, file_problem))).absolute()
    password = ui.ask.secret(t("wizard.ask_tls_password"))
    logsetup.register_secret(password)
    alias = ui.ask.text(t("wizard.ask_tls_alias"), "")
    return {"tls_keystore": str(keystore), "tls_keystore_password": password, "tls_keystore_alias": alias or None}
