"""The result of a silent run by e-mail, as KOSMOS sends one: only when the install folder's own `setup.toml`
names `smtp-host`, `mail-from` and `mail-to`, and only when something happened (a run with nothing to do sends
nothing). STARTTLS when the server offers it; the service-log tail of a failed version attached.

A mail that cannot be sent is a warning in the log: the run's result and exit code stay what they were.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
import tomllib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

from installer.layout import Layout
from installer.messages import t
from installer.settings import SETTINGS_FILE

log = logging.getLogger(__name__)

DEFAULT_PORT = 25
TIMEOUT = 30.0  # seconds, per connection step


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]


class BadMailSettings(ValueError):
    pass


def _address(key: str, value: object) -> str:
    if not isinstance(value, str) or "@" not in value or any(c.isspace() or c in "<>,;" for c in value.strip()):
        raise BadMailSettings(f"{key} = {value!r} is not an e-mail address")
    return value.strip()


def parse(document: dict[str, Any]) -> MailSettings | None:
    """The mail settings in a parsed setup.toml; None when it names no `smtp-host`. `mail-to` is one address, a
    comma-separated list, or a TOML array. Raises BadMailSettings naming the key."""
    raw_host = document.get("smtp-host", document.get("smtp_host"))
    if raw_host is None:
        return None
    if not isinstance(raw_host, str) or not raw_host.strip() or any(c.isspace() for c in raw_host.strip()):
        raise BadMailSettings(f"smtp-host = {raw_host!r} is not a host name")
    host, port_text = raw_host.strip(), ""
    if host.count(":") == 1:  # host:port (an IPv6 literal has more colons and takes the default port)
        host, port_text = host.split(":")
    try:
        port = int(port_text) if port_text else DEFAULT_PORT
    except ValueError:
        raise BadMailSettings(f"smtp-host = {raw_host!r}: the port is not a number") from None
    if not 1 <= port <= 65535:
        raise BadMailSettings(f"smtp-host = {raw_host!r}: the port is not 1-65535")
    sender = _address("mail-from", document.get("mail-from", document.get("mail_from")))
    raw_to = document.get("mail-to", document.get("mail_to"))
    items = raw_to if isinstance(raw_to, list) else str(raw_to or "").split(",")
    recipients = tuple(_address("mail-to", item) for item in items if not isinstance(item, str) or item.strip())
    if not recipients:
        raise BadMailSettings("mail-to names no address")
    return MailSettings(host, port, sender, recipients)


def settings_of(folder: Path) -> MailSettings | None:
    """From the install folder's setup.toml (the caller has judged the folder trusted)."""
    path = folder / SETTINGS_FILE
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BadMailSettings(f"{path}: {exc}") from None
    return parse({key.lower(): value for key, value in document.items()})


def compose(mail: MailSettings, document: dict[str, Any], text: str, detail: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = t("report.mail_subject", host=socket.gethostname(), verb=document.get("verb") or "",
                           result=document.get("result") or "", code=document.get("exit_code"))
    message["From"] = mail.sender
    message["To"] = ", ".join(mail.recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=mail.sender.rpartition("@")[2])
    from installer.result import render

    message.set_content(f"{text}\n\n{render(document)}\n")
    if detail:
        message.add_attachment(detail, subtype="plain", filename="startup-log.txt")
    return message


def send(mail: MailSettings, message: EmailMessage) -> None:
    """Deliver over SMTP; STARTTLS (certificate checked) when the server offers it. Raises OSError or
    smtplib.SMTPException."""
    with smtplib.SMTP(mail.host, mail.port, timeout=TIMEOUT) as smtp:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        smtp.send_message(message)


def mail_result(folder: Path, document: dict[str, Any], text: str, detail: str) -> bool:
    """Send the result when the folder asks for it and something happened; True when a mail went out."""
    if document.get("result") == "nothing-to-do":
        return False
    try:
        mail = settings_of(Layout(folder).root)
    except BadMailSettings as exc:
        log.warning("no result e-mail: %s", exc)
        return False
    if mail is None:
        return False
    try:
        send(mail, compose(mail, document, text, detail))
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("result e-mail to %s through %s:%d not sent: %s", ", ".join(mail.recipients), mail.host,
                    mail.port, exc)
        return False
    log.info("result e-mailed to %s", ", ".join(mail.recipients))
    return True
