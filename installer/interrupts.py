"""Ctrl+C that never cuts an undo short.

The first Ctrl+C of a run raises KeyboardInterrupt as usual: the operation stops and undoes what it began.
Every further Ctrl+C while that cancel is being handled, or while an undo runs for any other reason, is
answered with "finishing the undo, please wait" and otherwise ignored. A terminal signals the whole process
group, and a one-file program is two processes (the bootloader and Python): the same keypress may arrive twice
within milliseconds, and an admin who sees nothing happen presses again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from installer.messages import t

_cancelling = False  # the first Ctrl+C was turned into KeyboardInterrupt; its handling is not over
_shielded = 0  # nesting depth of undo sections


def install() -> None:
    """Take over SIGINT for this run (the main thread only can; elsewhere Python's default stays)."""
    global _cancelling
    _cancelling = False
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_interrupt)


def settled() -> None:
    """The cancel has been handled to its end: a new Ctrl+C interrupts again (e.g. a prompt after it)."""
    global _cancelling
    _cancelling = False


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """An undo runs in here: Ctrl+C only says to wait."""
    global _shielded
    _shielded += 1
    try:
        yield
    finally:
        _shielded -= 1


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    global _cancelling
    if _cancelling or _shielded:
        # Written straight to the file descriptor: a signal handler must not re-enter a buffered stream.
        with contextlib.suppress(OSError, ValueError):
            os.write(sys.stderr.fileno(), (t("cli.finishing_undo") + "\n").encode("utf-8", "replace"))
        return
    _cancelling = True
    raise KeyboardInterrupt
