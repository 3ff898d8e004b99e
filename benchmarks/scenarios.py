"""One run of each measured situation. Each returns plain figures (seconds, bytes) for the report."""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import dataset, logtimes, programs
from benchmarks.floor import Bench
from benchmarks.memory import Peak, TreeSampler
from benchmarks.probe import Prober, outage
from benchmarks.world import BenchWorld

HEALTH_STABLE = "1"
SETUP_TIMEOUT = 300.0


class RunFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Switch:
    """The part of the window between the old Java process's exit and the new one's launch."""

    seconds: float
    commands: int  # WinSW commands that ran inside it
    command_seconds: float  # the time they took (inside it)
    service_start: float  # the `start` command's end -> the wrapper launching java (the service process start)

    @property
    def setup_own(self) -> float:
        """What is left for setup itself: journal, backup pass, XML, its waits and polls."""
        return self.seconds - self.command_seconds - self.service_start


@dataclass
class Upgrade:
    downtime: float
    floor: float
    steps: dict[str, float] = field(default_factory=dict)
    window_steps: list[str] = field(default_factory=list)
    exe_calls: int = 0  # WinSW commands setup ran inside the downtime window
    command_seconds: float = 0.0  # the time WinSW and sc.exe commands ran inside it
    copied: dict[str, int] = field(default_factory=dict)  # backup pass ("first", "second") -> bytes written
    switch: Switch | None = None
    kept_registration: bool = False  # unregister-old and register-new left the registration as it was
    database: tuple[int, float] | None = None  # the database's copy after the stop: (bytes written, seconds)

    @property
    def overhead(self) -> float:
        return self.downtime - self.floor


@dataclass
class Failure:
    detection: float  # the failure's moment -> the first undo (exit: its exit; 500: the health deadline)
    rollback_downtime: float | None = None
    rollback_floor: float | None = None
    command_seconds: float = 0.0  # WinSW and sc.exe commands inside the rollback's downtime
    programs: list[str] = field(default_factory=list)  # the commands that ended inside it


def _wait_answering(prober: Prober, version: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        latest = prober.latest()
        if latest is not None and latest.good and latest.version == version:
            return
        time.sleep(0.02)
    raise RunFailed(f"{version} does not answer before the run")


def _setup(bw: BenchWorld, *argv: str, expect: int = 0, trace: Path | None = None) -> None:
    if trace is not None:
        code = programs.run_traced(bw.command(*argv), trace, SETUP_TIMEOUT, cwd=Path(__file__).resolve().parents[1])
        if code % 256 != expect % 256:
            raise RunFailed(f"setup {' '.join(argv)} under strace exited {code}, not {expect}")
        return
    proc = subprocess.run(bw.command(*argv), capture_output=True, text=True, timeout=SETUP_TIMEOUT,
                          cwd=Path(__file__).resolve().parents[1])
    if proc.returncode % 256 != expect % 256:
        raise RunFailed(f"setup {' '.join(argv)} exited {proc.returncode}, not {expect}:\n{proc.stderr[-3000:]}")


def _exe_calls(lines: list[logtimes.Line], start: float, end: float) -> int:
    """WinSW commands logged by the driver between two moments (each line is logged when its command ended)."""
    return sum(1 for line in lines if line.logger == "installer.winsw" and start <= line.at <= end
               and "-service.exe" in line.text)


@dataclass(frozen=True)
class Command:
    """A program setup ran (WinSW or sc.exe), as its driver logged it when it ended."""

    program: str  # `WinSW start`, `sc.exe query`
    ended: float
    seconds: float


_COMMAND = re.compile(r'^"?(?P<exe>[^"]*?)"? (?P<verb>\w+) .*?-> exit -?\d+ in (?P<took>\d+\.\d+) s')


def commands(lines: list[logtimes.Line]) -> list[Command]:
    found = []
    for line in lines:
        match = _COMMAND.match(line.text)
        if line.logger == "installer.winsw" and match:
            name = "sc.exe" if match["exe"].lower().endswith("sc.exe") else "WinSW"
            found.append(Command(f"{name} {match['verb']}", line.at, float(match["took"])))
    return found


def time_inside(found: list[Command], start: float, end: float) -> float:
    """Seconds the commands ran between two moments."""
    return sum(max(0.0, min(c.ended, end) - max(c.ended - c.seconds, start)) for c in found)


def _window_steps(lines: list[logtimes.Line], start: float, end: float) -> list[str]:
    marks = logtimes.steps(lines)
    names = []
    for i, (name, at) in enumerate(marks):
        until = marks[i + 1][1] if i + 1 < len(marks) else end
        if at < end and until > start:
            names.append(name.removeprefix("step "))
    return names


def upgrade(bw: BenchWorld, bench: Bench, old: str, new: str, jars: dict[str, Path], *,
            live: bool = False) -> Upgrade:
    """Upgrade `old` -> `new` under the probe; the floor measured just before with the same two jars."""
    old_life = bench.life(jars[old])
    new_life = bench.life(jars[new])
    assert old_life.stop is not None
    mark = logtimes.LogMark(bw.folder / "installer-logs" / "setup.log")
    wrapper = logtimes.LogMark(bw.folder / "integrasjonspunkt-logs" / "integrasjonspunkt-service.wrapper.log")
    with Prober(bw.port) as prober:
        _wait_answering(prober, old)
        if live:
            with dataset.LiveWriter(bw.folder, lambda: bool((s := prober.latest()) and s.good)):
                _setup(bw, "/upgrade", new, "/quiet", "/health-stable", HEALTH_STABLE)
        else:
            _setup(bw, "/upgrade", new, "/quiet", "/health-stable", HEALTH_STABLE)
        samples = list(prober.samples)
    gap = outage(samples, old, new)
    if gap is None:
        raise RunFailed(f"no outage seen from {old} to {new}")
    lines = logtimes.setup_lines(mark.new_text())
    return Upgrade(downtime=gap.seconds, floor=old_life.stop + new_life.start,
                   steps=logtimes.step_durations(lines),
                   window_steps=_window_steps(lines, gap.last_good, gap.first_good),
                   exe_calls=_exe_calls(lines, gap.last_good, gap.first_good), copied=_copied(lines),
                   command_seconds=time_inside(commands(lines), gap.last_good, gap.first_good),
                   switch=_switch(lines, logtimes.wrapper_lines(wrapper.new_text())),
                   kept_registration=logtimes.first(lines, "registration stays as it is") is not None,
                   database=_database_copy(lines))


def _database_copy(lines: list[logtimes.Line]) -> tuple[int, float] | None:
    """The pass after the stop's copy of the database (the backup module logs each big file's copy)."""
    for line in lines:
        match = re.match(rf".*{re.escape(dataset.DB)}: (\d+) of \d+ bytes written in (\d+\.\d+) s$", line.text)
        if match and line.logger == "installer.backup":
            return int(match[1]), float(match[2])
    return None


def _switch(lines: list[logtimes.Line], wrapper: list[logtimes.Line]) -> Switch | None:
    exited = logtimes.first(wrapper, r"^Child process \[\d+\] terminated")
    launched = logtimes.last(wrapper, r"^Started process \d+")
    started = logtimes.last(lines, r'-service\.exe"? start -> exit 0', "installer.winsw")
    if exited is None or launched is None or started is None:
        return None
    spans = []
    for line in lines:
        took = re.search(r"-service\.exe\S* \w+ -> exit -?\d+ in (\d+\.\d+) s", line.text)
        if line.logger == "installer.winsw" and took and exited.at < line.at <= started.at:
            spans.append(min(float(took[1]), line.at - exited.at))
    return Switch(launched.at - exited.at, len(spans), sum(spans), launched.at - started.at)


def _copied(lines: list[logtimes.Line]) -> dict[str, int]:
    found = {}
    for line in lines:
        match = re.match(r"(first|second) backup pass .*: (\d+) bytes$", line.text)
        if match:
            found[match[1]] = int(match[2])
    return found


def exit_at_start(bw: BenchWorld, bench: Bench, old: str, bad: str, jars: dict[str, Path]) -> Failure:
    """Upgrade to a version that exits at start: its exit -> the first undo, and the rollback's downtime."""
    old_life = bench.life(jars[old])
    bad_life = bench.life(jars[bad], exits=True)
    assert old_life.stop is not None
    floor = old_life.stop + bad_life.start + old_life.start
    setup_mark = logtimes.LogMark(bw.folder / "installer-logs" / "setup.log")
    err_mark = logtimes.LogMark(bw.folder / "integrasjonspunkt-logs" / "integrasjonspunkt-service.err.log")
    with Prober(bw.port) as prober:
        _wait_answering(prober, old)
        _setup(bw, "/upgrade", bad, "/quiet", "/health-stable", HEALTH_STABLE, expect=13)
        samples = list(prober.samples)
    exits = logtimes.standin_times(err_mark.new_text(), "APPLICATION FAILED TO START")
    undo = logtimes.first(logtimes.setup_lines(setup_mark.new_text()), r"^undo ", "installer.engine")
    if not exits or undo is None:
        raise RunFailed("the failed start or the rollback is not in the logs")
    gap = outage(samples, old, old)
    if gap is None:
        return Failure(detection=undo.at - exits[0], rollback_floor=floor)
    found = commands(logtimes.setup_lines(setup_mark.new_text()))
    return Failure(detection=undo.at - exits[0], rollback_downtime=gap.seconds, rollback_floor=floor,
                   command_seconds=time_inside(found, gap.last_good, gap.first_good),
                   programs=[c.program for c in found if gap.last_good <= c.ended - c.seconds < gap.first_good])


def traced(bw: BenchWorld, old: str, new: str, trace: Path, *, fails: bool = False) -> dict[str, int]:
    """Upgrade `old` -> `new` under strace: the programs started inside the downtime window (a `new` that fails
    is rolled back: the window then ends with `old` answering again)."""
    with Prober(bw.port) as prober:
        _wait_answering(prober, old)
        _setup(bw, "/upgrade", new, "/quiet", "/health-stable", HEALTH_STABLE, expect=13 if fails else 0,
               trace=trace)
        samples = list(prober.samples)
    gap = outage(samples, old, old if fails else new)
    if gap is None:
        raise RunFailed(f"no outage seen from {old} to {new}")
    return programs.inside(programs.parse(trace.read_text(encoding="utf-8", errors="replace")), gap.last_good,
                           gap.first_good)


def answers_500(bw: BenchWorld, old: str, bad: str, timeout: float) -> Failure:
    """Upgrade to a version that answers 500: the health deadline -> the first undo (lateness)."""
    mark = logtimes.LogMark(bw.folder / "installer-logs" / "setup.log")
    _setup(bw, "/upgrade", bad, "/quiet", "/health-stable", HEALTH_STABLE, "/health-timeout", f"{timeout:g}",
           expect=13)
    lines = logtimes.setup_lines(mark.new_text())
    check = logtimes.first(lines, r"^health check of ", "installer.plans.steps")
    undo = logtimes.first(lines, r"^undo ", "installer.engine")
    if check is None or undo is None:
        raise RunFailed("the health check or the rollback is not in the setup log")
    return Failure(detection=undo.at - (check.at + timeout))


def memory(bw: BenchWorld, new: str) -> Peak:
    """Peak RSS of setup's process tree during a whole upgrade."""
    proc = subprocess.Popen(bw.command("/upgrade", new, "/quiet", "/health-stable", HEALTH_STABLE),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[1])
    with TreeSampler(proc.pid) as sampler:
        _, stderr = proc.communicate(timeout=SETUP_TIMEOUT)
    if proc.returncode != 0:
        raise RunFailed(f"setup /upgrade {new} exited {proc.returncode}:\n{stderr[-3000:]}")
    return sampler.peak
