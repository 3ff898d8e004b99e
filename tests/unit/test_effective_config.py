"""The effective configuration (CLI.md "Configuration of integrasjonspunkt itself"): the jar's own files, the local
file as the profile imports it, environment and XML arguments, placeholders as Spring resolves them; and the
preflight and health URL made from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from installer import config_check, effective_config, health
from installer import properties as props_mod
from installer.effective_config import Unresolvable
from installer.errors import ExitCode, SetupError
from tests.config_jars import JKS_HEAD, PKCS12_HEAD, V2, V4, make_jar
from tests.harness.standin.jar_config import config_files

ORG = "difi.move.org.number=910076787\n"


def local(folder: Path, text: str, name: str = "integrasjonspunkt-local.properties") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def load(jar: Path, folder: Path, **kwargs) -> effective_config.EffectiveConfig:
    kwargs.setdefault("env", {})
    return effective_config.load(jar, folder, **kwargs)


def test_a_comment_ending_in_a_backslash_does_not_swallow_the_next_line(tmp_path: Path) -> None:
    # Java ends a comment at the line's end; the hand-written reader continued it and lost server.port.
    local(tmp_path, "# old keystore was C:\\certs\\\nserver.port=9095\n" + ORG)
    assert props_mod.read(tmp_path / "integrasjonspunkt-local.properties")["server.port"] == "9095"
    config = load(make_jar(tmp_path / "ip-2.jar", V2), tmp_path, profile="production")
    assert health.target_from("manage", config, "2.28.6").url == "http://localhost:9095/manage/health"


def test_2x_reads_the_local_file_through_its_own_default_profile(tmp_path: Path) -> None:
    local(tmp_path, ORG + "server.port=9101\n")
    # A key of the jar's own file whose placeholder only the local file fills.
    files = config_files("2.28.6", {"application.properties": {
        "difi.move.dpo.systemName": "${difi.move.org.number}_integrasjonspunkt"}})
    config = load(make_jar(tmp_path / "ip.jar", files), tmp_path)
    assert config.profiles == ["production"]
    assert config.get("server.port") == "9101"
    assert config.get("spring.datasource.url") == "jdbc:h2:file:./integrasjonspunkt"
    assert config.get("server.ssl.enabled") == "false"
    assert config.get("difi.move.dpo.systemName") == "910076787_integrasjonspunkt"


def test_4x_without_a_profile_never_reads_the_local_file(tmp_path: Path) -> None:
    local(tmp_path, ORG + "server.port=9101\ndifi.datasource.url=jdbc:h2:file:./db\n")
    jar = make_jar(tmp_path / "ip.jar", V4)
    without = load(jar, tmp_path)
    assert without.profiles == [] and without.get("server.port") == "9093"
    with pytest.raises(Unresolvable, match=r"difi\.datasource\.url"):
        without.get("spring.datasource.url")
    assert load(jar, tmp_path, profile="staging").get("server.port") == "9101"


def test_4x_defaults_tls_on_auth_on_pkcs12(tmp_path: Path) -> None:
    local(tmp_path, ORG)
    config = load(make_jar(tmp_path / "ip.jar", V4), tmp_path, profile="production")
    assert config.get("server.ssl.enabled") == "true"
    assert config.get("difi.move.feature.enable-auth") == "true"
    assert config.get("difi.move.org.keystore.type") == "PKCS12"
    assert health.target_from("manage", config, "v4.0.8").url == "https://localhost:9093/manage/health"


def test_sources_in_springs_order(tmp_path: Path) -> None:
    local(tmp_path, ORG + "server.port=9101\ndifi.ssl.enabled=false\n")
    local(tmp_path, "server:\n  port: 9102\ndifi:\n  security:\n    enable: false\n", "integrasjonspunkt-local.yml")
    jar = make_jar(tmp_path / "ip.jar", V4)
    # The .yml is imported after the .properties: it wins.
    config = load(jar, tmp_path, profile="production")
    assert config.get("server.port") == "9102" and config.get("difi.move.feature.enable-auth") == "false"
    # The environment (relaxed name) beats the local files, -D beats the environment, -- beats -D.
    assert load(jar, tmp_path, profile="production", env={"SERVER_PORT": "9103"}).get("server.port") == "9103"
    assert load(jar, tmp_path, profile="production", env={"SERVER_PORT": "9103"},
                jvm_options=["-Dserver.port=9104"]).get("server.port") == "9104"
    assert load(jar, tmp_path, profile="production", jvm_options=["-Dserver.port=9104"],
                app_args=["--server.port=9105"]).get("server.port") == "9105"
    # The environment names the property the jar reads through its placeholder.
    tls = load(jar, tmp_path, profile="production", env={"DIFI_SSL_ENABLED": "true"})
    assert tls.get("server.ssl.enabled") == "true"


def test_placeholders_resolve_as_spring_does(tmp_path: Path) -> None:
    config = effective_config.EffectiveConfig(
        [effective_config.Layer("x", {"a": "${b:${c:deep}}", "b2": "${a}-x", "loop": "${loop2}", "loop2": "${loop}",
                                      "url": "${missing:jdbc:h2:file:./x}", "c": "C"})], {}, env_position=1)
    assert config.get("a") == "C"
    assert config.get("b2") == "C-x"
    assert config.get("url") == "jdbc:h2:file:./x"  # the first colon splits name from default
    with pytest.raises(Unresolvable):
        config.get("loop")


def problems(jar_files: dict[str, str], folder: Path, text: str, major: int, profile: str | None = "production",
             **kwargs) -> list[str]:
    local(folder, text)
    config = load(make_jar(folder / "ip.jar", jar_files), folder, profile=profile, **kwargs)
    return config_check.problems(config, folder, major)


def test_a_4x_with_a_2x_style_file_cannot_start_and_each_key_is_named(tmp_path: Path) -> None:
    found = problems(V4, tmp_path, ORG, 4)
    text = " | ".join(found)
    assert "spring.datasource.url" in text and "difi.datasource.url" in text
    assert "spring.activemq.broker-url" in text and "difi.activemq.broker-url" in text
    # TLS is on by default and nothing names a keystore.
    assert "difi.ssl.key-store" in text and "difi.ssl.key-alias" in text
    with pytest.raises(SetupError) as refused:
        config_check.refuse("v4.0.8", found)
    assert refused.value.code == ExitCode.PREREQUISITES and "Nothing changed" in refused.value.message


def test_a_4x_with_digdirs_local_defaults_can_start(tmp_path: Path) -> None:
    text = ORG + ("difi.datasource.url=jdbc:h2:file:./integrasjonspunkt\ndifi.activemq.broker-url=vm://localhost\n"
                  "difi.ssl.enabled=false\n")
    assert problems(V4, tmp_path, text, 4) == []
    # Without a profile the same file is never read: the profile is named, and what it would have given.
    found = problems(V4, tmp_path / "noprofile", text, 4, profile=None)
    assert config_check.t("config.no_profile") in found and any("difi.datasource.url" in p for p in found)


def test_tls_on_with_a_keystore_file_that_is_not_there(tmp_path: Path) -> None:
    text = ORG + ("difi.datasource.url=jdbc:h2:file:./integrasjonspunkt\ndifi.activemq.broker-url=vm://localhost\n"
                  "difi.ssl.key-store=file:./tls.p12\ndifi.ssl.key-store-password=pw\ndifi.ssl.key-alias=ip\n")
    found = problems(V4, tmp_path, text, 4)
    assert len(found) == 1 and "server.ssl.key-store" in found[0] and str(tmp_path / "tls.p12") in found[0]
    (tmp_path / "tls.p12").write_bytes(PKCS12_HEAD)
    assert problems(V4, tmp_path, text, 4) == []


@pytest.mark.parametrize("value", ["99999", "abc", "0", "-1", "9093x", "${nowhere}"])
def test_an_invalid_server_port_is_refused(tmp_path: Path, value: str) -> None:
    found = problems(V2, tmp_path, ORG + f"server.port={value}\n", 2)
    assert len(found) == 1 and "server.port" in found[0]


def test_an_org_keystore_type_that_does_not_match_the_file(tmp_path: Path) -> None:
    (tmp_path / "org.jks").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "org.jks").write_bytes(JKS_HEAD)
    text = (ORG + "difi.move.org.keystore.path=file:./org.jks\ndifi.datasource.url=jdbc:h2:file:./x\n"
            "difi.activemq.broker-url=vm://localhost\ndifi.ssl.enabled=false\n")
    found = problems(V4, tmp_path, text, 4)  # 4.x reads the keystore as PKCS12 by default
    assert len(found) == 1 and "difi.move.org.keystore.type" in found[0] and "JKS" in found[0]
    assert problems(V2, tmp_path, text, 2) == []  # 2.x defaults to jks
    (tmp_path / "org.jks").write_bytes(b"not a keystore")
    assert "difi.move.org.keystore.path" in problems(V2, tmp_path, text, 2)[0]


def test_a_placeholder_the_admin_wrote_must_resolve(tmp_path: Path) -> None:
    found = problems(V2, tmp_path, ORG + "difi.move.some.url=${my.own.url}\n", 2)
    assert len(found) == 1 and "difi.move.some.url" in found[0] and "my.own.url" in found[0]


@pytest.mark.parametrize(("version", "warned"), [((2, 28, 3), True), ((2, 28, 4), False), ((3, 0, 2), True),
                                                  ((4, 0, 2), True), ((4, 0, 3), False), ((4, 0, 8), False)])
def test_versions_known_to_fail_against_digdir_today(version: tuple[int, ...], warned: bool) -> None:
    tag = ("v" if version[0] > 2 else "") + ".".join(map(str, version))
    assert (config_check.known_to_fail(version, tag) is not None) is warned
