"""`python -m benchmarks.run [--runs N] [--quick]`: what an upgrade costs the admin, measured against the harness
(artifact server, signed stand-in releases, the WinSW stand-in), next to what the service itself needs. Prints
the table and writes it to benchmarks/latest.md.

Figures (each the median of the runs, with min and max, against a baseline measured in the same run):
1. upgrade downtime (last good answer of the old version -> first good answer of the new one, probed every
   20 ms) against its floor (the old stand-in's stop after SIGTERM + the new one's `java -jar` -> first good
   answer, measured directly); overhead = downtime - floor. Then with a 1 GB and a 5 GB database (copied only
   after the stop, as H2's lock demands on Windows) plus ActiveMQ data and messages: the database's copy inside
   the window against `cp` of the same file, and the overhead beyond that copy;
2. failure detection (a version that exits at start; one that answers 500) and the rollback's downtime (old
   version's last good answer -> its first good answer again) against its floor;
3. figures 1 and 2 again in a network namespace where a closed loopback port times out, as on Windows (W1);
4. the programs started inside the downtime window of an upgrade and of a rollback (strace);
5. download throughput against `curl | tee | sha1sum` on loopback and against curl through a server limited to
   1 Gbit/s and 100 Mbit/s, and a resume after a cut at 50 %;
6. peak memory of setup's process tree during an upgrade to a jar of 160 MiB.

Exit status: 0 when every target is met, 1 when one is not, 2 when the benchmark could not run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import dataset, programs, report, scenarios, transfer
from benchmarks.floor import Bench, FloorError
from benchmarks.report import Row
from benchmarks.world import FIRST_TAG, BenchWorld
from tests.harness import netns

OUT = Path(__file__).resolve().parent / "latest.md"
REPO_ROOT = Path(__file__).resolve().parents[1]
MB = 1e6
MIB = 1024 * 1024
GIB = 1024 * MIB
HTTP_500_TIMEOUT = 3.0
GBIT = 1e9 / 8  # bytes per second
# How much the overhead may differ between two sets of runs on this loaded machine and still count as "not grown".
NOISE = 0.10


@dataclass
class Plan:
    runs: int
    db_sizes: list[int]
    side_bytes: int  # ActiveMQ data and messages beside the database
    download_bytes: int
    limited_bytes: dict[float, int]  # rate (bytes/s) -> size of the file sent at that rate
    jar_padding: int
    memory_runs: int
    figures: set[int]
    namespace_db: bool  # figure 3 with the first database size too


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Raw figures by key, for the namespace's comparison (figure 3) across processes.
    raw: dict[str, list[float]] = field(default_factory=dict)


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


def _size(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / MB:.0f} MB"


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


def _upgrade(bw: BenchWorld, bench: Bench, versions: Versions, *, live: bool = False) -> scenarios.Upgrade:
    new = versions.next_good()
    versions.jars[new] = bw.publish(new)
    run = scenarios.upgrade(bw, bench, versions.current, new, versions.jars, live=live)
    versions.current = new
    return run


def upgrades(bw: BenchWorld, bench: Bench, versions: Versions, plan: Plan, out: Results, call: float) -> None:
    runs = []
    for n in range(plan.runs):
        runs.append(_upgrade(bw, bench, versions))
        _say(f"  upgrade {n + 1}: downtime {runs[-1].downtime:.3f} s, floor {runs[-1].floor:.3f} s, "
             f"{runs[-1].exe_calls} WinSW commands in the window")
    out.raw["upgrade overhead"] = [r.overhead for r in runs]
    out.rows += [
        _seconds("1. upgrade downtime (a few MB of data)", [r.downtime for r in runs]),
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
        out.raw["service start"] = [s.service_start for s in switches]
        commands = statistics.median(s.commands for s in switches)
        out.notes.append(f"1: WinSW commands between the old JVM's exit and the new one's launch: {commands:g} "
                         f"(median); one costs {call:.2f} s when run alone on this machine.")


def _drop_older_sets(folder: Path) -> None:
    """Only the newest backup set is needed for the next run (its database copy is where the next one starts,
    as on a server that keeps its sets): keep the disk and the page cache for it."""
    for old in sorted((folder / "backups").glob("*"))[:-1]:
        shutil.rmtree(old, ignore_errors=True)


def databases(bw: BenchWorld, bench: Bench, versions: Versions, plan: Plan, out: Results, size: int) -> None:
    """Figure 1 with a big database: copied only after the stop; the service writes to it until then."""
    db = bw.folder / dataset.DB
    db_size = db.stat().st_size
    total = dataset.create(bw.folder, size, plan.side_bytes)
    runs_wanted = plan.runs if size <= 2 * GIB else min(plan.runs, 3)
    label = _size(size)
    _say(f"  data set: database {label}, {_size(total - size)} besides")
    runs, cps = [], []
    try:
        # The first upgrade of this data has no earlier copy of the database to start from: all of it is written.
        first = _upgrade(bw, bench, versions, live=True)
        first_cp = dataset.cp_file_seconds(db, bw.root / "cp-scratch")
        _drop_older_sets(bw.folder)
        for n in range(runs_wanted):
            runs.append(_upgrade(bw, bench, versions, live=True))
            cps.append(dataset.cp_file_seconds(db, bw.root / "cp-scratch"))
            _drop_older_sets(bw.folder)
            r = runs[-1]
            _say(f"  upgrade {n + 1}, database {label}: downtime {r.downtime:.3f} s, floor {r.floor:.3f} s, "
                 f"database copy {r.database[1] if r.database else -1:.3f} s "
                 f"({(r.database[0] if r.database else 0) / MB:.0f} MB written), cp {cps[-1]:.3f} s; steps: "
                 + ", ".join(f"{k.removeprefix('step ')} {v:.2f}" for k, v in r.steps.items() if v >= 0.02))
    finally:
        dataset.remove(bw.folder, db_size)
        for one in (bw.folder / "backups").glob("*"):
            shutil.rmtree(one, ignore_errors=True)
    measured = [(r, c) for r, c in zip(runs, cps, strict=True) if r.database is not None]
    copies = [r.database[1] for r, _ in measured if r.database]
    out.raw[f"database {label} overhead"] = [r.overhead for r in runs]
    out.raw[f"database {label} beyond"] = [r.overhead - c for r, c in zip(runs, copies, strict=False)]
    standin = [r.switch.command_seconds + r.switch.service_start for r in runs if r.switch is not None]
    out.rows += [
        _seconds(f"1. upgrade downtime, database of {label} (+ {_size(total - size)} ActiveMQ data, messages)",
                 [r.downtime for r in runs]),
        _seconds("   floor", [r.floor for r in runs]),
        _seconds("   overhead", [r.overhead for r in runs]),
        _seconds("   database copy inside the window", copies),
        _seconds("   cp of the same file, for comparison", [c for _, c in measured]),
        Row("   copy / cp", [r.database[1] / c for r, c in measured if r.database], "", "<= 1.10",
            lambda v: v <= 1.1),
        _seconds("   overhead beyond the copy", [r.overhead - r.database[1] for r, _ in measured if r.database],
                 "<= 0.25 s", 0.25),
        _seconds("     of it the stand-in's WinSW commands and service start", standin),
        _seconds("     the rest (setup's own work)", [r.overhead - r.database[1] - (
            r.switch.command_seconds + r.switch.service_start) for r, _ in measured if r.database and r.switch]),
    ]
    if first.database is not None:
        out.rows.append(Row("   first upgrade of this data (no earlier copy): copy / cp",
                            [first.database[1] / first_cp], ""))
    written = statistics.median(r.database[0] for r, _ in measured if r.database) / MB if measured else 0
    out.notes.append(
        f"1 ({label}): while the old version ran, the benchmark wrote to the data as the service does (a page of "
        f"the database, a journal record, a message file every 100 ms). The database is read only after the "
        f"stop; the copy starts from the one in the newest backup set (made while the service ran) and rewrites "
        f"only the blocks that differ: {written:.1f} MB of it (median), reading both files. The first upgrade of "
        f"this data had no earlier copy and wrote all of it ({first.database[1] if first.database else 0:.2f} s "
        f"against cp {first_cp:.2f} s).")


def failures(bw: BenchWorld, bench: Bench, versions: Versions, plan: Plan, out: Results, call: float) -> None:
    exits, lateness = [], []
    for n in range(plan.runs):
        bad = versions.next_bad()
        versions.jars[bad] = bw.publish(bad, "exit_at_start")
        exits.append(scenarios.exit_at_start(bw, bench, versions.current, bad, versions.jars))
        _say(f"  exit at start {n + 1}: detected after {exits[-1].detection:.3f} s, rollback downtime "
             f"{exits[-1].rollback_downtime or 0:.3f} s (floor {exits[-1].rollback_floor or 0:.3f} s), "
             f"commands in it: {', '.join(exits[-1].programs)}")
    for n in range(plan.runs):
        bad = versions.next_bad()
        bw.publish(bad, "http_500")
        lateness.append(scenarios.answers_500(bw, versions.current, bad, HTTP_500_TIMEOUT).detection)
        _say(f"  answers 500 {n + 1}: rollback {lateness[-1]:+.3f} s after the deadline")
    done = [f for f in exits if f.rollback_downtime is not None and f.rollback_floor is not None]
    downtimes = [f.rollback_downtime or 0.0 for f in done]
    floors = [f.rollback_floor or 0.0 for f in done]
    overheads = [d - f for d, f in zip(downtimes, floors, strict=True)]
    out.raw["rollback overhead"] = overheads
    # The stop and the two starts a rollback cannot do without, at what the stand-in's commands and its service
    # start cost here (figure 1's median when it was measured).
    service_start = statistics.median(out.raw.get("service start", [0.0]))
    needed = [3 * call + 2 * service_start] * len(done)
    out.rows += [
        _seconds("2. exit at start -> rollback begins", [f.detection for f in exits], "<= 0.50 s", 0.5),
        _seconds(f"   answers 500: rollback begins after the deadline ({HTTP_500_TIMEOUT:g} s)", lateness,
                 "<= 0.50 s", 0.5),
        _seconds("2. rollback downtime (exit at start)", downtimes),
        _seconds("   floor (old stop + failed start + old start)", floors),
        _seconds("   overhead", overheads, "<= 0.50 s", 0.5),
        _seconds("     of it WinSW and sc.exe commands (the stand-ins)", [f.command_seconds for f in done]),
        _seconds("     bound: the stand-in's stop + 2 starts (commands and service starts)", needed),
    ]
    if done:
        out.notes.append(f"2: commands that ran inside the rollback's downtime (last run): "
                         f"{', '.join(done[-1].programs)}.")


def started_programs(bw: BenchWorld, versions: Versions, out: Results) -> None:
    """Figure 4: one upgrade and one failed upgrade with its rollback under strace."""
    if not programs.available():
        out.notes.append("4: not measured: no strace on this machine.")
        return
    trace = bw.root / "strace.log"
    new = versions.next_good()
    versions.jars[new] = bw.publish(new)
    upgrade = scenarios.traced(bw, versions.current, new, trace)
    versions.current = new
    bad = versions.next_bad()
    versions.jars[bad] = bw.publish(bad, "exit_at_start")
    rollback = scenarios.traced(bw, versions.current, bad, trace, fails=True)
    trace.unlink(missing_ok=True)
    allowed_upgrade = {"WinSW stop": 1, "WinSW start": 1}
    allowed_rollback = {"WinSW stop": 2, "WinSW start": 2}
    zero = ("0", lambda v: v == 0)

    def listing(counts: dict[str, int]) -> str:
        return ", ".join(f"{program} x{n}" for program, n in sorted(counts.items()))

    out.rows += [
        Row("4. programs started in an upgrade's downtime (as on Windows)",
            [sum(n for p, n in upgrade.items() if p != programs.SERVICE_OWN and p not in programs.NATIVE_ON_WINDOWS)],
            "", digits=0),
        Row("   besides the service's own stop and start", [programs.beyond_target(upgrade, allowed_upgrade)], "",
            *zero, digits=0),
        Row("   in a rollback's downtime (as on Windows)",
            [sum(n for p, n in rollback.items() if p != programs.SERVICE_OWN and p not in programs.NATIVE_ON_WINDOWS)],
            "", digits=0),
        Row("   besides the service's own stops and starts", [programs.beyond_target(rollback, allowed_rollback)], "",
            digits=0),
    ]
    out.notes.append(f"4: started inside an upgrade's downtime: {listing(upgrade)}.")
    out.notes.append(f"4: started inside a rollback's downtime: {listing(rollback)}.")
    out.notes.append("4: `sc.exe query` is how setup reads the service manager's state off Windows; on Windows it "
                     "is a QueryServiceStatusEx call (no program), so it is not counted. The service's own processes "
                     "are started by the service manager on Windows.")


def downloads(bw: BenchWorld, plan: Plan, out: Results) -> None:
    scratch = bw.root / "downloads"
    scratch.mkdir()
    big = transfer.make_file(bw.root / "big.bin", plan.download_bytes)
    bw.server.publish_file(transfer.PATH, big)
    speeds, sha1 = [], []
    for n in range(plan.runs):
        speeds.append(transfer.compare(bw.server, scratch))
        sha1.append(transfer.hash_speed("sha1"))
        last = speeds[-1]
        _say(f"  download {n + 1}: installer {last.installer:.0f} MB/s with SHA-1, {last.unchecked:.0f} MB/s "
             f"unchecked; curl | tee | sha1sum {last.curl_checked:.0f} MB/s, curl {last.curl:.0f} MB/s; one core "
             f"hashes SHA-1 at {sha1[-1]:.0f} MB/s")
    label = f"{plan.download_bytes // MIB} MiB"
    out.rows += [
        Row(f"5. download {label} on loopback: installer (SHA-1)", [s.installer for s in speeds], " MB/s", digits=0),
        Row("   curl | tee FILE | sha1sum", [s.curl_checked for s in speeds], " MB/s", digits=0),
        Row("   installer / curl | tee | sha1sum", [s.installer / s.curl_checked for s in speeds], "", ">= 0.90",
            lambda v: v >= 0.9),
        Row("   plain curl (no check)", [s.curl for s in speeds], " MB/s", digits=0),
        Row("   the transfer alone (no hash): installer / plain curl", [s.unchecked / s.curl for s in speeds], ""),
        Row("   bound: one core's SHA-1 / plain curl", [h / s.curl for h, s in zip(sha1, speeds, strict=True)], ""),
    ]
    resumed = transfer.resume(bw.server, scratch, plan.download_bytes)
    big.unlink()
    for rate, size in plan.limited_bytes.items():
        path = f"/files/limited-{int(rate)}.bin"
        file = transfer.make_file(bw.root / "limited.bin", size)
        bw.server.publish_file(path, file)
        pairs = []
        for n in range(plan.runs):
            pairs.append(transfer.limited(bw.server, scratch, path, rate))
            _say(f"  {rate * 8 / 1e6:.0f} Mbit/s {n + 1}: installer {pairs[-1][0]:.1f} MB/s, curl "
                 f"{pairs[-1][1]:.1f} MB/s")
        file.unlink()
        speed = f"{rate * 8 / 1e9:g} Gbit/s" if rate >= GBIT else f"{rate * 8 / 1e6:g} Mbit/s"
        out.rows += [
            Row(f"   server limited to {speed}, {size // MIB} MiB: installer (SHA-1)", [i for i, _ in pairs], " MB/s",
                digits=1),
            Row("   plain curl", [c for _, c in pairs], " MB/s", digits=1),
            Row("   installer / curl", [i / c for i, c in pairs], "", ">= 0.97", lambda v: v >= 0.97),
        ]
    out.rows.append(Row("   resume after a cut at 50 %: bytes sent / file size", [resumed.sent / resumed.size], "",
                        "1.00", lambda v: resumed.only_the_rest, digits=3))
    ranges = ", ".join(r or "(none)" for r in resumed.ranges)
    out.notes.append(f"5: the resumed download's requests carried Range: {ranges}.")
    out.notes.append("5: the installer hashes while it writes, in a thread of its own, so a check costs nothing "
                     "while the network is slower than the hash; on loopback the network is faster, and no "
                     "download that computes a hash can go faster than one core computes it (the bound row). "
                     "The limited server paces its sends (the harness's `slow` fault, bytes per second).")


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
        Row(f"6. peak RSS of setup's process tree, whole upgrade (jar of {jar / MIB:.0f} MiB)",
            [p.tree / MIB for p in peaks], " MiB", "<= 120 MiB", lambda v: v <= 120, digits=0),
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


def namespace(plan: Plan, out: Results) -> None:
    """Figure 3: figures 1 and 2 measured again by a run of this module inside the network namespace."""
    reason = netns.unavailable()
    if reason:
        out.notes.append(f"3: not measured: {reason}.")
        return
    sizes = plan.db_sizes[:1] if plan.namespace_db else []
    with tempfile.TemporaryDirectory(prefix="ipbench-ns-") as tmp:
        raw_file = Path(tmp) / "raw.json"
        inner = [sys.executable, "-m", "benchmarks.run", "--only", "1,2", "--runs", str(plan.runs), "--raw",
                 str(raw_file), "--db-sizes", ",".join(str(s // MIB) for s in sizes) or "none",
                 "--side", str(plan.side_bytes // MIB)]
        done = subprocess.run(netns.command(inner), cwd=REPO_ROOT, capture_output=True, text=True, timeout=3600)
        if done.returncode not in (0, 1) or not raw_file.exists():
            raise scenarios.RunFailed(f"the run in the namespace failed:\n{done.stderr[-3000:]}")
        inside = json.loads(raw_file.read_text(encoding="utf-8"))
    for key, label in [("upgrade overhead", "upgrade overhead (a few MB of data)"),
                       *[(f"database {_size(s)} beyond", f"upgrade overhead beyond the copy, database {_size(s)}")
                         for s in sizes],
                       ("rollback overhead", "rollback overhead (exit at start)")]:
        there, here = inside.get(key, []), out.raw.get(key, [])
        if not there or not here:
            continue
        growth = statistics.median(there) - statistics.median(here)
        out.rows += [
            _seconds(f"3. closed ports time out: {label}", there),
            _seconds("   the same outside the namespace (above)", here),
            Row("   growth (median inside - median outside)", [growth], " s", f"<= +{NOISE:.2f} s",
                lambda v: v <= NOISE),
        ]
    out.notes.append("3: the namespace drops TCP resets on loopback (tests/harness/netns.py), so a connect to a "
                     "closed port times out as on Windows; the benchmark's probe connects with a 50 ms timeout. "
                     f"\"Not grown\" allows {NOISE:.2f} s: two sets of runs on this loaded machine differ by that "
                     "much.")


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
        if 2 in plan.figures:
            _say("2. failure detection and rollback")
            failures(bw, bench, versions, plan, out, call)
        if 4 in plan.figures:
            _say("4. programs started inside the window")
            started_programs(bw, versions, out)
        if 6 in plan.figures:
            _say("6. memory")
            memory(bw, versions, plan, out)
        if 1 in plan.figures:
            for size in plan.db_sizes:
                _say(f"1. upgrade downtime, database of {_size(size)}")
                databases(bw, bench, versions, plan, out, size)
        if 5 in plan.figures:
            _say("5. download")
            downloads(bw, plan, out)
    finally:
        bw.close()
    if 3 in plan.figures:
        _say("3. figures 1 and 2 where closed loopback ports time out")
        namespace(plan, out)
    return header, call


def _plan(args: argparse.Namespace) -> Plan:
    runs = args.runs or (3 if args.quick else 5)
    figures = {int(f) for f in args.only.split(",")} if args.only else {1, 2, 3, 4, 5, 6}
    if args.quick:
        plan = Plan(runs, [256 * MIB, 768 * MIB], 64 * MIB, 64 * MIB, {GBIT: 32 * MIB, GBIT / 10: 8 * MIB},
                    64 * MIB, 1, figures, False)
    else:
        plan = Plan(runs, [GIB, 5 * GIB], 512 * MIB, 256 * MIB, {GBIT: 128 * MIB, GBIT / 10: 32 * MIB},
                    160 * MIB, 2, figures, True)
    if args.db_sizes:
        plan.db_sizes = [] if args.db_sizes == "none" else [int(s) * MIB for s in args.db_sizes.split(",")]
    if args.side:
        plan.side_bytes = args.side * MIB
    return plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, --quick 3)")
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller databases and downloads")
    parser.add_argument("--only", help="figures to measure, e.g. 1,3 (the table is then not written to latest.md)")
    parser.add_argument("--db-sizes", help="database sizes for figure 1 in MiB, e.g. 1024,5120 (or none)")
    parser.add_argument("--side", type=int, help="MiB of ActiveMQ data and messages beside the database")
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)  # figure 3's inner run: raw figures as JSON
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
    if args.raw:
        args.raw.write_text(json.dumps(out.raw), encoding="utf-8")
    header.append(f"{plan.runs} runs per figure; the whole benchmark took {time.monotonic() - began:.0f} s")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    header.append(f"load average at the end: {load}")
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
