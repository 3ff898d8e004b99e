"""The command-line grammar of CLI.md, run through the real entry point (a subprocess) and the parser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import installer
from installer.cmdline import parse
from installer.errors import ExitCode, SetupError, same_exit_code
from installer.windows import sysinfo
from tests.paths import REPO_ROOT


def run_setup(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "installer", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=cwd, timeout=60,
    )


def test_imported_installer_is_this_project_not_the_pypa_package() -> None:
    here = REPO_ROOT / "installer"
    assert Path(installer.__file__).resolve().parent == here
    assert hasattr(installer, "__version__")


def test_no_dependency_pulls_in_the_pypa_installer_package() -> None:
    from importlib import metadata

    assert "installer" not in {d.metadata["Name"].lower() for d in metadata.distributions()}


@pytest.mark.parametrize(
    "argv, verb, value, options",
    [
        (["/upgrade", "2.x"], "upgrade", "2.x", {}),
        (["/UPGRADE", "2.x", "/Quiet"], "upgrade", "2.x", {"quiet": True}),
        (["upgrade", "2.28"], "upgrade", "2.28", {}),
        (["--upgrade", "v4.0.8", "--quiet"], "upgrade", "v4.0.8", {"quiet": True}),
        (["/status", "/dir:C:\\ip"], "status", None, {"dir": "C:\\ip"}),
        (["/status", "/dir", "C:\\ip"], "status", None, {"dir": "C:\\ip"}),
        (["/status", "--dir", "C:\\ip"], "status", None, {"dir": "C:\\ip"}),
        (["/status", "--dir=C:\\ip"], "status", None, {"dir": "C:\\ip"}),
        (["/status", "/dir", "/tmp/x"], "status", None, {"dir": "/tmp/x"}),
        (["/install", "/dir", "/tmp/x"], "install", None, {"dir": "/tmp/x"}),
        (["/install", "2.x", "/dir", "/tmp/x"], "install", "2.x", {"dir": "/tmp/x"}),
        (["/install:2.28.1"], "install", "2.28.1", {}),
        (["/q", "/status"], "status", None, {"quiet": True}),
        (["/status", "/qn"], "status", None, {"quiet": True}),
        (["/download", "2.x", "/to", "/tmp/o"], "download", "2.x", {"to": "/tmp/o"}),
        (["/uninstall", "/purge", "/yes"], "uninstall", None, {"purge": True, "yes": True}),
        (["/upgrade", "2.x", "/jvm-options", "-Xmx2048m"], "upgrade", "2.x", {"jvm-options": "-Xmx2048m"}),
        (["/?"], None, None, {"help": True}),
        (["-h"], None, None, {"help": True}),
        (["--help"], None, None, {"help": True}),
        (["/help"], None, None, {"help": True}),
        ([], None, None, {}),
    ],
)
def test_grammar_forms(argv: list[str], verb: str | None, value: str | None, options: dict) -> None:
    inv = parse(argv)
    assert (inv.verb, inv.value, inv.options) == (verb, value, options)


@pytest.mark.parametrize(
    "argv",
    [
        ["/upgrade", "/quiet"],  # a known option is never a value
        ["/upgrade"],
        ["/status", "/dir"],
        ["/status", "/dir", "/quiet"],
        ["/status", "/frobnicate"],
        ["/status", "--frobnicate=1"],
        ["/status", "/upgrade", "2.x"],  # two verbs
        ["/status", "stray"],
        ["/status:now"],
        ["/status", "/quiet:yes"],
        ["/status", "/purge"],  # an option of another verb
        ["/download", "2.x"],  # /download needs /to
        ["/install", "/frob"],
    ],
)
def test_bad_command_lines_are_refused(argv: list[str]) -> None:
    with pytest.raises(SetupError) as caught:
        parse(argv)
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE
    assert "\n" not in caught.value.message


def test_missing_value_exits_1639_with_one_line_and_no_traceback() -> None:
    proc = run_setup("/upgrade", "/quiet")
    assert same_exit_code(proc.returncode, 1639)
    assert proc.returncode == 1639 % 256
    assert proc.stderr.strip() == "setup: /upgrade needs a value."
    assert "Traceback" not in proc.stderr + proc.stdout


def test_json_error_document_on_a_bad_command_line() -> None:
    import json

    proc = run_setup("/status", "/bogus", "/json")
    doc = json.loads(proc.stdout)
    assert doc["exit_code"] == 1639 and doc["result"] == "failed" and "bogus" in doc["message"]


def test_help_lists_every_verb_and_option() -> None:
    from installer.cmdline import OPTIONS, VERBS

    proc = run_setup("/?")
    assert proc.returncode == 0
    for verb in VERBS.values():
        assert f"/{verb.name}" in proc.stdout
    for name in OPTIONS:
        if name not in ("help", "version"):
            assert f"/{name}" in proc.stdout, name


def test_version() -> None:
    proc = run_setup("--version")
    assert proc.returncode == 0 and proc.stdout.strip() == f"setup {installer.__version__}"


def test_bad_typed_value_is_one_line_1639(tmp_path: Path) -> None:
    proc = run_setup("/status", "/dir", str(tmp_path), "/health-timeout", "soon")
    assert same_exit_code(proc.returncode, 1639)
    assert "/health-timeout" in proc.stderr and "Traceback" not in proc.stderr


def test_json_and_messages_survive_an_ansi_code_page_stdout(tmp_path: Path) -> None:
    """W7: a frozen setup.exe's redirected stdout is cp1252, strict. A North Sami ŋ/č in the folder name
    raised UnicodeEncodeError after the work was done; the JSON must parse whatever the reader decodes with."""
    folder = tmp_path / "ip ŋč æøå"
    folder.mkdir()
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    proc = subprocess.run([sys.executable, "-m", "installer", "/status", "/json", "/dir", str(folder)],
                          capture_output=True, env=env, timeout=120)
    assert same_exit_code(proc.returncode, 15), proc.stderr
    assert proc.stdout.isascii()  # the same bytes in cp1252, cp850 or UTF-8
    doc = json.loads(proc.stdout.decode("cp850"))
    assert doc["folder"] == str(folder) and doc["result"] == "not-installed"
    assert doc["message"] == f"Nothing is installed in {folder}."
    assert "Traceback" not in proc.stderr.decode("utf-8")


def test_the_bootloaders_dll_directory_is_forgotten_when_frozen_on_windows() -> None:
    calls: list[object] = []

    class Kernel32:
        def SetDllDirectoryW(self, path: object) -> int:
            calls.append(path)
            return 1

    assert not sysinfo.forget_dll_directory(Kernel32(), frozen=False, windows=True)
    assert not sysinfo.forget_dll_directory(Kernel32(), frozen=True, windows=False)
    assert calls == []
    assert sysinfo.forget_dll_directory(Kernel32(), frozen=True, windows=True)
    assert calls == [None]


def test_the_verb_table_names_a_runner_for_every_verb_the_grammar_takes() -> None:
    """One table (installer/verbs.py): the grammar accepts its verbs, cli.py runs their modules, and the verbs it
    marks journaled are exactly the operations the journal and recovery know."""
    from installer import journal
    from installer.plans.recovery import PLANS
    from installer.verbs import VERBS, WIZARD, Arity, named, where

    for verb in VERBS.values():
        argv = [f"/{verb.name}"] + (["2.x"] if verb.arity is Arity.VALUE else [])
        argv += ["/to", "x"] if verb.name == "download" else []
        assert parse(argv).verb == verb.name
        assert callable(named(verb.name).runner()), verb.name
    assert named(None) is WIZARD and callable(WIZARD.runner())
    assert where("journaled") == journal.OPERATIONS == set(PLANS)
    assert where("journaled") | where("adopts_first") <= where("changes") <= where("reported")
