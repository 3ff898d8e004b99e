"""Keystores made with the JDK's `keytool`, as an admin makes them: the organisation keystore and a TLS keystore.

`make_keystore(path, alias=..., password=..., storetype="PKCS12" | "JKS")` writes a key pair with a self-signed
certificate for `localhost` and `127.0.0.1` (usable for TLS and as the organisation's keystore alike)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.harness import jdks


def keytool() -> Path:
    found = jdks.javac().with_name("keytool")
    if not found.is_file():
        raise RuntimeError(f"no keytool beside {jdks.javac()}")
    return found


def make_keystore(path: Path, *, alias: str, password: str, storetype: str = "PKCS12",
                  subject: str = "CN=localhost, O=910076787") -> Path:
    """A new keystore at `path` (replaced when it exists) with one EC key under `alias`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    subprocess.run(
        [str(keytool()), "-genkeypair", "-keystore", str(path), "-storetype", storetype, "-alias", alias,
         "-storepass", password, "-keypass", password, "-keyalg", "EC", "-dname", subject, "-validity", "30",
         "-ext", "SAN=dns:localhost,ip:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return path
