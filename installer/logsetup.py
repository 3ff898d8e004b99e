"""The run's log: `installer-logs/setup.log` in the install folder (rotated), `/log FILE`, never a secret."""

from __future__ import annotations

import html
import json
import logging
import logging.handlers
import re
from pathlib import Path

ROOT_LOGGER = "installer"
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# A byte of the command line that is not UTF-8 reaches Python as a lone surrogate; strict UTF-8 would drop the
# whole record ("--- Logging error ---"). Written as \xNN it stays visible in the log.
_ERRORS = "backslashreplace"
_secrets: set[str] = set()
_attached: list[Path] = []
# The run's first line (setup version, the command line with secrets masked): every log file gets it, also one
# attached later (the install folder's, once the folder is known), so each run in a file says what ran.
_header: str | None = None


def register_secret(value: str | None) -> None:
    """Mask `value` in every log line and result from now on, also in the escaped forms a message or a JSON
    document would show it in (`{value!r}`, JSON, XML): a control character changes how the secret is spelt."""
    if not value:
        return
    for form in (value, repr(value)[1:-1], json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1],
                 value.encode("unicode_escape").decode("ascii"), html.escape(value)):
        if form:
            _secrets.add(form)


# A secret this short is masked only where it stands alone: masking every "p" of a one-letter password would make
# every message unreadable (`none.p12`), while the secret itself is still never shown as a value.
_SHORT_SECRET = 4


def redact(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        if len(secret) >= _SHORT_SECRET:
            text = text.replace(secret, "********")
        else:
            text = re.sub(rf"(?<![^\W_]){re.escape(secret)}(?![^\W_])", "********", text)
    return text


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            record.msg = redact(record.getMessage())
            record.args = None
        return True


class _NoTracebackFormatter(logging.Formatter):
    """For the terminal of a silent run: a traceback belongs in the log file only, never on stderr."""

    def formatException(self, ei: object) -> str:
        return ""

    def formatStack(self, stack_info: str) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record).rstrip("\n")
        finally:
            record.exc_text = cached


def _handler(handler: logging.Handler, formatter: logging.Formatter | None = None) -> logging.Handler:
    handler.setFormatter(formatter or logging.Formatter(_FORMAT))
    handler.addFilter(_RedactingFilter())
    return handler


def start(extra_log: Path | None, stderr_level: int | None) -> logging.Logger:
    """Configure the logger of this run. `stderr_level` mirrors log lines to stderr (silent runs)."""
    logger = logging.getLogger(ROOT_LOGGER)
    logger.setLevel(logging.DEBUG)
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    _attached.clear()
    global _header
    _header = None
    logger.propagate = False
    # Without a handler Python would print warnings raw to the terminal of an interactive run.
    logger.addHandler(logging.NullHandler())
    if stderr_level is not None:
        stream = _handler(logging.StreamHandler(), _NoTracebackFormatter(_FORMAT))
        stream.setLevel(stderr_level)
        logger.addHandler(stream)
    if extra_log is not None:
        attach_file(extra_log, rotate=False)
    return logger


def attach_file(path: Path, rotate: bool = True) -> None:
    """Append the log to `path` from now on (the folder log is rotated at 5 MB, 5 kept)."""
    path = path.absolute()
    if path in _attached:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if rotate:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=5 * 1024 * 1024, backupCount=5, encoding="utf-8", errors=_ERRORS
        )
    else:
        handler = logging.FileHandler(path, encoding="utf-8", errors=_ERRORS)
    handler.setLevel(logging.DEBUG)
    logger = logging.getLogger(ROOT_LOGGER)
    logger.addHandler(_handler(handler))
    _attached.append(path)
    if _header is not None:
        handler.handle(logger.makeRecord(logger.name, logging.INFO, __file__, 0, _header, None, None))


def header(text: str) -> None:
    """Log the run's first line now, and into every log file attached later."""
    global _header
    _header = redact(text)
    logging.getLogger(ROOT_LOGGER).info(_header)


def files() -> list[Path]:
    """The log files of this run, in the order they were attached."""
    return list(_attached)


def stop() -> None:
    logger = logging.getLogger(ROOT_LOGGER)
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    _attached.clear()
