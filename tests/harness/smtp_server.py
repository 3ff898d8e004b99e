"""A small SMTP server on loopback for tests (Python 3.12 has no smtpd, and aiosmtpd is not a dependency): it
speaks enough RFC 5321 for smtplib – EHLO/HELO, optional STARTTLS with the test CA's certificate, MAIL, RCPT,
DATA with dot-unstuffing, RSET, NOOP, QUIT – and keeps every message it accepted.

    with SmtpServer() as server:                 # or SmtpServer(starttls=True)
        ...                                      # send to 127.0.0.1:server.port
        (mail,) = server.messages                # Received(sender, recipients, data, tls)
"""

from __future__ import annotations

import re
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    tls: bool  # the message came over a connection upgraded with STARTTLS

    @property
    def message(self) -> EmailMessage:
        # Parsed as a mail program stores it: lines end in LF, not SMTP's CRLF.
        return message_from_bytes(self.data.replace(b"\r\n", b"\n"), policy=policy.default)  # type: ignore[return-value]


def _path(argument: str) -> str:
    """The address of `FROM:<a@b> SIZE=12` or `TO:<c@d>` (parameters after it left out)."""
    match = re.search(r"<([^>]*)>", argument)
    return match.group(1) if match else argument.partition(":")[2].split()[0]


@dataclass
class _Session:
    sender: str | None = None
    recipients: list[str] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self._reply("220 localhost test SMTP")
        tls = False
        session = _Session()
        while True:
            raw = self.rfile.readline(4096)
            if not raw:
                return
            command, _, argument = raw.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
            verb = command.upper()
            if verb == "EHLO":
                offers = ["250-localhost", "250-8BITMIME"]
                if self.server.context is not None and not tls:
                    offers.append("250-STARTTLS")
                for line in [*offers, "250 SIZE 10485760"]:
                    self._reply(line)
            elif verb == "HELO" or verb == "NOOP":
                self._reply("250 ok")
            elif verb == "STARTTLS" and self.server.context is not None and not tls:
                self._reply("220 go ahead")
                self.request = self.server.context.wrap_socket(self.request, server_side=True)
                self.rfile = self.request.makefile("rb")
                self.wfile = self.request.makefile("wb")
                tls, session = True, _Session()
            elif verb == "MAIL":
                session = _Session(sender=_path(argument))
                self._reply("250 ok")
            elif verb == "RCPT" and session.sender is not None:
                session.recipients.append(_path(argument))
                self._reply("250 ok")
            elif verb == "DATA" and session.recipients:
                self._reply("354 end with <CRLF>.<CRLF>")
                self.server.accept(Received(session.sender or "", session.recipients, self._data(), tls))
                session = _Session()
                self._reply("250 queued")
            elif verb == "RSET":
                session = _Session()
                self._reply("250 ok")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("503 bad sequence of commands")

    def _data(self) -> bytes:
        lines: list[bytes] = []
        while True:
            line = self.rfile.readline()
            if not line or line == b".\r\n":
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b"..") else line)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, context: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.context = context
        self.messages: list[Received] = []
        self.lock = threading.Lock()

    def accept(self, received: Received) -> None:
        with self.lock:
            self.messages.append(received)


class SmtpServer:
    def __init__(self, *, starttls: bool = False) -> None:
        context = None
        if starttls:
            from tests.harness import tls as tls_mod

            ca = tls_mod.shared_ca()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(ca.server_cert), str(ca.server_key))
        self._server = _Server(context)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def messages(self) -> list[Received]:
        with self._server.lock:
            return list(self._server.messages)

    def __enter__(self) -> SmtpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
