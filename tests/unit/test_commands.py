"""installer/commands.py, the one program runner: real processes; exit codes, output and secrets as logged; a
program that cannot start or does not finish is CommandFailed with its one line, never a traceback."""

from __future__ import annotations

import logging
import stat
import sys
from pathlib import Path

import pytest

from installer import winsw
from installer.commands import CommandFailed, run_command
from installer.errors import ExitCode, SetupError


def _program(folder: Path, body: str) -> Path:
    path = folder / "tool"
    path.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_output_and_exit_code_with_secrets_masked(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    tool = _program(tmp_path, "print('out', sys.argv[1]); print('err', file=sys.stderr); sys.exit(3)")
    caplog.set_level(logging.INFO, "installer.commands")
    done = run_command([str(tool), "pw-Xy7"], timeout=30.0, secrets=("pw-Xy7",))
    assert (done.code, done.stdout.strip(), done.stderr.strip()) == (3, "out ********", "err")
    assert done.output == "out ********\nerr" and done.is_code(3)
    assert "pw-Xy7" not in caplog.text and f"{tool} ******** -> exit 3" in caplog.text


def test_timeout_and_missing_program_are_command_failed(tmp_path: Path) -> None:
    slow = _program(tmp_path, "time.sleep(30)")
    with pytest.raises(CommandFailed) as timed_out:
        run_command([str(slow), "status"], timeout=0.5)
    assert isinstance(timed_out.value, SetupError) and timed_out.value.code == ExitCode.ATTENTION
    assert timed_out.value.message == f"{slow} status did not finish within 0.5 s."
    with pytest.raises(CommandFailed) as missing:
        run_command([str(tmp_path / "absent.exe"), "query"], timeout=5.0)
    assert missing.value.message.startswith(f"Could not run {tmp_path / 'absent.exe'}: ")


def test_the_winsw_driver_turns_it_into_a_service_error(tmp_path: Path) -> None:
    """A WinSW exe that cannot run fails the service call (ServiceError), as before the runner moved out."""
    driver = winsw.WinSW(tmp_path / "absent-service.exe", "integrasjonspunkt", v3=False)
    with pytest.raises(winsw.ServiceError) as failed:
        driver.start(5.0)
    assert failed.value.message.startswith(f"Could not run {tmp_path / 'absent-service.exe'}: ")
