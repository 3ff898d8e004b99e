"""The admin's properties checked before anything changes, end to end with the stand-in (issues 19 and 23)."""

from __future__ import annotations

import pytest

from installer.errors import same_exit_code
from tests.harness.fixtures_world import FAST, World

pytestmark = pytest.mark.e2e

LOCAL = "integrasjonspunkt-local.properties"


def test_a_comment_ending_in_a_backslash_keeps_the_port_that_follows(world: World) -> None:
    # Java ends a comment at its line's end: the port on the next line is the service's, and setup must probe it.
    text = world.properties.read_text(encoding="utf-8")
    port_line = f"server.port={world.port}"
    assert port_line in text
    world.properties.write_text(text.replace(port_line, "# old keystore was C:\\certs\\\n" + port_line),
                                encoding="utf-8")
    world.publish("2.28.1")
    proc = world.install("2.28.1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert world.answers() == "2.28.1"
    code, doc = world.status()
    assert code == 0 and doc["health_url"].endswith(f":{world.port}/noarkExchange?wsdl")


@pytest.mark.parametrize("value", ["99999", "9O93", "${no.such.key}"])
def test_an_invalid_server_port_stops_the_upgrade_before_any_change(world: World, value: str) -> None:
    world.publish("2.28.1")
    assert world.install("2.28.1").returncode == 0
    world.publish("2.28.6")
    local = world.folder / LOCAL
    # The admin edits the file while the service runs; the running process still has its old port.
    local.write_text(local.read_text(encoding="utf-8") + f"server.port={value}\n", encoding="utf-8")
    before = local.read_bytes()
    proc = world.setup("/upgrade", "2.28.6", *FAST)
    assert same_exit_code(proc.returncode, 10), proc.stdout + proc.stderr
    message = [line for line in (proc.stdout + proc.stderr).splitlines() if "server.port" in line]
    assert message and "Nothing changed" in message[-1]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert world.answers() == "2.28.1"  # the service that ran before still runs
    assert local.read_bytes() == before
    assert not (world.folder / "backups").exists() and not (world.folder / "integrasjonspunkt-2.28.6.jar").exists()
    _, doc = world.status()
    assert doc["version"] == "2.28.1" and doc["last_operation"]["verb"] == "install"
