"""/service-user end to end with the WinSW stand-in: the service is registered with the account from the XML
(the stand-in records it as the service manager would), /status shows it, the password leaves the XML once the
service is registered and never reaches the log, and an upgrade keeps the account."""

from __future__ import annotations

import pytest

from installer.errors import ExitCode
from tests.harness.fixtures_world import World

pytestmark = [pytest.mark.e2e]


def _xml(world: World) -> str:
    return (world.folder / "integrasjonspunkt-service.xml").read_text(encoding="utf-8")


def test_a_virtual_account_is_registered_shown_and_kept_by_an_upgrade(world: World) -> None:
    world.publish("2.28.1")
    world.publish("2.28.2")
    done = world.install("2.28.1", "/service-user", "virtual")
    assert done.returncode == 0, done.stderr
    assert "<user>integrasjonspunkt</user>" in _xml(world) and "<password>" not in _xml(world)
    code, doc = world.status()
    assert code == 0 and doc["account"] == "NT SERVICE\\integrasjonspunkt", doc
    upgraded = world.setup("/upgrade", "2.28.2", "/quiet", "/health-timeout", "40", "/health-stable", "1")
    assert upgraded.returncode == 0, upgraded.stderr
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.28.2" and doc["account"] == "NT SERVICE\\integrasjonspunkt", doc


def test_a_users_password_is_used_once_and_never_kept(world: World) -> None:
    world.publish("2.28.1")
    secret = "Pw-for-the-registration-17"
    done = world.setup("/install", "2.28.1", "/quiet", "/health-timeout", "40", "/health-stable", "1",
                       "/properties", str(world.properties), "/service-user", ".\\ipsvc",
                       "/service-password", "-", stdin=secret + "\n")
    assert done.returncode == 0, done.stderr
    code, doc = world.status()
    assert code == 0 and doc["account"] == ".\\ipsvc", doc
    assert "<user>ipsvc</user>" in _xml(world) and "<password>" not in _xml(world)
    leftovers = [p for p in world.folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert leftovers == []
    assert secret not in done.stdout + done.stderr


@pytest.mark.parametrize("extra", [
    ["/service-user", ".\\ipsvc"],  # no password for a user
    ["/service-user", "virtual", "/service-password", "x"],
    ["/create-user"],
    ["/service-user", "nobody"],
])
def test_an_account_that_cannot_work_is_1639_before_anything(world: World, extra: list[str]) -> None:
    world.publish("2.28.1")
    done = world.install("2.28.1", *extra)
    assert done.returncode == ExitCode.BAD_COMMAND_LINE % 256, done.stderr
    assert not world.folder.exists()
    assert "Traceback" not in done.stderr


def test_only_an_install_chooses_the_account(world: World) -> None:
    done = world.setup("/upgrade", "2.28.1", "/service-user", "virtual")
    assert done.returncode == ExitCode.BAD_COMMAND_LINE % 256, done.stderr
