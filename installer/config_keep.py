"""The keys setup writes into integrasjonspunkt-local.properties so that a version starts the way the admin expects:
Digdir's local defaults on a fresh 3.x/4.x install, the running version's values where an upgrade's target has
other defaults (TLS, basic auth, database, broker, keystore type, port)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from installer.config_check import keystore_format
from installer.effective_config import EffectiveConfig, Unresolvable

# What an upgrade must not change silently: the effective key, and the key the jar's files let the admin set it by.
KEPT = (
    ("server.ssl.enabled", "difi.ssl.enabled"),
    ("difi.move.feature.enable-auth", "difi.security.enable"),
    ("spring.datasource.url", "difi.datasource.url"),
    ("spring.activemq.broker-url", "difi.activemq.broker-url"),
    ("difi.move.org.keystore.type", "difi.move.org.keystore.type"),
    ("server.port", "server.port"),
)
# Digdir's documented local defaults (the 2.x jar's own values; 4.x has none for the first two).
LOCAL_DEFAULTS = (
    ("spring.datasource.url", "difi.datasource.url", "jdbc:h2:file:./integrasjonspunkt"),
    ("spring.activemq.broker-url", "difi.activemq.broker-url", "vm://localhost"),
)
SECRET_KEYS = frozenset({"difi.ssl.key-store-password"})

Loader = Callable[[dict[str, str]], EffectiveConfig]  # the target's configuration with these local properties


def _value(config: EffectiveConfig, key: str) -> str | None:
    try:
        return config.get(key)
    except Unresolvable:
        return None


def _same(key: str, a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    if key.endswith((".enabled", ".enable", "enable-auth", ".type")):
        return a.strip().lower() == b.strip().lower()
    return a.strip() == b.strip()


def _settle(target: Loader, local: dict[str, str], wanted: dict[str, str], names: dict[str, str]) -> dict[str, str]:
    """The keys to add so that the target resolves each effective key to the wanted value: the admin key first,
    the effective key itself where the target's files do not read the admin key."""
    added = {names[key]: value for key, value in wanted.items()}
    config = target({**local, **added})
    for key, value in wanted.items():
        if not _same(key, _value(config, key), value):
            added[key] = value
    return added


def keep_running(running: EffectiveConfig, target: Loader, local: dict[str, str]) -> dict[str, str]:
    """For an upgrade: the running version's effective values where the target would differ."""
    config = target(local)
    wanted: dict[str, str] = {}
    for key, _admin in KEPT:
        old = _value(running, key)
        if old is not None and not _same(key, old, _value(config, key)):
            wanted[key] = old
    return _settle(target, local, wanted, dict(KEPT)) if wanted else {}


def fresh_defaults(target: Loader, local: dict[str, str], tls_keystore: Path | None,
                   tls_password: str | None) -> dict[str, str]:
    """For a fresh install: Digdir's local defaults where the target has no value, and TLS off unless a TLS
    keystore is given (then on, with it)."""
    config = target(local)
    added: dict[str, str] = {}
    for key, admin, default in LOCAL_DEFAULTS:
        if _value(config, key) is None and admin not in local:
            added[admin] = default
    if tls_keystore is not None:
        added["difi.ssl.enabled"] = "true"
        added["difi.ssl.key-store"] = "file:" + str(tls_keystore).replace("\\", "/")
        added["difi.ssl.key-store-password"] = tls_password or ""
        # By the file's first bytes: Tomcat reads a .p12 named .jks as badly as the other way round.
        added["difi.ssl.key-store-type"] = keystore_format(tls_keystore) or "JKS"
    elif ("difi.ssl.enabled" not in local and "server.ssl.enabled" not in local
          and (_value(config, "server.ssl.enabled") or "").strip().lower() == "true"):
        added["difi.ssl.enabled"] = "false"
    return added


def listed(keys: dict[str, str]) -> str:
    """The keys for a message: `key=value`, a password shown only as set."""
    return ", ".join(f"{k}=***" if k in SECRET_KEYS else f"{k}={v}" for k, v in keys.items())
