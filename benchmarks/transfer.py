"""Figure 5: the installer's download against curl on the same file from the same local server, and a resume
after a cut half-way, judged by what the server sent."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.harness.artifact_server import ArtifactServer

REPO_ROOT = Path(__file__).resolve().parents[1]
PATH = "/files/big.bin"
MIB = 1024 * 1024


def make_file(path: Path, size: int) -> Path:
    block = bytes(range(256)) * 4096  # 1 MiB
    with path.open("wb") as handle:
        for n in range(size // MIB):
            handle.write(n.to_bytes(8, "big") + block[8:])
    return path


def hash_speed(algorithm: str, size: int = 64 * MIB) -> float:
    """MB/s of one hash on one core, in 1 MiB updates as the download feeds it."""
    data = os.urandom(MIB) * (size // MIB)
    hasher = hashlib.new(algorithm)
    view = memoryview(data)
    began = time.perf_counter()
    for offset in range(0, size, MIB):
        hasher.update(view[offset:offset + MIB])
    return size / (time.perf_counter() - began) / 1e6


def _installer(url: str, dest: Path, algorithms: str = "sha1") -> tuple[float, int]:
    dest.unlink(missing_ok=True)
    proc = subprocess.run([sys.executable, "-m", "benchmarks.fetch_once", url, str(dest), algorithms],
                          capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    doc = json.loads(proc.stdout)
    return float(doc["seconds"]), int(doc["size"])


def _curl(url: str, dest: Path) -> tuple[float, int]:
    dest.unlink(missing_ok=True)
    proc = subprocess.run(["curl", "-s", "-S", "-f", "-o", str(dest), "-w", "%{time_total} %{size_download}", url],
                          capture_output=True, text=True, check=True)
    seconds, size = proc.stdout.split()
    return float(seconds), int(size)


def _curl_checked(url: str, dest: Path) -> tuple[float, int]:
    """`curl URL | tee FILE | sha1sum`: curl's own time, which ends when its last byte went into the pipe."""
    dest.unlink(missing_ok=True)
    script = 'set -o pipefail; curl -s -S -f -w "%{stderr}%{time_total} %{size_download}" "$1" | tee "$2" | sha1sum'
    proc = subprocess.run(["bash", "-c", script, "curl", url, str(dest)], capture_output=True, text=True,
                          check=True)
    seconds, size = proc.stderr.split()[-2:]
    return float(seconds), int(size)


@dataclass
class Speeds:
    """MB/s (10^6 bytes) of one download each of the same file."""

    installer: float  # the installer checking SHA-1, as for any jar (`.md5` only where no `.sha1` is published)
    unchecked: float  # the installer's transfer alone, no hash
    curl_checked: float  # curl | tee FILE | sha1sum
    curl: float  # plain curl, no check


def compare(server: ArtifactServer, scratch: Path) -> Speeds:
    """One download each of the published file by the installer (SHA-1; no hash), by curl piped through
    `tee` and `sha1sum`, and by plain curl."""
    url = server.url_for(PATH)
    speeds = []
    for algorithms in ("sha1", "none"):
        seconds, size = _installer(url, scratch / "installer.bin", algorithms)
        speeds.append(size / seconds / 1e6)
    for fetch in (_curl_checked, _curl):
        seconds, size = fetch(url, scratch / "curl.bin")
        speeds.append(size / seconds / 1e6)
    (scratch / "installer.bin").unlink()
    (scratch / "curl.bin").unlink()
    return Speeds(*speeds)


def limited(server: ArtifactServer, scratch: Path, path: str, rate: float) -> tuple[float, float]:
    """MB/s of the installer (SHA-1) and of plain curl through the server sending `path` at `rate` bytes/s."""
    url = server.url_for(path)
    server.fault(path, "slow", rate=rate)
    try:
        seconds, size = _installer(url, scratch / "installer.bin", "sha1")
        installer = size / seconds / 1e6
        seconds, size = _curl(url, scratch / "curl.bin")
        curl = size / seconds / 1e6
    finally:
        server.clear_faults()
    (scratch / "installer.bin").unlink()
    (scratch / "curl.bin").unlink()
    return installer, curl


@dataclass
class Resume:
    size: int
    sent: int  # body bytes the server sent over both requests
    ranges: list[str]  # the Range header of each request ("" for none)

    @property
    def only_the_rest(self) -> bool:
        return self.sent == self.size and len(self.ranges) == 2 and self.ranges[1] == f"bytes={self.size // 2}-"


def resume(server: ArtifactServer, scratch: Path, size: int) -> Resume:
    """A cut after half the file: the installer's retry must ask for, and get, only the rest."""
    server.clear_log()
    server.fault(PATH, "cut", after=size // 2, times=1)
    _installer(server.url_for(PATH), scratch / "resumed.bin")
    (scratch / "resumed.bin").unlink()
    requests = server.requests_for(PATH)
    return Resume(size, server.sent_bytes(PATH), [r.headers.get("Range", "") for r in requests])
