"""The configuration a version of integrasjonspunkt will run with, resolved the way Spring Boot resolves it.

Sources, strongest first: the XML's `--key=value` arguments, its `-Dkey=value` JVM options, the environment
(relaxed names: `DIFI_DATASOURCE_URL`), the local files a loaded config file imports (`spring.config.import`,
a later import over an earlier one), `application-<profile>.properties`, `application.properties`. The jar's own
files are the truth for its version, also for versions this code has never seen.
"""

from __future__ import annotations

import logging
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from installer import properties as props_mod

log = logging.getLogger(__name__)

CONFIG_DIR = "BOOT-INF/classes/config/"
LOCAL_PROPERTIES = "integrasjonspunkt-local.properties"
PROFILE_KEY = "spring.profiles.active"
IMPORT_KEY = "spring.config.import"


class Unresolvable(Exception):
    def __init__(self, placeholder: str, value: str) -> None:
        super().__init__(f"Could not resolve placeholder '{placeholder}' in value \"{value}\"")
        self.placeholder = placeholder
        self.value = value


@dataclass
class Layer:
    name: str  # where the values come from, for messages and the log
    values: dict[str, str]


@dataclass
class EffectiveConfig:
    layers: list[Layer]  # strongest first; the environment sits between the JVM options and the local files
    env: Mapping[str, str] = field(default_factory=dict)
    profiles: list[str] = field(default_factory=list)
    jar_has_config: bool = False
    env_position: int = 0  # index in `layers` before which the environment is consulted

    def raw(self, key: str) -> str | None:
        for index, layer in enumerate(self.layers):
            if index == self.env_position:
                found = _from_env(self.env, key)
                if found is not None:
                    return found
            if key in layer.values:
                return layer.values[key]
        return _from_env(self.env, key) if self.env_position >= len(self.layers) else None

    def source(self, key: str) -> str | None:
        """Which layer gives `key` (the environment counts as "environment")."""
        for index, layer in enumerate(self.layers):
            if index == self.env_position and _from_env(self.env, key) is not None:
                return "environment"
            if key in layer.values:
                return layer.name
        return None

    def get(self, key: str) -> str | None:
        """The resolved value, None when no source has the key. Raises Unresolvable."""
        raw = self.raw(key)
        return None if raw is None else self.resolve(raw, {key})

    def get_or(self, key: str, default: str) -> str:
        try:
            value = self.get(key)
        except Unresolvable:
            return default
        return default if value is None else value

    def resolve(self, text: str, seen: set[str] | None = None) -> str:
        """`${name:default}` as Spring's placeholder helper does: the placeholder's own text first, then the first
        `:` splits name from default, a found value is resolved again; a cycle counts as unresolvable."""
        seen = set() if seen is None else seen
        out: list[str] = []
        i = 0
        while True:
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                return "".join(out)
            end = _closing(text, start + 2)
            if end < 0:
                out.append(text[i:])
                return "".join(out)
            out.append(text[i:start])
            inner = self.resolve(text[start + 2:end], seen)
            name, sep, default = inner.partition(":")
            if name in seen:
                raise Unresolvable(name, text)
            raw = self.raw(name)
            if raw is not None:
                out.append(self.resolve(raw, seen | {name}))
            elif sep:
                out.append(default)
            else:
                raise Unresolvable(name, text)
            i = end + 1

    def keys(self) -> set[str]:
        return {key for layer in self.layers for key in layer.values}


def _closing(text: str, pos: int) -> int:
    depth = 0
    while pos < len(text):
        if text.startswith("${", pos) or text.startswith("#{", pos):
            depth += 1
            pos += 2
            continue
        if text[pos] == "{":
            depth += 1
        elif text[pos] == "}":
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    return -1


def _env_names(key: str) -> list[str]:
    """Spring's relaxed names for a property in the environment: `.` and `-` become `_`, upper case too."""
    dotted = key.replace(".", "_")
    both = dotted.replace("-", "_")
    names = [key, dotted, key.replace("-", "_"), both]
    return names + [n.upper() for n in names]


def _from_env(env: Mapping[str, str], key: str) -> str | None:
    for name in _env_names(key):
        if name in env:
            return env[name]
    return None


# --- reading the sources ------------------------------------------------------------------------------------


def jar_config(jar: Path) -> dict[str, str]:
    """Every `BOOT-INF/classes/config/*.properties` in the jar by file name, read without unpacking."""
    found: dict[str, str] = {}
    try:
        with zipfile.ZipFile(jar) as archive:
            for name in archive.namelist():
                if name.startswith(CONFIG_DIR) and name.endswith(".properties") and "/" not in name[len(CONFIG_DIR):]:
                    found[name[len(CONFIG_DIR):]] = props_mod.decode(archive.read(name))
    except (OSError, zipfile.BadZipFile) as exc:
        log.warning("could not read the configuration inside %s: %s", jar, exc)
    return found


def read_yaml(path: Path) -> dict[str, str]:
    """A local `.yml`/`.yaml` flattened to Spring's keys (`a.b[0]`); the documents in order, later over earlier."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    result: dict[str, str] = {}
    for document in yaml.safe_load_all(text):
        _flatten(document, "", result)
    return result


def _flatten(node: object, prefix: str, out: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _flatten(value, f"{prefix}[{index}]", out)
    elif node is None:
        out[prefix] = ""
    elif isinstance(node, bool):
        out[prefix] = "true" if node else "false"
    else:
        out[prefix] = str(node)


def _imports(value: str, folder: Path) -> list[Path]:
    """The local files an import names: `optional:file:NAME`, relative to the service's working directory."""
    paths = []
    for item in value.split(","):
        item = item.strip()
        if item.startswith("optional:"):
            item = item[len("optional:"):]
        if not item.startswith("file:"):
            continue
        name = item[len("file:"):]
        path = Path(name)
        paths.append(path if path.is_absolute() else folder / path)
    return paths


def _read_local(path: Path, override: dict[str, str] | None) -> dict[str, str]:
    if override is not None and path.name == LOCAL_PROPERTIES:
        return override
    if path.suffix.lower() in (".yml", ".yaml"):
        return read_yaml(path)
    return props_mod.read(path)


def _arguments(jvm_options: list[str], app_args: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    system: dict[str, str] = {}
    for option in jvm_options:
        if option.startswith("-D"):
            key, _, value = option[2:].partition("=")
            system[key] = value
    command_line: dict[str, str] = {}
    for arg in app_args:
        if arg.startswith("--") and len(arg) > 2:
            key, _, value = arg[2:].partition("=")
            command_line[key] = value
    return command_line, system


def load(jar: Path | None, folder: Path, *, profile: str | None = None, jvm_options: list[str] | None = None,
         app_args: list[str] | None = None, env: Mapping[str, str] | None = None,
         local_override: dict[str, str] | None = None) -> EffectiveConfig:
    """The effective configuration of `jar` run in `folder` with these arguments. `local_override`: the
    properties of a local file about to be written (an install, a line change) instead of the file on disk."""
    files = jar_config(jar) if jar is not None else {}
    command_line, system = _arguments(jvm_options or [], app_args or [])
    if profile:
        system.setdefault(PROFILE_KEY, profile)
    env = dict(os.environ if env is None else env)
    base_text = files.get("application.properties")
    base = props_mod.parse(base_text) if base_text is not None else {}
    jar_has_config = base_text is not None
    # The profile: from the arguments or the environment, else from the jar's own application.properties.
    probe = EffectiveConfig([Layer("--", command_line), Layer("-D", system), Layer("application.properties", base)],
                            env, env_position=2)
    profiles = [p.strip() for p in probe.get_or(PROFILE_KEY, "").split(",") if p.strip()]
    profile_layers = []
    for name in profiles:
        text = files.get(f"application-{name}.properties")
        if text is not None:
            profile_layers.append(Layer(f"application-{name}.properties", props_mod.parse(text)))
    profile_layers.reverse()  # the last active profile wins
    if jar_has_config:
        locals_: list[Path] = []
        for layer in [Layer("application.properties", base), *reversed(profile_layers)]:
            if IMPORT_KEY in layer.values:
                locals_ += _imports(layer.values[IMPORT_KEY], folder)
    else:
        # A jar without its own configuration (an old build): the local file as 2.x always read it.
        locals_ = [folder / LOCAL_PROPERTIES]
    local_layers = [Layer(path.name, _read_local(path, local_override)) for path in locals_]
    local_layers.reverse()  # a later import wins
    layers = [Layer("--arguments", command_line), Layer("-D options", system), *local_layers, *profile_layers,
              Layer("application.properties", base)]
    return EffectiveConfig(layers, env, profiles, jar_has_config, env_position=2)


def for_installation(folder: Path, jar: Path | None, xml: Path | None, *, profile: str | None = None,
                     jvm_options: list[str] | None = None,
                     local_override: dict[str, str] | None = None) -> EffectiveConfig:
    """The effective configuration of `jar` started by the service XML `xml` (its arguments and `<env>`), in
    `folder`. `profile`/`jvm_options` stand in for what the XML will say once it is written."""
    from installer import service_xml
    from installer.errors import SetupError

    env = dict(os.environ)
    jvm: list[str] = []
    app: list[str] = []
    xml_profile = None
    if xml is not None and xml.is_file():
        try:
            parsed = service_xml.read(xml)
        except SetupError as exc:
            log.info("effective configuration without the XML %s: %s", xml, exc.message)
        else:
            jvm, app, xml_profile = parsed.jvm_options, parsed.app_args, parsed.profile
            env.update({name: value for name, value in parsed.env if name})
    if jvm_options is not None:
        jvm = jvm_options
    return load(jar if jar is not None and jar.is_file() else None, folder, profile=profile or xml_profile,
                jvm_options=jvm, app_args=app, env=env, local_override=local_override)
