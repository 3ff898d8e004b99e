"""/adopt: take over an integrasjonspunkt installed by hand – write the state file and change nothing else.

The verbs that change an installation (/install, /upgrade, /rollback, /repair, /uninstall) adopt first, with a
message, when the folder has no state file but a hand-made installation (installer/takeover.py).
"""

from __future__ import annotations

import logging
from typing import Any

from installer import takeover
from installer.adoption import Candidate
from installer.errors import ExitCode
from installer.messages import t
from installer.operations.session import changing
from installer.operations.status import SERVICE_WORDS
from installer.result import Result
from installer.settings import Settings
from installer.state import State
from installer.ui import UI

log = logging.getLogger(__name__)


def run(settings: Settings, ui: UI) -> Result:
    with changing(settings, ui, "adopt") as session:
        folder = session.layout.root
        if session.installed is not None:
            return Result(verb="adopt", result="nothing-to-do", version=session.installed.version,
                          message=t("adopt.already", version=session.installed.version, folder=folder))
        found = takeover.discover(settings, session.layout)
        chosen = takeover.choose(found, settings, ui, ExitCode.NOT_INSTALLED)
        if chosen is None:
            return Result(verb="adopt", exit_code=ExitCode.NOT_INSTALLED, result="not-installed",
                          message=t("adopt.nothing", folder=folder))
        installed = takeover.take_over(settings, ui, session.layout, chosen)
        _show(chosen, installed, ui)
        message = t("adopt.done", version=installed.version, env=installed.env, folder=folder,
                    service_id=installed.service_id, base=chosen.base)
        return Result(verb="adopt", version=installed.version, new=installed.version, message=message,
                      extra=_document(chosen, installed))


def _service_word(chosen: Candidate) -> str:
    return SERVICE_WORDS[chosen.service] if chosen.service else "?"


def _document(chosen: Candidate, installed: State) -> dict[str, Any]:
    return {
        "env": installed.env,
        "service_id": installed.service_id,
        "service_base": chosen.base,
        "service": _service_word(chosen),
        "java": installed.java,
        "java_version": chosen.java_version,
        "winsw": installed.winsw,
        "winsw_version": chosen.winsw_version,
        "jar": str(chosen.jar) if chosen.jar else None,
        "version_from": chosen.version_source,
        "account": chosen.registration.account if chosen.registration else None,
        "notes": chosen.notes,
    }


def _show(chosen: Candidate, installed: State, ui: UI) -> None:
    doc = {"version": installed.version, **_document(chosen, installed)}
    rows = [[key, "-" if value in (None, []) else "; ".join(value) if isinstance(value, list) else str(value)]
            for key, value in doc.items() if key != "notes"]
    ui.table(t("adopt.title", folder=chosen.exe.parent), [t("status.what"), t("status.value")], rows)
