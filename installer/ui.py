"""How a run talks: rich output for a person, plain log lines for silent runs and tools.

Every line shown is also logged. With /json, stdout carries only the result document, so the person's
lines go to stderr.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any

log = logging.getLogger("installer.ui")

QUIET_PROGRESS_EVERY = 5.0  # seconds between progress log lines in a silent run
_NO_WRAP = 100_000  # columns of a console that is no terminal: tables never cut a path


class UI:
    def __init__(self, *, quiet: bool = True, json_output: bool = False, assume_yes: bool = False) -> None:
        self.quiet = quiet
        self.json_output = json_output
        self.assume_yes = assume_yes
        self._console: Any = None
        # The live display of the operation's steps (installer/step_display.py), when a person watches them.
        self.steps: Any = None

    # --- lines ------------------------------------------------------------------------------------
    def _stream(self) -> Any:
        return sys.stderr if self.json_output else sys.stdout

    @property
    def console(self) -> Any:
        """The rich console of this run (made on first use)."""
        return self._rich()

    def _rich(self) -> Any:
        if self._console is None:
            from rich.console import Console  # only a person's run pays for rich

            stream = self._stream()
            if stream.isatty():
                self._console = Console(file=stream, highlight=False)
            else:
                # A file or a pipe (a redirect, Ansible): whole lines and whole cells, never cut or wrapped at 80.
                self._console = Console(file=stream, highlight=False, soft_wrap=True, width=_NO_WRAP)
        return self._console

    def _show(self, text: str, style: str | None) -> None:
        if self.quiet:
            # The stderr log handler shows silent runs' lines; stdout stays for the result.
            return
        self._end_steps()
        self._rich().print(text, style=style, markup=False)

    def _end_steps(self) -> None:
        # Rich draws a live display below what is printed: end it, so lines and steps keep their order.
        if self.steps is not None:
            self.steps.stop()

    def info(self, text: str) -> None:
        log.info(text)
        self._show(text, None)

    def warn(self, text: str) -> None:
        log.warning(text)
        self._show(text, "yellow")

    def error(self, text: str) -> None:
        log.error(text)
        self._show(text, "bold red")

    def success(self, text: str) -> None:
        log.info(text)
        self._show(text, "green")

    def table(self, title: str, columns: list[str], rows: list[list[str]]) -> None:
        """A table for a person; one log line per row for everyone else."""
        for row in rows:
            log.info("%s: %s", title, " | ".join(row))
        if self.quiet:
            return
        from rich.table import Table

        self._end_steps()
        table = Table(title=title)
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        self._rich().print(table)

    # --- questions --------------------------------------------------------------------------------
    def confirm(self, question: str, default: bool = False) -> bool:
        """Yes with /yes; in a silent run (nobody to ask) the default."""
        if self.assume_yes:
            return True
        if self.quiet or not sys.stdin.isatty():
            return default
        from rich.prompt import Confirm

        return bool(Confirm.ask(question, default=default, console=self._rich()))

    # --- progress ---------------------------------------------------------------------------------
    def track_bytes(self, chunks: Iterable[bytes], total: int | None, label: str, done: int = 0) -> Iterator[bytes]:
        """Pass `chunks` through, showing progress: a bar for a person, a log line every few seconds else."""
        if self.quiet or self.json_output or not self._stream().isatty():
            yield from _log_progress(chunks, total, label, done)
            return
        self._end_steps()  # rich draws one live display at a time
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=self._rich(),
            transient=False,
        ) as progress:
            task = progress.add_task(label, total=total, completed=done)
            for chunk in chunks:
                progress.update(task, advance=len(chunk))
                yield chunk


def _log_progress(chunks: Iterable[bytes], total: int | None, label: str, done: int) -> Iterator[bytes]:
    started = last = time.monotonic()
    count = done
    for chunk in chunks:
        count += len(chunk)
        now = time.monotonic()
        if now - last >= QUIET_PROGRESS_EVERY:
            last = now
            of = f" of {total:,}" if total else ""
            log.info("%s: %s%s bytes", label, f"{count:,}", of)
        yield chunk
    elapsed = max(time.monotonic() - started, 1e-6)
    log.info("%s: %s bytes in %.1f s (%.1f MB/s)", label, f"{count:,}", elapsed, (count - done) / elapsed / 1e6)
