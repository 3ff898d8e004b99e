"""Installations made by hand the way Digdir's page describes them ("Alt 1"): WinSW renamed to a name the admin
chose, Digdir's XML beside it under the same name with the jar's version edited in, `install` and `start` run
with that exe. Shared by the adoption tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.harness.fixtures_winsw import WinswEnv
from tests.paths import DATA

DATA = DATA / "service_xml"


def digdir_xml(kind: str, version: str) -> bytes:
    """Digdir's published XML (`prod` or `staging`), byte for byte, with the jar's version set (step 5)."""
    data = (DATA / f"digdir-integrasjonspunkt-{kind}.xml").read_bytes()
    return re.sub(rb"integrasjonspunkt-[0-9.]+\.jar", f"integrasjonspunkt-{version}.jar".encode(), data)


def run_exe(exe: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """What the admin types in the folder: `ip.exe install`, `ip.exe start`."""
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=exe.parent, timeout=60)


def hand_made(winsw: WinswEnv, folder: Path, *, kind: str = "staging", base: str = "integrasjonspunkt-service",
              version: str = "2.27.0", jar: Path | None = None, xml: bytes | None = None,
              properties: Path | None = None, register: bool = False, start: bool = False) -> Path:
    """A folder laid out by hand; returns the exe. `jar`: the jar to copy in (else a placeholder file)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{base}.xml").write_bytes(xml if xml is not None else digdir_xml(kind, version))
    target = folder / f"integrasjonspunkt-{version}.jar"
    if jar is not None:
        shutil.copyfile(jar, target)
    elif not target.exists():
        target.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip: never run
    if properties is not None:
        shutil.copyfile(properties, folder / "integrasjonspunkt-local.properties")
    exe = winsw.install_exe(folder, base=base)
    for verb, wanted in (("install", register or start), ("start", start)):
        if wanted:
            done = run_exe(exe, verb)
            assert done.returncode == 0, done.stdout + done.stderr
    return exe
