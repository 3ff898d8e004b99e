"""Where each setting comes from (CLI.md): precedence, the state-file exception and the security exception."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from installer.cmdline import parse
from installer.errors import ExitCode, SetupError
from installer.settings import resolve


def settings_for(argv: list[str], environ: dict[str, str] | None = None, *, exe_dir: Path | None = None,
                 state: dict | None = None, stdin: str = ""):
    return resolve(parse(argv), environ or {}, exe_dir=exe_dir,
                   load_state=(lambda folder: state or {}), stdin=io.StringIO(stdin))


def toml(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "setup.toml").write_text(text, encoding="utf-8")


def test_defaults(tmp_path: Path) -> None:
    s = settings_for(["/status", "/dir", str(tmp_path)])
    assert (s.env, s.service_id, s.health_timeout, s.health_stable, s.keep_jars) == (
        "production", "integrasjonspunkt", 180.0, 5.0, 3)
    assert s.maven_repo == "https://repo1.maven.org/maven2"
    assert s.origins["env"] == "default"


def test_each_layer_beats_the_ones_below(tmp_path: Path) -> None:
    folder, exe = tmp_path / "ip", tmp_path / "dl"
    toml(exe, 'maven-repo = "https://exe.example/m2"\nkeep-jars = 5\nhealth-stable = 7\nhealth-timeout = 90\n')
    toml(folder, 'maven-repo = "https://dir.example/m2"\nkeep_jars = 4\nhealth-stable = 6\n')
    env = {"IPSETUP_MAVEN_REPO": "https://env.example/m2", "IPSETUP_KEEP_JARS": "2"}
    s = settings_for(["/status", "/dir", str(folder), "/maven-repo", "https://cli.example/m2"], env, exe_dir=exe)
    assert s.maven_repo == "https://cli.example/m2" and s.origins["maven-repo"] == "command line"
    assert s.keep_jars == 2 and s.origins["keep-jars"] == "IPSETUP_KEEP_JARS"
    assert s.health_stable == 6.0 and s.origins["health-stable"].endswith(str(Path("ip") / "setup.toml"))
    assert s.health_timeout == 90.0 and s.origins["health-timeout"].endswith(str(Path("dl") / "setup.toml"))
    s = settings_for(["/status", "/dir", str(folder)], env, exe_dir=exe)
    assert s.maven_repo == "https://env.example/m2"


def test_folder_from_environment_and_exe_file(tmp_path: Path) -> None:
    exe = tmp_path / "dl"
    toml(exe, f'dir = "{tmp_path / "from-exe"}"\n')
    assert settings_for(["/status"], exe_dir=exe).dir == tmp_path / "from-exe"
    s = settings_for(["/status"], {"IPSETUP_DIR": str(tmp_path / "from-env")}, exe_dir=exe)
    assert s.dir == tmp_path / "from-env"


def test_state_beats_defaults_for_ordinary_values(tmp_path: Path) -> None:
    s = settings_for(["/status", "/dir", str(tmp_path)], state={"env": "staging"})
    assert s.env == "staging" and s.origins["env"] == "state"


def test_env_service_id_java_of_an_installation_come_from_state_unless_command_line(tmp_path: Path) -> None:
    state = {"env": "staging", "service-id": "ip-a", "java": "/opt/java8/bin/java"}
    toml(tmp_path, 'env = "production"\nservice-id = "ip-b"\njava = "/opt/other/bin/java"\n')
    environ = {"IPSETUP_ENV": "production", "IPSETUP_SERVICE_ID": "ip-c"}
    s = settings_for(["/upgrade", "2.x", "/dir", str(tmp_path)], environ, state=state)
    assert (s.env, s.service_id, s.java) == ("staging", "ip-a", "/opt/java8/bin/java")
    s = settings_for(["/upgrade", "2.x", "/dir", str(tmp_path), "/env", "production"], environ, state=state)
    assert s.env == "production" and s.origins["env"] == "command line"
    assert any("staging" in n and "production" in n for n in s.notes)


@pytest.mark.parametrize("name, value", [
    ("allow-unsigned", "1"), ("trusted-key", "/tmp/k.asc"), ("allow-http", "true"),
    ("winsw-catalog", "/tmp/c.json"), ("java", "/tmp/java"), ("jvm-options", "-Xmx1g"), ("purge", "1"),
])
def test_security_options_never_come_from_environment_or_exe_file(tmp_path: Path, name: str, value: str) -> None:
    exe = tmp_path / "dl"
    toml(exe, f'{name} = "{value}"\n')
    environ = {"IPSETUP_" + name.upper().replace("-", "_"): value}
    verb = ["/uninstall"] if name == "purge" else ["/status"]
    s = settings_for([*verb, "/dir", str(tmp_path / "ip")], environ, exe_dir=exe)
    assert name not in s.origins
    assert len([n for n in s.notes if name in n]) == 2


def test_security_options_from_install_folder_file_are_taken(tmp_path: Path) -> None:
    toml(tmp_path, 'allow-unsigned = true\njvm-options = "-Xmx2048m"\n')
    s = settings_for(["/status", "/dir", str(tmp_path)])
    assert s.allow_unsigned is True and s.jvm_options == "-Xmx2048m"


def test_password_from_stdin_env_and_command_line(tmp_path: Path) -> None:
    argv = ["/install", "/dir", str(tmp_path), "/keystore-password", "-"]
    s = settings_for(argv, stdin="s3cret\n")
    assert s.keystore_password == "s3cret" and not s.notes
    s = settings_for(["/install", "/dir", str(tmp_path)], {"IPSETUP_KEYSTORE_PASSWORD": "fromenv"})
    assert s.keystore_password == "fromenv"
    s = settings_for(["/install", "/dir", str(tmp_path), "/keystore-password", "literal"])
    assert s.keystore_password == "literal"
    assert any("IPSETUP_KEYSTORE_PASSWORD" in n for n in s.notes)
    assert "literal" not in repr(s)


def test_passwords_are_refused_in_settings_files(tmp_path: Path) -> None:
    toml(tmp_path, 'service-password = "x"\n')
    with pytest.raises(SetupError) as caught:
        settings_for(["/status", "/dir", str(tmp_path)])
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE


@pytest.mark.parametrize("argv", [
    ["/status", "/env", "test"], ["/status", "/keep-jars", "0"], ["/status", "/health-timeout", "-1"],
    ["/status", "/service-id", "bad id"], ["/status", "/lang", "de"],
    ["/install", "/keystore-type", "pem"],
])
def test_bad_values(tmp_path: Path, argv: list[str]) -> None:
    with pytest.raises(SetupError) as caught:
        settings_for([*argv, "/dir", str(tmp_path)])
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE


def test_broken_settings_file_is_one_clear_line(tmp_path: Path) -> None:
    toml(tmp_path, "keep-jars = = 3\n")
    with pytest.raises(SetupError) as caught:
        settings_for(["/status", "/dir", str(tmp_path)])
    assert "setup.toml" in caught.value.message and "\n" not in caught.value.message
