"""The health probe as the configuration sets it: HTTPS with the service's own certificate accepted on localhost
only, Basic auth where the service asks for it, the version from /manage/info with or without `v`."""

from __future__ import annotations

import base64
import json
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from installer import health
from installer.effective_config import EffectiveConfig, Layer
from tests.harness.tls import shared_ca

INFO = {"build": {"version": "v4.0.8"}}


@contextmanager
def service(host: str, *, tls: bool, user: str | None = None) -> Iterator[int]:
    """A real HTTP(S) server answering /manage/health and /manage/info, with Basic auth when `user` is set."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            expected = "Basic " + base64.b64encode(f"{user}:pw".encode()).decode() if user else None
            if expected and self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="Realm"')
                self.end_headers()
                return
            body = {"/manage/health": {"status": "UP"}, "/manage/info": INFO}.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body or {}).encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    if tls:
        ca = shared_ca()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ca.server_cert, ca.server_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def config(values: dict[str, str]) -> EffectiveConfig:
    return EffectiveConfig([Layer("local", values)], {}, env_position=1)


def test_https_on_localhost_accepts_the_services_own_certificate() -> None:
    with service("127.0.0.1", tls=True) as port:
        where = health.target_from("manage", config({"server.ssl.enabled": "true", "server.port": str(port)}),
                                   "v4.0.8")
        assert where.url == f"https://localhost:{port}/manage/health"
        result = health.probe(where)
        assert result.good and result.version == "4.0.8"


def test_https_elsewhere_checks_the_certificate() -> None:
    # The same untrusted certificate on another address: refused, so the exception is localhost only.
    with service("127.0.0.2", tls=True) as port:
        where = health.HealthEndpoints(url=f"https://127.0.0.2:{port}/manage/health",
                                    info_url=f"https://127.0.0.2:{port}/manage/info", kind="manage",
                                    expected_version="4.0.8")
        result = health.probe(where)
        assert not result.good and "CERTIFICATE" in result.reason.upper()


def test_basic_auth_from_the_configuration_when_auth_is_on() -> None:
    with service("127.0.0.1", tls=False, user="admin") as port:
        values = {"server.port": str(port), "difi.move.feature.enable-auth": "true"}
        assert not health.probe(health.target_from("manage", config(values), "4.0.8")).good
        values |= {"spring.security.user.name": "admin", "spring.security.user.password": "pw"}
        where = health.target_from("manage", config(values), "4.0.8")
        assert "pw" not in repr(where)
        assert health.probe(where).good


CLOSES_AFTER_UP = """
import json, sys, threading, os
from http.server import BaseHTTPRequestHandler, HTTPServer
closing = []
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        if not closing:  # like integrasjonspunkt's clock check: it closes a while after it first answers UP
            closing.append(threading.Timer(2.5, lambda: os._exit(0)))
            closing[0].start()
        body = json.dumps({"status": "UP"} if self.path == "/manage/health" else INFO).encode()
        self.send_response(200); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
INFO = {"build": {"version": "4.0.8"}}
server = HTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def _closing_service() -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen([sys.executable, "-c", CLOSES_AFTER_UP], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, port


def test_the_post_start_check_covers_the_clock_check_window() -> None:
    proc, port = _closing_service()
    try:
        values = {"server.port": str(port)}
        window = health.post_start_window(config(values), 1.0)
        assert window == health.NTP_WINDOW
        where = health.target_from("manage", config(values), "4.0.8")
        with pytest.raises(health.Unhealthy):
            health.wait_healthy(where, timeout=20, stable=window,
                                watch=lambda: "the process is gone" if proc.poll() is not None else None)
        assert proc.wait(5) == 0
    finally:
        proc.kill()
        proc.wait()
    # With the clock check off the window is /health-stable alone.
    assert health.post_start_window(config({"difi.move.ntp.disable": "true"}), 1.0) == 1.0
