"""Where a silent run leaves its result for those who were not watching: `.setup/last-run.json` (the document
`/json` prints, for monitoring tools), one entry in the Windows Application log (event_log.py) and, when the
folder's setup.toml asks for it, an e-mail (mail_report.py).

Only verbs that change something report: `/status` and `/check` only read, and a monitoring tool calling
`/status /json` every minute must not overwrite the result of the night's upgrade.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from installer import event_log, folder_trust, fsutil, setup_files
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.messages import t
from installer.result import render
from installer.verbs import where

log = logging.getLogger(__name__)

REPORTED_VERBS = where("reported")


def _usable(folder: Path) -> bool:
    """Whether setup may write in the folder's `.setup/` and read its setup.toml now: not a run that never reached
    it (no `.setup/`), not a folder other accounts can change, no link anywhere in `.setup/` (it would send a write
    elsewhere). A refusal is a log line."""
    layout = Layout(folder)
    if not layout.private.is_dir():
        return False
    verdict = folder_trust.check(folder)
    if not verdict.trusted:
        log.warning("no report in %s: %s", folder, verdict.reason)
        return False
    try:
        setup_files.refuse_links(folder)
    except SetupError as exc:
        log.warning("no report in %s: %s", folder, exc.message)
        return False
    return True


def write_last_run(folder: Path, document: dict[str, Any]) -> Path | None:
    """Write `.setup/last-run.json` atomically; None when the folder is not usable (see _usable)."""
    layout = Layout(folder)
    if not _usable(folder):
        return None
    stamped = {**document, "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    try:
        fsutil.write_atomic(layout.last_run, (render(stamped) + "\n").encode("ascii"))
    except OSError as exc:
        log.warning("%s not written: %s", layout.last_run, exc)
        return None
    return layout.last_run


def event_text(document: dict[str, Any], folder: Path | None) -> str:
    return t("report.event", message=document.get("message") or "", setup_version=document.get("setup_version"),
             verb=document.get("verb") or "", folder=str(folder) if folder else "", code=document.get("exit_code"),
             result=document.get("result") or "", log=document.get("log") or t("report.no_log"))


def _mail(folder: Path, document: dict[str, Any], text: str, detail: str) -> bool:
    # Imported here: smtplib and email are loaded only by a run that may send a mail.
    from installer import mail_report

    return _usable(folder) and mail_report.mail_result(folder, document, text, detail)


def finish(document: dict[str, Any], *, folder: Path | None, service_id: str, silent: bool,
           logs: list[Path], detail: str = "") -> None:
    """After a run's result is known: a silent changing run writes last-run.json, its event and (when the folder's
    setup.toml asks for it) an e-mail with `detail` (the failed version's log tail) attached; a successful
    uninstall then removes the event source (after its own event, so that entry still reads well).

    last-run.json and the mail come only from a run that held the folder (it logged there): one stopped before (a
    damaged state file, a folder not trusted) leaves the folder as it was, and one refused with 1618 leaves the
    file to the run that holds it. The event is written either way. A report never changes the run's result:
    whatever goes wrong in one is a warning in the log."""
    verb, code = document.get("verb"), int(document.get("exit_code", 0))
    if verb not in REPORTED_VERBS:
        return
    uninstalled = verb == "uninstall" and code == ExitCode.OK
    held = silent and folder is not None and Layout(folder).setup_log in logs
    text = event_text(document, folder)
    steps: list[tuple[str, Callable[[], object]]] = []
    if held and folder is not None:
        steps.append(("last-run.json", lambda: write_last_run(folder, document)))
    if silent and not uninstalled:
        steps.append(("event source", lambda: event_log.register(service_id)))  # an older setup made none
    if silent:
        steps.append(("event", lambda: event_log.report(service_id, code, text)))
    if held and folder is not None:
        steps.append(("e-mail", lambda: _mail(folder, document, text, detail)))
    if uninstalled:
        steps.append(("event source removal", lambda: event_log.unregister(service_id)))
    for what, step in steps:
        try:
            step()
        except Exception:  # a defect in a report: the run's own result and exit code stand
            log.warning("report (%s) failed", what, exc_info=True)
