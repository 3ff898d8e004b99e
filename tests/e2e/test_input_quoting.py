"""Input quoted in a message: long values cut with their length, control characters escaped, through the real
entry point (a subprocess), so what reaches the admin's terminal is checked, not a helper's return value."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from installer import messages
from installer.errors import ExitCode, same_exit_code

HUGE = 100_000


def run_setup(*args: str) -> subprocess.CompletedProcess[str]:
    """A silent run: its log lines and its one-line result all reach stderr, which is what is checked."""
    return subprocess.run([sys.executable, "-m", "installer", *args, "/quiet"], capture_output=True, text=True,
                          env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}, timeout=60)


def only_line(proc: subprocess.CompletedProcess[str]) -> str:
    """The result line (the last on stderr); every line the run wrote, log lines included, is short."""
    lines = (proc.stdout + proc.stderr).splitlines()
    assert lines and all(len(line) < 500 for line in lines), [line[:100] for line in lines]
    return proc.stderr.splitlines()[-1]


def test_a_huge_spec_comes_back_cut_with_its_length(tmp_path: Path) -> None:
    proc = run_setup("/check", "2" * HUGE, "/dir", str(tmp_path))
    assert same_exit_code(proc.returncode, ExitCode.BAD_COMMAND_LINE)
    line = only_line(proc)
    assert len(line) < 500
    assert f"… ({HUGE} characters)" in line


def test_a_huge_option_name_comes_back_cut() -> None:
    proc = run_setup("/status", "/" + "x" * HUGE)
    assert same_exit_code(proc.returncode, ExitCode.BAD_COMMAND_LINE)
    line = only_line(proc)
    assert len(line) < 500 and f"({HUGE + 1} characters)" in line


def test_a_huge_folder_comes_back_cut(tmp_path: Path) -> None:
    folder = tmp_path / ("d" * 200) / ("e" * 200) / ("f" * 200)
    proc = run_setup("/status", "/dir", str(folder))
    assert same_exit_code(proc.returncode, ExitCode.NOT_INSTALLED), proc.stderr
    assert f"({len(str(folder))} characters)" in only_line(proc)


def test_a_newline_in_a_spec_does_not_split_the_message(tmp_path: Path) -> None:
    proc = run_setup("/check", "2.x\nINFO all good", "/dir", str(tmp_path))
    assert same_exit_code(proc.returncode, ExitCode.BAD_COMMAND_LINE)
    assert "2.x\\nINFO all good" in only_line(proc)
    assert not any(line.startswith("INFO all good") for line in proc.stderr.splitlines())


def test_an_escape_sequence_in_env_never_reaches_the_terminal_raw(tmp_path: Path) -> None:
    proc = run_setup("/status", "/dir", str(tmp_path), "/env", "\x1b]0;owned\x07\x1b[31mstaging")
    assert same_exit_code(proc.returncode, ExitCode.BAD_COMMAND_LINE)
    line = only_line(proc)
    assert "\x1b" not in proc.stderr + proc.stdout and "\x07" not in proc.stderr
    assert "\\x1b]0;owned\\x07\\x1b[31mstaging" in line


def test_a_bidirectional_override_is_shown_escaped() -> None:
    proc = run_setup("/status", "/bogus\u202egnp.exe")
    assert "\u202e" not in proc.stderr and "\\u202e" in only_line(proc)


def test_a_repeated_option_with_two_values_is_a_bad_command_line(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    proc = run_setup("/status", "/dir", str(first), "--dir", str(second))
    assert same_exit_code(proc.returncode, ExitCode.BAD_COMMAND_LINE)
    line = only_line(proc)
    assert str(first) in line and str(second) in line


def test_a_repeated_option_with_the_same_value_is_fine(tmp_path: Path) -> None:
    proc = run_setup("/status", "/dir", str(tmp_path), f"/dir:{tmp_path}", "/quiet", "/qn")
    assert same_exit_code(proc.returncode, ExitCode.NOT_INSTALLED), proc.stderr


def test_norwegian_names_the_length_in_norwegian() -> None:
    messages.set_language("nb")
    try:
        assert messages.shown("x" * 300).endswith("… (300 tegn)")
        assert "(300 tegn)" in messages.t("cli.unexpected", token="x" * 300)
    finally:
        messages.set_language("en")


def test_bytes_that_are_not_utf8_are_shown_as_bytes() -> None:
    assert messages.shown(b"caf\xe9".decode("utf-8", "surrogateescape")) == "caf\\xe9"


def test_bytes_that_are_not_utf8_on_the_command_line_reach_the_log(tmp_path: Path) -> None:
    """Linux hands Python such bytes as lone surrogates; strict UTF-8 logging lost the whole record."""
    folder = os.fsencode(tmp_path) + b"/caf\xe9"
    log = tmp_path / "run.log"
    proc = subprocess.run([sys.executable, b"-m", b"installer", b"/status", b"/dir", folder, b"/log", os.fsencode(log),
                           b"/quiet"], capture_output=True, env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
                          timeout=60)
    assert same_exit_code(proc.returncode, ExitCode.NOT_INSTALLED), proc.stderr
    assert b"Logging error" not in proc.stderr and b"Traceback" not in proc.stderr
    text = log.read_text(encoding="utf-8")
    assert "caf\\xe9 /log" in text  # the command line, the byte shown
    assert "Nothing is installed in " in text and "caf\\xe9" in text.split("Nothing is installed in ", 1)[1]


def test_a_record_with_a_lone_surrogate_is_written_with_it_escaped(tmp_path: Path) -> None:
    import logging

    from installer import logsetup

    log = tmp_path / "setup.log"
    logsetup.start(None, None)
    logsetup.attach_file(log)
    try:
        logging.getLogger("installer.test").warning("copied %s", "C:\\ip\\caf\udce9.jar")
    finally:
        logsetup.stop()
    assert "copied C:\\ip\\caf\\udce9.jar" in log.read_text(encoding="utf-8")


def test_a_traceback_stays_in_the_log_file_and_off_the_terminal(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from installer import logsetup

    log = tmp_path / "setup.log"
    logsetup.start(None, logging.INFO)  # a silent run mirrors its log to stderr
    logsetup.attach_file(log)
    try:
        try:
            raise ValueError("deep inside")
        except ValueError:
            logging.getLogger("installer.cli").exception("internal error")
    finally:
        logsetup.stop()
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err and "deep inside" not in err
    assert "Traceback" in log.read_text(encoding="utf-8") and "ValueError: deep inside" in log.read_text()
