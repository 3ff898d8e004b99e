"""The result e-mail of a silent run, delivered to a real SMTP server on loopback (tests/harness/smtp_server.py):
plain and with STARTTLS, the failed version's log tail attached, and the cases that send nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from installer import mail_report, run_report
from installer.errors import same_exit_code
from installer.layout import Layout
from tests.harness.fixtures_world import FAST, World
from tests.harness.smtp_server import SmtpServer


def _folder(tmp_path: Path, settings: str) -> Layout:
    layout = Layout(tmp_path / "ip")
    layout.setup_logs.mkdir(parents=True, mode=0o755)
    layout.private.mkdir(mode=0o755)
    (layout.root / "setup.toml").write_text(settings, encoding="utf-8")
    return layout


def _settings(port: int, to: str = '"drift@example.org"') -> str:
    return f'smtp-host = "127.0.0.1:{port}"\nmail-from = "ip-setup@example.org"\nmail-to = {to}\n'


ROLLED_BACK = {"verb": "upgrade", "result": "rolled-back", "exit_code": 13, "from": "2.28.0", "to": "2.28.1",
               "message": "2.28.1 did not become healthy; 2.28.0 runs again.", "log": r"C:\ip\installer-logs\setup.log",
               "setup_version": "1.0", "schema": 1}


def _finish(layout: Layout, document: dict[str, Any], detail: str = "") -> None:
    run_report.finish(document, folder=layout.root, service_id="integrasjonspunkt", silent=True,
                      logs=[layout.setup_log], detail=detail)


def test_a_rolled_back_upgrade_is_mailed_with_the_log_tail(tmp_path: Path) -> None:
    with SmtpServer() as server:
        layout = _folder(tmp_path, _settings(server.port, '["drift@example.org", "vakt@example.org"]'))
        _finish(layout, ROLLED_BACK, detail="ERROR Application run failed\næøå")
        (mail,) = server.messages
    assert mail.sender == "ip-setup@example.org" and mail.recipients == ["drift@example.org", "vakt@example.org"]
    assert not mail.tls
    message = mail.message
    assert "/upgrade rolled-back (exit code 13)" in message["Subject"]
    body, attachment = list(message.iter_parts())
    text = body.get_content()
    assert text.startswith(ROLLED_BACK["message"]) and f"Log: {ROLLED_BACK['log']}" in text
    assert json.loads(text[text.index("{"):]) == ROLLED_BACK
    assert attachment.get_filename() == "startup-log.txt"
    assert attachment.get_content().rstrip("\n") == "ERROR Application run failed\næøå"


def test_starttls_is_used_when_the_server_offers_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.harness import tls

    monkeypatch.setenv("SSL_CERT_FILE", str(tls.shared_ca().ca_bundle))
    with SmtpServer(starttls=True) as server:
        layout = _folder(tmp_path, _settings(server.port, '"drift@example.org, vakt@example.org"'))
        _finish(layout, {**ROLLED_BACK, "result": "ok", "exit_code": 0})
        (mail,) = server.messages
    assert mail.tls and mail.recipients == ["drift@example.org", "vakt@example.org"]
    assert len(list(mail.message.iter_parts())) == 0  # no log tail: nothing attached


def test_a_certificate_the_machine_does_not_trust_sends_nothing(tmp_path: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    with SmtpServer(starttls=True) as server:
        layout = _folder(tmp_path, _settings(server.port))
        _finish(layout, ROLLED_BACK)
        assert server.messages == []
    assert "not sent" in caplog.text


@pytest.mark.parametrize("case", ["nothing-to-do", "no-settings", "not-silent", "status", "server-down"])
def test_runs_that_send_nothing(tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture) -> None:
    with SmtpServer() as server:
        port = server.port
        layout = _folder(tmp_path, "" if case == "no-settings" else _settings(port))
        document = {**ROLLED_BACK, "result": "nothing-to-do", "exit_code": 0} if case == "nothing-to-do" \
            else {**ROLLED_BACK, "verb": "status"} if case == "status" else ROLLED_BACK
        if case == "server-down":
            server.__exit__()
        run_report.finish(document, folder=layout.root, service_id="integrasjonspunkt", silent=case != "not-silent",
                          logs=[layout.setup_log])
        assert server.messages == []
    if case == "server-down":
        assert "not sent" in caplog.text and layout.last_run.is_file()  # the rest of the report is there


@pytest.mark.parametrize(("text", "error"), [
    ('smtp-host = "mail example"\nmail-from = "a@b"\nmail-to = "c@d"', "not a host name"),
    ('smtp-host = "mail:x"\nmail-from = "a@b"\nmail-to = "c@d"', "port is not a number"),
    ('smtp-host = "mail:0"\nmail-from = "a@b"\nmail-to = "c@d"', "1-65535"),
    ('smtp-host = "mail"\nmail-from = "nobody"\nmail-to = "c@d"', "mail-from"),
    ('smtp-host = "mail"\nmail-from = "a@b"\nmail-to = ""', "no address"),
    ('smtp-host = "mail"\nmail-from = "a@b"\nmail-to = ["c@d", 5]', "mail-to"),
])
def test_bad_settings_are_named(tmp_path: Path, text: str, error: str) -> None:
    (tmp_path / "setup.toml").write_text(text, encoding="utf-8")
    with pytest.raises(mail_report.BadMailSettings, match=error):
        mail_report.settings_of(tmp_path)


def test_a_host_without_a_port_takes_25(tmp_path: Path) -> None:
    (tmp_path / "setup.toml").write_text('smtp-host = "smtp.example.org"\nmail-from = "a@b.no"\nmail-to = "c@d.no"',
                                         encoding="utf-8")
    assert mail_report.settings_of(tmp_path) == mail_report.MailSettings("smtp.example.org", 25, "a@b.no",
                                                                         ("c@d.no",))


@pytest.mark.e2e
def test_a_scripted_upgrade_that_rolls_back_mails_the_failed_versions_log(world: World) -> None:
    """The mail settings sit in the folder's setup.toml beside the other settings, which still apply."""
    world.publish("2.28.0")
    world.publish("2.28.1", "exit_at_start")
    assert world.install("2.28.0").returncode == 0
    with SmtpServer() as server:
        (world.folder / "setup.toml").write_text(_settings(server.port) + "keep-jars = 2\n", encoding="utf-8")
        proc = world.setup("/upgrade", "2.28.1", "/quiet", "/health-timeout", "8", "/health-stable", "1")
        assert same_exit_code(proc.returncode, 13), proc.stderr
        (mail,) = server.messages
    body, attachment = list(mail.message.iter_parts())
    assert "/upgrade rolled-back (exit code 13)" in mail.message["Subject"]
    assert json.loads(body.get_content().split("\n\n", 2)[2])["exit_code"] == 13
    assert "2.28.1" in attachment.get_content()  # the failed version's own start-up lines
    world.setup("/uninstall", *FAST)
