"""Finding Java: every installation in FACTS.md section 3's order, each one's version read by running it.

A Java that cannot run (deleted folder, broken install, no answer) is reported, never fatal.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from installer.decoding import console_output
from installer.messages import t
from installer.windows import acls, registry

log = logging.getLogger(__name__)

VERSION_TIMEOUT = 20.0  # seconds for one `java -version`; a cold start on a busy server can take several
# How many `java -version` run at once: several, so a server with many Javas (or one hanging until the timeout) is
# surveyed quickly; no more than two, because each JVM takes 30-40 MB while it starts.
PROBES_AT_ONCE = 2
# Folders whose `*/bin/java` are Java installations on Linux (distribution packages, Temurin's .deb).
LINUX_JVM_DIRS: tuple[Path, ...] = (Path("/usr/lib/jvm"),)

# (vendor, key under HKLM, values naming the Java home). The keys below each one differ by vendor
# (`<version>`, `<version>\hotspot\MSI`, `zulu-<n>`), so each subtree is searched a few levels deep.
REGISTRY_KEYS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Oracle", r"SOFTWARE\JavaSoft\JDK", ("JavaHome",)),
    ("Oracle", r"SOFTWARE\JavaSoft\JRE", ("JavaHome",)),
    ("Oracle", r"SOFTWARE\JavaSoft\Java Development Kit", ("JavaHome",)),
    ("Oracle", r"SOFTWARE\JavaSoft\Java Runtime Environment", ("JavaHome",)),
    ("Eclipse Adoptium", r"SOFTWARE\Eclipse Adoptium\JDK", ("Path",)),
    ("Eclipse Adoptium", r"SOFTWARE\Eclipse Adoptium\JRE", ("Path",)),
    ("Eclipse Adoptium", r"SOFTWARE\Eclipse Foundation\JDK", ("Path",)),
    ("AdoptOpenJDK", r"SOFTWARE\AdoptOpenJDK\JDK", ("Path",)),
    ("AdoptOpenJDK", r"SOFTWARE\AdoptOpenJDK\JRE", ("Path",)),
    ("Microsoft", r"SOFTWARE\Microsoft\JDK", ("Path",)),
    ("Azul Zulu", r"SOFTWARE\Azul Systems\Zulu", ("InstallationPath",)),
    # BellSoft documents no registry layout. Java finders in public code read `BellSoft\Liberica\<version>` with
    # `InstallationPath` (as Zulu's); one reads `BellSoft\Liberica JDK`: the vendor root is walked, so both count.
    ("BellSoft Liberica", r"SOFTWARE\BellSoft", ("InstallationPath",)),
    # Amazon Corretto writes no key of its own with a path: its MSI writes the JavaSoft keys above (Corretto 8:
    # `Java Development Kit` and `Java Runtime Environment`, 1.8 and 1.8.0_<update>, since 8u202,
    # corretto/corretto-8#14, #40; Corretto 11 and later: `JavaSoft\JDK\<version>`, corretto/corretto-11#301), as
    # part of its FeatureAddPath; without it Corretto is found in Program Files\Amazon Corretto.
)
_REGISTRY_DEPTH = 3
# Vendor folders under %ProgramFiles% whose `<vendor>\<version>\bin\java.exe` are Java installations.
PROGRAM_FILES_VENDORS = ("Java", "Eclipse Adoptium", "Microsoft", "Zulu", "Amazon Corretto", "AdoptOpenJDK",
                         "Semeru", "BellSoft")
# Where a Java was found by searching PATH: any user may have put a folder in front there, so such a Java is
# taken only when no installed one fits, and never silently in a /quiet run.
ORIGIN_PATH = "PATH"

_VERSION_LINE = re.compile(r'version "([^"]+)"')


@dataclass(frozen=True)
class JavaInstall:
    path: Path  # absolute path of the java executable, as found (not resolved: a stable place for the XML)
    major: int
    version: str  # as Java prints it: "1.8.0_202", "17.0.8", "21", "25-ea"
    bits: int | None  # 64 or 32 when the VM says so
    is_jdk: bool
    origin: str  # where it was found: "/java", "JAVA_HOME", "registry ...", "PATH", "/usr/lib/jvm"

    def describe(self) -> str:
        kind = "JDK" if self.is_jdk else "JRE"
        bits = f"{self.bits}-bit " if self.bits else ""
        return t("prereqs.java_install", version=self.version, bits=bits, kind=kind, path=self.path)


@dataclass(frozen=True)
class BrokenJava:
    path: Path
    origin: str
    reason: str  # one line for the admin


@dataclass
class JavaSurvey:
    installs: list[JavaInstall] = field(default_factory=list)
    broken: list[BrokenJava] = field(default_factory=list)


# --- reading `java -version` ------------------------------------------------------------------------------


def parse_version(stderr: str) -> tuple[int, str, int | None]:
    """(major, version, bits) from `java -version`'s output. Raises ValueError when it names no version."""
    match = _VERSION_LINE.search(stderr)
    if not match:
        raise ValueError("no version in the output")
    version = match.group(1)
    numbers = re.match(r"(\d+)(?:\.(\d+))?", version)
    if not numbers:
        raise ValueError(f"unreadable version {version!r}")
    first = int(numbers.group(1))
    # Before Java 9 the version was 1.x ("1.8.0_202" is Java 8).
    major = int(numbers.group(2)) if first == 1 and numbers.group(2) else first
    bits: int | None = None
    if "64-Bit" in stderr:
        bits = 64
    elif "32-Bit" in stderr or re.search(r"\b(Client|Server) VM\b", stderr):
        # A 32-bit HotSpot names no width ("Java HotSpot(TM) Client VM"); OpenJ9 says "x86-32-Bit".
        bits = 32
    return major, version, bits


def version_key(version: str) -> tuple[tuple[int, ...], bool]:
    """Orders versions of one major: numbers of "1.8.0_202" / "17.0.8.1", and a release after its "-ea"."""
    number, _, suffix = version.partition("-")
    parts = tuple(int(n) for n in re.findall(r"\d+", number))
    return parts, not suffix.lower().startswith("ea")


def _exe_name() -> str:
    return "java.exe" if os.name == "nt" else "java"


def probe(path: Path, origin: str, timeout: float = VERSION_TIMEOUT) -> JavaInstall | BrokenJava:
    """Run `path -version` and read it: the one place Java is asked what it is."""
    if not path.is_file():
        return BrokenJava(path, origin, t("prereqs.java_not_there"))
    command = [str(path), "-version"]
    try:
        # No console window flashes up when setup runs without one.
        done = subprocess.run(command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    except subprocess.TimeoutExpired:
        log.warning("%s: no answer within %.0f s", " ".join(command), timeout)
        return BrokenJava(path, origin, t("prereqs.java_timeout", seconds=f"{timeout:.0f}"))
    except OSError as exc:
        log.warning("%s: %s", " ".join(command), exc)
        return BrokenJava(path, origin, t("prereqs.java_cannot_run", reason=exc.strerror or exc))
    output = console_output(done.stderr) + console_output(done.stdout)
    log.info("%s (%s) exit %d: %s", " ".join(command), origin, done.returncode, output.strip())
    if done.returncode != 0:
        first = next((line.strip() for line in output.splitlines() if line.strip()), "")
        return BrokenJava(path, origin, t("prereqs.java_failed", code=done.returncode, output=first))
    try:
        major, version, bits = parse_version(output)
    except ValueError:
        return BrokenJava(path, origin, t("prereqs.java_no_version"))
    is_jdk = (path.parent / ("javac.exe" if os.name == "nt" else "javac")).is_file()
    return JavaInstall(path=path, major=major, version=version, bits=bits, is_jdk=is_jdk, origin=origin)


# --- where to look ----------------------------------------------------------------------------------------


def _configured(configured: str) -> Path:
    path = Path(configured).expanduser()
    if path.is_dir():
        # A Java home instead of its executable: take its bin/java.
        for candidate in (path / "bin" / _exe_name(), path / _exe_name()):
            if candidate.is_file():
                return candidate.absolute()
    return path.absolute()


def _registry_homes() -> Iterator[tuple[Path, str]]:
    for view in registry.VIEWS:
        for vendor, root, value_names in REGISTRY_KEYS:
            pending = [(root, 0)]
            while pending:
                key, depth = pending.pop(0)
                for value_name in value_names:
                    home = registry.read_value(key, value_name, view)
                    if isinstance(home, str) and home.strip():
                        where = t("prereqs.java_origin_registry", vendor=vendor, regkey=key, view=view)
                        yield Path(home.strip()), where
                if depth < _REGISTRY_DEPTH:
                    pending.extend((f"{key}\\{name}", depth + 1) for name in registry.subkeys(key, view))


def candidates(configured: str | None, environ: Mapping[str, str] | None = None) -> list[tuple[Path, str]]:
    """(java executable, origin) in the order of FACTS.md section 3, before de-duplication."""
    environ = os.environ if environ is None else environ
    found: list[tuple[Path, str]] = []
    if configured:
        found.append((_configured(configured), "/java"))
    java_home = environ.get("JAVA_HOME", "").strip().strip('"')
    if java_home:
        found.append((Path(java_home) / "bin" / _exe_name(), "JAVA_HOME"))
    if registry.registry_available():
        found.extend((home / "bin" / _exe_name(), origin) for home, origin in _registry_homes())
    for variable in ("ProgramW6432", "ProgramFiles"):
        program_files = environ.get(variable, "").strip()
        for vendor in PROGRAM_FILES_VENDORS if program_files else ():
            for java in sorted((Path(program_files) / vendor).glob(f"*/bin/{_exe_name()}")):
                found.append((java, str(Path(program_files) / vendor)))
    if os.name != "nt":
        for folder in LINUX_JVM_DIRS:
            for java in sorted(folder.glob("*/bin/java")):
                found.append((java, str(folder)))
    # Last: the same Java found in a place above keeps that origin.
    on_path = _search_path(environ.get("PATH"))
    if on_path:
        found.append((on_path, ORIGIN_PATH))
    return found


def _search_path(path: str | None) -> Path | None:
    """The first java on PATH, never from the current directory (FACTS.md W8: Windows searches it first)."""
    # Not shutil.which: before Python 3.12 on Windows it puts the current directory first even when given a path.
    for folder in (path or "").split(os.pathsep):
        folder = folder.strip().strip('"')
        if not folder or not Path(folder).is_absolute():
            continue
        candidate = Path(folder) / _exe_name()
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def writable_by_others(executable: Path) -> str | None:
    """Why another account could replace this Java (its file or a folder above it can be written by others),
    or None. Such a Java is not even run: setup runs it elevated."""
    real = Path(os.path.realpath(executable))
    if os.name == "nt":
        from installer import folder_trust

        for path in (real, real.parent, real.parent.parent):
            sddl = acls.security_descriptor(path)
            problem = folder_trust.sddl_writers_problem(sddl, folder_trust.running_user()) if sddl else None
            if problem:
                return f"{path}: {problem}"
        return None
    for path in (real, *real.parents):
        try:
            info = path.stat()
        except OSError:
            return None  # not there: the probe says so
        sticky = path.is_dir() and info.st_mode & 0o1000  # /tmp: others cannot replace what they do not own
        if info.st_uid not in (0, os.geteuid()):
            return f"{path}: uid {info.st_uid}"
        if info.st_mode & 0o022 and not sticky:
            return f"{path}: mode {info.st_mode & 0o7777:o}"
    return None


def _identity(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def find_all(configured: str | None, *, environ: Mapping[str, str] | None = None,
             timeout: float = VERSION_TIMEOUT) -> JavaSurvey:
    """Every Java found, run once each (in parallel), de-duplicated by real path; the first origin wins."""
    seen: set[str] = set()
    to_probe: list[tuple[Path, str]] = []
    survey = JavaSurvey()
    for path, origin in candidates(configured, environ):
        if _identity(path) in seen:
            continue
        seen.add(_identity(path))
        problem = writable_by_others(path) if origin != "/java" and path.is_file() else None
        if problem:  # not run at all: another account could have put anything there
            log.warning("Java at %s (%s) skipped: other users can change it (%s)", path, origin, problem)
            survey.broken.append(BrokenJava(path, origin, t("prereqs.java_writable", where=problem)))
            continue
        to_probe.append((path, origin))
    if not to_probe:
        return survey
    with ThreadPoolExecutor(max_workers=min(PROBES_AT_ONCE, len(to_probe))) as pool:
        results = list(pool.map(lambda item: probe(item[0], item[1], timeout), to_probe))
    for result in results:
        if isinstance(result, JavaInstall):
            survey.installs.append(result)
        else:
            log.warning("Java at %s (%s) is not usable: %s", result.path, result.origin, result.reason)
            survey.broken.append(result)
    return survey


def discover(configured: str | None) -> list[JavaInstall]:
    """The Java installations that run, in discovery order."""
    return find_all(configured).installs


def choose(installs: list[JavaInstall], minimum: int, preferred: int) -> JavaInstall | None:
    """The Java for a release line: major `preferred` when there is one, else the lowest major above it
    (else the highest acceptable below it); never below `minimum`. Within a major, 64-bit before 32-bit
    (a 32-bit JVM cannot take a heap like Digdir's -Xmx2048m), then the newest update."""
    acceptable = [i for i in installs if i.major >= minimum]
    if not acceptable:
        return None
    majors = {i.major for i in acceptable}
    above = sorted(m for m in majors if m >= preferred)
    major = above[0] if above else max(majors)
    same = [i for i in acceptable if i.major == major]
    return max(same, key=lambda i: (i.bits != 32, version_key(i.version)))


def vanished_service_java(xml_path: Path) -> str | None:
    """The Java the service XML names, when it is not there any more: a Java update (Temurin's and Microsoft's
    installers upgrade within a major line) removes the old version-named folder, and the service cannot start."""
    from installer import service_xml
    from installer.errors import SetupError

    try:
        executable = service_xml.read(xml_path).executable
    except SetupError:
        return None
    if not executable or "%" in executable:
        return None  # a bare `java` from PATH, or an environment variable: not a path to check
    path = Path(executable)
    if not path.is_absolute() or path.is_file():
        return None
    if os.name == "nt" and path.suffix == "" and path.with_suffix(".exe").is_file():
        return None
    return executable
