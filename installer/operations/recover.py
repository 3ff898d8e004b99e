"""/recover: finish an operation a crash interrupted (installer/plans/recovery.py), and say what was done.

Every changing verb does the same first (installer/operations/session.py); /recover does only that.
"""

from __future__ import annotations

from installer.messages import t
from installer.operations.session import changing
from installer.plans.recovery import said
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI


def run(settings: Settings, ui: UI) -> Result:
    with changing(settings, ui, "recover") as session:
        record = session.recovered
    if record is None:
        return Result(verb="recover", result="nothing-to-do", message=t("recover.nothing"))
    return Result(verb="recover", version=record["version"], result=record["action"], old=record["from"],
                  new=record["to"], extra={"recovered": record}, message=said(record))
