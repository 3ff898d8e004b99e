"""Which runs leave `.setup/last-run.json`, and where it is never written (the end-to-end runs are in
tests/e2e/test_reports.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from installer import run_report
from installer.layout import Layout


def _folder(tmp_path: Path) -> Layout:
    layout = Layout(tmp_path / "ip")
    layout.setup_logs.mkdir(parents=True, mode=0o755)
    layout.private.mkdir(mode=0o755)
    return layout


def _document(verb: str = "upgrade", code: int = 13) -> dict[str, Any]:
    return {"verb": verb, "result": "rolled-back", "exit_code": code, "message": "x", "log": "L"}


def test_a_silent_run_that_held_the_folder_writes_the_document(tmp_path: Path) -> None:
    layout = _folder(tmp_path)
    run_report.finish(_document(), folder=layout.root, service_id="integrasjonspunkt", silent=True,
                      logs=[tmp_path / "extra.log", layout.setup_log])
    written = json.loads(layout.last_run.read_text(encoding="ascii"))
    assert written.pop("at").endswith("Z") and written == _document()


@pytest.mark.parametrize(("verb", "silent", "held"), [
    ("upgrade", False, True),  # a person at the prompt read the result
    ("status", True, True),  # only reads: the last operation's result stays
    ("check", True, True),
    ("upgrade", True, False),  # stopped before it held the folder (damaged state, 1618)
])
def test_runs_that_leave_no_file(tmp_path: Path, verb: str, silent: bool, held: bool) -> None:
    layout = _folder(tmp_path)
    run_report.finish(_document(verb), folder=layout.root, service_id="integrasjonspunkt", silent=silent,
                      logs=[layout.setup_log] if held else [tmp_path / "extra.log"])
    assert not layout.last_run.exists()


def test_an_untrusted_folder_or_a_link_gets_nothing(tmp_path: Path) -> None:
    layout = _folder(tmp_path)
    layout.private.chmod(0o777)  # other accounts can change .setup/
    assert run_report.write_last_run(layout.root, _document()) is None and not layout.last_run.exists()
    layout.private.chmod(0o755)
    outside = tmp_path / "elsewhere.json"
    outside.write_text("kept", encoding="utf-8")
    layout.last_run.symlink_to(outside)
    assert run_report.write_last_run(layout.root, _document()) is None
    assert outside.read_text(encoding="utf-8") == "kept" and layout.last_run.is_symlink()


def test_the_file_masks_passwords_and_is_ascii(tmp_path: Path) -> None:
    from installer import logsetup

    layout = _folder(tmp_path)
    logsetup.register_secret("Hemmelig-pa55")
    run_report.write_last_run(layout.root, {**_document(), "message": "æøå Hemmelig-pa55"})
    data = layout.last_run.read_bytes()
    assert b"Hemmelig-pa55" not in data and json.loads(data)["message"].startswith("\u00e6\u00f8\u00e5 ")
    data.decode("ascii")


def test_a_report_that_breaks_leaves_the_others_and_the_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    """Windows refusing the event (here: the call raises) must not turn a finished upgrade into exit 14, and the
    file is still written."""
    from installer import event_log

    def broken(*_args: object, **_kwargs: object) -> bool:
        raise OSError(87, "The parameter is incorrect")

    monkeypatch.setattr(event_log, "report", broken)
    layout = _folder(tmp_path)
    run_report.finish(_document(), folder=layout.root, service_id="integrasjonspunkt", silent=True,
                      logs=[layout.setup_log])
    assert layout.last_run.is_file() and "report (event) failed" in caplog.text
