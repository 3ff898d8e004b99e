"""One typed settings object from: command line > IPSETUP_* environment > the install folder's setup.toml >
setup.toml beside the executable > the state file > built-in defaults (CLI.md, "Where a setting comes from").

Two exceptions, both from CLI.md:
- `env`, `service-id` and `java` of an existing installation come from its state file unless the command
  line names them;
- options that weaken security, choose what runs as the service or destroy data are taken only from the
  command line or the install folder's setup.toml.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from installer.cmdline import OPTIONS, Arity, Invocation
from installer.errors import ExitCode, SetupError, first_line
from installer.folder_trust import TRUSTED, Verdict
from installer.messages import t

log = logging.getLogger(__name__)

SETTINGS_FILE = "setup.toml"
# Settings of the result e-mail (mail_report.py): in a setup.toml only, never on the command line.
MAIL_KEYS = frozenset({"smtp-host", "mail-from", "mail-to"})
DEFAULT_WINDOWS_DIR = r"C:\integrasjonspunkt"

DEFAULTS: dict[str, Any] = {
    "env": "production",
    "service-id": "integrasjonspunkt",
    "health-timeout": 180.0,
    "health-stable": 5.0,
    "keep-jars": 3,
    "lang": "en",
    "maven-repo": "https://repo1.maven.org/maven2",
    "github-releases": "https://github.com/felleslosninger/efm-integrasjonspunkt/releases/download",
    "github-api": "https://api.github.com/repos/felleslosninger/efm-integrasjonspunkt",
    "versions-url": "https://raw.githubusercontent.com/felleslosninger/efm-integrasjonspunkt/main/latest-versions.yml",
    "winsw-releases": "https://github.com/winsw/winsw/releases/download",
    # Where Digdir publishes the current copy of its code-signing key (CLI.md "Keys").
    "key-url": "https://docs.digdir.no/resources/eformidling/public_keys/eformidling-key.asc",
}

# Taken only from the command line or the install folder's setup.toml.
RESTRICTED = frozenset(
    {"allow-unsigned", "trusted-key", "allow-http", "winsw-catalog", "java", "jvm-options", "purge"}
)
# Never from the environment either: each picks a file setup reads or writes as administrator, or skips a safeguard
# (an IPSETUP_LOG pointed into a Startup folder would append text there).
NOT_FROM_ENVIRONMENT = RESTRICTED | {
    "properties", "log", "offline", "allow-downgrade", "allow-major", "ignore-kosmos", "yes"}
# Of an existing installation, these come from the state file unless the command line names them.
FROM_STATE = ("env", "service-id", "java")
# Only from the command line or their IPSETUP_ variable, never from a file.
PASSWORDS = ("service-password", "keystore-password", "tls-keystore-password")
# Never read from a settings file or the environment: they describe this one run.
RUN_ONLY = frozenset({"help", "version", "to", "secure-folder", "create-user", "from-kosmos", "at", "days"})

_SERVICE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def valid_service_id(value: object) -> bool:
    """The service id's grammar; it becomes part of the exe's file name and the service's name."""
    return isinstance(value, str) and bool(_SERVICE_ID.fullmatch(value))


def env_var(name: str) -> str:
    return "IPSETUP_" + name.upper().replace("-", "_")


class Origin(StrEnum):
    """Where a setting's value came from, when not from a named variable or file (those are recorded by name)."""

    COMMAND_LINE = "command line"
    ENVIRONMENT = "environment"  # the layer; a value read from it is recorded as its IPSETUP_X name
    STATE = "state"  # the installation's state file
    DEFAULT = "default"
    KOSMOS = "kosmos"  # what KOSMOS ran (/adopt /from-kosmos)
    WIZARD = "wizard"  # an answer in the wizard


@dataclass
class Settings:
    verb: str | None = None
    spec: str | None = None
    dir: Path | None = None
    env: str = "production"
    service_id: str = "integrasjonspunkt"
    java: str | None = None
    winsw: str | None = None
    health_timeout: float = 180.0
    health_stable: float = 5.0
    jvm_options: str | None = None
    keep_jars: int = 3
    allow_major: bool = False
    allow_http: bool = False
    norestart: bool = False
    ignore_kosmos: bool = False
    service_password: str | None = field(default=None, repr=False)
    service_user: str | None = None  # /service-user as given; installer/accounts.py reads it
    create_user: bool = False
    mode: str = "service"  # /mode: "task" runs integrasjonspunkt as a Task Scheduler task (install only)
    lang: str = "en"
    quiet: bool = False
    yes: bool = False
    log: Path | None = None
    json: bool = False
    maven_repo: str = DEFAULTS["maven-repo"]
    github_releases: str = DEFAULTS["github-releases"]
    github_api: str = DEFAULTS["github-api"]
    versions_url: str = DEFAULTS["versions-url"]
    winsw_releases: str = DEFAULTS["winsw-releases"]
    proxy: str | None = None  # http://host:port for downloads (else WinHTTP's, else the environment's)
    service_proxy: bool = False  # the same proxy also into the service's Java options (kept in the state file)
    winsw_catalog: Path | None = None
    offline: Path | None = None
    trusted_key: Path | None = None
    key_url: str = DEFAULTS["key-url"]
    allow_unsigned: bool = False
    allow_downgrade: bool = False
    to: Path | None = None
    properties: Path | None = None
    orgnr: str | None = None
    keystore: str | None = None
    keystore_alias: str | None = None
    keystore_password: str | None = field(default=None, repr=False)
    keystore_type: str | None = None
    tls_keystore: str | None = None
    tls_keystore_alias: str | None = None
    tls_keystore_password: str | None = field(default=None, repr=False)
    purge: bool = False
    restore_data: bool = False
    from_kosmos: bool = False
    at: str | None = None  # /schedule's time, "05:30" (installer/schedule.py checks it)
    days: str | None = None  # /schedule's days, "MON-FRI"
    secure_folder: bool = False
    # The install folder's verdict (CLI.md "Trust"): when untrusted, nothing was read from it.
    trust: Verdict = TRUSTED
    # option name -> where its value came from: an Origin, or the IPSETUP_X variable or setup.toml path it was read from
    origins: dict[str, str] = field(default_factory=dict)
    # Warnings found while resolving (shown once logging is set up).
    notes: list[str] = field(default_factory=list)

    def named_on_command_line(self, name: str) -> bool:
        return self.origins.get(name) == Origin.COMMAND_LINE


# --- typing of raw values -------------------------------------------------------------------------


def _bad(name: str, reason: str) -> SetupError:
    return SetupError(ExitCode.BAD_COMMAND_LINE, t("cli.bad_value", name=name, reason=reason))


def _seconds(name: str, raw: Any) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise _bad(name, t("cli.bad_number", value=raw)) from None
    if value < 0 or value != value or value == float("inf"):
        raise _bad(name, t("cli.bad_number", value=raw))
    return value


def _positive_int(name: str, raw: Any) -> int:
    try:
        value = int(str(raw), 10)
    except ValueError:
        raise _bad(name, t("cli.bad_positive_int", value=raw)) from None
    if value < 1:
        raise _bad(name, t("cli.bad_positive_int", value=raw))
    return value


def _choice(*choices: str) -> Callable[[str, Any], str]:
    def convert(name: str, raw: Any) -> str:
        value = str(raw).lower()
        if value not in choices:
            raise _bad(name, t("cli.bad_choice", choices="|".join(choices), value=raw))
        return value

    return convert


def _keystore_type(name: str, raw: Any) -> str:
    return _choice("jks", "pkcs12")(name, raw).upper()


def _service_id(name: str, raw: Any) -> str:
    value = str(raw)
    if not _SERVICE_ID.match(value):
        raise _bad(name, t("cli.bad_service_id", value=raw))
    return value


def _path(name: str, raw: Any) -> Path:
    return Path(str(raw))


def _text(name: str, raw: Any) -> str:
    return str(raw)


def _bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise _bad(name, t("cli.bad_bool", value=raw))


CONVERTERS: dict[str, Callable[[str, Any], Any]] = {
    "dir": _path,
    "env": _choice("staging", "production"),
    "service-id": _service_id,
    "health-timeout": _seconds,
    "health-stable": _seconds,
    "keep-jars": _positive_int,
    "lang": _choice("en", "nb"),
    "log": _path,
    "winsw-catalog": _path,
    "offline": _path,
    "trusted-key": _path,
    "to": _path,
    "properties": _path,
    "keystore-type": _keystore_type,
    "service-proxy": _bool,
    "mode": _choice("service", "task"),
}


def _convert(name: str, raw: Any) -> Any:
    if OPTIONS[name] is Arity.FLAG:
        return _bool(name, raw)
    return CONVERTERS.get(name, _text)(name, raw)


# --- the layers -----------------------------------------------------------------------------------


def read_settings_file(path: Path) -> dict[str, Any]:
    """`setup.toml`: option names as keys (`maven-repo` or `maven_repo`); missing file -> {}."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SetupError(
            ExitCode.BAD_COMMAND_LINE, t("cli.bad_settings_file", path=path, reason=first_line(exc))
        ) from None
    result: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("_", "-").lower()
        if name in MAIL_KEYS:
            continue  # read by mail_report.py, from the install folder's own file only
        if name not in OPTIONS or name in RUN_ONLY or name in PASSWORDS:
            raise SetupError(ExitCode.BAD_COMMAND_LINE, t("cli.unknown_setting", path=path, name=key))
        result[name] = value
    return result


def executable_dir() -> Path | None:
    """The folder of the frozen setup.exe (its setup.toml is the weakest file layer); None when run from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def default_dir() -> Path | None:
    return Path(DEFAULT_WINDOWS_DIR) if os.name == "nt" else None


def _read_password(name: str, raw: str, stdin: TextIO) -> str:
    if raw != "-":
        return raw
    line = stdin.readline()
    value = line.rstrip("\r\n")
    if not value:
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("cli.password_stdin_empty", name=name))
    return value


def resolve(
    inv: Invocation,
    environ: Mapping[str, str] | None = None,
    *,
    exe_dir: Path | None = None,
    load_state: Callable[[Path], Mapping[str, Any]] | None = None,
    stdin: TextIO | None = None,
    check_trust: Callable[[Path], Verdict] | None = None,
) -> Settings:
    """Build the settings of one run. `load_state(folder)` gives what the state file recorded there
    (option names as keys: env, service-id, java, ...); `check_trust(folder)` judges the folder before its
    setup.toml or state file is read (an untrusted folder supplies nothing)."""
    environ = os.environ if environ is None else environ
    stdin = sys.stdin if stdin is None else stdin
    cli = dict(inv.options)
    settings = Settings(verb=inv.verb, spec=inv.value)

    env_layer = {
        name: environ[env_var(name)]
        for name in OPTIONS
        if env_var(name) in environ and name not in RUN_ONLY and name not in NOT_FROM_ENVIRONMENT
    }
    for name in sorted(NOT_FROM_ENVIRONMENT):
        if env_var(name) in environ:
            settings.notes.append(t("cli.setting_not_here", name=name, origin=env_var(name)))

    exe_file = exe_dir / SETTINGS_FILE if exe_dir else None
    exe_layer = read_settings_file(exe_file) if exe_file else {}
    for name in RESTRICTED & exe_layer.keys():
        settings.notes.append(t("cli.setting_not_here", name=name, origin=str(exe_file)))
        del exe_layer[name]

    # The folder decides which setup.toml is the strongest file: it cannot come from that file itself.
    dir_value, dir_origin = None, str(Origin.DEFAULT)
    for layer, origin in ((cli, Origin.COMMAND_LINE), (env_layer, env_var("dir")), (exe_layer, str(exe_file))):
        if "dir" in layer:
            dir_value, dir_origin = layer["dir"], origin
            break
    if dir_value is None and default_dir() is not None:
        dir_value = default_dir()
    folder = Path(str(dir_value)) if dir_value is not None else None
    if folder is not None and check_trust is not None:
        settings.trust = check_trust(folder)
    readable = folder is not None and settings.trust.trusted
    dir_file = folder / SETTINGS_FILE if folder else None
    dir_layer = read_settings_file(dir_file) if dir_file and readable else {}
    dir_layer.pop("dir", None)
    if dir_origin not in (Origin.COMMAND_LINE, Origin.DEFAULT):
        # A weaker source chose the folder: it must not also choose which file supplies restricted options.
        for name in sorted(RESTRICTED & dir_layer.keys()):
            settings.notes.append(t("cli.setting_not_here_dir", name=name, origin=str(dir_file), by=dir_origin))
            del dir_layer[name]

    state = dict(load_state(folder)) if load_state and folder and readable else {}
    layers: list[tuple[Mapping[str, Any], str]] = [
        (cli, Origin.COMMAND_LINE),
        (env_layer, Origin.ENVIRONMENT),
        (dir_layer, str(dir_file)),
        (exe_layer, str(exe_file)),
        (state, Origin.STATE),
        (DEFAULTS, Origin.DEFAULT),
    ]

    for name in OPTIONS:
        if name in ("help", "version"):
            continue
        if name == "dir":
            value, origin = folder, dir_origin
        elif name in PASSWORDS:
            value, origin = None, ""
            if name in cli:
                value, origin = _read_password(name, str(cli[name]), stdin), Origin.COMMAND_LINE
                if cli[name] != "-":
                    settings.notes.append(t("cli.password_on_command_line", var=env_var(name)))
            elif env_var(name) in environ:
                value, origin = environ[env_var(name)], env_var(name)
        else:
            order = layers
            if name in FROM_STATE and name in state:
                order = [layers[0], layers[4], *layers[1:4], layers[5]]
            value, origin = None, ""
            for layer, layer_origin in order:
                if name in layer:
                    value, origin = layer[name], layer_origin
                    if layer_origin == Origin.ENVIRONMENT:
                        origin = env_var(name)
                    break
            if value is not None and origin != Origin.STATE:
                value = _convert(name, value)
        if value is None:
            continue
        setattr(settings, name.replace("-", "_"), value)
        settings.origins[name] = origin

    for name in FROM_STATE:
        recorded = state.get(name)
        if recorded is not None and name in cli and _convert(name, cli[name]) != recorded:
            settings.notes.append(
                t("cli.changed_from_state", name="/" + name, old=recorded, new=cli[name])
            )
    return settings


def take_recorded(settings: Settings, recorded: Mapping[str, Any]) -> None:
    """What an installation's state file records (`State.recorded_settings()`) counts as it would have from the
    start of this run, for a state file read later (a folder chosen in the wizard, a take-over by /adopt): the
    command line still wins (CLI.md: env, service-id and java come from the state file unless it names them)."""
    for name, value in recorded.items():
        if value is not None and not settings.named_on_command_line(name):
            setattr(settings, name.replace("-", "_"), value)
            settings.origins[name] = Origin.STATE


def require_dir(settings: Settings) -> Path:
    if settings.dir is None:
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("cli.dir_required"))
    return settings.dir
