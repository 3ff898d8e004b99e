"""The crash-safe record of an operation in progress: `.setup/journal.json`.

Before a step runs, the journal records it as started; after, as done. Every write is atomic (temp file, fsync,
rename), so after a power cut the file says exactly which steps may have had an effect. The journal also
carries the operation's context: everything needed to rebuild its steps in a new process.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from installer import __version__, properties
from installer import setup_files as files
from installer.fsutil import write_json_atomic
from installer.layout import Layout
from installer.messages import t
from installer.releases import is_safe_tag
from installer.settings import valid_service_id
from installer.state import ENVS, utc_now, valid_winsw
from installer.verbs import where

# 2: the context is a typed context's document with its own format number (plans/context.py); 1: the
# unnumbered dictionary before it, still read.
FORMAT = 2
# The operations a journal may record: the verbs whose changes all run under it.
OPERATIONS = where("journaled")

STARTED = "started"
DONE = "done"
UNDONE = "undone"
UNDO_FAILED = "undo-failed"


@dataclass
class Journal:
    path: Path
    operation: str
    context: dict[str, Any]  # the operation's context as a document (plans/context.py rebuilds it)
    steps: dict[str, str] = field(default_factory=dict)  # step name -> state, in the order they began
    healthy: bool = False
    started_at: str = field(default_factory=utc_now)
    pid: int = field(default_factory=os.getpid)
    written_by: str = __version__

    def document(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "written_by": __version__,
            "operation": self.operation,
            "context": self.context,
            "steps": [{"name": n, "state": s} for n, s in self.steps.items()],
            "healthy": self.healthy,
            "started_at": self.started_at,
            "pid": self.pid,
        }

    def save(self) -> None:
        write_json_atomic(self.path, self.document())

    def mark(self, step: str, state: str) -> None:
        self.steps[step] = state
        self.save()

    def mark_healthy(self) -> None:
        self.healthy = True
        self.save()

    def state_of(self, step: str) -> str | None:
        return self.steps.get(step)

    def close(self) -> None:
        self.path.unlink(missing_ok=True)

    def summary(self) -> dict[str, Any]:
        """What /status shows of an interrupted operation."""
        return {
            "operation": self.operation,
            "from": self.context.get("from"),
            "to": self.context.get("to"),
            "started_at": self.started_at,
            "healthy": self.healthy,
            "last_step": next(reversed(self.steps), None),
        }


def load(path: Path) -> Journal | None:
    """The open journal in `path` (`<folder>/.setup/journal.json`), None when there is none. It is replayed by
    an elevated run, so everything it names is checked first: exit 14, nothing run, when a value fails."""
    doc = files.read_document(path, FORMAT, t("files.remedy_journal"))
    if doc is None:
        return None
    context, steps = doc.get("context"), doc.get("steps", [])
    shape = {
        "operation": doc.get("operation") in OPERATIONS,
        "context": isinstance(context, dict),
        "steps": isinstance(steps, list) and all(
            isinstance(s, dict) and isinstance(s.get("name"), str) and s.get("state") in _STEP_STATES for s in steps),
        "healthy": isinstance(doc.get("healthy", False), bool),
        "pid": type(doc.get("pid", 0)) is int,
    }
    for name, ok in shape.items():
        if not ok:
            raise files.damaged(path, t("files.missing_field", field=name), t("files.remedy_journal"))
    assert isinstance(context, dict)
    _check_context(path, context, folder=path.parent.parent)
    return Journal(
        path=path,
        operation=doc["operation"],
        context=context,
        steps={s["name"]: s["state"] for s in steps},
        healthy=doc.get("healthy", False),
        started_at=str(doc.get("started_at", "")),
        pid=doc.get("pid", 0),
        written_by=str(doc.get(files.WRITTEN_BY) or ""),
    )


_STEP_STATES = (STARTED, DONE, UNDONE, UNDO_FAILED)
# Where the paths an operation records may point: its staged files, its downloads, its backups.
# (`jar_cache` and `winsw_cache`: format 1's names.)
_UNDER_PRIVATE = {"staged_xml": "staged", "jar_source": "cache", "winsw_source": "cache", "jar_cache": "cache",
                  "winsw_cache": "cache"}
_UNDER_BACKUPS = ("backup_dir", "failed_dir", "replaced_dir", "restore_from")


def _check_context(path: Path, doc: dict[str, Any], folder: Path) -> None:
    """The folder is this one; ids, tags and build names by their grammar; every path inside `.setup/` or
    `backups/`, the keystore inside the folder or where its properties file says; the Java an absolute path."""

    def require(name: str, ok: bool) -> None:
        if not ok:
            raise files.untrusted(path, name, doc.get(name))

    def optional(name: str, check: Any) -> None:
        require(name, doc.get(name) is None or check(doc[name]))

    require("folder", isinstance(doc.get("folder"), str) and Path(doc["folder"]).absolute() == folder.absolute())
    require("service_id", valid_service_id(doc.get("service_id")))
    optional("base", files.plain_name)
    require("to", isinstance(doc.get("to"), str) and is_safe_tag(doc["to"]))
    optional("from", lambda v: isinstance(v, str) and is_safe_tag(v))
    require("env", doc.get("env") in ENVS)
    for name in ("java", "java_old"):
        optional(name, files.absolute_path)
    for name in ("winsw", "winsw_old"):
        optional(name, valid_winsw)
    for name in ("jar_digest", "winsw_digest"):
        optional(name, _valid_digest)
    layout = Layout(folder)
    for name, sub in _UNDER_PRIVATE.items():
        optional(name, lambda v, sub=sub: files.under(v, layout.private / sub))
    for name in _UNDER_BACKUPS:
        optional(name, lambda v: files.under(v, layout.backups))
    optional("keystore", lambda v: files.under(v, folder) or _named_by_properties(v, folder))
    optional("kosmos", lambda v: _valid_kosmos(v, folder))
    # The H2 files the datasource URLs name, in the folder or elsewhere: a restore moves them, so nothing else.
    optional("databases", lambda v: isinstance(v, list) and all(
        files.absolute_path(p) and str(p).lower().endswith(".mv.db") for p in v))


_START_TYPES = ("auto", "delayed-auto", "demand", "disabled")


def _valid_kosmos(value: object, folder: Path) -> bool:
    """KOSMOS's service as a take-over recorded it: its exe directly in the folder, where discovery found it."""
    if not isinstance(value, dict) or not valid_service_id(value.get("service_id")):
        return False
    exe = value.get("exe")
    return (isinstance(exe, str) and exe.lower().endswith(".exe") and files.plain_name(Path(exe).name)
            and Path(exe).parent.absolute() == folder.absolute() and value.get("start") in _START_TYPES)


_DIGEST_HEX = re.compile(r"^[0-9a-fA-F]{32,128}$")


def _valid_digest(value: object) -> bool:
    """[algorithm, hex] of a verified file, as the operation recorded it."""
    return (isinstance(value, list) and len(value) == 2 and value[0] in ("sha1", "sha256", "sha512", "md5")
            and isinstance(value[1], str) and bool(_DIGEST_HEX.match(value[1])))


def _named_by_properties(value: object, folder: Path) -> bool:
    """A keystore outside the folder is accepted only where the folder's properties file points."""
    if not files.absolute_path(value):
        return False
    named = properties.keystore_path(properties.read(Layout(folder).properties), folder)
    return named is not None and Path(str(value)) == named
