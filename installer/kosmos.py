"""An integrasjonspunkt that KOSMOS (Digdir's upgrader, felleslosninger/efm-kosmos) runs, and stopping KOSMOS so
that this product's service can take its place (`/adopt /from-kosmos`).

KOSMOS is a WinSW service (`kosmossvc`, Digdir's kosmos-service.xml) that starts integrasjonspunkt as its own
child: `java -jar <home>\\integrasjonspunkt-<v>.jar --management.endpoint.shutdown.enabled=true
--app.logger.enableSSL=false --spring.profiles.active=<profile>` in its home folder (the service's working folder),
with `kosmos.integrasjonspunkt.profile` as the profile (kosmos-local.properties, else the properties file the XML
adds, else its own profile file: production or staging). After a good start it writes
`integrasjonspunkt-<v>.allowlisted`, which names the version it starts when none runs.

Whether stopping the KOSMOS service also stops that child is not certain (WinSW sends it Ctrl+C only if it still
finds it once KOSMOS has ended): the child is asked to shut down through the endpoint KOSMOS enabled first, and
KOSMOS is disabled before that, so that neither it nor a reboot starts the child again.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import psutil
from packaging.version import Version

from installer import effective_config, health, processes, service_config, service_env, service_xml
from installer import properties as props_mod
from installer.errors import ExitCode, SetupError
from installer.layout import PROPERTIES
from installer.messages import t
from installer.releases import find_line, is_safe_tag, tag_for, try_version
from installer.windows import services
from installer.windows.services import ServiceError, ServiceState
from installer.winsw import WinSW

log = logging.getLogger(__name__)

SERVICE_ID = "kosmossvc"
LOCAL_PROPERTIES = "kosmos-local.properties"
PROFILE_KEY = "kosmos.integrasjonspunkt.profile"
DEFAULT_PROFILE = "staging"  # KOSMOS's application.properties
ENVIRONMENTS = ("production", "staging")
# Where the version came from: the running process, KOSMOS' allowlist, or the one jar in the folder.
VersionSource = Literal["running", "allowlisted", "jar"]
SHUTDOWN_TIMEOUT = 120.0  # Spring's graceful shutdown, the database closed, the ports free
STOP_TIMEOUT = 120.0
_ALLOWLISTED = re.compile(r"^integrasjonspunkt-([vV]?\d+\.\d+\.\d+[^/\\]*)\.allowlisted$")


@dataclass(frozen=True)
class Kosmos:
    """What the folder shows of KOSMOS and the integrasjonspunkt it runs."""

    service_id: str
    exe: Path
    xml: Path
    env: str  # the profile KOSMOS starts integrasjonspunkt with
    version: str  # the published tag of the integrasjonspunkt it runs
    version_source: VersionSource
    java: Path | None  # the Java integrasjonspunkt ran on (the running child's, else the XML's `java`)
    start: str  # the KOSMOS service's start type, restored when the take-over is undone


def _fail(message_key: str, **values: object) -> SetupError:
    return SetupError(ExitCode.PREREQUISITES, t(message_key, **values))


def _is_kosmos_xml(parsed: service_xml.ServiceXml) -> bool:
    return (parsed.service_id or "").lower() == SERVICE_ID or (parsed.jar_name or "").lower().startswith("kosmos")


def _kosmos_xml(folder: Path) -> service_xml.ServiceXml:
    found = []
    for xml in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".xml"):
        try:
            parsed = service_xml.read(xml)
        except SetupError:
            continue
        if parsed.service_id and _is_kosmos_xml(parsed):
            found.append(parsed)
    if len(found) != 1:
        raise _fail("kosmos.not_found" if not found else "kosmos.several", folder=folder,
                    files=", ".join(p.path.name for p in found))
    return found[0]


def profile(folder: Path, xml_profile: str | None) -> str:
    """The profile KOSMOS gives integrasjonspunkt, as Spring resolves `kosmos.integrasjonspunkt.profile`."""
    for name in (LOCAL_PROPERTIES, PROPERTIES):
        value = props_mod.read(folder / name).get(PROFILE_KEY, "").strip()
        if value:
            return value
    # Its own application-<profile>.properties sets the key to the profile's name.
    return xml_profile or DEFAULT_PROFILE


def _tag(version: str) -> str | None:
    line = find_line(version)
    tag = tag_for(version, line) if line is not None else None
    return tag if tag is not None and is_safe_tag(tag) else None


def _running_child(folder: Path) -> tuple[str, Path | None] | None:
    """The version and Java of the integrasjonspunkt running from the folder, from the process table."""
    for proc in processes.java_processes(folder):
        for jar in processes.jar_paths(proc):
            version = service_xml.jar_version(jar.name)
            if version is not None:
                try:
                    java = Path(proc.exe())
                except psutil.Error:
                    java = None
                return version, java
    return None


def _allowlisted(folder: Path) -> str | None:
    """The newest version KOSMOS allow-listed (it starts that one when none runs)."""
    versions = [m.group(1) for p in folder.iterdir() if (m := _ALLOWLISTED.match(p.name)) and _tag(m.group(1))]
    return max(versions, key=lambda v: try_version(v) or Version("0"), default=None)


def _only_jar(folder: Path) -> str | None:
    versions = [v for p in folder.glob("integrasjonspunkt-*.jar") if (v := service_xml.jar_version(p.name))]
    return versions[0] if len(versions) == 1 else None


def find(folder: Path) -> Kosmos:
    """KOSMOS in `folder` and the integrasjonspunkt it runs; SetupError (exit 10) when that cannot be told."""
    parsed = _kosmos_xml(folder)
    exe = parsed.path.with_suffix(".exe")
    if not exe.is_file():
        raise _fail("kosmos.no_exe", xml=parsed.path.name, exe=exe.name)
    env = profile(folder, parsed.profile)
    if env not in ENVIRONMENTS:
        raise _fail("kosmos.odd_profile", profile=env, setting=PROFILE_KEY)
    running = _running_child(folder)
    java: Path | None = None
    source: VersionSource
    if running is not None:
        (version, java), source = running, "running"
    elif (allowlisted := _allowlisted(folder)) is not None:
        version, source = allowlisted, "allowlisted"
    elif (only := _only_jar(folder)) is not None:
        version, source = only, "jar"
    else:
        raise _fail("kosmos.no_version", folder=folder)
    tag = _tag(version)
    if tag is None:
        raise _fail("kosmos.unknown_version", version=version)
    if java is None:
        variables = service_env.service_variables(folder, parsed.env, parsed.executable or "")
        java = service_env.resolve_executable(parsed.executable or "java", variables, folder, folder)
    start = service_config.start_of(parsed.path, parsed.service_id or SERVICE_ID) or "auto"
    return Kosmos(service_id=parsed.service_id or SERVICE_ID, exe=exe, xml=parsed.path, env=env, version=tag,
                  version_source=source, java=java, start=start)


# --- stopping and starting it --------------------------------------------------------------------------------


def _wait_gone(procs: list[psutil.Process], timeout: float) -> bool:
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return not alive


def _shut_down_child(folder: Path, jar: Path | None) -> None:
    """Ask the integrasjonspunkt KOSMOS started to shut down through the endpoint KOSMOS enabled for it, and
    wait until its process is gone (a graceful stop: H2 closes its database, Liquibase's lock is released)."""
    children = processes.java_processes(folder)
    if not children:
        return
    config = effective_config.for_installation(folder, jar, None)
    where = health.target_from("manage", config, None)
    if not health.request_shutdown(where):
        log.warning("integrasjonspunkt did not accept %s", where.info_url.rsplit("/", 1)[0] + "/shutdown")
        return
    if not _wait_gone(children, SHUTDOWN_TIMEOUT):
        log.warning("integrasjonspunkt still runs %.0f s after it was asked to shut down", SHUTDOWN_TIMEOUT)


def stop(context: dict[str, str], folder: Path, jar: Path | None, ports: list[int]) -> None:
    """Disable KOSMOS (nothing starts it again, a reboot included), shut its integrasjonspunkt down gracefully,
    then stop the KOSMOS service. Raises ServiceError when integrasjonspunkt still runs after all that."""
    service_id = context["service_id"]
    if not services.set_start(service_id, "disabled"):
        raise ServiceError(t("kosmos.not_disabled", service_id=service_id))
    _shut_down_child(folder, jar)
    driver = WinSW(Path(context["exe"]), service_id)
    try:
        if driver.status() is not ServiceState.STOPPED:
            driver.stop(STOP_TIMEOUT, folder, ports)
    except ServiceError as exc:
        log.warning("stopping %s: %s", service_id, exc.message)
    left = processes.java_processes(folder)
    if left:
        raise ServiceError(t("kosmos.child_still_runs", pids=", ".join(str(p.pid) for p in left)))


def resume(context: dict[str, str]) -> None:
    """Undo `stop`: KOSMOS's start type back, and KOSMOS started (it starts its integrasjonspunkt again)."""
    service_id = context["service_id"]
    services.set_start(service_id, context.get("start") or "auto")
    driver = WinSW(Path(context["exe"]), service_id)
    if driver.status() is not ServiceState.STARTED:
        driver.start(STOP_TIMEOUT)
