"""How the wizard shows things: a UI for a person that asks in the wizard's words, shows the operation engine's
steps as they run, and a result panel at the end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from installer.result import Result
from installer.settings import Settings
from installer.step_display import StepProgress
from installer.ui import UI
from installer.wizard.prompts import Asker

log = logging.getLogger(__name__)

class WizardUI(UI):
    """A person's UI for the operations the wizard runs. A line or table shown once is not shown again: the
    wizard shows the checks before it asks, and the operation checks once more after its download."""

    def __init__(self, *, assume_yes: bool = False) -> None:
        super().__init__(quiet=False, json_output=False, assume_yes=assume_yes)
        self._shown: set[str] = set()
        self.ask = Asker(self.console)
        self.steps = StepProgress(self.console)

    def _show(self, text: str, style: str | None) -> None:
        if text in self._shown:
            return
        self._shown.add(text)
        super()._show(text, style)

    def table(self, title: str, columns: list[str], rows: list[list[str]]) -> None:
        if title in self._shown:
            for row in rows:
                log.info("%s: %s", title, " | ".join(row))
            return
        self._shown.add(title)
        super().table(title, columns, rows)

    def heading(self, text: str) -> None:
        log.info(text)
        self.console.rule(Text(text), style="cyan")

    def confirm(self, question: str, default: bool = False) -> bool:
        if self.assume_yes:
            return True
        return self.ask.yes_no(question, default)


def show_facts(ui: WizardUI, title: str, rows: list[tuple[str, str]], style: str) -> None:
    """A panel of label/value lines (the plan before it runs, the result after)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in rows:
        log.info("%s: %s: %s", title, label, value)
        grid.add_row(Text(label), Text(value))
    ui.console.print(Panel(grid, title=Text(title), title_align="left", border_style=style, expand=False))


@dataclass
class Guided:
    """One wizard run: its UI, and the settings with the answers so far (the result panel looks in their folder)."""

    settings: Settings
    ui: WizardUI
    # An operation was started: a journal in the folder from now on is this run's.
    started: bool = False

    def perform(self, verb_run: Callable[[Settings, UI], Result], settings: Settings) -> Result:
        """Run one verb's own `run` with the answers filled in, its steps shown as they go."""
        self.settings = settings
        self.started = True
        log.info("the wizard runs /%s %s", settings.verb, settings.spec or "")
        with self.ui.steps:
            return verb_run(settings, self.ui)
