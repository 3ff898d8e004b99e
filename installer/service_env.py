"""The world as a Windows service sees it: `%VARIABLES%` from the machine's environment (not the admin's),
paths written the Windows way in a service XML, and a program named without a folder (`java`) found where the
service manager would find it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path

from installer.windows import registry


def expand(text: str, variables: Mapping[str, str]) -> str:
    """Windows' ExpandEnvironmentVariables: `%NAME%` (any case) when NAME is known, else left as written."""
    known = {k.lower(): v for k, v in variables.items()}

    def replace(match: re.Match[str]) -> str:
        return known.get(match.group(1).lower(), match.group(0))

    return re.sub(r"%([^%]+)%", replace, text)


def machine_variable(name: str) -> str | None:
    """A variable of the environment a service gets: the machine's (registry) on Windows, else this process's."""
    if registry.registry_available():
        value = registry.machine_environment(name)
        if value is not None:
            return value
    return os.environ.get(name)


def service_variables(folder: Path, xml_env: list[tuple[str, str]], wanted: str) -> dict[str, str]:
    """The values the `%NAME%`s in `wanted` and in the `<env>` elements take for the service."""
    names = set(re.findall(r"%([^%]+)%", wanted))
    for _, value in xml_env:
        names |= set(re.findall(r"%([^%]+)%", value))
    variables: dict[str, str] = {}
    for name in names:
        value = machine_variable(name)
        if value is not None:
            variables[name] = value
    variables["BASE"] = str(folder)
    for name, value in xml_env:
        variables[name] = expand(value, variables)
    return variables


def as_path(text: str, relative_to: Path) -> Path:
    """A path from a service XML (Windows separators) as this system reads it, absolute."""
    text = text.strip().strip('"')
    if os.sep == "/":
        text = text.replace("\\", "/")
    path = Path(text)
    return path if path.is_absolute() else relative_to / path


def _exe_names(name: str) -> list[str]:
    # CreateProcess appends .exe to a name without an extension.
    if os.name == "nt" and not Path(name).suffix:
        return [name + ".exe"]
    return [name]


def _search_dirs(folder: Path, variables: Mapping[str, str]) -> list[Path]:
    """Where Windows looks for a bare program name the service runs: the folder of the WinSW exe (the program
    that starts it), the system folders, then the PATH (the machine's, or the XML's `<env name="PATH">`)."""
    dirs = [folder]
    system_root = machine_variable("SystemRoot")
    if system_root:
        dirs += [Path(system_root) / "System32", Path(system_root)]
    path = next((v for k, v in variables.items() if k.lower() == "path"), None) or machine_variable("Path") or ""
    dirs += [Path(entry.strip().strip('"')) for entry in path.split(";") if entry.strip().strip('"')]
    return dirs


def resolve_executable(executable: str, variables: Mapping[str, str], workdir: Path, folder: Path) -> Path | None:
    """The program the service runs, found as the service manager finds it; None when it is not there."""
    text = expand(executable, variables).strip().strip('"')
    if not text:
        return None
    if re.search(r"[\\/]", text):
        path = as_path(text, workdir)
        return next((p for p in (path.with_name(n) for n in _exe_names(path.name)) if p.is_file()), None)
    if registry.registry_available():
        for directory in _search_dirs(folder, variables):
            for name in _exe_names(text):
                if (directory / name).is_file():
                    return (directory / name).absolute()
        return None
    path_value = next((v for k, v in variables.items() if k.lower() == "path"), None)
    found = shutil.which(text, path=path_value)
    return Path(found).absolute() if found else None
