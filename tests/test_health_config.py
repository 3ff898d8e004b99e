"""The health probe as the configuration sets it: HTTPS with the service's own certificate accepted on localhost
only, Basic auth where the service asks for it, the version from /manage/info with or without `v`."""

from __future__ import annotations

import base64
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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
        where = health.HealthTarget(url=f"https://127.0.0.2:{port}/manage/health",
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
