"""Preflight of integrasjonspunkt's own configuration: what would stop the version from starting, found before
anything changes (exit 10 naming each key), and versions known to fail against Digdir's services today."""

from __future__ import annotations

import re
from pathlib import Path

from installer.effective_config import EffectiveConfig, Unresolvable
from installer.errors import ExitCode, SetupError
from installer.messages import t

# Keys every version binds while it starts: a placeholder in them that resolves nowhere stops the start.
STARTUP_KEYS = (
    "server.port", "management.server.port", "server.ssl.enabled", "spring.datasource.url",
    "spring.activemq.broker-url", "difi.move.feature.enable-auth", "difi.move.org.number",
    "difi.move.org.keystore.path", "difi.move.org.keystore.alias", "difi.move.org.keystore.password",
    "difi.move.org.keystore.type",
)
# With TLS on, Tomcat opens this keystore while it starts.
TLS_KEYS = ("server.ssl.key-store", "server.ssl.key-store-password", "server.ssl.key-alias")
PORT_KEYS = ("server.port", "management.server.port")
# The file formats a keystore type reads: JKS files begin with FEEDFEED, JCEKS with CECECECE, PKCS12 is DER.
_MAGIC = {b"\xfe\xed\xfe\xed": "JKS", b"\xce\xce\xce\xce": "JCEKS"}

# Versions that cannot work against Digdir's services today (FACTS.md §1): the first version that can, per line.
FIRST_WORKING = {2: ((2, 28, 4), "eureka"), 3: ((4, 0, 3), "dpi"), 4: ((4, 0, 3), "dpi")}


def problems(config: EffectiveConfig, folder: Path, major: int) -> list[str]:
    """Each reason why this configuration cannot start, one line each; [] when it can."""
    found: list[str] = []
    admin_keys = {key for layer in config.layers if not layer.name.startswith("application") for key in layer.values}
    checked = dict.fromkeys([*STARTUP_KEYS, *sorted(admin_keys)])
    values: dict[str, str | None] = {}
    for key in checked:
        try:
            values[key] = config.get(key)
        except Unresolvable as exc:
            found.append(t("config.unresolvable", name=key, placeholder=exc.placeholder, source=_where(config, key)))
    for key in PORT_KEYS:
        value = values.get(key)
        if value is not None and not _valid_port(value):
            found.append(t("config.bad_port", name=key, value=value[:40], source=_where(config, key)))
    if major >= 3 and not config.profiles:
        found.append(t("config.no_profile"))
    if (values.get("server.ssl.enabled") or "").strip().lower() == "true":
        for key in TLS_KEYS:
            if key in values:
                continue
            try:
                values[key] = config.get(key)
            except Unresolvable as exc:
                found.append(t("config.unresolvable", name=key, placeholder=exc.placeholder,
                               source=_where(config, key)))
        tls_store = values.get("server.ssl.key-store")
        if tls_store is not None:
            path = resource_path(tls_store, folder)
            if path is not None and not path.is_file():
                found.append(t("config.tls_keystore_missing", name="server.ssl.key-store", path=path))
    found += _keystore_type(values, folder)
    return found


def _where(config: EffectiveConfig, key: str) -> str:
    return config.source(key) or "?"


def _valid_port(value: str) -> bool:
    text = value.strip()
    return bool(re.fullmatch(r"\d{1,5}", text)) and 0 < int(text) < 65536


def resource_path(value: str, folder: Path) -> Path | None:
    """A Spring resource that names a file (`file:` or a plain path, relative to the folder); None otherwise."""
    text = value.strip()
    if text.startswith("classpath:") or not text:
        return None
    if text.startswith("file:"):
        text = text[len("file:"):]
        if text.startswith("///"):
            text = text[2:]
    if re.match(r"^/[A-Za-z]:/", text):  # file:/C:/... on Windows
        text = text[1:]
    path = Path(text)
    return path if path.is_absolute() or re.match(r"^[A-Za-z]:[\\/]", text) else folder / path


def keystore_format(path: Path) -> str | None:
    """JKS, JCEKS or PKCS12 from the file's first bytes; None when it is none of them or cannot be read."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return None
    if head in _MAGIC:
        return _MAGIC[head]
    return "PKCS12" if head[:1] == b"\x30" else None


def _keystore_type(values: dict[str, str | None], folder: Path) -> list[str]:
    declared = (values.get("difi.move.org.keystore.type") or "").strip()
    location = values.get("difi.move.org.keystore.path")
    if not declared or not location:
        return []
    path = resource_path(location, folder)
    if path is None or not path.is_file():
        return []
    actual = keystore_format(path)
    if actual is None:
        return [t("config.not_a_keystore", name="difi.move.org.keystore.path", path=path)]
    if actual.upper() == declared.upper():
        return []
    return [t("config.keystore_type", name="difi.move.org.keystore.type", declared=declared, path=path,
              actual=actual)]


def refuse(version: str, found: list[str]) -> None:
    """Exit 10 naming each problem, before anything changes."""
    if found:
        raise SetupError(ExitCode.PREREQUISITES, t("config.cannot_start", version=version, problems="; ".join(found)))


def known_to_fail(version: tuple[int, ...], tag: str) -> str | None:
    """A warning for a version that cannot work against Digdir's services today, else None."""
    rule = FIRST_WORKING.get(version[0]) if version else None
    if rule is None or tuple(version[:3]) >= rule[0]:
        return None
    first = ".".join(str(n) for n in rule[0])
    return t(f"config.known_to_fail_{rule[1]}", version=tag, first=first if rule[1] == "eureka" else "v" + first)
