"""The operation's steps for a person at a terminal: one line per step, a spinner and the time while it runs,
then a mark – done, or stopped by a failure or Ctrl+C – and the same for each undo. Fed by the engine's
observer events (installer/engine.py), used by the wizard and by an interactive command line alike."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.progress import Progress, SpinnerColumn, Task, TaskID, TextColumn, TimeElapsedColumn
from rich.text import Text

from installer import engine
from installer.engine import Step
from installer.messages import CATALOG, t

DONE_MARK = "✓"
STOPPED_MARK = "✗"


def step_label(step: Step) -> str:
    key = f"wizard.step.{step.label or step.name}"
    return t(key) if key in CATALOG["en"] else step.name


class MarkColumn(SpinnerColumn):
    """A spinner while a step runs, then its mark."""

    def render(self, task: Task) -> RenderableType:
        if task.finished:
            mark = task.fields.get("mark", DONE_MARK)
            return Text(mark, style="green" if mark == DONE_MARK else "red")
        return super().render(task)


class StepProgress:
    """Shows the engine's steps while it is entered (`with`); `stop()` ends the display, the next step starts a
    new one below whatever was printed in between."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._text = ""
        self._observing: Any = None

    def step_event(self, event: str, step: Step, error: BaseException | None = None) -> None:
        if step.label == "":
            return
        if event in (engine.EVENT_START, engine.EVENT_UNDO):
            key = "wizard.step_undoing" if event == engine.EVENT_UNDO else "wizard.step_doing"
            self._begin(t(key, step=step_label(step)))
        elif event in (engine.EVENT_DONE, engine.EVENT_UNDONE):
            self._finish(DONE_MARK, self._text)
        else:  # failed, or an undo that failed
            self._finish(STOPPED_MARK, t("wizard.step_stopped", step=self._text))

    def _begin(self, text: str) -> None:
        self._finish(DONE_MARK, self._text)  # a step left open (none should be) counts as done
        if self._progress is None:
            self._progress = Progress(MarkColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                      console=self.console, transient=False)
            self._progress.start()
        self._text = text
        self._task = self._progress.add_task(text, total=None, mark=DONE_MARK)

    def _finish(self, mark: str, description: str) -> None:
        if self._progress is None or self._task is None:
            return
        self._progress.update(self._task, description=description, total=1, completed=1, mark=mark)
        self._task = None

    def stop(self) -> None:
        """End the display (a step still running shows as done so far); lines printed next come below it."""
        if self._progress is None:
            return
        self._finish(DONE_MARK, self._text)
        self._progress.stop()
        self._progress = None

    def __enter__(self) -> StepProgress:
        self._observing = engine.observing(self)
        self._observing.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._observing.__exit__(None, None, None)
        self.stop()
