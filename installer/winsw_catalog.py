"""The WinSW build catalog (which assets exist, what each needs, its pinned SHA-256) and the choice of a build.

Format (issue 3), the same for the built-in `assets/winsw-catalog.json` and an admin's `/winsw-catalog FILE`:
`{"builds": [{"version": "2.12.0", "asset": "WinSW.NET461.exe", "sha256": "<hex>", "needs": "net461",
"arch": "any", "min_windows": "10.0.14393"}]}` – `arch` and `min_windows` optional.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.version import InvalidVersion, Version

from installer import dotnet
from installer.errors import ExitCode, SetupError
from installer.messages import joined, t
from installer.resources import asset_path

if TYPE_CHECKING:
    from installer.machine import Machine

log = logging.getLogger(__name__)

CATALOG_ASSET = "winsw-catalog.json"
ARCHES = ("any", "x64", "x86", "arm64")
# .NET builds are a few hundred KB against 18 MB for a self-contained one: the newest runtime first.
_DOTNET_ORDER = ("net461", "net4", "net2")
# Builds that run on each machine, best first: its own architecture, then emulation (x86 runs on x64 and arm64).
_RUNS_ON = {"x64": ("x64", "any", "x86"), "x86": ("x86", "any"), "arm64": ("arm64", "any", "x86")}
_ASSET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")
_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,3}(-[A-Za-z0-9]+(\.[0-9A-Za-z]+)*)?$")
_WINDOWS = re.compile(r"^[0-9]+(\.[0-9]+){0,3}$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_KEYS = frozenset({"version", "asset", "sha256", "needs", "arch", "min_windows"})


@dataclass(frozen=True)
class WinswBuild:
    version: str  # as released: "2.12.0", "3.0.0-alpha.11"
    asset: str  # "WinSW-x64.exe"
    sha256: str  # lower-case hex
    needs: str  # "none" | "net2" | "net4" | "net461"
    arch: str = "any"  # "any" | "x64" | "x86" | "arm64"
    min_windows: str | None = None  # "10.0.14393"

    @property
    def spec(self) -> str:
        return f"{self.version}/{self.asset}"

    @cached_property
    def parsed_version(self) -> Version:
        return Version(self.version)

    @property
    def prerelease(self) -> bool:
        return self.parsed_version.is_prerelease


def _bad(path: Path, reason: str) -> SetupError:
    return SetupError(ExitCode.BAD_COMMAND_LINE, t("catalog.bad", path=path, reason=reason))


def _build(path: Path, index: int, entry: Any) -> WinswBuild:
    where = f"builds[{index}]"
    if not isinstance(entry, dict):
        raise _bad(path, t("catalog.not_object", where=where))
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise _bad(path, t("catalog.unknown_key", where=where, field=unknown[0]))
    fields: dict[str, Any] = {}
    for key, pattern in (("version", _VERSION), ("asset", _ASSET), ("sha256", _SHA256)):
        value = entry.get(key)
        if not isinstance(value, str) or not pattern.match(value):
            raise _bad(path, t("catalog.bad_field", where=where, field=key, value=value))
        fields[key] = value
    try:
        Version(fields["version"])
    except InvalidVersion:
        raise _bad(path, t("catalog.bad_field", where=where, field="version", value=fields["version"])) from None
    fields["sha256"] = fields["sha256"].lower()
    needs = entry.get("needs")
    if needs not in dotnet.NEEDS:
        raise _bad(path, t("catalog.bad_choice", where=where, field="needs", value=needs,
                           choices="|".join(dotnet.NEEDS)))
    arch = entry.get("arch", "any")
    if arch not in ARCHES:
        raise _bad(path, t("catalog.bad_choice", where=where, field="arch", value=arch, choices="|".join(ARCHES)))
    min_windows = entry.get("min_windows")
    if min_windows is not None and (not isinstance(min_windows, str) or not _WINDOWS.match(min_windows)):
        raise _bad(path, t("catalog.bad_field", where=where, field="min_windows", value=min_windows))
    return WinswBuild(needs=needs, arch=arch, min_windows=min_windows, **fields)


def load_catalog(path: Path | None) -> list[WinswBuild]:
    """The builds of the catalog at `path` (None: the built-in one). A bad file is a bad input: exit 1639."""
    path = asset_path(CATALOG_ASSET) if path is None else path
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise _bad(path, exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) from None
    except json.JSONDecodeError as exc:
        raise _bad(path, t("catalog.not_json", line=exc.lineno, reason=exc.msg)) from None
    if not isinstance(document, dict) or not isinstance(document.get("builds"), list) or not document["builds"]:
        raise _bad(path, t("catalog.no_builds"))
    builds = [_build(path, i, entry) for i, entry in enumerate(document["builds"])]
    seen: set[tuple[Version, str]] = set()
    for build in builds:
        key = (build.parsed_version, build.asset.lower())
        if key in seen:
            raise _bad(path, t("catalog.duplicate", spec=build.spec))
        seen.add(key)
    log.info("WinSW catalog %s: %s", path, ", ".join(b.spec for b in builds))
    return builds


# --- choosing ---------------------------------------------------------------------------------------------


def _windows_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _arch_rank(build: WinswBuild, machine: Machine) -> int | None:
    """Position of the build's architecture in the machine's preference, None when it cannot run there."""
    order = _RUNS_ON.get(machine.arch, ("any",))
    return order.index(build.arch) if build.arch in order else None


def problems(build: WinswBuild, machine: Machine) -> dict[str, str]:
    """Why `build` cannot run on `machine`, by aspect (`arch`, `windows`, `dotnet`); empty when it can."""
    found: dict[str, str] = {}
    if _arch_rank(build, machine) is None:
        found["arch"] = t("catalog.wrong_arch", spec=build.spec, arch=build.arch, machine=machine.arch)
    if not machine.is_windows:
        return found  # .NET and the Windows version do not apply off Windows
    if build.min_windows and machine.windows_version and (
        _windows_tuple(machine.windows_version) < _windows_tuple(build.min_windows)
    ):
        found["windows"] = t("catalog.old_windows", spec=build.spec, needed=build.min_windows,
                             found=machine.windows_version)
    if build.needs != "none" and not (machine.dotnet and machine.dotnet.satisfies(build.needs)):
        have = machine.dotnet.describe() if machine.dotnet else t("prereqs.dotnet_none")
        found["dotnet"] = t("catalog.missing_dotnet", spec=build.spec, needed=dotnet.need_label(build.needs),
                            found=have)
    return found


def _candidate(build: WinswBuild, machine: Machine) -> bool:
    # Off Windows nothing tells whether .NET Framework is there: only self-contained builds qualify.
    if not machine.is_windows and build.needs != "none":
        return False
    return not problems(build, machine)


def _best_of_version(builds: list[WinswBuild], machine: Machine) -> WinswBuild | None:
    fitting = [b for b in builds if _candidate(b, machine)]
    for need in _DOTNET_ORDER:
        for build in fitting:
            if build.needs == need:
                return build
    contained = [b for b in fitting if b.needs == "none"]
    contained.sort(key=lambda b: _arch_rank(b, machine) or 0)
    return contained[0] if contained else None


def _newest_first(catalog: list[WinswBuild]) -> list[Version]:
    return sorted({b.parsed_version for b in catalog}, reverse=True)


def working_builds(catalog: list[WinswBuild], machine: Machine) -> list[WinswBuild]:
    """Every build that would run here: released versions first, newest first."""
    return sorted((b for b in catalog if _candidate(b, machine)), key=lambda b: (not b.prerelease, b.parsed_version),
                  reverse=True)


def _automatic(catalog: list[WinswBuild], machine: Machine) -> WinswBuild:
    for version in _newest_first(catalog):
        if version.is_prerelease:
            continue
        best = _best_of_version([b for b in catalog if b.parsed_version == version], machine)
        if best is not None:
            return best
    found = machine.dotnet.describe() if machine.is_windows and machine.dotnet else t("prereqs.not_applicable")
    raise SetupError(ExitCode.PREREQUISITES, t("catalog.none_fits", arch=machine.arch, dotnet=found,
                                               builds=", ".join(b.spec for b in catalog)))


def find_build(catalog: list[WinswBuild], requested: str) -> WinswBuild:
    """The catalog's build for `/winsw`: `2.12.0/WinSW-x64.exe` exactly, or an asset name alone for the newest
    released version that has it (a pre-release only when named with its version). Unknown: exit 1639."""
    version_text, slash, asset = requested.strip().rpartition("/")
    asset = asset.lower()
    if slash:
        try:
            version = Version(version_text.lstrip("vV"))
        except InvalidVersion:
            version = None
        for build in catalog:
            if build.parsed_version == version and build.asset.lower() == asset:
                return build
    else:
        named = [b for b in catalog if b.asset.lower() == asset]
        released = [b for b in named if not b.prerelease]
        if released:
            return max(released, key=lambda b: b.parsed_version)
        if named:
            raise SetupError(ExitCode.BAD_COMMAND_LINE, t("catalog.prerelease_needs_version", asset=requested,
                                                          specs=", ".join(b.spec for b in named)))
    raise SetupError(ExitCode.BAD_COMMAND_LINE, t("catalog.unknown_build", requested=requested,
                                                  specs=", ".join(b.spec for b in catalog)))


def choose_build(catalog: list[WinswBuild], requested: str | None, machine: Machine) -> WinswBuild:
    """The build to install: `requested` (`/winsw`: `2.12.0/WinSW-x64.exe` or an asset name alone) when given,
    else the newest released version's best fit – a .NET build whose runtime is there, else the self-contained
    build for the architecture. A requested build that cannot run here stops with exit 10, naming what is
    missing and the builds that would work."""
    if requested is None:
        build = _automatic(catalog, machine)
        log.info("WinSW build chosen for %s: %s", machine.arch, build.spec)
        return build
    build = find_build(catalog, requested)
    if machine.is_windows:
        unfit = problems(build, machine)
        if unfit:
            working = working_builds(catalog, machine)
            alternatives = ", ".join(b.spec for b in working) if working else t("catalog.no_alternatives")
            raise SetupError(ExitCode.PREREQUISITES, t("catalog.requested_unfit", reason=joined(unfit.values(), " "),
                                                       alternatives=alternatives))
    return build


def default_builds(catalog: list[WinswBuild]) -> list[WinswBuild]:
    """What `/download` fetches without `/winsw`: the builds `choose_build` picks on a common x64 server,
    with .NET 4.8 and without it (the newest released .NET 4.6.1 build and the self-contained x64 one)."""
    from installer.machine import Machine

    chosen: list[WinswBuild] = []
    for release in (528040, None):
        machine = Machine(os="windows", arch="x64", windows_version="10.0.17763", windows_name=None,
                          dotnet=dotnet.DotNet(release=release, v4=release is not None, v35=False), admin=True)
        try:
            build = _automatic(catalog, machine)
        except SetupError:
            continue
        if build not in chosen:
            chosen.append(build)
    return chosen
