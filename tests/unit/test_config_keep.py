"""The keys setup writes into integrasjonspunkt-local.properties: the running version's values where an upgrade's
target has other defaults, and Digdir's local defaults on a fresh 3.x/4.x install."""

from __future__ import annotations

from pathlib import Path

from installer import config_check, config_keep, effective_config, health
from installer import properties as props_mod
from tests.config_jars import JKS_HEAD, PKCS12_HEAD, V2, V4, make_jar

ORG = {"difi.move.org.number": "910076787", "difi.move.org.keystore.path": "file:./org.jks"}


def loader(jar: Path, folder: Path) -> config_keep.Loader:
    return lambda local: effective_config.load(jar, folder, profile="production", env={}, local_override=local)


def test_a_2x_on_h2_keeps_scheme_port_auth_database_broker_and_keystore_type_on_4x(tmp_path: Path) -> None:
    (tmp_path / "org.jks").write_bytes(JKS_HEAD)
    local = {**ORG, "server.port": "9095"}
    running = loader(make_jar(tmp_path / "v2.jar", V2), tmp_path)(local)
    target = loader(make_jar(tmp_path / "v4.jar", V4), tmp_path)
    keys = config_keep.keep_running(running, target, local)
    assert keys == {"difi.ssl.enabled": "false", "difi.security.enable": "false",
                    "difi.datasource.url": "jdbc:h2:file:./integrasjonspunkt",
                    "difi.activemq.broker-url": "vm://localhost", "difi.move.org.keystore.type": "jks"}
    after = target({**local, **keys})
    assert config_check.problems(after, tmp_path, 4) == []
    assert health.target_from("manage", after, "v4.0.8").url == "http://localhost:9095/manage/health"
    # Written as the file will hold them, read back by Java's rules.
    text = props_mod.render_keys(keys, "kept")
    assert "\ndifi.datasource.url=jdbc:h2:file:./integrasjonspunkt\n" in text
    assert props_mod.parse(text) == keys


def test_a_key_the_target_does_not_read_through_difi_is_written_as_itself(tmp_path: Path) -> None:
    files = dict(V4)
    files["application.properties"] = files["application.properties"].replace(
        "server.ssl.enabled=${difi.ssl.enabled:false}", "server.ssl.enabled=true")
    running = loader(make_jar(tmp_path / "v2.jar", V2), tmp_path)(dict(ORG))
    keys = config_keep.keep_running(running, loader(make_jar(tmp_path / "v4.jar", files), tmp_path), dict(ORG))
    assert keys["server.ssl.enabled"] == "false"


def test_nothing_is_written_when_nothing_would_change(tmp_path: Path) -> None:
    jar = make_jar(tmp_path / "v2.jar", V2)
    running = loader(jar, tmp_path)(dict(ORG))
    assert config_keep.keep_running(running, loader(make_jar(tmp_path / "v2b.jar", V2), tmp_path), dict(ORG)) == {}


def test_fresh_4x_install_gets_digdirs_local_defaults_and_tls_off(tmp_path: Path) -> None:
    target = loader(make_jar(tmp_path / "v4.jar", V4), tmp_path)
    keys = config_keep.fresh_defaults(target, dict(ORG), None, None)
    assert keys == {"difi.datasource.url": "jdbc:h2:file:./integrasjonspunkt",
                    "difi.activemq.broker-url": "vm://localhost", "difi.ssl.enabled": "false"}
    # What the admin set stays the admin's.
    own = {**ORG, "difi.datasource.url": "jdbc:postgresql://db/ip", "difi.ssl.enabled": "true"}
    assert config_keep.fresh_defaults(target, own, None, None) == {"difi.activemq.broker-url": "vm://localhost"}


def test_fresh_install_with_a_tls_keystore_turns_tls_on_with_its_type_from_the_file(tmp_path: Path) -> None:
    tls = tmp_path / "tls.jks"
    tls.write_bytes(PKCS12_HEAD)  # a PKCS12 file, whatever its name says
    keys = config_keep.fresh_defaults(loader(make_jar(tmp_path / "v4.jar", V4), tmp_path), dict(ORG), tls, "pw")
    assert keys["difi.ssl.enabled"] == "true" and keys["difi.ssl.key-store-type"] == "PKCS12"
    assert keys["difi.ssl.key-store"] == f"file:{tls}"
    assert "pw" not in config_keep.listed(keys)
