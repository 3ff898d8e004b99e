"""Build the one-file setup with PyInstaller, then smoke-test the frozen file.

    python build/build.py                # clean build (build/work, dist/), then the smoke test
    python build/build.py --no-smoke     # build only
    python build/build.py --smoke-only   # smoke-test dist/setup[.exe] as it is

The smoke test runs the frozen file, never the source: `--version`, `--help`, a bad command line, the
median wall time of `--help` and `--version`, and install 2.28.0 → upgrade 2.28.1 → upgrade 2.28.2 (never
healthy: exit 13, rolled back) → rollback to 2.28.0 → uninstall against the test harness (artifact server,
stand-in jars). On POSIX the service runs under the WinSW and sc.exe stand-ins; on Windows under the real
WinSW 2.12.0, which setup.exe downloads from its GitHub release and checks against the pinned SHA-256. It
checks that the file is within its size budget, that the service does not inherit the bundle's library path
(Linux) and that no unpacked folder is left behind. Exit status 0 only when every check passed.

    python build/build.py --smoke-only --java "C:\\...\\jdk8\\bin\\java.exe"   # the Windows end-to-end job

Before the install, `/check` must find the service's port free although nothing listens on it (on Windows a
connect to a closed loopback port times out instead of being refused: W1). Each upgrade stops a service whose
stand-in holds its database locked as H2 does (FileChannel.lock: on Windows a mandatory lock, so a read of it
while the service runs fails: W2). With `--java21 PATH` a 3.x/4.x cycle follows on that Java: install 2.28.1,
upgrade across the line to v4.0.8 (`/allow-major`), roll back to 2.28.1, uninstall.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
# The harness and the package are imported from this tree, never from an installed copy.
sys.path.insert(0, str(ROOT))

from installer import __version__  # noqa: E402
from installer.errors import ExitCode, same_exit_code  # noqa: E402
from installer.system_tools import system32  # noqa: E402

if TYPE_CHECKING:
    from tests.harness.sandbox import Sandbox

WORK = ROOT / "build" / "work"
DIST = ROOT / "dist"
FROZEN = DIST / ("setup.exe" if os.name == "nt" else "setup")
SIZE_LIMIT = 25_000_000
HELP_TARGET = 0.5
RUN_TIMEOUT = 300
# Silent runs with a short health check; a version that never becomes healthy fails sooner.
QUICK = ["/quiet", "/health-stable", "2", "/health-timeout"]
GOOD, NEVER_HEALTHY = [*QUICK, "40"], [*QUICK, "15"]


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        print(
            f"  {'ok  ' if ok else 'FAIL'} {what}" + (f": {detail}" if detail and not ok else ""), flush=True
        )
        if not ok:
            self.failures.append(what)
        return ok


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float

    def tail(self, lines: int = 15) -> str:
        text = (self.out + self.err).strip().splitlines()
        return "\n      ".join(["", *text[-lines:]])


def run(args: list[str], env: dict[str, str], timeout: float = RUN_TIMEOUT) -> Run:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [str(FROZEN), *args],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        return Run(-1, str(exc.stdout or ""), f"timed out after {timeout} s", time.perf_counter() - start)
    return Run(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


# --- build -----------------------------------------------------------------------------------------


def _describe_tree() -> str:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return done.stdout.strip()


def _source_date_epoch() -> str:
    """The time of the commit built (or SOURCE_DATE_EPOCH when set): file times in the bundle come from it."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True,
                              check=True)
    except (OSError, subprocess.CalledProcessError):
        return "0"
    return done.stdout.strip() or "0"


def build_environment() -> dict[str, str]:
    """A reproducible build: fixed file times and a fixed hash seed (set iteration order in the analysis)."""
    return {**os.environ, "SOURCE_DATE_EPOCH": _source_date_epoch(), "PYTHONHASHSEED": "0"}


def build(work: Path = WORK, dist: Path = DIST) -> None:
    print(f"Building {(dist / FROZEN.name).relative_to(ROOT)} {__version__} from {_describe_tree()}", flush=True)
    # A clean build: nothing of an earlier run is reused.
    shutil.rmtree(work, ignore_errors=True)
    (dist / FROZEN.name).unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--workpath",
        str(work),
        "--distpath",
        str(dist),
        str(ROOT / "release.spec"),
    ]
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, env=build_environment())
    print(f"Built in {time.perf_counter() - start:.0f} s", flush=True)


def check_reproducible(report: Report) -> None:
    """A second clean build of the same tree into other folders must give the same bytes."""
    work, dist = ROOT / "build" / "work-again", ROOT / "build" / "dist-again"
    try:
        build(work, dist)
        again = (dist / FROZEN.name).read_bytes()
        first = FROZEN.read_bytes()
        differ = next((i for i, (a, b) in enumerate(zip(first, again, strict=False)) if a != b), None)
        report.check(first == again, "a second build is byte-identical",
                     f"{len(first):,} and {len(again):,} bytes, first difference at offset {differ}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(dist, ignore_errors=True)


# --- prerequisites of the smoke test -----------------------------------------------------------------


def missing_tools() -> list[str]:
    """What the install cycle against the harness needs and this machine lacks, each with what to install."""
    from tests.harness import jdks

    missing = []
    try:
        javac = jdks.javac()
    except RuntimeError:
        javac = None
        missing.append("javac of a JDK 17 (Debian: apt install openjdk-17-jdk-headless; else Temurin 17)")
    if javac is not None and not (javac.with_name("keytool").is_file() or shutil.which("keytool")):
        missing.append("keytool (it comes with the JDK 17: openjdk-17-jdk-headless)")
    if jdks.java17() is None:
        missing.append("a Java 17 runtime (openjdk-17-jdk-headless)")
    if shutil.which("gpg") is None:
        missing.append("gpg (Debian: apt install gnupg)")
    return missing


# --- smoke test ------------------------------------------------------------------------------------


def check_size(report: Report) -> None:
    size = FROZEN.stat().st_size
    print(f"Size: {size:,} bytes ({size / 1e6:.1f} MB)")
    report.check(size <= SIZE_LIMIT, f"size at most {SIZE_LIMIT / 1e6:.0f} MB", f"{size:,} bytes")


def check_basics(report: Report, env: dict[str, str]) -> None:
    version = run(["--version"], env)
    report.check(
        version.code == 0 and version.out.strip() == f"setup {__version__}",
        "--version prints the package version",
        version.tail(),
    )
    usage = run(["--help"], env)
    report.check(usage.code == 0 and "/upgrade" in usage.out, "--help prints the usage", usage.tail())
    slash = run(["/?"], env)
    report.check(slash.code == 0 and slash.out == usage.out, "/? prints the same usage", slash.tail())
    bad = run(["/frobnicate"], env)
    report.check(
        same_exit_code(bad.code, ExitCode.BAD_COMMAND_LINE) and "Traceback" not in bad.err,
        "a bad command line exits 1639 without a traceback",
        f"exit {bad.code}{bad.tail()}",
    )


def median_seconds(args: list[str], env: dict[str, str], runs: int) -> float:
    run(args, env)  # warm the file cache first: the target is a warm start
    return statistics.median(run(args, env).seconds for _ in range(runs))


def check_timing(report: Report, env: dict[str, str], runs: int) -> None:
    for option in ("--help", "--version"):
        seconds = median_seconds([option], env, runs)
        print(f"  {option}: median {seconds:.3f} s over {runs} runs")
        # Wall time depends on the machine's load: over the target is reported, not failed.
        if seconds > HELP_TARGET:
            print(f"  note: {option} is over the {HELP_TARGET} s target")


# --- install, upgrade, failed upgrade, rollback, uninstall against the harness ----------------------


def _service_environments(folder: Path) -> list[dict[str, str]]:
    """The environments of the processes that run a jar of this folder."""
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if any(str(folder) in part and part.endswith(".jar") for part in proc.info["cmdline"] or []):
                found.append(proc.environ())
        except psutil.Error:
            continue
    return found


def _show_logs(folder: Path, lines: int = 30) -> None:
    """The ends of setup's and the service's logs, printed before the temporary install folder goes away."""
    for log_file in sorted(
        [*folder.glob("installer-logs/*.log"), *folder.glob("integrasjonspunkt-logs/*.log")]
    ):
        text = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        print(f"  --- {log_file.relative_to(folder)} (last {len(text)} lines)")
        print("\n".join(f"      {line}" for line in text))


def _without_option(args: list[str], name: str) -> list[str]:
    at = args.index(name)
    return args[:at] + args[at + 2 :]


@contextmanager
def posix_harness(root: Path) -> Iterator[tuple[Sandbox, list[str], dict[str, str]]]:
    """The sandbox's releases on a started artifact server, the WinSW stand-in among them; sc.exe in a fake
    Windows folder's System32, which %SystemRoot% names (setup runs Windows' tools by that path, never from PATH)."""
    import stat

    from tests.harness import sandbox
    from tests.harness.artifact_server import ArtifactServer
    from tests.harness.fixtures_winsw import kill_registry_processes
    from tests.harness.sc_standin import sc_bytes

    with ArtifactServer() as server:
        box = sandbox.create(root, server)
        system_root = root / "Windows"
        (system_root / "System32").mkdir(parents=True)
        sc_exe = system_root / "System32" / "sc.exe"
        sc_exe.write_bytes(sc_bytes())
        sc_exe.chmod(sc_exe.stat().st_mode | stat.S_IXUSR)
        env = {**os.environ, **box.environment, "SystemRoot": str(system_root)}
        try:
            yield box, box.args(), env
        finally:
            kill_registry_processes(box.registry)
            box.key.close()


@contextmanager
def windows_harness(root: Path) -> Iterator[tuple[Sandbox, list[str], dict[str, str]]]:
    """The sandbox's releases on a started artifact server; WinSW comes from its real release."""
    from tests.harness import sandbox
    from tests.harness.artifact_server import ArtifactServer

    with ArtifactServer() as server:
        box = sandbox.create(root, server)
        args = _without_option(
            sandbox.sandbox_args(server, folder=box.folder, trusted_key=box.key.public_key_path),
            "/winsw-releases",
        )
        try:
            yield box, args, {**os.environ, "LANG": "C.UTF-8"}
        finally:
            # A failed step may leave the service registered: take it away so the runner is clean.
            service = box.folder / "integrasjonspunkt-service.exe"
            for verb in ("stop", "uninstall"):
                if service.is_file():
                    subprocess.run([str(service), verb], capture_output=True, timeout=120, check=False)
            box.key.close()


def check_lifecycle(report: Report, base_env: dict[str, str], java: Path | None, java21: Path | None) -> None:
    real_winsw = os.name == "nt"
    harness = windows_harness if real_winsw else posix_harness
    with (
        tempfile.TemporaryDirectory(prefix="ipsetup-smoke-", ignore_cleanup_errors=True) as tmp,
        harness(Path(tmp)) as (box, args, env),
    ):
        env = {**env, **{k: base_env[k] for k in ("TMPDIR", "TMP", "TEMP") if k in base_env}}
        java = java or box.java
        if not report.check(box.catalog is not None and java is not None, "harness ready (releases, Java)"):
            return
        failed_before = len(report.failures)
        try:
            cycle = Cycle(report, env, args)
            cycle.run_through(box, java)
            if java21 is not None:
                cycle.line_change(box, java, java21)
        finally:
            if len(report.failures) > failed_before:
                _show_logs(box.folder)


def _check_service_environment(report: Report, folder: Path) -> None:
    environments = _service_environments(folder)
    leaked = [e.get("LD_LIBRARY_PATH", "") for e in environments if "_MEI" in e.get("LD_LIBRARY_PATH", "")]
    report.check(
        bool(environments) and not leaked,
        "the service does not inherit the bundle's library path",
        f"{len(environments)} service processes, LD_LIBRARY_PATH {leaked}",
    )


@dataclass
class Cycle:
    """Runs verbs of the frozen file with the harness's options (`args`); checks /status after them."""

    report: Report
    env: dict[str, str]
    args: list[str]

    def status(self) -> dict[str, object]:
        done = run(["/status", "/json", *self.args], self.env)
        try:
            document = json.loads(done.out)
        except ValueError:
            return {"exit_code": done.code, "unreadable": done.tail()}
        return document if isinstance(document, dict) else {}

    def step(self, what: str, argv: list[str], expected: int, version: str | None = None) -> bool:
        """One verb; with `version`, /status must then show that version running and healthy."""
        done = run(argv + self.args, self.env)
        detail = f"exit {done.code}{done.tail()}"
        ok = self.report.check(same_exit_code(done.code, expected), f"{what} exits {expected}", detail)
        if ok and version is not None:
            status = self.status()
            healthy = status.get("version") == version and status.get("healthy") is True
            ok = self.report.check(healthy, f"  then {version} runs and is healthy", json.dumps(status)[:600])
        return ok

    def reports(self, folder: Path, verb: str, code: int, version: str | None) -> None:
        """What the silent run just made leaves for monitoring: `.setup/last-run.json`; on Windows also the Apps &
        features entry (DisplayVersion `version`, no entry when None) and the newest Event Log entry."""
        try:
            last = json.loads((folder / ".setup" / "last-run.json").read_text(encoding="ascii"))
        except (OSError, ValueError) as exc:
            last = {"unreadable": str(exc)}
        self.report.check(last.get("verb") == verb and last.get("exit_code") == int(code),
                          f"  .setup/last-run.json records /{verb}, exit {int(code)}", json.dumps(last)[:400])
        if os.name != "nt":
            return
        shown = _uninstall_display_version()
        self.report.check(shown == (version[1:] if version and version.startswith("v") else version),
                          f"  Apps & features shows {version or 'no entry'}", str(shown))
        if version is not None:  # after /uninstall the source is gone: Windows cannot render the entry's text
            query = "/q:*[System[Provider[@Name='integrasjonspunkt-setup']]]"
            event = subprocess.run([system32("wevtutil.exe"), "qe", "Application", query, "/c:1", "/rd:true",
                                    "/f:text"], capture_output=True, text=True, check=False)
            self.report.check(f"Event ID: {int(code)}" in event.stdout and f"/{verb}" in event.stdout,
                              f"  the Application log has the /{verb} entry (event id {int(code)})",
                              (event.stdout + event.stderr)[-600:])

    def port_is_free(self, java: Path) -> None:
        """`/check` reads the port as free where nothing listens (W1: not "in use" on a closed port)."""
        done = run(["/check", "2.28.0", "/json", "/java", str(java), *self.args], self.env)
        try:
            findings = json.loads(done.out).get("findings", [])
        except (ValueError, AttributeError):
            findings = []
        port = [f for f in findings if isinstance(f, dict) and f.get("check") == "port"]
        self.report.check(bool(port) and port[0].get("verdict") == "ok",
                          "/check finds the closed port free (not in use)", f"exit {done.code}: {port}{done.tail()}")

    def line_change(self, box: Sandbox, java: Path, java21: Path) -> None:
        """2.28.1 → v4.0.8 on Java 21 (across the major line) → rollback → uninstall."""
        install = ["/install", "2.28.1", *GOOD, "/java", str(java), "/properties", str(box.properties)]
        if not self.step("install 2.28.1 (for the 4.x cycle)", install, ExitCode.OK, "2.28.1"):
            return
        if self.step("upgrade to v4.0.8 on Java 21", ["/upgrade", "v4.0.8", "/allow-major", "/java", str(java21),
                                                      *GOOD], ExitCode.OK, "v4.0.8"):
            self.step("rollback from v4.0.8", ["/rollback", "/java", str(java), *GOOD], ExitCode.OK, "2.28.1")
        self.step("uninstall after the 4.x cycle", ["/uninstall", "/quiet"], ExitCode.OK)
        self.report.check(not _service_environments(box.folder), "no service process left after the 4.x cycle")

    def run_through(self, box: Sandbox, java: Path) -> None:
        """install → upgrade → failed upgrade → rollback → uninstall."""
        self.port_is_free(java)
        install = ["/install", "2.28.0", *GOOD, "/java", str(java), "/properties", str(box.properties)]
        if not self.step("install 2.28.0", install, ExitCode.OK, "2.28.0"):
            return
        self.reports(box.folder, "install", ExitCode.OK, "2.28.0")
        if os.name == "nt":  # kept with the boot-time recovery, which is Windows-only
            copy = box.folder / ".setup" / "setup.exe"
            self.report.check(copy.is_file() and copy.stat().st_size == FROZEN.stat().st_size,
                              "  the folder keeps a copy of setup for the uninstall commands (.setup/setup.exe)")
        winsw = str(self.status().get("winsw"))
        self.report.check(winsw.startswith("2.12.0/"), "the service runs under WinSW 2.12.0", winsw)
        # Not quiet: the person's output (rich) works in the frozen file too.
        shown = run(["/status", *self.args], self.env)
        self.report.check(
            shown.code == 0 and "2.28.0" in shown.out,
            "/status (not quiet) shows the installation",
            shown.tail(),
        )
        if sys.platform.startswith("linux"):
            _check_service_environment(self.report, box.folder)
        # The stand-in holds its database locked like H2: the upgrade must not read it before the stop (W2).
        if self.step("upgrade to 2.28.1", ["/upgrade", "2.28.1", *GOOD], ExitCode.OK, "2.28.1") and self.step(
            "upgrade to 2.28.2 (never healthy)",
            ["/upgrade", "2.28.2", *NEVER_HEALTHY],
            ExitCode.UPGRADE_FAILED,
            "2.28.1",
        ):
            self.reports(box.folder, "upgrade", ExitCode.UPGRADE_FAILED, "2.28.1")
            if self.step("rollback", ["/rollback", *GOOD], ExitCode.OK, "2.28.0"):
                self.reports(box.folder, "rollback", ExitCode.OK, "2.28.0")
        if self.step("uninstall", ["/uninstall", "/quiet"], ExitCode.OK):
            self.reports(box.folder, "uninstall", ExitCode.OK, None)
        self.report.check(not _service_environments(box.folder), "no service process left after uninstall")


def _uninstall_display_version(service_id: str = "integrasjonspunkt") -> str | None:
    """DisplayVersion of setup's Apps & features entry (64-bit view), None when there is none (Windows only)."""
    import winreg

    path = rf"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{service_id}"
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
            return str(winreg.QueryValueEx(key, "DisplayVersion")[0])
    except OSError:
        return None


# --- main --------------------------------------------------------------------------------------------


def smoke(runs: int, lifecycle: bool, java: Path | None, java21: Path | None = None) -> Report:
    report = Report()
    print(
        f"Smoke test of {FROZEN} ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs)", flush=True
    )
    check_size(report)
    with tempfile.TemporaryDirectory(prefix="ipsetup-unpack-") as unpack:
        # The bundle unpacks into this folder: empty again afterwards means nothing was left behind.
        env = {**os.environ, "TMPDIR": unpack, "TMP": unpack, "TEMP": unpack}
        check_basics(report, env)
        check_timing(report, env, runs)
        if lifecycle:
            check_lifecycle(report, env, java, java21)
        left = sorted(p.name for p in Path(unpack).iterdir())
        report.check(not left, "nothing left in the temporary folder", ", ".join(left))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python build/build.py", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--no-smoke", action="store_true", help="build only")
    mode.add_argument("--smoke-only", action="store_true", help="smoke-test the existing build")
    parser.add_argument(
        "--runs", type=int, default=9, help="runs of --help and --version to time (default 9)"
    )
    parser.add_argument(
        "--no-lifecycle",
        action="store_true",
        help="skip install/upgrade/rollback (no Java or javac on this machine)",
    )
    parser.add_argument(
        "--java", type=Path, help="the Java the service runs on (default: the harness's Java 17)"
    )
    parser.add_argument(
        "--java21", type=Path,
        help="a Java >= 21: also run 2.28.1 -> v4.0.8 on it -> rollback -> uninstall (the 3.x/4.x cycle)",
    )
    args = parser.parse_args(argv)
    lifecycle = not args.no_smoke and not args.no_lifecycle and os.name != "nt"
    missing = missing_tools() if lifecycle else []
    if missing:
        # Said before the build, not as a traceback at the end of it.
        print("The smoke test needs tools this machine lacks:\n" + "\n".join(f"  - {m}" for m in missing)
              + "\nInstall them, or run python build/build.py --no-lifecycle (no install cycle).", file=sys.stderr)
        return 1
    if not args.smoke_only:
        try:
            build()
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"Build failed: {exc}", file=sys.stderr)
            return 1
    if args.no_smoke:
        return 0
    if not FROZEN.is_file():
        print(f"No {FROZEN}: build it first (python build/build.py --no-smoke)", file=sys.stderr)
        return 1
    report = smoke(args.runs, lifecycle=not args.no_lifecycle, java=args.java, java21=args.java21)
    if not args.smoke_only:  # a file signed after the build is another file: compare only what was just built
        check_reproducible(report)
    if report.failures:
        print(
            f"Smoke test FAILED: {len(report.failures)} check(s): {'; '.join(report.failures)}",
            file=sys.stderr,
        )
        return 1
    print("Smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
