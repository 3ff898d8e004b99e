"""Where settings may come from, run through `cli.main` as setup.exe runs (CLI.md "Options", precedence): the
setup.toml beside the executable is read; a weaker source (IPSETUP_DIR, that file) never chooses which folder's
setup.toml supplies restricted options; options that pick files or skip safeguards never come from the
environment."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from installer import cli
from installer.errors import ExitCode, same_exit_code
from installer.messages import set_language
from installer.settings import NOT_FROM_ENVIRONMENT, env_var
from tests.trust_support import planted_java

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX folders")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("IPSETUP_") and not name.startswith("IPSETUP_TEST"):
            monkeypatch.delenv(name)
    set_language("en")  # a run with lang = "nb" leaves its language behind in this process


def frozen_at(monkeypatch: pytest.MonkeyPatch, exe_dir: Path) -> None:
    """Run as the frozen setup.exe in `exe_dir` (PyInstaller sets sys.frozen and sys.executable)."""
    exe_dir.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe_dir / "setup.exe"))


def test_setup_toml_beside_the_exe_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ip"
    frozen_at(monkeypatch, tmp_path / "Downloads")
    (tmp_path / "Downloads" / "setup.toml").write_text(f'dir = "{folder}"\nlang = "nb"\n')
    code = cli.main(["/status", "/json"])
    document = json.loads(capsys.readouterr().out)
    assert same_exit_code(code, ExitCode.NOT_INSTALLED)
    assert document["folder"] == str(folder)
    assert document["message"] == f"Ingenting er installert i {folder}."


def test_a_folder_from_ipsetup_dir_supplies_no_restricted_option(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, published: list[str],
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ip"
    folder.mkdir(mode=0o755)
    mark = planted_java(tmp_path, folder)
    monkeypatch.setenv("IPSETUP_DIR", str(folder))
    cli.main(["/check", "2.28.1", "/json", *published])
    captured = capsys.readouterr()
    assert not mark.exists(), "the java named by the folder IPSETUP_DIR chose ran"
    assert json.loads(captured.out)["verb"] == "check"
    assert f"java is ignored in {folder / 'setup.toml'}: the folder was chosen by IPSETUP_DIR" in captured.err


def test_the_same_folder_named_on_the_command_line_supplies_them(
        tmp_path: Path, published: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "ip"
    folder.mkdir(mode=0o755)
    mark = planted_java(tmp_path, folder)
    cli.main(["/check", "2.28.1", "/dir", str(folder), "/json", *published])
    capsys.readouterr()
    assert mark.exists(), "the admin's folder names the java (the file is the admin's own)"


def test_ipsetup_log_appends_nowhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    startup = tmp_path / "Startup"
    startup.mkdir()
    monkeypatch.setenv("IPSETUP_LOG", str(startup / "run.cmd"))
    cli.main(["/status", "/dir", str(tmp_path / "ip"), "/json"])
    assert "log is ignored in IPSETUP_LOG" in capsys.readouterr().err
    assert list(startup.iterdir()) == []


@pytest.mark.parametrize("name", ["properties", "log", "offline", "allow-downgrade", "allow-major",
                                  "ignore-kosmos", "yes", "java", "jvm-options", "allow-unsigned"])
def test_options_never_from_the_environment(name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert name in NOT_FROM_ENVIRONMENT
    monkeypatch.setenv(env_var(name), str(tmp_path / "x") if name in ("properties", "log", "offline") else "1")
    cli.main(["/status", "/dir", str(tmp_path / "ip"), "/json"])
    assert f"{name} is ignored in {env_var(name)}" in capsys.readouterr().err
