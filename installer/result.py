"""The outcome of one verb, kept apart from how it is shown (text for a person, JSON for tools)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from installer.errors import ExitCode


@dataclass
class Result:
    verb: str
    exit_code: int = ExitCode.OK
    message: str = ""
    version: str | None = None
    # "ok", "nothing-to-do", "failed", "rolled-back", ... (CLI.md: `result`)
    result: str = "ok"
    detail: str = ""
    # Extra keys of the JSON document (e.g. /status's fields).
    extra: dict[str, Any] = field(default_factory=dict)

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "verb": self.verb,
            "result": self.result,
            "exit_code": int(self.exit_code),
            "version": self.version,
            "message": self.message,
        }
        doc.update(self.extra)
        return doc
