"""A throwaway test CA and a server certificate for 127.0.0.1/localhost, made with the `openssl` command.

The files are made once per process in a temporary folder (removed at exit); tests trust the CA through
`SSL_CERT_FILE` / `REQUESTS_CA_BUNDLE` pointing at `ca_bundle`.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_SERVER_EXTENSIONS = """\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""

_lock = threading.Lock()
_cached: TestCA | None = None


@dataclass(frozen=True)
class TestCA:
    __test__ = False  # not a pytest test class

    ca_cert: Path
    server_cert: Path
    server_key: Path

    @property
    def ca_bundle(self) -> Path:
        """PEM file holding only the test CA: what SSL_CERT_FILE / REQUESTS_CA_BUNDLE should name."""
        return self.ca_cert


def _openssl(*args: str, cwd: Path) -> None:
    cmd = ["openssl", *args]
    log.debug("running %s", cmd)
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed ({done.returncode}): {done.stderr.strip()}")


def make_test_ca(directory: Path) -> TestCA:
    """Make a fresh CA (EC P-256, valid 2 days) and a server certificate it signed, in `directory`."""
    if shutil.which("openssl") is None:
        raise RuntimeError("the openssl command is needed to make the test CA")
    directory.mkdir(parents=True, exist_ok=True)
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl(
        "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=ipsetup test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=directory,
    )  # fmt: skip
    _openssl("req", "-new", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", cwd=directory)
    (directory / "server.ext").write_text(_SERVER_EXTENSIONS, encoding="ascii")
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        cwd=directory,
    )  # fmt: skip
    return TestCA(directory / "ca.pem", directory / "server.pem", directory / "server.key")


def shared_ca() -> TestCA:
    """The process-wide test CA, made on first use."""
    global _cached
    with _lock:
        if _cached is None:
            directory = Path(tempfile.mkdtemp(prefix="ipsetup-tls-"))
            atexit.register(shutil.rmtree, directory, True)
            _cached = make_test_ca(directory)
        return _cached
