"""Taking over Digdir's Alt 3 made by hand: a scheduled task that runs `java [options] -jar
integrasjonspunkt-<version>.jar [arguments]` from the install folder, as SYSTEM or a user with a password.

Its definition is read with `schtasks /query /tn NAME /xml` (not translated, unlike the CSV). Taking it over
writes the service XML that describes the same command (task mode keeps the command there), registers the task
`\\<ID>` from it (with the user's password, given with /service-password), removes the hand-made task when it had
another name, and records the installation in task mode. The running program is left running.
"""

from __future__ import annotations

import ntpath
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree as SafeET

from installer import service_xml, windows_args
from installer.messages import t
from installer.releases import find_line, is_safe_tag, tag_for
from installer.windows import tasks

_PROFILE = ("-Dspring.profiles.active=", "--spring.profiles.active=")
ENVS = ("staging", "production")


@dataclass(frozen=True)
class HandMadeTask:
    name: str
    java: str
    jvm_options: list[str]
    jar: Path
    app_args: list[str]
    env: str
    version: str  # the published tag
    account: str | None  # None: SYSTEM


class NotAdoptable(Exception):
    """Why the task cannot be taken over (one line for the admin)."""


def _text(root: ET.Element, path: str) -> str:
    found = root.find(path, {"t": tasks.NAMESPACE})
    return "" if found is None else (found.text or "").strip()


def _tag(version: str) -> str | None:
    line = find_line(version)
    tag = tag_for(version, line) if line else None
    return tag if tag and is_safe_tag(tag) else None


def read(name: str, folder: Path) -> HandMadeTask:
    """The task `name` as setup can run it; NotAdoptable says why not."""
    text = tasks.query_xml(name)
    if text is None:
        raise NotAdoptable(t("adopt.task_unreadable", name=name))
    root = SafeET.fromstring(text.split("?>", 1)[-1].strip())
    logon = _text(root, "t:Principals/t:Principal/t:LogonType")
    user = _text(root, "t:Principals/t:Principal/t:UserId")
    system = user.upper() in ("", "S-1-5-18", "SYSTEM", "NT AUTHORITY\\SYSTEM")
    if not system and logon not in ("", "Password"):
        raise NotAdoptable(t("adopt.task_logon", name=name, logon=logon))
    args = windows_args.split_windows_args(_text(root, "t:Actions/t:Exec/t:Arguments"))
    if "-jar" not in args or args.index("-jar") + 1 >= len(args):
        raise NotAdoptable(t("adopt.task_no_jar", name=name))
    at = args.index("-jar")
    workdir = _text(root, "t:Actions/t:Exec/t:WorkingDirectory") or str(folder)
    jar_arg = args[at + 1]
    jar = Path(jar_arg if ntpath.isabs(jar_arg) or Path(jar_arg).is_absolute() else Path(workdir) / jar_arg)
    if jar.parent.resolve() != folder.resolve():
        raise NotAdoptable(t("adopt.task_jar_elsewhere", name=name, jar=jar))
    found = service_xml.jar_version(jar.name)
    version = _tag(found) if found else None
    if version is None:
        raise NotAdoptable(t("adopt.no_version", jar=jar.name))
    jvm = [a for a in args[:at] if not a.startswith(_PROFILE[0])]
    app = [a for a in args[at + 2:] if not a.startswith(_PROFILE[1])]
    profiles = [a.split("=", 1)[1] for a in args if a.startswith(_PROFILE)]
    env = profiles[-1] if profiles else ("production" if version[:1] in "12" else "")
    if env not in ENVS:
        raise NotAdoptable(t("adopt.task_profile", name=name, profile=env or "-"))
    command = _text(root, "t:Actions/t:Exec/t:Command").strip('"')
    java = command if ntpath.isabs(command) or Path(command).is_absolute() else shutil.which(command)
    if not java:
        raise NotAdoptable(t("adopt.task_java", name=name, java=command or "-"))
    return HandMadeTask(name=name, java=java, jvm_options=jvm, jar=jar, app_args=app, env=env, version=version,
                        account=None if system else user)


def service_xml_for(task: HandMadeTask, service_id: str) -> bytes:
    """The service XML that describes the task's command (task mode reads the command from it)."""
    return service_xml.render(service_xml.ServiceSpec(service_id=service_id, java=task.java, jar_name=task.jar.name,
                                                      profile=task.env, jvm_options=task.jvm_options,
                                                      app_args=task.app_args))
