"""How the wizard shows things: a UI for a person that asks in the wizard's words, shows the operation engine's
steps as they run, and a result panel at the end."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from rich.console import RenderableType
from rich.panel import Panel
from rich.progress import Progress, SpinnerColumn, Task, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from installer.messages import CATALOG, t
from installer.prompts import Asker
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI

log = logging.getLogger(__name__)

# The engine logs "step <name>" before a step runs and "undo <name>" before its undo (installer/engine.py).
ENGINE_LOGGER = "installer.engine"
_STEP_RECORD = re.compile(r"^(step|undo) (\S+)$")
DONE_MARK = "✓"
STOPPED_MARK = "✗"


def step_label(name: str) -> str:
    key = f"wizard.step.{name}"
    return t(key) if key in CATALOG["en"] else name


class MarkColumn(SpinnerColumn):
    """A spinner while a step runs, then its mark: done, or stopped by a failure or Ctrl+C."""

    def render(self, task: Task) -> RenderableType:
        if task.finished:
            mark = task.fields.get("mark", DONE_MARK)
            return Text(mark, style="green" if mark == DONE_MARK else "red")
        return super().render(task)


class StepProgress(logging.Handler):
    """One line per engine step (a spinner while it runs, its time when done), fed by the engine's log records,
    so the operations need no hooks of their own."""

    def __init__(self, console: Any) -> None:
        super().__init__(logging.INFO)
        self.console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._text = ""
        self._undoing = False

    def emit(self, record: logging.LogRecord) -> None:
        match = _STEP_RECORD.match(record.getMessage())
        if match is None:
            return
        undoing = match.group(1) == "undo"
        key = "wizard.step_undoing" if undoing else "wizard.step_doing"
        try:
            self._next(t(key, step=step_label(match.group(2))), undoing=undoing)
        except Exception:  # the display must never break an operation
            self.handleError(record)

    def _next(self, text: str, *, undoing: bool) -> None:
        if self._progress is None:
            self._progress = Progress(MarkColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                      console=self.console, transient=False)
            self._progress.start()
        elif self._task is not None:
            # The step running when the undoing begins is the one that failed or was interrupted.
            stopped = undoing and not self._undoing
            description = t("wizard.step_stopped", step=self._text) if stopped else self._text
            self._progress.update(self._task, description=description, total=1, completed=1,
                                  mark=STOPPED_MARK if stopped else DONE_MARK)
        self._text = text
        self._undoing = undoing
        self._task = self._progress.add_task(text, total=None, mark=DONE_MARK)

    def stop(self) -> None:
        """End the display (the last step counts as done); the next step starts a new one."""
        if self._progress is None:
            return
        if self._task is not None:
            self._progress.update(self._task, total=1, completed=1)
        self._progress.stop()
        self._progress = None
        self._task = None

    def __enter__(self) -> StepProgress:
        logging.getLogger(ENGINE_LOGGER).addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger(ENGINE_LOGGER).removeHandler(self)
        self.stop()


class WizardUI(UI):
    """A person's UI for the operations the wizard runs. A line or table shown once is not shown again: the
    wizard shows the checks before it asks, and the operation checks once more after its download."""

    def __init__(self, *, assume_yes: bool = False) -> None:
        super().__init__(quiet=False, json_output=False, assume_yes=assume_yes)
        self._shown: set[str] = set()
        self.ask = Asker(self.console)
        self.steps = StepProgress(self.console)

    @property
    def console(self) -> Any:
        return self._rich()

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

    def track_bytes(self, chunks: Iterable[bytes], total: int | None, label: str, done: int = 0) -> Iterator[bytes]:
        # Rich draws one live display at a time: a download (after a recovery's steps) ends the step display.
        self.steps.stop()
        yield from super().track_bytes(chunks, total, label, done)


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
