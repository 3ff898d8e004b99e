"""The key entry of a TLS keystore: Tomcat needs its alias (`server.ssl.key-alias`), and 3.x/4.x take it from
`difi.ssl.key-alias` with no default. Asked of `keytool` beside the Java that will run the service."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

TIMEOUT = 60.0
_PASSWORD_VAR = "IPSETUP_KEYTOOL_STOREPASS"


def keytool_for(java: Path) -> Path:
    return java.with_name("keytool.exe" if java.suffix.lower() == ".exe" else "keytool")


def key_aliases(java: Path, keystore: Path, password: str) -> list[str] | None:
    """The aliases of the private-key entries, or None when keytool cannot read the keystore. The password goes
    through the environment, never the command line; English output so the entry type reads the same everywhere."""
    command = [str(keytool_for(java)), "-J-Duser.language=en", "-J-Duser.country=US", "-list",
               "-keystore", str(keystore), "-storepass:env", _PASSWORD_VAR]
    try:
        done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
                              env={**os.environ, _PASSWORD_VAR: password},
                              creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.info("keytool could not list %s: %s", keystore, exc)
        return None
    output = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        log.info("keytool could not list %s: %s", keystore, output.strip().splitlines()[-1:] or done.returncode)
        return None
    # Lines of `-list`: "alias, Dec 4, 2026, PrivateKeyEntry,".
    return [line.split(",", 1)[0] for line in output.splitlines() if line.rstrip().endswith("PrivateKeyEntry,")]
