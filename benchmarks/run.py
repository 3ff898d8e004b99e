"""`python -m benchmarks.run [--runs N] [--quick]`: how long an upgrade takes integrasjonspunkt off line, measured
against the harness (artifact server, signed stand-in releases, the WinSW stand-in), next to what the service
itself needs. Prints the table and writes it to benchmarks/latest.md.

Figures (each the median of the runs, with min and max):
1. upgrade downtime (last good answer of the old version -> first good answer of the new one, probed every
   20 ms) against its floor (the old stand-in's stop after SIGTERM + the new one's `java -jar` -> first good
   answer, measured directly in the same run); overhead = downtime - floor;
2. the same with a large data set, the second backup pass's share and the copy speed against `cp -r`;
3. failure detection: a version that exits at start (its exit -> the first undo) and one that answers 500
   (the health deadline -> the first undo);
4. rollback downtime (old version's last good answer -> its first good answer again) against its floor;
5. download throughput against curl, and a resume after a cut at 50 %;
6. peak memory of setup's process tree during an upgrade to a jar of 160 MiB.

Exit status: 0 when every target is met, 1 when one is not, 2 when the benchmark could not run.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import dataset, report, scenarios, transfer
from benchmarks.floor import Bench, FloorError
from benchmarks.report import Row
from benchmarks.world import FIRST_TAG, BenchWorld

OUT = Path(__file__).resolve().parent / "latest.md"
MB = 1e6
MIB = 1024 * 1024
HTTP_500_TIMEOUT = 3.0


@dataclass
class Plan:
    runs: int
    data_bytes: int
    download_bytes: int
    jar_padding: int
    memory_runs: int
    figures: set[int]


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Versions:
    """Healthy versions in increasing order (each upgrade goes to the next); failing ones above them all."""

    def __init__(self) -> None:
        self.current = FIRST_TAG
        self._patch = 0
        self._bad = 0
        self.jars: dict[str, Path] = {}

    def next_good(self) -> str:
        self._patch += 1
        return f"2.25.{self._patch}"

    def next_bad(self) -> str:
        self._bad += 1
        return f"2.99.{self._bad}"


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _seconds(label: str, values: list[float], target: str = "", limit: float | None = None) -> Row:
    return Row(label, values, " s", target, (lambda v: v <= limit) if limit is not None else None)


def standin_call_cost(bw: BenchWorld, runs: int) -> float:
    """Median seconds of one `status` command of the WinSW stand-in (a Python program): each WinSW command
    setup runs costs at least this on this machine."""
    exe = bw.folder / "integrasjonspunkt-service.exe"
    times = []
    for _ in range(runs):
        began = time.monotonic()
        subprocess.run([str(exe), "status"], capture_output=True, check=True)
        times.append(time.monotonic() - began)
    return statistics.median(times)


def upgrades(bw: BenchWorld, bench: Bench, versions: Versions, plan: Plan, out: Results, call: float) -> None:
    runs = []
    for n in range(plan.runs):
        new = versions.next_good()
        versions.jars[new] = bw.publish(new)
        runs.append(scenarios.upgrade(bw, bench, versions.current, new, versions.jars))
        versions.current = new
        _say(f"  upgrade {n + 1}: downtime {runs[-1].downtime:.3f} s, floor {runs[-1].floor:.3f} s, "
             f"{runs[-1].exe_calls} WinSW commands in the window")
    out.rows += [
        _seconds("1. upgrade downtime", [r.downtime for r in runs]),
        _seconds("   floor (stop + start of the JVM alone)", [r.floor for r in runs]),
        _seconds("   overhead = downtime - floor", [r.overhead for r in runs], "<= 0.50 s", 0.5),
    ]
    calls = statistics.median(r.exe_calls for r in runs)
    kept = sum(r.kept_registration for r in runs)
    out.notes.append(f"1: steps inside the downtime window: {', '.join(runs[-1].window_steps)} (in {kept} of "
                     f"{len(runs)} runs unregister-old and register-new kept the registration as it was); WinSW "
                     f"commands run inside it: {calls:g} (median).")
    switches = [r.switch for r in runs if r.switch is not None]
    if switches:
        out.rows += [
            _seconds("   old JVM's exit -> new JVM's launch", [s.seconds for s in switches]),
            _seconds("     in WinSW commands (the stand-in)", [s.command_seconds for s in switches]),
            _seconds("     in the stand-in's service start", [s.service_start for s in switches]),
            _seconds("     setup's own work", [s.setup_own for s in switches]),
        ]
        commands = statistics.median(s.commands for s in switches)
        out.notes.append(f"1: WinSW commands between the old JVM's exit and the new one's launch: {commands:g} "
                         f"(median); one costs {call:.2f} s when run alone on this machine.")


def big_data(bw: BenchWorld, bench: Bench, versions: Versions, plan: Plan, out: Results) -> None:
    db_size = (bw.folder / dataset.DB).stat().st_size
    size = dataset.create(bw.folder, plan.data_bytes)
    _say(f"  data set: {size / MB:.0f} MB")
    runs, cp_times = [], []
    try:
        for n in range(plan.runs):
            new = versions.next_good()
            versions.jars[new] = bw.publish(new)
            runs.append(scenarios.upgrade(bw, bench, versions.current, new, versions.jars, live=True))
            versions.current = new
            cp_times.append(dataset.cp_seconds(bw.folder, bw.root / "cp-scratch"))
            # Only the newest backup set is needed for the next run (its database copy is where the next one
            # starts, as on a server that keeps its sets): keep the disk and page cache for it.
            for old in sorted((bw.folder / "backups").glob("*"))[:-1]:
                shutil.rmtree(old, ignore_errors=True)
            r = runs[-1]
            _say(f"  upgrade {n + 1} with data: downtime {r.downtime:.3f} s, floor {r.floor:.3f} s, second pass "
                 f"{r.steps.get('step backup-data', 0):.3f} s ({r.copied.get('second', 0) / MB:.0f} MB), "
                 f"cp -r {cp_times[-1]:.3f} s")
    finally:
        dataset.remove(bw.folder, db_size)
    label = f"{size / MB / 1000:.1f} GB" if size >= 1e9 else f"{size / MB:.0f} MB"
    first = [r.copied.get("first", 0) / r.steps["step precopy-data"] / MB for r in runs]
    cp = [size / s / MB for s in cp_times]
    second = [r.steps.get("step backup-data", 0.0) for r in runs]
    out.rows += [
        _seconds(f"2. upgrade downtime, {label} of data", [r.downtime for r in runs]),
        _seconds("   floor", [r.floor for r in runs]),
        _seconds("   overhead", [r.overhead for r in runs]),
        _seconds("   second backup pass (service down)", second),
        _seconds("   cp -r of all the data, for comparison", cp_times),
        Row("   its share of the downtime", [100 * s / r.downtime for s, r in zip(second, runs, strict=True)],
            " %", digits=0),
        Row("   first backup pass (service running)", first, " MB/s", digits=0),
        Row("   cp -r of the same files", cp, " MB/s", digits=0),
        Row("   first pass / cp -r", [f / c for f, c in zip(first, cp, strict=True)], "", ">= 0.90",
            lambda v: v >= 0.9),
    ]
    written = statistics.median(r.copied.get("second", 0) for r in runs) / MB
    out.notes.append(f"2: while the old version ran, the benchmark wrote to the data as the service does (a page "
                     f"of the database, a journal record, a message file every 100 ms), so the database, a "
                     f"journal file and the messages had changed when it stopped; the second pass wrote "
                     f"{written:.1f} MB of them (median): of a big file only the blocks that differ.")


def failures(bw: BenchWorld, bench: Bench, versions: Versions, plan: Plan, out: Results) -> None:
    exits, lateness = [], []
    for n in range(plan.runs):
        bad = versions.next_bad()
        versions.jars[bad] = bw.publish(bad, "exit_at_start")
        exits.append(scenarios.exit_at_start(bw, bench, versions.current, bad, versions.jars))
        _say(f"  exit at start {n + 1}: detected after {exits[-1].detection:.3f} s, rollback downtime "
             f"{exits[-1].rollback_downtime or 0:.3f} s (floor {exits[-1].rollback_floor or 0:.3f} s)")
    for n in range(plan.runs):
        bad = versions.next_bad()
        bw.publish(bad, "http_500")
        lateness.append(scenarios.answers_500(bw, versions.current, bad, HTTP_500_TIMEOUT).detection)
        _say(f"  answers 500 {n + 1}: rollback {lateness[-1]:+.3f} s after the deadline")
    downtimes = [f.rollback_downtime for f in exits if f.rollback_downtime is not None]
    floors = [f.rollback_floor for f in exits if f.rollback_floor is not None]
    out.rows += [
        _seconds("3. exit at start -> rollback begins", [f.detection for f in exits], "<= 0.50 s", 0.5),
        _seconds(f"   answers 500: rollback begins after the deadline ({HTTP_500_TIMEOUT:g} s)", lateness,
                 "<= 0.50 s", 0.5),
        _seconds("4. rollback downtime (exit at start)", downtimes),
        _seconds("   floor (old stop + failed start + old start)", floors),
        _seconds("   overhead", [d - f for d, f in zip(downtimes, floors, strict=True)]),
    ]


def downloads(bw: BenchWorld, plan: Plan, out: Results) -> None:
    scratch = bw.root / "downloads"
    scratch.mkdir()
    big = transfer.make_file(bw.root / "big.bin", plan.download_bytes)
    bw.server.publish_file(transfer.PATH, big)
    speeds, sha1, md5 = [], [], []
    for n in range(plan.runs):
        speeds.append(transfer.compare(bw.server, scratch))
        sha1.append(transfer.hash_speed("sha1"))
        md5.append(transfer.hash_speed("md5"))
        last = speeds[-1]
        _say(f"  download {n + 1}: installer {last.github:.0f} MB/s with SHA-1, {last.maven:.0f} MB/s with SHA-1 "
             f"+ MD5, {last.unchecked:.0f} MB/s unchecked; curl {last.curl:.0f} MB/s; one core hashes SHA-1 at "
             f"{sha1[-1]:.0f} MB/s, MD5 at {md5[-1]:.0f} MB/s")
    resumed = transfer.resume(bw.server, scratch, plan.download_bytes)
    label = f"{plan.download_bytes // MIB} MiB"
    at_least = (">= 0.90", lambda v: v >= 0.9)
    out.rows += [
        Row(f"5. download {label}, as a 3.x/4.x jar (SHA-1): installer", [s.github for s in speeds], " MB/s",
            digits=0),
        Row("   curl", [s.curl for s in speeds], " MB/s", digits=0),
        Row("   installer / curl", [s.github / s.curl for s in speeds], "", *at_least),
        Row("   as a 2.x jar from Maven (SHA-1 + MD5): installer", [s.maven for s in speeds], " MB/s", digits=0),
        Row("   installer / curl", [s.maven / s.curl for s in speeds], "", *at_least),
        Row("   the transfer alone (no hash): installer / curl", [s.unchecked / s.curl for s in speeds], ""),
        Row("   bound with SHA-1: one core's SHA-1 / curl", [h / s.curl for h, s in zip(sha1, speeds, strict=True)],
            ""),
        Row("   bound with MD5: one core's MD5 / curl", [h / s.curl for h, s in zip(md5, speeds, strict=True)], ""),
        Row("   resume after a cut at 50 %: bytes sent / file size", [resumed.sent / resumed.size], "", "1.00",
            lambda v: resumed.only_the_rest, digits=3),
    ]
    ranges = ", ".join(r or "(none)" for r in resumed.ranges)
    out.notes.append(f"5: the resumed download's requests carried Range: {ranges}.")
    out.notes.append("5: the installer hashes while it writes, one thread per hash, so a check costs nothing while "
                     "the network is slower than the hash; on loopback the network is faster, and no download that "
                     "computes a hash can go faster than one core computes it (the bound rows; curl checks nothing). "
                     "The SHA-1 + MD5 row is what checking Maven's `.md5` as well cost; setup now checks `.md5` only "
                     "where no `.sha1` is published, so a 2.x jar downloads as fast as a 3.x/4.x one.")
    big.unlink()


def memory(bw: BenchWorld, versions: Versions, plan: Plan, out: Results) -> None:
    peaks = []
    for n in range(plan.memory_runs):
        new = versions.next_good()
        versions.jars[new] = bw.publish_padded(new, plan.jar_padding)
        peaks.append(scenarios.memory(bw, new))
        versions.current = new
        _say(f"  memory {n + 1}: tree {peaks[-1].tree / MIB:.0f} MiB ({peaks[-1].tree_unmapped / MIB:.0f} MiB "
             f"without mapped file pages), setup alone {peaks[-1].setup / MIB:.0f} MiB")
    jar = (bw.folder / f"integrasjonspunkt-{versions.current}.jar").stat().st_size
    out.rows += [
        Row(f"6. peak RSS of setup's process tree (jar of {jar / MIB:.0f} MiB)", [p.tree / MIB for p in peaks],
            " MiB", "<= 120 MiB", lambda v: v <= 120, digits=0),
        Row("   the same without file pages mapped from disk", [p.tree_unmapped / MIB for p in peaks], " MiB",
            "<= 120 MiB", lambda v: v <= 120, digits=0),
        Row("   setup process alone (RSS)", [p.setup / MIB for p in peaks], " MiB", digits=0),
    ]
    biggest = max(peaks, key=lambda p: p.tree)
    out.notes.append("6: at the peak: " + ", ".join(f"{name} {rss / MIB:.0f} MiB"
                                                    for name, rss in biggest.at_peak.items()) + ".")
    if biggest.tree - biggest.tree_unmapped > jar / 2:
        out.notes.append("6: the jar's pages count in the peak RSS: a file was mapped into memory (Sequoia maps "
                         "the files it reads on Unix unless SEQUOIA_DONT_MMAP is set, as installer/verify.py does).")


def measure(plan: Plan, out: Results) -> tuple[list[str], float]:
    """Build the world, install the first version, measure the planned figures; returns the header lines and
    the WinSW stand-in's cost per command."""
    bw = BenchWorld()
    try:
        versions = Versions()
        versions.jars[FIRST_TAG] = bw.publish(FIRST_TAG)
        installed = bw.world.install(FIRST_TAG)
        if installed.returncode != 0:
            raise scenarios.RunFailed(f"install failed:\n{installed.stderr[-3000:]}")
        header = report.machine(bw.installed_java())
        bench = Bench(bw.root / "floor", bw.installed_java())
        call = standin_call_cost(bw, 9)
        _say(f"WinSW stand-in: {call:.3f} s per command")
        if 1 in plan.figures:
            _say("1. upgrade downtime")
            upgrades(bw, bench, versions, plan, out, call)
        if 3 in plan.figures or 4 in plan.figures:
            _say("3./4. failure detection and rollback")
            failures(bw, bench, versions, plan, out)
        if 6 in plan.figures:
            _say("6. memory")
            memory(bw, versions, plan, out)
        if 2 in plan.figures:
            _say("2. data")
            big_data(bw, bench, versions, plan, out)
        if 5 in plan.figures:
            _say("5. download")
            downloads(bw, plan, out)
    finally:
        bw.close()
    return header, call


def _plan(args: argparse.Namespace) -> Plan:
    runs = args.runs or (3 if args.quick else 5)
    figures = {int(f) for f in args.only.split(",")} if args.only else {1, 2, 3, 4, 5, 6}
    if args.quick:
        return Plan(runs, 256 * MIB, 64 * MIB, 64 * MIB, 1, figures)
    return Plan(runs, 1024 * MIB, 256 * MIB, 160 * MIB, 2, figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, --quick 3)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, 256 MiB of data, a 64 MiB download")
    parser.add_argument("--only", help="figures to measure, e.g. 1,3 (the table is then not written to latest.md)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the table goes (default {OUT})")
    args = parser.parse_args(argv)
    plan = _plan(args)
    logging.basicConfig(level=logging.WARNING)
    began = time.monotonic()
    out = Results()
    try:
        header, call = measure(plan, out)
    except (scenarios.RunFailed, FloorError, subprocess.SubprocessError, OSError) as exc:
        _say(f"The benchmark stopped: {exc}")
        return 2
    header.append(f"{plan.runs} runs per figure; the whole benchmark took {time.monotonic() - began:.0f} s")
    out.notes.append(f"The WinSW stand-in is a Python program: each WinSW command costs {call:.2f} s here "
                     f"(median of 9 `status` calls), mostly its interpreter's start-up and imports.")
    title = "Upgrade window benchmark (python -m benchmarks.run" + (" --quick" if args.quick else "") + ")"
    print(report.plain(title, header, out.rows, out.notes))
    if not args.only:
        args.out.write_text(report.markdown(title, header, out.rows, out.notes), encoding="utf-8")
        _say(f"written to {args.out}")
    return 0 if all(r.meets is None or (r.values and r.meets(r.median)) for r in out.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
