"""The benchmark's world, built from the test harness's parts: the artifact server, a signing key, stand-in
releases, the WinSW and sc.exe stand-ins with their machine-wide registry, and an admin's properties file."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from tests.harness import jdks
from tests.harness.artifact_server import ArtifactServer
from tests.harness.fixtures_winsw import WinswEnv
from tests.harness.fixtures_world import World
from tests.harness.sc_standin import sc_bytes
from tests.harness.service_registry import ENV_REGISTRY
from tests.harness.signing import SigningKey
from tests.harness.standin.build import build_standin

FIRST_TAG = "2.25.0"


class BenchWorld:
    """Owns a temporary root, a started artifact server and a key; `close()` ends the services it started and
    removes everything."""

    def __init__(self) -> None:
        if jdks.java17() is None:
            raise RuntimeError("the benchmark needs a Java 17 runtime (the 2.x stand-ins run on it)")
        self.root = Path(tempfile.mkdtemp(prefix="ipbench-"))
        self.server = ArtifactServer().start()
        self.key = SigningKey.create(self.root)
        self.winsw = WinswEnv(registry=self.root / "registry", system_root=self.root / "Windows")
        self.winsw.registry.mkdir()
        self.winsw.add_tool("sc.exe", sc_bytes())
        # The stand-ins find their registry (and setup finds sc.exe in System32) through the environment, as in
        # the tests.
        os.environ[ENV_REGISTRY] = str(self.winsw.registry)
        os.environ["SYSTEMROOT"] = str(self.winsw.system_root)
        os.environ["LANG"] = os.environ["LC_ALL"] = "C.UTF-8"
        self.world = World(self.server, self.key, self.winsw, self.root, self._build)
        self._serial = 0

    def _build(self, tag: str, behaviour: str = "healthy", **params: object) -> Path:
        self._serial += 1
        return build_standin(tag, behaviour, out_dir=self.root / "jars" / f"{self._serial:03d}", **params)

    def publish(self, tag: str, behaviour: str = "healthy", **params: object) -> Path:
        return self.world.publish(tag, behaviour, **params)

    def publish_padded(self, tag: str, extra: int) -> Path:
        """A healthy stand-in made `extra` bytes bigger by a stored entry: setup downloads, hashes and verifies a
        large file, as it does with the real jar."""
        jar = self._build(tag)
        with zipfile.ZipFile(jar, "a", compression=zipfile.ZIP_STORED) as archive, \
                archive.open("BOOT-INF/lib/padding.bin", "w", force_zip64=True) as entry:
            block = os.urandom(1024 * 1024)
            for _ in range(extra // len(block)):
                entry.write(block)
        self.server.publish_jar(tag, jar, asc=self.key.sign(jar))
        return jar

    @property
    def folder(self) -> Path:
        return self.world.folder

    @property
    def port(self) -> int:
        return self.world.port

    def installed_java(self) -> Path:
        """The Java the service runs on, as the state file records it."""
        state = json.loads((self.folder / ".setup" / "state.json").read_text(encoding="utf-8"))
        return Path(state["java"])

    def command(self, *argv: str) -> list[str]:
        """The setup command line with the world's sources and folder."""
        return [sys.executable, "-m", "installer", *argv, *self.world.args()]

    def close(self) -> None:
        try:
            self.winsw.kill_all()
        finally:
            self.server.stop()
            self.key.close()
            shutil.rmtree(self.root, ignore_errors=True)
