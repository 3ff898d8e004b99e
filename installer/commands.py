"""Running a program: its command line, output and exit code go to the log (secrets masked), with a timeout.

A program that cannot be started or does not finish in time raises CommandFailed; an exit code is the caller's
to judge (`Completed.is_code`, `means`), since Windows answers with codes that POSIX truncates.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from installer.decoding import console_output
from installer.errors import ExitCode, SetupError, same_exit_code
from installer.messages import t

log = logging.getLogger(__name__)

NO_WINDOW: int = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window flashing up on Windows
# A helper command must not receive the Ctrl+C the person presses at setup's console: an undo's `stop` or `start`
# killed by the second Ctrl+C leaves the service in between. Windows: CREATE_NO_WINDOW gives the child no console,
# so no console Ctrl+C reaches it. POSIX: a terminal signals its whole process group; the child gets its own session.
DETACHED: dict[str, bool] = {} if os.name == "nt" else {"start_new_session": True}


class CommandFailed(SetupError):
    """A program that could not be started, or gave no answer within its timeout."""

    def __init__(self, message: str, code: ExitCode = ExitCode.ATTENTION) -> None:
        super().__init__(code, message)


@dataclass
class Completed:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        text = "\n".join(s for s in (self.stdout.strip(), self.stderr.strip()) if s)
        return text or "-"

    def is_code(self, expected: int) -> bool:
        return same_exit_code(self.code, expected)

    def means(self, code: int, text: re.Pattern[str]) -> bool:
        """A failure with this Win32 code, or output that says the same."""
        return self.code != 0 and (self.is_code(code) or bool(text.search(self.output)))


def run_command(argv: list[str], timeout: float, secrets: tuple[str, ...] = ()) -> Completed:
    """Run a program, log the command, its output and exit code (secrets masked); CommandFailed when it cannot
    be started or does not finish within `timeout` seconds."""

    def mask(text: str) -> str:
        for secret in secrets:
            text = text.replace(secret, "********")
        return text

    shown = mask(subprocess.list2cmdline(argv))
    began = time.monotonic()
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=timeout, creationflags=NO_WINDOW,
                              cwd=Path(argv[0]).parent if os.path.isabs(argv[0]) else None, **DETACHED)
    except subprocess.TimeoutExpired:
        log.warning("%s: no answer within %g s", shown, timeout)
        raise CommandFailed(t("service.command_timeout", exe=argv[0], verb=" ".join(argv[1:2]),
                              seconds=f"{timeout:g}")) from None
    except OSError as exc:
        log.warning("%s: %s", shown, exc)
        raise CommandFailed(t("service.exe_failed", exe=argv[0], reason=exc)) from None
    done = Completed(proc.returncode, mask(console_output(proc.stdout)), mask(console_output(proc.stderr)))
    log.info("%s -> exit %d in %.2f s%s", shown, done.code, time.monotonic() - began,
             "" if done.output == "-" else "\n" + done.output)
    return done
