"""A service Java that a Java update removes (W11): a version-named JDK folder the service is installed with, then
deleted while the service is stopped. Shared by the install and the scheduled-upgrade tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.harness import jdks
from tests.harness.fixtures_world import World


def version_named_java(world: World) -> Path:
    """`<root>/jdk-17.0.1.12-hotspot/bin/java`, a link to this machine's JDK 17 (Java finds its home through it)."""
    real = jdks.java17()
    assert real is not None
    home = world.root / "jdk-17.0.1.12-hotspot"
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").symlink_to(real)
    return home / "bin" / "java"


def remove_with_service_stopped(world: World, java: Path) -> None:
    subprocess.run([str(world.folder / "integrasjonspunkt-service.exe"), "stopwait"], check=True,
                   capture_output=True, timeout=60)
    shutil.rmtree(java.parent.parent)  # the Java update removes the old version's folder
