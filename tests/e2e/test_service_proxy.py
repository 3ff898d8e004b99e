"""`/service-proxy on` (W10): the proxy setup downloads through goes into the service XML as Java's proxy options
before `-jar`, with loopback left direct; the state file keeps the choice, so a later upgrade writes the proxy it
finds then; `/service-proxy off` takes the options out."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pytest

from installer import proxy, service_xml
from tests.harness.fixtures_world import FAST, World
from tests.unit.test_proxy import _Forwarder

pytestmark = pytest.mark.e2e


def test_java_options_of_a_proxy_url() -> None:
    assert proxy.java_options("http://proxy.example.no:3128") == [
        "-Dhttps.proxyHost=proxy.example.no", "-Dhttps.proxyPort=3128", "-Dhttp.nonProxyHosts=localhost|127.0.0.1"]
    assert proxy.java_options("proxy.example.no")[1] == "-Dhttps.proxyPort=80"
    assert proxy.java_options("http://[fd00::1]:8080")[0] == "-Dhttps.proxyHost=[fd00::1]"


def _arguments(world: World) -> list[str]:
    return service_xml.read(world.folder / "integrasjonspunkt-service.xml").arguments


def _recorded(world: World) -> bool:
    return json.loads((world.folder / ".setup" / "state.json").read_text())["service_proxy"]


@pytest.fixture
def proxies() -> Iterator[tuple[str, str]]:
    """Two real forwarding proxies on loopback (the downloads go through them)."""
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Forwarder) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        first, second = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
        yield first, second
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_the_download_proxy_goes_into_the_service_and_stays_across_upgrades(world: World,
                                                                            proxies: tuple[str, str]) -> None:
    first, second = proxies
    world.publish("2.28.0")
    proc = world.install("2.28.0", "/proxy", first, "/service-proxy", "on")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    arguments = _arguments(world)
    port = first.rsplit(":", 1)[1]
    assert arguments[:3] == ["-Dhttps.proxyHost=127.0.0.1", f"-Dhttps.proxyPort={port}",
                             "-Dhttp.nonProxyHosts=localhost|127.0.0.1"]
    assert arguments.index("-jar") > 3 and _recorded(world) is True
    assert world.answers() == "2.28.0"

    world.publish("2.28.1")  # the state says on: the proxy found now goes in, the rest of the XML stays
    proc = world.setup("/upgrade", "2.28.1", *FAST, "/proxy", second)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    arguments = _arguments(world)
    assert f"-Dhttps.proxyPort={second.rsplit(':', 1)[1]}" in arguments
    assert not any(a == f"-Dhttps.proxyPort={port}" for a in arguments) and _recorded(world) is True

    world.publish("2.28.2")
    proc = world.setup("/upgrade", "2.28.2", *FAST, "/service-proxy", "off")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert not any(a.startswith(proxy.JAVA_PROXY_KEYS) for a in _arguments(world)) and _recorded(world) is False
    assert world.answers() == "2.28.2"
