"""Jars that carry integrasjonspunkt's own configuration files the way the real ones do (FACTS.md §1b: the keys
that matter to setup, as in config/application*.properties at tags 2.28.6 and v4.0.8), for tests of the
effective configuration. Written as real zip files; nothing else in them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.harness.standin.jar_config import config_files

# The same files the stand-in jars carry, so the unit tests and the end-to-end tests read one set of facts.
V2 = config_files("2.28.6")
V4 = config_files("v4.0.8")

JKS_HEAD = b"\xfe\xed\xfe\xed\x00\x00\x00\x02"
PKCS12_HEAD = b"\x30\x82\x0a\x00\x02\x01\x03"


def make_jar(path: Path, files: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        for name, text in files.items():
            archive.writestr(f"BOOT-INF/classes/config/{name}", text)
    return path
