"""Parts of the wizard that need no installation: the double-click test, the answer checks, the step display and
the UI that shows a line once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from installer import engine
from installer.engine import Engine, Step, StepFailed
from installer.journal import Journal
from installer.operations.install import planned_health
from installer.plans import steps
from installer.windows import console
from installer.wizard.display import WizardUI
from installer.wizard.install import folder_problem, orgnr_problem


@pytest.mark.parametrize("pids, alone", [
    ([100], True),  # Explorer made the console for setup alone
    ([100, 99], True),  # with PyInstaller's one-file launcher
    ([100, 7], False),  # cmd.exe or PowerShell shares it
    ([100, 99, 7], False),
])
def test_alone_in_console(pids: list[int], alone: bool) -> None:
    assert console.alone_in_console(pids, own_pid=100, launcher_pid=99) is alone


def test_no_double_click_without_a_windows_console() -> None:
    if os.name == "nt":
        pytest.skip("POSIX only")
    assert console.console_process_ids() is None
    assert console.started_by_double_click() is False


@pytest.mark.parametrize("answer, problem", [
    ("910076787", None),
    ("910 076 787", None),
    ("91007678", "it has 9 digits"),
    ("9100767870", "it has 9 digits"),
    ("91007678x", "it has 9 digits"),
    ("910076788", "check digit"),
])
def test_organisation_number_checked_as_typed(answer: str, problem: str | None) -> None:
    reason = orgnr_problem(answer)
    assert (reason is None) if problem is None else (reason is not None and problem in reason)


def test_folder_answer(tmp_path: Path) -> None:
    afile = tmp_path / "file"
    afile.write_text("x")
    assert folder_problem(str(tmp_path / "new folder")) is None
    assert folder_problem(f'"{tmp_path}"') is None  # as Explorer's "Copy as path" gives it
    assert "not a full path" in (folder_problem("relative/dir") or "")
    assert "is a file" in (folder_problem(str(afile)) or "")


def test_steps_shown_from_the_engine_observer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A real engine run: a step that fails (as Ctrl+C in the health wait does) is marked stopped, never passed;
    a kept registration is one line, not a removal and a registration that did not happen."""
    ui = WizardUI()

    def health() -> None:
        raise KeyboardInterrupt

    plan = [Step("make-dirs", lambda: None), steps.keep_registration("unregister-old"),
            steps.keep_registration("register-new", shown=False), Step("register", lambda: None),
            Step("health", health)]
    with ui.steps, pytest.raises(StepFailed):
        Engine(Journal(tmp_path / "journal.json", "test", {})).run(plan)
    shown = capsys.readouterr().out
    assert "✓ create the folders" in shown
    assert shown.count("keep the service registration as it is") == 2  # done, then its (harmless) undo
    assert "remove the old service registration" not in shown and "register the service again" not in shown
    assert "✗ wait until integrasjonspunkt answers – stopped" in shown
    assert "✓ undoing: register the Windows service" in shown
    assert shown.index("undoing: register the Windows service") > shown.index("wait until integrasjonspunkt")
    assert not engine._observers


def test_a_line_or_table_is_shown_once(capsys: pytest.CaptureFixture[str]) -> None:
    ui = WizardUI()
    for _ in range(2):
        ui.info("Installing integrasjonspunkt 2.28.1")
        ui.table("Prerequisites", ["Check", "Verdict"], [["Java", "ok"]])
    shown = capsys.readouterr().out
    assert shown.count("Installing integrasjonspunkt 2.28.1") == 1
    assert shown.count("Prerequisites") == 1


class _Typed:
    """A console a person types the given answers into."""

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers
        self.shown: list[str] = []

    def input(self, prompt: str, **kwargs: object) -> str:
        self.shown.append(prompt)
        return self.answers.pop(0)

    def print(self, text: str = "", **kwargs: object) -> None:
        self.shown.append(text)


def test_the_wizard_asks_about_https_for_3x_4x(tmp_path: Path) -> None:
    from installer.wizard.display import WizardUI
    from installer.wizard.install import _ask_tls
    from installer.wizard.prompts import Asker

    ui = WizardUI()
    ui.ask = Asker(_Typed([""]))  # Enter: off, Digdir's local default
    assert _ask_tls(ui) == {}
    keystore = tmp_path / "tls.p12"
    keystore.write_bytes(b"\x30\x82")
    ui.ask = Asker(_Typed(["2", str(keystore), "pw", ""]))
    assert _ask_tls(ui) == {"tls_keystore": str(keystore), "tls_keystore_password": "pw", "tls_keystore_alias": None}


@pytest.mark.parametrize("props, tls_keystore, url", [
    ({}, None, "http://localhost:9093/manage/health"),
    ({}, "C:/certs/tls.p12", "https://localhost:9093/manage/health"),  # install writes difi.ssl.enabled=true
    ({"difi.ssl.enabled": "true", "server.port": "9443"}, None, "https://localhost:9443/manage/health"),
    ({"difi.ssl.enabled": "true", "server.ssl.enabled": "false"}, None, "http://localhost:9093/manage/health"),
])
def test_the_plan_names_the_health_url_the_install_will_check(props: dict[str, str], tls_keystore: str | None,
                                                               url: str) -> None:
    assert planned_health("health", props, "v4.0.0", tls_keystore).url == url
