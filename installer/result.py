"""The outcome of one verb, kept apart from how it is shown (text for a person, JSON for tools)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from installer import __version__
from installer.errors import ExitCode

# The format of the JSON documents; raised when a key changes meaning or goes away (new keys do not raise it).
SCHEMA = 1


@dataclass
class Result:
    verb: str
    exit_code: int = ExitCode.OK
    message: str = ""
    version: str | None = None
    # "ok", "nothing-to-do", "failed", "rolled-back", ... (CLI.md: `result`)
    result: str = "ok"
    detail: str = ""
    # The version the operation started from and the one it went to (None where it does not apply).
    old: str | None = None
    new: str | None = None
    # Extra keys of the JSON document (e.g. /status's fields).
    extra: dict[str, Any] = field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "verb": self.verb,
            "result": self.result,
            "exit_code": int(self.exit_code),
            "version": self.version,
            "message": self.message,
            "from": self.old,
            "to": self.new,
        }
        doc.update(self.extra)
        doc.update({"setup_version": __version__, "schema": SCHEMA})
        return doc


def render(document: dict[str, Any]) -> str:
    """The JSON text of a result: ASCII with \\u escapes (any code page reads it), passwords masked."""
    from installer.logsetup import redact

    return redact(json.dumps(document, indent=2, ensure_ascii=True))
