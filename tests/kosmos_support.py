"""A folder where KOSMOS runs integrasjonspunkt, laid out from Digdir's own kosmos-service.xml: the WinSW stand-in
runs the KOSMOS stand-in (tests/harness/kosmos), which runs the stand-in integrasjonspunkt as its own child.
Shared by the take-over tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.adoption_support import run_exe
from tests.harness.fixtures_world import World
from tests.harness.kosmos import build_kosmos
from tests.paths import DATA

REFERENCE = DATA / "service_xml" / "digdir-kosmos-service.xml"
DISABLED, AUTOMATIC = 4, 2


def kosmos_running(world: World, version: str = "2.27.0") -> Path:
    """KOSMOS as Digdir's page sets it up, running `version`; returns its exe. The folder has no spaces: Digdir's
    XML leaves `%BASE%\\kosmos-X.Y.Z.jar` unquoted, which Windows splits at a space as the stand-in does."""
    world.folder = world.root / "kosmos"
    folder = world.folder
    folder.mkdir()
    xml = REFERENCE.read_text(encoding="utf-8").replace("kosmos-X.Y.Z.jar", "kosmos-1.3.0.jar")
    (folder / "kosmos-service.xml").write_text(xml, encoding="utf-8")
    build_kosmos(folder)
    shutil.copyfile(world.publish(version), folder / f"integrasjonspunkt-{version}.jar")
    (folder / f"integrasjonspunkt-{version}.allowlisted").write_text("2026-11-30T05:31:07", encoding="utf-8")
    (folder / "integrasjonspunkt-2.26.0.allowlisted").write_text("2026-06-01T05:30:44", encoding="utf-8")
    shutil.copyfile(world.properties, folder / "integrasjonspunkt-local.properties")
    exe = world.winsw.install_exe(folder, base="kosmos-service")
    for verb in ("install", "start"):
        done = run_exe(exe, verb)
        assert done.returncode == 0, done.stdout + done.stderr
    assert world.wait_answers(version), "KOSMOS did not start integrasjonspunkt"
    return exe
