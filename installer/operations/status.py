"""/status (not built yet)."""

from __future__ import annotations

from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.result import Result
from installer.settings import Settings
from installer.ui import UI


def run(settings: Settings, ui: UI) -> Result:
    raise SetupError(ExitCode.BAD_COMMAND_LINE, t("cli.not_built", verb="status"))
