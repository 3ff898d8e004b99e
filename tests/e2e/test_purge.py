"""`/uninstall /purge` deletes only inside the install folder: a keystore the properties name elsewhere (a
virksomhetssertifikat in a shared folder) is named and kept, and a link inside the folder goes without its target."""

from __future__ import annotations

import json
import os

import pytest

from installer import properties as props_mod
from tests.harness.fixtures_world import FAST, World

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(os.name == "nt", reason="POSIX links")]


def test_purge_keeps_a_keystore_outside_the_folder(world: World) -> None:
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    keystore = props_mod.keystore_path(props_mod.read(world.folder / "integrasjonspunkt-local.properties"),
                                       world.folder)
    assert keystore is not None and keystore.is_file() and not keystore.is_relative_to(world.folder)
    shared = world.root / "shared-messages"
    shared.mkdir()
    (shared / "other.xml").write_text("another system's message")
    (world.folder / "messages").symlink_to(shared)
    proc = world.setup("/uninstall", "/purge", *FAST, "/json")
    assert proc.returncode == 0, proc.stderr
    assert f"{keystore} lies outside {world.folder} and was kept." in json.loads(proc.stdout)["message"]
    assert keystore.is_file()
    assert (shared / "other.xml").is_file()
    assert not (world.folder / "messages").exists() and not world.data_file().exists()
    assert not (world.folder / "integrasjonspunkt-local.properties").exists()
