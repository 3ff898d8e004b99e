"""Downloads through a proxy (FACTS.md W10): `/proxy`, else the machine's WinHTTP proxy (the binary
WinHttpSettings value, read through the fake winreg), else the environment; and a real forwarding proxy on
loopback that the download goes through."""

from __future__ import annotations

import http.server
import socket
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from installer import proxy, transfer
from tests.harness import fake_winreg
from tests.harness.artifact_server import ArtifactServer


def winhttp_blob(text: str, bypass: str = "<local>", flags: int = 3) -> bytes:
    def dword(n: int) -> bytes:
        return n.to_bytes(4, "little")

    return (dword(0x28) + dword(7) + dword(flags) + dword(len(text)) + text.encode("ascii")
            + dword(len(bypass)) + bypass.encode("ascii"))


def test_winhttp_settings_parse_as_netsh_writes_them() -> None:
    assert proxy.parse_winhttp_settings(winhttp_blob("proxy.kommune.no:8080")) == "proxy.kommune.no:8080"
    assert proxy.parse_winhttp_settings(winhttp_blob("", "", flags=1)) is None  # direct access
    assert proxy.parse_winhttp_settings(winhttp_blob("proxy:8080")[:18]) is None  # cut short
    assert proxy.proxy_for_https("proxy.kommune.no:8080") == "http://proxy.kommune.no:8080"
    assert proxy.proxy_for_https("http=web:80;https=sikker:3128") == "http://sikker:3128"
    assert proxy.proxy_for_https("http=web:80") == "http://web:80"


def test_the_option_wins_then_winhttp_then_the_environment(fake_winreg_module: fake_winreg.Registry) -> None:
    env = {"HTTPS_PROXY": "http://env-proxy:3128"}
    assert proxy.choose(None, env) == proxy.Proxy("http://env-proxy:3128", "environment")
    fake_winreg_module.set_value(rf"HKLM\{proxy.WINHTTP_KEY}", proxy.WINHTTP_VALUE,
                                 winhttp_blob("winhttp-proxy:8080"), fake_winreg.REG_BINARY)
    assert proxy.choose(None, env) == proxy.Proxy("http://winhttp-proxy:8080", "WinHTTP")
    assert proxy.choose("cli-proxy:8888", env) == proxy.Proxy("http://cli-proxy:8888", "/proxy")
    assert proxy.choose(None, {}) == proxy.Proxy("http://winhttp-proxy:8080", "WinHTTP")


class _Forwarder(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.path)  # an absolute URL: a request meant for a proxy
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(self.path, timeout=30) as answer:
            body = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def forwarding_proxy() -> Iterator[str]:
    _Forwarder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Forwarder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_download_goes_through_the_chosen_proxy_not_the_environments(
        artifact_server: ArtifactServer, forwarding_proxy: str, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{_dead_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    artifact_server.publish_file("/through-proxy.bin", _payload(tmp_path))
    session = transfer.make_session(allow_http=True, proxy=proxy.Proxy(forwarding_proxy, "/proxy"))
    url = artifact_server.url_for("/through-proxy.bin")
    answer = session.get(url, timeout=30)
    assert answer.status_code == 200 and answer.content == b"levert via mellomtjener\n"
    assert _Forwarder.seen == [url]


def _payload(tmp_path: Path) -> Path:
    path = tmp_path / "payload.bin"
    path.write_bytes(b"levert via mellomtjener\n")
    return path
