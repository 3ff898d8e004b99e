"""The operation engine: a list of steps, each with `do` and `undo`, run under the journal.

A step is recorded as started before it runs and done after. When a step fails (or Ctrl+C arrives), the
steps that began are undone in reverse order; an undo must be harmless when its `do` never ran, and a failing
undo does not stop the others. Once the step that proves the new version healthy is done, later steps (the
commit) only move forward: they are never undone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from installer import interrupts
from installer.journal import DONE, STARTED, UNDO_FAILED, UNDONE, Journal

log = logging.getLogger(__name__)

# Test hook (README, "Testing"): the process kills itself right after the named step is recorded as done.
FAULT_ENV = "IPSETUP_FAULT_KILL_AFTER"


def _nothing() -> None:
    return None


@dataclass
class Step:
    name: str
    do: Callable[[], None]
    undo: Callable[[], None] = _nothing
    # Done means the new version passed its health check: from here on, recovery completes, never undoes.
    marks_healthy: bool = False
    # What a person is shown for it (the catalogue's wizard.step.<label>) when not its name; "" shows nothing.
    label: str | None = None


# What an observer hears (a display of the steps): a step starts, is done or failed; its undo starts, is done
# or failed.
EVENT_START, EVENT_DONE, EVENT_FAILED = "start", "done", "failed"
EVENT_UNDO, EVENT_UNDONE, EVENT_UNDO_FAILED = "undo", "undone", "undo-failed"


class StepObserver(Protocol):
    def step_event(self, event: str, step: Step, error: BaseException | None = None) -> None: ...


_observers: list[StepObserver] = []


@contextlib.contextmanager
def observing(observer: StepObserver) -> Iterator[None]:
    """Tell `observer` about every step any engine runs or undoes while inside."""
    _observers.append(observer)
    try:
        yield
    finally:
        _observers.remove(observer)


def _tell(event: str, step: Step, error: BaseException | None = None) -> None:
    for observer in list(_observers):
        try:
            observer.step_event(event, step, error)
        except Exception:  # a display must never break an operation
            log.exception("step display")


class StepFailed(Exception):
    def __init__(self, step: str, cause: BaseException, undo_failures: list[tuple[str, BaseException]]) -> None:
        super().__init__(f"{step}: {cause}")
        self.step = step
        self.cause = cause
        self.undo_failures = undo_failures


def _fault_point(step: str) -> None:
    if os.environ.get(FAULT_ENV) != step:
        return
    log.warning("fault injection: killing this process after step %s", step)
    for handler in logging.getLogger("installer").handlers:
        handler.flush()
    if os.name == "nt":
        os._exit(137)
    os.kill(os.getpid(), signal.SIGKILL)


class Engine:
    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def run(self, steps: list[Step], on_failure: Callable[[str, BaseException], None] | None = None) -> None:
        """Run the steps not yet done. On failure call `on_failure` (e.g. to keep the failed version's last
        log lines before the old version writes to the same files), undo what began, raise StepFailed."""
        healthy = self.journal.healthy
        for step in steps:
            if self.journal.state_of(step.name) == DONE:
                healthy = healthy or step.marks_healthy
                continue
            try:
                # Inside the try: a Ctrl+C while the journal is written still undoes what began.
                self.journal.mark(step.name, STARTED)
                log.info("step %s", step.name)
                _tell(EVENT_START, step)
                step.do()
            except BaseException as exc:
                if healthy:
                    # The commit after a healthy start moves forward only; report, do not undo.
                    log.warning("step %s failed after the health check: %s", step.name, exc)
                    self.journal.mark(step.name, DONE)
                    continue
                with interrupts.shielded():  # a second Ctrl+C must not cut the undo short
                    log.error("step %s failed: %s", step.name, exc)
                    _tell(EVENT_FAILED, step, exc)
                    if on_failure is not None:
                        try:
                            on_failure(step.name, exc)
                        except Exception:
                            log.exception("while noting the failure of %s", step.name)
                    failures = self.undo(steps)
                raise StepFailed(step.name, exc, failures) from exc
            self.journal.mark(step.name, DONE)
            _tell(EVENT_DONE, step)
            if step.marks_healthy:
                healthy = True
                self.journal.mark_healthy()
            _fault_point(step.name)

    def undo(self, steps: list[Step]) -> list[tuple[str, BaseException]]:
        """Undo, newest first, every step that began; keep going past a failing undo."""
        with interrupts.shielded():
            return self._undo(steps)

    def _undo(self, steps: list[Step]) -> list[tuple[str, BaseException]]:
        failures: list[tuple[str, BaseException]] = []
        for step in reversed(steps):
            if self.journal.state_of(step.name) not in (STARTED, DONE):
                continue
            log.info("undo %s", step.name)
            _tell(EVENT_UNDO, step)
            try:
                step.undo()
            except Exception as exc:
                log.error("undo of %s failed: %s", step.name, exc)
                self.journal.mark(step.name, UNDO_FAILED)
                _tell(EVENT_UNDO_FAILED, step, exc)
                failures.append((step.name, exc))
                continue
            self.journal.mark(step.name, UNDONE)
            _tell(EVENT_UNDONE, step)
            _fault_point("undo-" + step.name)
        return failures
