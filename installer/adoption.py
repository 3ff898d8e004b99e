"""What a folder holds when setup did not install it: an integrasjonspunkt service made by hand from Digdir's
page (a WinSW exe/XML pair of any name), KOSMOS, a scheduled task, a Java process started by hand.

Only reads: the XML, the service's registration (windows/services.py) and state (the exe's `status`), the WinSW build
(its `version` and SHA-256), the jar's version (its file name, else `/manage/info` while it runs) and the Java the
service runs (`java -version`), found as the service manager would find it.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from installer import effective_config, health, processes, service_env, service_xml
from installer import java as java_mod
from installer.commands import CommandFailed
from installer.errors import SetupError
from installer.messages import t
from installer.releases import find_line, is_safe_tag, tag_for
from installer.windows import services, tasks
from installer.windows.services import Registered, ServiceError, ServiceState
from installer.windows.tasks import ScheduledTask
from installer.winsw import WinSW
from installer.winsw_catalog import WinswBuild

log = logging.getLogger(__name__)

KOSMOS_SERVICE_ID = "kosmossvc"
KOSMOS_PROPERTIES = "kosmos-local.properties"
JAR_STEM = "integrasjonspunkt"
_DEFAULT_PROFILE_2X = "production"  # what 2.x runs without a profile (FACTS.md section 1)


@dataclass
class Candidate:
    """One WinSW exe/XML pair that runs integrasjonspunkt."""

    base: str  # the exe's and XML's base name ("integrasjonspunkt-service", "ip")
    exe: Path
    xml: Path
    service_id: str
    executable: str  # as the XML writes it ("java", "%JAVA_HOME%\bin\java.exe")
    jar: Path | None  # where the jar argument points
    profile: str | None  # the Spring profile the arguments give
    env: str | None  # the environment: the profile, else production for 2.x; None when unknown
    version: str | None  # the published tag ("2.28.1", "v4.0.8"); None when unknown
    version_source: str | None  # "jar" (its file name) or "info" (/manage/info)
    java: Path | None  # the java executable the service runs; None when it cannot be found
    java_version: str | None
    winsw: str  # "2.12.0/WinSW-x64.exe" from the catalog, else "unknown/<exe name>"
    winsw_version: str | None  # what the exe says
    service: ServiceState | None  # None when it could not be asked
    registration: Registered | None  # None when the service manager could not be asked
    registered_elsewhere: str | None = None  # the exe another folder registered this service id with
    problems: list[str] = field(default_factory=list)  # why it cannot be adopted
    notes: list[str] = field(default_factory=list)  # what the admin should know

    @property
    def adoptable(self) -> bool:
        return not self.problems

    @property
    def registered_here(self) -> bool:
        return bool(self.registration and self.registration.exists and not self.registered_elsewhere)

    @property
    def standard_names(self) -> bool:
        return self.base == f"{self.service_id}-service"

    def describe(self) -> str:
        return t("adopt.candidate", base=self.base, service_id=self.service_id, version=self.version or "?",
                 service=self.service.value if self.service else "?")


@dataclass
class Discovery:
    folder: Path
    candidates: list[Candidate] = field(default_factory=list)
    kosmos: list[str] = field(default_factory=list)  # the signs of KOSMOS found
    tasks: list[ScheduledTask] = field(default_factory=list)
    java_processes: list[str] = field(default_factory=list)  # Java processes running its integrasjonspunkt jar
    skipped: list[str] = field(default_factory=list)  # files looked at that hold no candidate, and why

    @property
    def empty(self) -> bool:
        return not (self.candidates or self.kosmos or self.tasks or self.java_processes)


# --- what the machine says --------------------------------------------------------------------------------


def registration(service_id: str) -> Registered | None:
    """The service's registration (services.registered); None when the service manager cannot tell."""
    try:
        return services.registered(service_id)
    except (CommandFailed, ServiceError) as exc:
        log.warning("registration of %s not read: %s", service_id, exc.message)
        return None


def same_file(a: str | Path, b: str | Path) -> bool:
    def norm(path: str | Path) -> str:
        return os.path.normcase(os.path.realpath(path))

    return norm(a) == norm(b)


def java_version(path: Path) -> str | None:
    """The version `java -version` prints ("1.8.0_202", "17.0.8"); None when it does not run."""
    found = java_mod.probe(path, "service")
    return found.version if isinstance(found, java_mod.JavaInstall) else None


def winsw_build(exe: Path, catalog: list[WinswBuild]) -> str:
    """The catalog's name for the exe when its SHA-256 is pinned there, else `unknown/<exe name>`."""
    try:
        digest = hashlib.sha256(exe.read_bytes()).hexdigest()
    except OSError as exc:
        log.warning("cannot read %s: %s", exe, exc)
        return f"unknown/{exe.name}"
    match = next((b for b in catalog if b.sha256 == digest), None)
    return match.spec if match else f"unknown/{exe.name}"


def _published_tag(version: str) -> str | None:
    line = find_line(version)
    if line is None:
        return None
    tag = tag_for(version, line)
    return tag if is_safe_tag(tag) else None


# --- one exe/XML pair -------------------------------------------------------------------------------------


def _runs_integrasjonspunkt(parsed: service_xml.ServiceXml) -> bool:
    name = (parsed.jar_name or "").lower()
    return bool(parsed.jar) and (name.startswith(JAR_STEM) or JAR_STEM in (parsed.service_id or "").lower())


def _is_kosmos(parsed: service_xml.ServiceXml) -> bool:
    return (parsed.service_id or "").lower() == KOSMOS_SERVICE_ID or \
        (parsed.jar_name or "").lower().startswith("kosmos")


def examine(exe: Path, parsed: service_xml.ServiceXml, catalog: list[WinswBuild]) -> Candidate:
    folder = exe.parent
    service_id = parsed.service_id or ""
    wanted = " ".join(filter(None, (parsed.executable, parsed.working_directory, parsed.jar)))
    variables = service_env.service_variables(folder, parsed.env, wanted)
    workdir = service_env.as_path(service_env.expand(parsed.working_directory or "%BASE%", variables), folder)
    jar = service_env.as_path(service_env.expand(parsed.jar, variables), workdir) if parsed.jar else None
    candidate = Candidate(
        base=exe.stem, exe=exe, xml=parsed.path, service_id=service_id, executable=parsed.executable or "",
        jar=jar, profile=parsed.profile, env=None, version=None, version_source=None, java=None,
        java_version=None, winsw=winsw_build(exe, catalog), winsw_version=None, service=None,
        registration=registration(service_id),
    )
    reg = candidate.registration
    if reg and reg.exists and reg.binary_path and not same_file(reg.binary_path, exe):
        candidate.registered_elsewhere = reg.binary_path
        candidate.problems.append(t("adopt.registered_elsewhere", service_id=service_id, other=reg.binary_path))
    driver = WinSW(exe, service_id, quiet=True)
    try:
        candidate.winsw_version = driver.version()
    except ServiceError as exc:
        candidate.notes.append(t("adopt.winsw_unreadable", exe=exe.name, reason=exc.message))
    if not candidate.registered_elsewhere:
        try:
            candidate.service = driver.status()
        except ServiceError as exc:
            candidate.notes.append(exc.message)
    if candidate.service is ServiceState.NON_EXISTENT:
        candidate.notes.append(t("adopt.not_registered", service_id=service_id))
    if jar is not None and not jar.is_file():
        candidate.notes.append(t("adopt.jar_missing", jar=jar))
    _find_version(candidate, parsed, workdir)
    _find_java(candidate, variables, workdir)
    return candidate


def _find_version(candidate: Candidate, parsed: service_xml.ServiceXml, workdir: Path) -> None:
    named = service_xml.jar_version(parsed.jar_name) if parsed.jar_name else None
    running = None
    if candidate.service is ServiceState.STARTED:
        jar = workdir / parsed.jar_name if parsed.jar_name else None
        config = effective_config.for_installation(workdir, jar, parsed.path)
        running = health.info_version(health.target_from("manage", config, None))
    if named is not None and running is not None and _published_tag(named) != _published_tag(running):
        candidate.notes.append(t("adopt.version_differs", jar=parsed.jar_name, running=running))
    found, source = (named, "jar") if named is not None else (running, "info")
    if found is None:
        candidate.problems.append(t("adopt.no_version", jar=parsed.jar_name or "-"))
        return
    tag = _published_tag(found)
    if tag is None:
        candidate.problems.append(t("adopt.unknown_line", version=found))
        return
    candidate.version, candidate.version_source = tag, source
    line = find_line(tag)
    assert line is not None
    if candidate.profile:
        candidate.env = candidate.profile
    elif not line.profile_required:
        candidate.env = _DEFAULT_PROFILE_2X


def _find_java(candidate: Candidate, variables: Mapping[str, str], workdir: Path) -> None:
    java = service_env.resolve_executable(candidate.executable, variables, workdir, candidate.exe.parent)
    if java is None:
        candidate.notes.append(t("adopt.java_not_found", executable=candidate.executable or "-"))
        return
    candidate.java = java
    candidate.java_version = java_version(java)
    if candidate.java_version is None:
        candidate.notes.append(t("adopt.java_broken", path=java))


# --- the folder -------------------------------------------------------------------------------------------


def _read_xml(path: Path, skipped: list[str]) -> service_xml.ServiceXml | None:
    try:
        parsed = service_xml.read(path)
    except SetupError as exc:
        skipped.append(exc.message)
        return None
    if not parsed.service_id or not parsed.executable:
        return None  # not a WinSW file (a logback.xml, say)
    return parsed


def discover(folder: Path, catalog: list[WinswBuild]) -> Discovery:
    """Everything in `folder` that tells how integrasjonspunkt runs there."""
    found = Discovery(folder)
    if not folder.is_dir():
        return found
    files = sorted(p for p in folder.iterdir() if p.is_file())
    exes = {p.stem.lower(): p for p in files if p.suffix.lower() == ".exe"}
    for xml in (p for p in files if p.suffix.lower() == ".xml"):
        parsed = _read_xml(xml, found.skipped)
        if parsed is None:
            continue
        if _is_kosmos(parsed):
            found.kosmos.append(t("adopt.kosmos_xml", file=xml.name, service_id=parsed.service_id))
            continue
        if not _runs_integrasjonspunkt(parsed):
            found.skipped.append(t("adopt.other_service", file=xml.name, service_id=parsed.service_id))
            continue
        exe = exes.get(xml.stem.lower())
        if exe is None:
            found.skipped.append(t("adopt.no_exe", file=xml.name, exe=xml.stem + ".exe"))
            continue
        found.candidates.append(examine(exe, parsed, catalog))
    found.kosmos += [p.name for p in files if p.name.lower() == KOSMOS_PROPERTIES
                     or (p.name.lower().startswith("kosmos") and p.suffix.lower() == ".jar")]
    if any(p.suffix.lower() == ".jar" and p.name.lower().startswith(JAR_STEM) for p in files):
        # A task or a command window runs a jar of this folder: without one there is nothing to ask about.
        found.tasks = tasks.running_jar(folder)
        found.java_processes = [processes.describe(p) for p in processes.java_processes(folder)
                                if any(j.name.lower().startswith(JAR_STEM) for j in processes.jar_paths(p))]
    for note in found.skipped:
        log.info("adoption: %s", note)
    return found
