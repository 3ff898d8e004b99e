"""A health probe like a monitoring system's: every 20 ms a fresh connection asks the health URL, and after a
good answer `/manage/info` which version gave it. Times are wall-clock (`time.time()`) so they compare with the
setup log's and the service log's time stamps."""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass

INTERVAL = 0.02
TIMEOUT = 1.0
# Where a closed loopback port times out instead of being refused (Windows, FACTS.md W1; the benchmark's network
# namespace), a look must not wait for that: a listening port accepts within microseconds.
CONNECT_TIMEOUT = 0.05


@dataclass(frozen=True)
class Sample:
    at: float  # when the health answer arrived
    good: bool
    version: str | None


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=CONNECT_TIMEOUT)
    try:
        conn.connect()
        if conn.sock is not None:
            conn.sock.settimeout(TIMEOUT)
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def look(port: int) -> Sample:
    """One look: is `/manage/health` UP, and which version answers?"""
    try:
        status, body = _get(port, "/manage/health")
        good = status == 200 and json.loads(body).get("status") == "UP"
    except (OSError, http.client.HTTPException, ValueError, AttributeError):
        return Sample(time.time(), False, None)
    at = time.time()
    if not good:
        return Sample(at, False, None)
    try:
        status, body = _get(port, "/manage/info")
        version = json.loads(body)["build"]["version"] if status == 200 else None
    except (OSError, http.client.HTTPException, ValueError, KeyError, TypeError):
        version = None
    return Sample(at, True, version)


class Prober:
    """Looks every INTERVAL seconds from a thread (on a fixed schedule, so a slow answer does not shift the
    following looks) until stopped."""

    def __init__(self, port: int, interval: float = INTERVAL) -> None:
        self.port = port
        self.interval = interval
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="probe", daemon=True)

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            self.samples.append(look(self.port))
            next_at += self.interval
            self._stop.wait(max(0.0, next_at - time.monotonic()))

    def latest(self) -> Sample | None:
        return self.samples[-1] if self.samples else None

    def __enter__(self) -> Prober:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


@dataclass(frozen=True)
class Gap:
    last_good: float  # the last good answer before the gap
    first_good: float  # the first good answer after it

    @property
    def seconds(self) -> float:
        return self.first_good - self.last_good


def outage(samples: list[Sample], before: str, after: str) -> Gap | None:
    """The gap between the last good answer of `before` and the first good answer of `after` that follows the
    first bad answer (for a rollback `before` and `after` are the same version). None when there was none."""
    first_bad = next((i for i, s in enumerate(samples) if not s.good), None)
    if first_bad is None:
        return None
    last_good = next((s for s in reversed(samples[:first_bad]) if s.version == before), None)
    first_good = next((s for s in samples[first_bad:] if s.good and s.version == after), None)
    if last_good is None or first_good is None:
        return None
    return Gap(last_good.at, first_good.at)
