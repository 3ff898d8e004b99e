"""Peak memory of a running setup: the resident set of its process tree, sampled with psutil every 10 ms.

Left out: the service's Java process and the wrapper process that runs it (on Windows the service manager
starts those, not setup; the WinSW stand-in's `start` spawns them, so they pass through setup's tree).
Besides the resident set, the part of it that is not file pages mapped from disk (Linux: RSS minus `shared`):
a file mapped to read it counts in RSS although the system can drop those pages at any time."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import psutil

from tests.harness.winsw_standin import SERVICE_MODE

INTERVAL = 0.01


def _is_service(cmdline: list[str]) -> bool:
    if SERVICE_MODE in cmdline:
        return True
    return any(arg.endswith(".jar") for arg in cmdline) and "-version" not in cmdline


@dataclass
class Peak:
    tree: int = 0  # bytes: the largest resident set of the tree at one moment
    tree_unmapped: int = 0  # bytes: the same without file-backed pages
    setup: int = 0  # bytes: the setup process alone
    samples: int = 0
    at_peak: dict[str, int] = field(default_factory=dict)  # process -> its resident set at the tree's peak


class TreeSampler:
    def __init__(self, pid: int, interval: float = INTERVAL) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = Peak()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory", daemon=True)

    def _sample(self) -> None:
        try:
            family = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        total = unmapped = 0
        sizes: dict[str, int] = {}
        for proc in family:
            try:
                cmdline = proc.cmdline()
                if proc is not self.root and _is_service(cmdline):
                    continue
                info = proc.memory_info()
            except psutil.Error:
                continue
            total += info.rss
            unmapped += info.rss - getattr(info, "shared", 0)
            name = "setup" if proc is self.root else " ".join(a.rsplit("/", 1)[-1] for a in cmdline[:2])
            sizes[f"{name} ({proc.pid})"] = info.rss
            if proc is self.root:
                self.peak.setup = max(self.peak.setup, info.rss)
        self.peak.samples += 1
        self.peak.tree_unmapped = max(self.peak.tree_unmapped, unmapped)
        if total > self.peak.tree:
            self.peak.tree = total
            self.peak.at_peak = sizes

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
