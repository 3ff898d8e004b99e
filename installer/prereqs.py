"""The prerequisites of an install or upgrade, each a finding with a verdict and a message for the admin:
Java for the release line, the WinSW build with the .NET and Windows version it needs, administrator rights,
free disk and the health port. Nothing here changes anything.
"""

from __future__ import annotations

import logging
import platform
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Literal

from installer import backup, dotnet, fsutil, java, processes, winsw_catalog
from installer.errors import ExitCode, SetupError
from installer.java import JavaInstall, JavaSurvey
from installer.layout import JAR_PREFIX, Layout
from installer.machine import Machine, detect_machine
from installer.messages import joined, t
from installer.releases import ReleaseLine
from installer.settings import Origin, Settings
from installer.ui import UI
from installer.winsw_catalog import WinswBuild

log = logging.getLogger(__name__)

Verdict = Literal["ok", "warning", "fail"]
# Release lines whose Java major is the only one Digdir supports (2.x: "må være Java 8"); a newer Java runs
# them with a warning. Other lines take their minimum or anything newer.
EXACT_JAVA = frozenset({8})
# Size of a jar not downloaded yet (4.x jars are about 150 MB), and room for logs while the upgrade runs.
DEFAULT_JAR_BYTES = 200 * 1024 * 1024
LOG_MARGIN_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Finding:
    check: str  # "java", "winsw", "dotnet", "windows", "admin", "disk", "port"
    found: str
    needed: str
    verdict: Verdict
    message: str = ""


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    java: JavaInstall | None = None
    winsw: WinswBuild | None = None

    @property
    def ok(self) -> bool:
        return all(f.verdict != "fail" for f in self.findings)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.verdict == "fail"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.verdict == "warning"]

    @property
    def failure_message(self) -> str:
        """The failed checks' messages, each once (one missing .NET fails two checks with the same words)."""
        return joined(dict.fromkeys(f.message for f in self.failures), " ")


def raise_if_failed(report: CheckReport) -> None:
    """Exit 10 (nothing changed) when a check failed: what was found, where, and what to install."""
    if report.ok:
        return
    detail = "\n".join(
        t("prereqs.detail_line", check=label(f.check), found=f.found, needed=f.needed) for f in report.failures
    )
    raise SetupError(ExitCode.PREREQUISITES, report.failure_message, detail)


def label(check: str) -> str:
    return t(f"prereqs.check_{check}")


def size_text(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    value = float(count)
    for unit in ("KB", "MB", "GB"):
        value /= 1024
        if value < 1024:
            return f"{value:.1f} {unit}"
    return f"{value / 1024:.1f} TB"


# --- Java -------------------------------------------------------------------------------------------------


def _java_needed(minimum: int, preferred: int) -> str:
    if preferred in EXACT_JAVA:
        return t("prereqs.java_needed_exact", major=preferred)
    return t("prereqs.java_needed_min", major=minimum)


def _survey_text(survey: JavaSurvey) -> str:
    seen = [t("prereqs.java_seen", version=i.version, path=i.path, origin=i.origin) for i in survey.installs]
    seen += [t("prereqs.java_seen_broken", path=b.path, origin=b.origin, reason=b.reason) for b in survey.broken]
    return joined(seen) if seen else t("prereqs.java_seen_none")


def _judge(chosen: JavaInstall, minimum: int, preferred: int, machine: Machine, needed: str,
           note: str = "", verdict: Verdict = "ok") -> Finding:
    """The verdict on the Java that will be used; `note` says how it was reached (and `verdict` how much
    that matters)."""
    messages = [note] if note else []
    if preferred in EXACT_JAVA and chosen.major != preferred:
        messages.append(t("prereqs.java_not_exact", major=preferred, version=chosen.version, path=chosen.path))
        verdict = "warning"
    if chosen.bits == 32 and machine.arch in ("x64", "arm64"):
        messages.append(t("prereqs.java_32bit", path=chosen.path))
        verdict = "warning"
    return Finding("java", chosen.describe(), needed, verdict, joined(messages, " "))


def _java_finding(given: str | None, explicit: bool, minimum: int, preferred: int,
                  machine: Machine, quiet: bool = False) -> tuple[JavaInstall | None, Finding]:
    """`given`: the configured Java, `explicit` when the admin named it (else the state file recorded it).
    Installed Javas (/java, JAVA_HOME, registry, Program Files, the JVM folders) rank above the one on PATH,
    whatever their version numbers say; a PATH Java is never taken silently in a /quiet run."""
    needed = _java_needed(minimum, preferred)
    survey = java.find_all(given)
    configured = next((i for i in survey.installs if i.origin == "/java"), None)
    configured_broken = next((b for b in survey.broken if b.origin == "/java"), None)
    note = ""
    verdict: Verdict = "ok"
    if given and explicit:
        # Named by the admin: used as given, or the run stops.
        if configured is None:
            path, reason = (configured_broken.path, configured_broken.reason) if configured_broken else (
                given, t("prereqs.java_not_there"))
            return None, Finding("java", str(path), needed, "fail",
                                 t("prereqs.java_given_broken", path=path, reason=reason))
        if configured.major < minimum:
            return None, Finding("java", configured.describe(), needed, "fail",
                                 t("prereqs.java_given_too_old", path=configured.path, version=configured.version,
                                   needed=needed, hint=_install_hint(minimum, preferred)))
        return configured, _judge(configured, minimum, preferred, machine, needed)
    if given:
        # Recorded for this installation: kept while it fits, else discovery picks one for the new line.
        if configured is not None and configured.major >= minimum:
            return configured, _judge(configured, minimum, preferred, machine, needed)
        if configured is not None:
            note = t("prereqs.java_recorded_too_old", path=configured.path, version=configured.version,
                     needed=needed)
        elif configured_broken is not None:
            note, verdict = t("prereqs.java_recorded_broken", path=configured_broken.path,
                              reason=configured_broken.reason), "warning"
    others = [i for i in survey.installs if i.origin != "/java"]
    chosen = java.choose([i for i in others if i.origin != java.ORIGIN_PATH], minimum, preferred) or \
        java.choose([i for i in others if i.origin == java.ORIGIN_PATH], minimum, preferred)
    if chosen is not None and chosen.origin == java.ORIGIN_PATH:
        if quiet:
            return None, Finding("java", chosen.describe(), needed, "fail",
                                 t("prereqs.java_path_only_quiet", path=chosen.path, version=chosen.version))
        note, verdict = " ".join(filter(None, (note, t("prereqs.java_path_only", path=chosen.path)))), "warning"
    if chosen is None:
        message = t("prereqs.java_none", needed=needed, found=_survey_text(survey),
                    hint=_install_hint(minimum, preferred))
        return None, Finding("java", t("prereqs.java_none_found"), needed, "fail", message)
    log.info("Java chosen for Java %d+ (preferred %d): %s (%s)", minimum, preferred, chosen.path, chosen.origin)
    unusable = [b for b in survey.broken if b.origin != "/java"]
    if unusable:
        # Not in the way, but worth knowing (a JAVA_HOME left behind by an uninstalled JDK, say).
        listed = joined(t("prereqs.java_seen_broken", path=b.path, origin=b.origin, reason=b.reason)
                        for b in unusable)
        note = joined(filter(None, (note, t("prereqs.java_unusable", listed=listed))), " ")
    return chosen, _judge(chosen, minimum, preferred, machine, needed, note, verdict)


def _install_hint(minimum: int, preferred: int) -> str:
    major = preferred if preferred in EXACT_JAVA else minimum
    return t("prereqs.java_install_hint", major=major)


# --- WinSW, .NET and Windows ------------------------------------------------------------------------------


def _platform_findings(wanted_winsw: str | None, catalog: list[WinswBuild],
                       machine: Machine) -> tuple[WinswBuild | None, list[Finding]]:
    error = ""
    try:
        build = winsw_catalog.choose_build(catalog, wanted_winsw, machine)
    except SetupError as exc:
        if exc.code != ExitCode.PREREQUISITES:
            raise
        build, error = None, exc.message
    # The build judged: the one chosen, or the one asked for that cannot run here.
    judged = build or (winsw_catalog.find_build(catalog, wanted_winsw) if wanted_winsw else None)
    unfit = winsw_catalog.problems(judged, machine) if judged else {}
    findings: list[Finding] = []

    if judged is not None:
        needs = dotnet.need_label(judged.needs) if judged.needs != "none" else t("prereqs.winsw_self_contained")
        found = judged.spec + (" " + t("prereqs.winsw_requested") if wanted_winsw else "")
        findings.append(Finding("winsw", found, needs, "fail" if error else "ok", error))
    else:
        findings.append(Finding("winsw", t("prereqs.winsw_none"), t("prereqs.winsw_any"), "fail", error))

    if not machine.is_windows:
        na = t("prereqs.not_applicable")
        findings.append(Finding("dotnet", na, na, "ok"))
        findings.append(Finding("windows", f"{platform.system()} {platform.release()}", na, "ok"))
        return build, findings

    have = machine.dotnet.describe() if machine.dotnet else t("prereqs.dotnet_none")
    if judged is not None and judged.needs != "none":
        findings.append(Finding("dotnet", have, dotnet.need_label(judged.needs),
                                "fail" if "dotnet" in unfit else "ok", error if "dotnet" in unfit else ""))
    else:
        findings.append(Finding("dotnet", have, t("prereqs.dotnet_not_needed"), "ok"))
    found_windows = t("prereqs.windows_found", name=machine.windows_name or "Windows",
                      version=machine.windows_version or "?")
    needed_windows = judged.min_windows if judged and judged.min_windows else t("prereqs.windows_any")
    findings.append(Finding("windows", found_windows, needed_windows,
                            "fail" if "windows" in unfit else "ok", error if "windows" in unfit else ""))
    return build, findings


def _admin_finding(machine: Machine) -> Finding:
    if not machine.is_windows:
        na = t("prereqs.not_applicable")
        return Finding("admin", na, na, "ok")
    needed = t("prereqs.admin_needed")
    if machine.admin is None:
        return Finding("admin", t("prereqs.unknown"), needed, "warning", t("prereqs.admin_unknown"))
    if not machine.admin:
        return Finding("admin", t("prereqs.admin_no"), needed, "fail", t("prereqs.admin_missing"))
    return Finding("admin", t("prereqs.admin_yes"), needed, "ok")


# --- disk -------------------------------------------------------------------------------------------------


def estimate_needed_bytes(layout: Layout, jar_bytes: int | None = None) -> int:
    """Room an upgrade needs in the folder: the new jar twice (cache and folder), a backup of the data,
    and a margin for logs. Without `jar_bytes`, the size of the largest jar there (or 200 MB)."""
    if jar_bytes is None:
        jars = [p.stat().st_size for p in layout.root.glob(f"{JAR_PREFIX}*.jar") if p.is_file()]
        jar_bytes = max(jars, default=DEFAULT_JAR_BYTES)
    data = sum(backup.tree_bytes(p) for p in layout.data_paths() if p.exists())
    return 2 * jar_bytes + data + LOG_MARGIN_BYTES


def _disk_finding(layout: Layout, needed_bytes: int) -> Finding:
    free, measured = fsutil.free_bytes(layout.root)
    kept = backup.usage(layout.backups)
    found = t("prereqs.disk_found", size=size_text(free), folder=measured)
    if kept["count"]:
        # Backups pile up (failed sets are kept on purpose): the admin sees what they take before the disk fills.
        found += t("prereqs.disk_backups", count=kept["count"], size=size_text(kept["bytes"]))
    needed = t("prereqs.disk_needed", size=size_text(needed_bytes))
    if free < needed_bytes:
        message = t("prereqs.disk_short", folder=measured, needed=size_text(needed_bytes), free=size_text(free))
        if kept["count"]:
            message += " " + t("prereqs.disk_prune", folder=layout.backups, size=size_text(kept["bytes"]))
        return Finding("disk", found, needed, "fail", message)
    return Finding("disk", found, needed, "ok")


# --- port -------------------------------------------------------------------------------------------------


def _port_finding(port: int, folder: Path, own_service_ports_ok: bool) -> Finding:
    needed = t("prereqs.port_needed", port=port)
    if not processes.port_listening(port):
        return Finding("port", t("prereqs.port_free", port=port), needed, "ok")
    holder = processes.port_holder(port)
    own = {p.pid for p in processes.java_processes(folder)}
    ours = (holder[0] in own) if holder else bool(own)
    if ours and own_service_ports_ok:
        pid = holder[0] if holder else min(own)
        return Finding("port", t("prereqs.port_ours", port=port, pid=pid), needed, "ok")
    if holder:
        found = t("prereqs.port_held", port=port, program=holder[1], pid=holder[0])
        message = t("prereqs.port_busy", port=port, program=holder[1], pid=holder[0])
    else:
        found = t("prereqs.port_held_unknown", port=port)
        message = t("prereqs.port_busy_unknown", port=port)
    return Finding("port", found, needed, "fail", message)


# --- all together -----------------------------------------------------------------------------------------


class _Default(Enum):
    SETTINGS = "settings"


@dataclass(frozen=True)
class Wanted:
    """What the checks take from the settings: the Java and the WinSW build asked for."""

    java: str | None = None  # the Java to judge; None: discovery alone
    java_explicit: bool = False  # the admin chose it; else the state file recorded it (kept while it fits)
    winsw: str | None = None  # the build /winsw names
    quiet: bool = False


def wanted(settings: Settings, configured_java: str | Literal[_Default.SETTINGS] | None = _Default.SETTINGS
           ) -> Wanted:
    """`configured_java`: the Java to judge instead of `settings.java` (None: discovery only); it counts as the
    admin's choice when the admin named it, else as the recorded one."""
    return Wanted(java=settings.java if configured_java is _Default.SETTINGS else configured_java,
                  java_explicit=settings.origins.get("java") not in (None, Origin.STATE),
                  winsw=settings.winsw, quiet=settings.quiet)


def check_release(settings: Settings, line: ReleaseLine, layout: Layout, *, port: int, own_service_ports_ok: bool,
                  needed_bytes: int,
                  configured_java: str | Literal[_Default.SETTINGS] | None = _Default.SETTINGS) -> CheckReport:
    """The checks for a release line, with the Java and WinSW the settings ask for and the catalog they name:
    the one call the verbs make."""
    return check(wanted(settings, configured_java), line.java_min, line.java_preferred, layout, port=port,
                 own_service_ports_ok=own_service_ports_ok, needed_bytes=needed_bytes,
                 catalog=winsw_catalog.load_catalog(settings.winsw_catalog))


def check(asked: Wanted, line_java_min: int, line_java_preferred: int, layout: Layout, *, port: int,
          own_service_ports_ok: bool, needed_bytes: int, catalog: list[WinswBuild],
          machine: Machine | None = None) -> CheckReport:
    """Run every check; changes nothing. `own_service_ports_ok`: the port may be held by this folder's own
    service (an upgrade stops it first). `machine` defaults to this one."""
    machine = machine or detect_machine()
    report = CheckReport()
    report.java, java_finding = _java_finding(asked.java, asked.java_explicit, line_java_min, line_java_preferred,
                                              machine, quiet=asked.quiet)
    report.winsw, platform_findings = _platform_findings(asked.winsw, catalog, machine)
    report.findings = [
        java_finding,
        *platform_findings,
        _admin_finding(machine),
        _disk_finding(layout, needed_bytes),
        _port_finding(port, layout.root, own_service_ports_ok),
    ]
    for finding in report.findings:
        log.info("check %s: %s | needed %s | %s %s", finding.check, finding.found, finding.needed,
                 finding.verdict, finding.message)
    return report


def show(report: CheckReport, ui: UI, version: str | None = None) -> None:
    """The findings as a table (check, found, needed, verdict) for a person, one log line each otherwise;
    then the notes and warnings. Failures are for the caller to report (`raise_if_failed`, /check's result)."""
    title = t("prereqs.table_title", version=version) if version else t("prereqs.table_title_plain")
    columns = [t("prereqs.column_check"), t("prereqs.column_found"), t("prereqs.column_needed"),
               t("prereqs.column_verdict")]
    rows = [[label(f.check), f.found, f.needed, t(f"prereqs.verdict_{f.verdict}")] for f in report.findings]
    ui.table(title, columns, rows)
    for finding in report.findings:
        if finding.message and finding.verdict == "warning":
            ui.warn(finding.message)
        elif finding.message and finding.verdict == "ok":
            ui.info(finding.message)
