"""The command the service runs, read from its XML the way WinSW reads it: the executable, the arguments (JVM
options before `-jar`, the profile, the jar), the working folder and the `<env>` entries. `/run` starts it in a
console; the Task Scheduler task of `/mode task` runs the same command."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from installer import service_env, service_xml
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.messages import t


@dataclass(frozen=True)
class Command:
    argv: list[str]  # the executable first
    cwd: Path
    env: dict[str, str]


def service_command(layout: Layout, service_id: str, xml: Path | None = None) -> Command:
    """What WinSW starts for the service, from its XML (`xml`, else the folder's): `%VAR%`s expanded as WinSW
    expands them (the `<env>` entries in order, `BASE` the folder), the program found as the service manager
    finds it."""
    parsed = service_xml.read(xml or layout.xml)
    folder = layout.root
    wanted = " ".join(filter(None, (parsed.executable, parsed.working_directory, *parsed.arguments)))
    variables = service_env.service_variables(folder, parsed.env, wanted)
    workdir = service_env.as_path(service_env.expand(parsed.working_directory or "%BASE%", variables), folder)
    java = service_env.resolve_executable(parsed.executable or "", variables, workdir, folder)
    if java is None:
        raise SetupError(ExitCode.PREREQUISITES, t("run.no_java", executable=parsed.executable or "-",
                                                   xml=layout.xml))
    env = {**os.environ, "BASE": str(folder), "SERVICE_ID": service_id}
    env.update({name: variables[name] for name, _ in parsed.env if name in variables})
    args = [service_env.expand(arg, variables) for arg in parsed.arguments]
    return Command([str(java), *args], workdir, env)
