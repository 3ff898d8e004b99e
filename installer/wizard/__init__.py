"""The guided session a double-click opens (no verb on the command line).

Nothing installed: environment, version, folder, Java and the properties are asked; the checks, the plan and a
confirmation come before /install runs. An installation found: its status, then upgrade, repair, rollback,
uninstall or quit. The answers fill a copy of the settings and each verb's own `run` does the work, with the same
engine and checks as a silent run. Ctrl+C ends the session with 1602 once the verb has undone its work; a window
that a double-click opened waits for Enter before it closes, whatever the outcome.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace

from installer import __version__, folder_trust, interrupts, logsetup, state
from installer.errors import ExitCode, SetupError, same_exit_code
from installer.layout import Layout
from installer.messages import t
from installer.operations import recover, status
from installer.releases import line_for
from installer.result import Result
from installer.settings import Settings, require_dir
from installer.ui import UI
from installer.windows import console
from installer.wizard import install, maintain
from installer.wizard.display import Guided, WizardUI, show_facts

log = logging.getLogger(__name__)


def run(settings: Settings, ui: UI) -> Result:
    if ui.quiet:
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("wizard.needs_person"))
    # Until the folder's log is attached the run's logger may have no handler, and Python would print its
    # warnings raw between the questions.
    logging.getLogger(logsetup.ROOT_LOGGER).addHandler(logging.NullHandler())
    guided = Guided(settings, WizardUI(assume_yes=settings.yes))
    guided.ui.heading(t("wizard.title", version=__version__))
    try:
        folder = require_dir(settings)
        verdict = folder_trust.check(folder)
        if not verdict.trusted:  # nothing is read from it, no question asked about it (CLI.md "Trust")
            raise SetupError(ExitCode.PREREQUISITES, verdict.message(folder, "install"))
        if maintain.has_installation(settings, folder):
            result = maintain.guide(guided)
        else:
            result = install.guide(guided, maintain.guide, maintain.has_installation)
    except SetupError as exc:
        result = Result(verb=guided.settings.verb or "wizard", exit_code=exc.code, result="failed",
                        message=exc.message, detail=exc.detail)
    except (KeyboardInterrupt, EOFError):
        result = _cancelled(guided)
    show_result(guided, result)
    interrupts.settled()  # the cancel is over: Ctrl+C may close the window
    keep_window_open(guided.ui)
    return result


def _cancelled(guided: Guided) -> Result:
    """Ctrl+C outside an operation's steps (a question, a download) changed nothing. One that cut this run's
    operation short outside its own undo (between two steps, say) leaves its journal: the undo is finished here.
    A journal an earlier run left waits for the person's choice (the menu offers to finish it)."""
    settings = guided.settings
    if not guided.started or settings.dir is None or not Layout(settings.dir).journal_file.is_file():
        return Result(verb=settings.verb or "wizard", exit_code=ExitCode.CANCELLED, result="cancelled",
                      message=t("wizard.cancelled"))
    try:
        recovered = guided.perform(recover.run, replace(settings, verb="recover"))
    except (SetupError, KeyboardInterrupt, EOFError) as exc:
        log.warning("recovery after Ctrl+C: %s", getattr(exc, "message", type(exc).__name__))
        return Result(verb=settings.verb or "wizard", exit_code=ExitCode.CANCELLED, result="cancelled",
                      message=t("wizard.cancelled_pending", folder=settings.dir))
    if recovered.result != "undone":
        return recovered
    return Result(verb=settings.verb or "wizard", exit_code=ExitCode.CANCELLED, result="cancelled",
                  version=recovered.version, message=t("wizard.cancelled_undone", message=recovered.message))


def show_result(guided: Guided, result: Result) -> None:
    if result.exit_code == ExitCode.OK:
        style, title = "green", t("wizard.result_ok")
    elif same_exit_code(result.exit_code, ExitCode.CANCELLED):
        style, title = "yellow", t("wizard.result_cancelled")
    else:
        style, title = "red", t("wizard.result_failed")
    rows = [(t("wizard.fact_outcome"), result.message), *_facts(guided.settings)]
    if result.detail:
        rows.append((t("wizard.fact_detail"), result.detail))
    show_facts(guided.ui, title, rows, style)


def _facts(settings: Settings) -> list[tuple[str, str]]:
    """What runs in the folder now: version, service state, the WSDL or health URL, and the log file."""
    if settings.dir is None or not folder_trust.check(settings.dir).trusted:
        return []
    layout = Layout(settings.dir)
    rows: list[tuple[str, str]] = []
    if state.load(layout.state_file) is not None:
        try:
            seen = status.run(settings, UI(quiet=True))
            doc = {} if same_exit_code(seen.exit_code, ExitCode.BUSY) else seen.extra  # another run holds it
        except SetupError as exc:
            log.warning("status for the result panel: %s", exc.message)
            doc = {}
        if doc.get("version"):
            url_label = "wizard.fact_wsdl" if line_for(doc["version"]).health == "wsdl" else "wizard.fact_health"
            rows += [(t("wizard.fact_version"), doc["version"]),
                     (t("wizard.fact_service_state"), _service_text(doc)),
                     (t(url_label), doc["health_url"])]
    if layout.setup_log.is_file():
        rows.append((t("wizard.fact_log"), str(layout.setup_log)))
    if settings.log is not None:
        rows.append((t("wizard.fact_log"), str(settings.log)))
    return rows


def _service_text(doc: dict[str, object]) -> str:
    if doc.get("service") == "running":
        return t("wizard.service_healthy") if doc.get("healthy") else t("wizard.service_unhealthy")
    return t(f"wizard.service_{doc.get('service')}")


def keep_window_open(ui: WizardUI) -> None:
    """A console window that a double-click opened closes when setup ends: let the person read it first."""
    if not console.started_by_double_click():
        return
    with contextlib.suppress(KeyboardInterrupt, EOFError):
        ui.console.input(t("wizard.press_enter"), markup=False)
