"""The end-to-end world: artifact server, signed stand-in releases, the WinSW stand-in as the WinSW asset, an
admin's properties file, and a way to run `setup` as a real subprocess against all of it."""

from __future__ import annotations

import http.client
import json
import os
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.harness import h2_lock, jdks
from tests.harness.artifact_server import ArtifactServer
from tests.harness.fixtures_winsw import WinswEnv
from tests.harness.ports import free_port
from tests.harness.sandbox import sandbox_args, write_properties
from tests.harness.signing import SigningKey

REPO_ROOT = Path(__file__).resolve().parents[2]
FAST = ["/quiet", "/health-timeout", "40", "/health-stable", "1"]


@dataclass
class World:
    server: ArtifactServer
    key: SigningKey
    winsw: WinswEnv
    root: Path
    build_jar: Callable[..., Path]
    folder: Path = field(init=False)
    port: int = field(init=False)
    properties: Path = field(init=False)
    catalog: Path = field(init=False)
    h2_lock: h2_lock.H2Lock | None = field(init=False, default=None)  # H2's lock on the database, imitated
    scheme: str = field(init=False, default="http")  # "https" once a test has the service serve TLS

    def __post_init__(self) -> None:
        self.folder = self.root / "integrasjonspunkt æøå"
        self.port = free_port()
        self.properties = write_properties(self.root / "admin", self.port)
        self.catalog = self.winsw.write_catalog(self.root / "winsw-catalog.json")
        self.server.publish_winsw("2.12.0", "WinSW-x64.exe", self.winsw.asset_bytes)

    def publish(self, tag: str, behaviour: str = "healthy", **params: object) -> Path:
        jar = self.build_jar(tag, behaviour, **params)
        self.server.publish_jar(tag, jar, asc=self.key.sign(jar))
        return jar

    def set_latest(self, tag: str) -> None:
        """Digdir's approved version (latest and earlybird) in every environment of latest-versions.yml."""
        self.server.set_latest_versions({env: {"latest": tag, "earlybird": tag}
                                         for env in ("dev", "itest", "staging", "production")})

    def args(self) -> list[str]:
        return sandbox_args(self.server, folder=self.folder, trusted_key=self.key.public_key_path,
                            winsw_catalog=self.catalog)

    def setup(self, *argv: str, env: dict[str, str] | None = None, stdin: str | None = None,
              timeout: float = 240, sources: bool = True) -> subprocess.CompletedProcess[str]:
        """Run `python -m installer` with `argv`, the world's sources and folder (unless `sources=False`)."""
        command = [sys.executable, "-m", "installer", *argv, *(self.args() if sources else [])]
        environment = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **(env or {})}
        return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=REPO_ROOT,
                              input=stdin, timeout=timeout)

    def install(self, tag: str, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return self.setup("/install", tag, *FAST, "/properties", str(self.properties), *extra, env=env)

    def status(self) -> tuple[int, dict[str, Any]]:
        proc = self.setup("/status", "/json")
        return proc.returncode, json.loads(proc.stdout)

    @property
    def health_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/manage/health"

    def answers(self) -> str | None:
        """The version the service reports now on `scheme` (its own certificate accepted), or None."""
        context = None
        if self.scheme == "https":
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        try:
            url = f"{self.scheme}://127.0.0.1:{self.port}/manage/info"
            with urllib.request.urlopen(url, timeout=2, context=context) as response:
                return json.loads(response.read())["build"]["version"]
        except (OSError, ValueError, KeyError, http.client.HTTPException):
            return None

    def wait_answers(self, version: str, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.answers() == version:
                return True
            time.sleep(0.1)
        return False

    def data_file(self) -> Path:
        return self.folder / "integrasjonspunkt.mv.db"

    def listing(self) -> dict[str, bytes | None]:
        """Every path in the folder outside .setup/ with its content (None for folders)."""
        result: dict[str, bytes | None] = {}
        for path in sorted(self.folder.rglob("*")):
            rel = path.relative_to(self.folder).as_posix()
            if rel.startswith(".setup"):
                continue
            result[rel] = None if path.is_dir() else path.read_bytes()
        return result


class Poller:
    """Polls a URL every `interval` seconds from a thread and records (time, good) answers."""

    def __init__(self, url: str, interval: float = 0.05) -> None:
        self.url = url
        self.interval = interval
        self.samples: list[tuple[float, bool]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            good = False
            try:
                with urllib.request.urlopen(self.url, timeout=1) as response:
                    good = response.status == 200
            except OSError:
                good = False
            self.samples.append((time.monotonic(), good))
            self._stop.wait(self.interval)

    def __enter__(self) -> Poller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def gaps(self) -> int:
        return sum(1 for _, good in self.samples if not good)


@pytest.fixture
def world(tmp_path: Path, artifact_server: ArtifactServer, signing_key: SigningKey, winsw_env: WinswEnv,
          standin_jar: Callable[..., Path]) -> Iterator[World]:
    if jdks.java17() is None:
        pytest.skip("the 2.x stand-ins need a Java runtime")
    made = World(artifact_server, signing_key, winsw_env, tmp_path, standin_jar)
    if h2_lock.unavailable() is not None:  # not root: the database is not guarded (WINSW_STANDIN.md, W2)
        yield made
        return
    with h2_lock.H2Lock(made.folder) as lock:
        made.h2_lock = lock
        yield made
    assert not lock.refused, "the database was read while the service held it: " + "; ".join(lock.refused)
