"""What the service itself needs, measured directly with the JVM (no installer, no service wrapper): the time
from `java -jar` to the first good answer (or to its exit, for a version that fails at start), and the time from
SIGTERM to the process's exit. The probe is the benchmark's own, at the same 20 ms, so both sides of
"overhead = downtime - floor" are measured alike."""

from __future__ import annotations

import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.probe import INTERVAL, look
from tests.harness.ports import free_port
from tests.harness.sandbox import write_properties

START_DEADLINE = 60.0


class FloorError(RuntimeError):
    pass


@dataclass(frozen=True)
class Life:
    start: float  # java -jar -> first good answer, or -> exit for a version that exits at start
    stop: float | None  # SIGTERM -> exit; None when it exited on its own


class Bench:
    """A scratch working folder with its own properties file (and port), next to the installed service."""

    def __init__(self, folder: Path, java: Path) -> None:
        self.folder = folder
        self.java = java
        self.port = free_port()
        write_properties(folder, self.port)

    def life(self, jar: Path, *, exits: bool = False) -> Life:
        """Start `jar`; wait for its first good answer (or, with `exits`, for its exit); then stop it."""
        began = time.monotonic()
        proc = subprocess.Popen([str(self.java), "-jar", str(jar)], cwd=self.folder, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if exits:
                proc.wait(START_DEADLINE)
                return Life(time.monotonic() - began, None)
            next_at = began
            while not look(self.port).good:
                if proc.poll() is not None or time.monotonic() - began > START_DEADLINE:
                    raise FloorError(f"{jar.name} did not answer when started directly (exit {proc.returncode})")
                next_at += INTERVAL
                time.sleep(max(0.0, next_at - time.monotonic()))
            started = time.monotonic() - began
            asked = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            proc.wait(START_DEADLINE)
            return Life(started, time.monotonic() - asked)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
