"""Exit codes (CLI.md) and the one exception type that carries them to the command line."""

from __future__ import annotations

import os
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PREREQUISITES = 10
    ARTIFACT = 11
    INSTALL_FAILED = 12
    UPGRADE_FAILED = 13
    ATTENTION = 14
    NOT_INSTALLED = 15
    CANCELLED = 1602
    BUSY = 1618
    BAD_COMMAND_LINE = 1639


class SetupError(Exception):
    """A failure the admin must read: one line of text and the exit code that goes with it."""

    def __init__(self, code: ExitCode, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # Extra lines (e.g. the service's last log lines) shown below the one-line reason.
        self.detail = detail


def same_exit_code(actual: int, expected: int) -> bool:
    """Compare an exit status with a Windows code; POSIX keeps only the low 8 bits (1618 arrives as 82)."""
    if actual == expected:
        return True
    if os.name == "nt":
        # Windows reports -1 as 0xFFFFFFFF through some APIs.
        return (actual & 0xFFFFFFFF) == (expected & 0xFFFFFFFF)
    return (actual & 0xFF) == (expected & 0xFF)


def posix_value(code: int) -> int:
    return code & 0xFF


def first_line(exc: BaseException, text: str | None = None) -> str:
    """An error's first line for a one-line message (Sequoia's errors can carry a whole backtrace; an OSError
    from Windows may end in a newline), or the exception's type name when it says nothing. `text`: the part of
    its message to read instead of all of it."""
    text = (str(exc) if text is None else text).strip()
    return text.splitlines()[0] if text else type(exc).__name__
