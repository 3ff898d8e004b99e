"""The WinSW stand-in's reading of its XML, as WinSW does it: found by the exe's base name, `%VAR%` expanded
from the environment and `<env>`, WinSW 2 finding elements anywhere, WinSW 3 only under `<service>`."""

from __future__ import annotations

import hashlib
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from installer.service_xml import arguments_text_to_args, parse_duration
from installer.windows_args import split_windows_args

START_TYPES = {"boot": 0, "system": 1, "automatic": 2, "manual": 3, "disabled": 4}
DEFAULT_STOP_TIMEOUT = "15 sec"
DEFAULT_RESET_FAILURE = "1 day"


class ConfigError(Exception):
    """The XML cannot be used; WinSW says so and exits -1."""


def expand(text: str, env: dict[str, str]) -> str:
    """Windows' ExpandEnvironmentVariables: `%NAME%` (any case) when NAME is set, else left as written."""
    lower = {k.lower(): v for k, v in env.items()}
    out: list[str] = []
    i = 0
    while True:
        start = text.find("%", i)
        end = text.find("%", start + 1) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(text[i:])
            return "".join(out)
        name = text[start + 1:end]
        if name and name.lower() in lower:
            out += [text[i:start], lower[name.lower()]]
            i = end + 1
        else:
            out.append(text[i:end])
            i = end  # the closing % may open the next name


@dataclass
class Config:
    exe: Path
    base_name: str
    service_id: str
    name: str | None
    description: str | None
    executable: str
    arguments: list[str]
    working_directory: str
    log_dir: Path
    stop_timeout: str  # parsed when a stop needs it, as WinSW does
    failure_actions: list[tuple[str | None, str | None]]  # parsed at install
    reset_failure: str
    account: str | None
    start_type: int
    env: dict[str, str] = field(repr=False, default_factory=dict)
    # The SHA-256 of <serviceaccount><password>: the service manager keeps the password, the stand-in only its
    # digest, so a test can tell which password was registered without one being stored.
    password_sha256: str | None = field(repr=False, default=None)

    @property
    def display(self) -> str:
        return f"{self.name or self.service_id} ({self.service_id})"

    @property
    def wrapper_log(self) -> Path:
        return self.log_dir / f"{self.base_name}.wrapper.log"


def _argument_elements(elements: list[ET.Element], env: dict[str, str]) -> list[str]:
    # WinSW 2 joins repeated <argument>s, quoting one that holds a space unless it is quoted already.
    parts = []
    for element in elements:
        token = expand(element.text or "", env)
        quoted = token.startswith('"') and token.endswith('"')
        parts.append(f'"{token}"' if " " in token and not quoted else token)
    return split_windows_args(" ".join(parts))


def _account(find: Callable[[str], ET.Element | None], v3: bool) -> str | None:
    element = find("serviceaccount")
    if element is None:
        return None

    def part(tag: str) -> str | None:
        child = element.find(tag)
        return None if child is None else (child.text or "").strip()

    if v3:  # WinSW 3 reads only <username> (its migration guide: merge <domain> and <user> into it)
        return part("username") or None
    domain, user = part("domain"), part("user")
    return f"{domain}\\{user}" if domain is not None and user is not None else None


def _password_sha256(find: Callable[[str], ET.Element | None]) -> str | None:
    element = find("serviceaccount")
    password = None if element is None else element.find("password")
    if password is None or not password.text:
        return None
    return hashlib.sha256(password.text.encode("utf-8")).hexdigest()


def load_config(exe: Path, v3: bool) -> Config:
    base_name = exe.stem
    xml = exe.parent / f"{base_name}.xml"
    not_loaded = "The configuration file could not be loaded." if v3 else "The configuration file cound not be loaded."
    if not xml.is_file():
        raise ConfigError(f"Unable to locate {base_name}.xml file within executable directory")
    try:
        root = ET.parse(xml).getroot()
    except ET.ParseError as exc:
        raise ConfigError(f"{not_loaded} {exc}") from None
    if v3 and root.tag != "service":
        raise ConfigError(f"{not_loaded} The root element must be <service>, not <{root.tag}>.")

    def find(tag: str) -> ET.Element | None:
        return root.find(tag) if v3 else next(root.iter(tag), None)

    def find_all(tag: str) -> list[ET.Element]:
        return root.findall(tag) if v3 else list(root.iter(tag))

    env = dict(os.environ)
    env["BASE"] = str(exe.parent)

    def single(tag: str, optional: bool) -> str | None:
        element = find(tag)
        if element is None:
            if optional:
                return None
            raise ConfigError(f"{not_loaded} <{tag}> is missing in configuration XML")
        return expand(element.text or "", env)

    service_id = single("id", False) or ""
    env.update({"SERVICE_ID": service_id, "WINSW_EXECUTABLE": str(exe), "WINSW_SERVICE_ID": service_id})
    for element in find_all("env"):
        name, value = element.get("name"), element.get("value")
        if name is None or value is None:
            raise ConfigError(f"{not_loaded} '{'name' if name is None else 'value'}' is missing")
        env[name] = expand(value, env)
    name = single("name", v3)
    description = single("description", v3)
    executable = single("executable", False) or ""
    repeated = [] if v3 else find_all("argument")
    arguments = (_argument_elements(repeated, env) if repeated
                 else arguments_text_to_args(single("arguments", True) or ""))
    start_mode = (single("startmode", True) or "Automatic").strip().lower()
    if start_mode not in START_TYPES:
        raise ConfigError(f"Start mode in XML must be one of the following: {', '.join(START_TYPES)}")
    actions = [(e.get("action"), e.get("delay")) for e in find_all("onfailure")]
    return Config(
        exe=exe,
        base_name=base_name,
        service_id=service_id,
        name=name,
        description=description,
        executable=executable,
        arguments=[_separators_under(arg, exe.parent) for arg in arguments],
        working_directory=_separators_under(single("workingdirectory", True) or str(exe.parent), exe.parent),
        log_dir=Path(_separators_under(single("logpath", True) or str(exe.parent), exe.parent)),
        stop_timeout=single("stoptimeout", True) or DEFAULT_STOP_TIMEOUT,
        failure_actions=actions,
        reset_failure=single("resetfailure", True) or DEFAULT_RESET_FAILURE,
        account=_account(find, v3),
        start_type=START_TYPES[start_mode],
        env=env,
        password_sha256=_password_sha256(find),
    )


def _separators_under(text: str, base: Path) -> str:
    """Windows takes `\\` as a path separator: `%BASE%\\kosmos.jar` (Digdir's kosmos-service.xml) names a file in
    the folder there, and does here too once the backslashes after the expanded folder are slashes."""
    head, found, tail = text.partition(str(base) + "\\")
    if not found:
        return text
    path, space, rest = tail.partition(" ")
    return head + str(base) + "/" + path.replace("\\", "/") + space + rest


def parse_failure_actions(config: Config) -> tuple[list[list[Any]], float]:
    """What install hands the service manager; ValueError as WinSW fails (a bad action or duration)."""
    actions: list[list[Any]] = []
    for action, delay in config.failure_actions:
        if action is None:
            raise ValueError("'action' is missing")
        if action not in ("restart", "none", "reboot"):
            raise ValueError(f"Invalid failure action: {action}")
        actions.append([action, parse_duration(delay) if delay is not None else 0.0])
    return actions, parse_duration(config.reset_failure)


