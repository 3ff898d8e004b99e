"""The Windows Event Log entry of a silent run: the exact advapi32 calls (through a recording DLL object), the
event source's registry key (through the fake `winreg`), and the event id and type of every exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from installer import event_log
from installer.errors import ExitCode
from installer.operations.install import ALREADY_INSTALLED
from tests.harness import fake_winreg

SOURCE_KEY = r"SYSTEM\CurrentControlSet\Services\EventLog\Application\integrasjonspunkt-setup"


class RecordingAdvapi32:
    """advapi32 as ctypes.WinDLL shows it: each call recorded with its arguments (the string array as a list)."""

    def __init__(self, handle: int = 0x4C, report_ok: bool = True) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.handle = handle
        self.report_ok = report_ok

    def RegisterEventSourceW(self, server: str | None, source: str) -> int:
        self.calls.append(("RegisterEventSourceW", server, source))
        return self.handle

    def ReportEventW(self, handle: int, kind: int, category: int, event_id: int, sid: Any, count: int,
                     size: int, strings: Any, raw: Any) -> int:
        self.calls.append(("ReportEventW", handle, kind, category, event_id, sid, count, size,
                           [strings[i] for i in range(count)], raw))
        return 1 if self.report_ok else 0

    def DeregisterEventSource(self, handle: int) -> int:
        self.calls.append(("DeregisterEventSource", handle))
        return 1


def test_one_entry_is_three_calls_with_the_text_as_its_one_string() -> None:
    dll = RecordingAdvapi32()
    assert event_log.report("integrasjonspunkt", ExitCode.UPGRADE_FAILED, "rolled back æøå\nLog: C:\\x", dll)
    assert dll.calls == [
        ("RegisterEventSourceW", None, "integrasjonspunkt-setup"),
        ("ReportEventW", 0x4C, event_log.EVENTLOG_WARNING_TYPE, 0, 13, None, 1, 0, ["rolled back æøå\nLog: C:\\x"],
         None),
        ("DeregisterEventSource", 0x4C),
    ]


def test_a_refused_source_writes_nothing_and_a_failed_report_still_closes_the_handle() -> None:
    refused = RecordingAdvapi32(handle=0)
    assert not event_log.report("ip2", ExitCode.OK, "x", refused)
    assert refused.calls == [("RegisterEventSourceW", None, "ip2-setup")]
    failing = RecordingAdvapi32(report_ok=False)
    assert not event_log.report("ip2", ExitCode.OK, "x", failing)
    assert [c[0] for c in failing.calls] == ["RegisterEventSourceW", "ReportEventW", "DeregisterEventSource"]


def test_a_text_over_the_limit_of_one_string_is_cut() -> None:
    dll = RecordingAdvapi32()
    event_log.report("integrasjonspunkt", ExitCode.OK, "x" * 40_000, dll)
    (text,) = dll.calls[1][8]
    assert len(text) == event_log.MAX_TEXT == 31_839 and text.endswith("…")


def test_off_windows_without_a_dll_nothing_is_called() -> None:
    assert event_log.report("integrasjonspunkt", ExitCode.OK, "x") is False


@pytest.mark.parametrize(("code", "kind"), [
    (ExitCode.OK, event_log.EVENTLOG_INFORMATION_TYPE),
    (ExitCode.PREREQUISITES, event_log.EVENTLOG_ERROR_TYPE),
    (ExitCode.ARTIFACT, event_log.EVENTLOG_ERROR_TYPE),
    (ExitCode.INSTALL_FAILED, event_log.EVENTLOG_ERROR_TYPE),
    (ExitCode.UPGRADE_FAILED, event_log.EVENTLOG_WARNING_TYPE),
    (ExitCode.ATTENTION, event_log.EVENTLOG_ERROR_TYPE),
    (ExitCode.NOT_INSTALLED, event_log.EVENTLOG_WARNING_TYPE),
    (ExitCode.CANCELLED, event_log.EVENTLOG_WARNING_TYPE),
    (ExitCode.BUSY, event_log.EVENTLOG_WARNING_TYPE),
    (ALREADY_INSTALLED, event_log.EVENTLOG_WARNING_TYPE),
    (ExitCode.BAD_COMMAND_LINE, event_log.EVENTLOG_ERROR_TYPE),
])
def test_event_id_is_the_exit_code_and_the_type_follows(code: int, kind: int) -> None:
    assert event_log.event_id(code) == int(code)
    assert event_log.event_type(code) == kind


def test_every_exit_code_has_a_row_in_the_reference() -> None:
    from tests.project.test_docs import DOC

    table = DOC.read_text(encoding="utf-8").split("### Event Log")[1].split("\n#")[0]
    for code in [*ExitCode, ALREADY_INSTALLED]:
        kind = {1: "error", 2: "warning", 4: "information"}[event_log.event_type(code)]
        assert f"| {int(code)} | {kind} |" in table, code


def test_the_source_names_net_framework_message_file_and_goes_again(
        fake_winreg_module: fake_winreg.Registry) -> None:
    fake_winreg_module.set_value(r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment",
                                 "PROCESSOR_ARCHITECTURE", "AMD64")
    assert event_log.register("integrasjonspunkt")
    key = fake_winreg_module.find(fake_winreg.HKEY_LOCAL_MACHINE, SOURCE_KEY)
    assert key is not None
    assert key.values == {
        "eventmessagefile": ("EventMessageFile",
                             r"%SystemRoot%\Microsoft.NET\Framework64\v4.0.30319\EventLogMessages.dll",
                             fake_winreg.REG_EXPAND_SZ),
        "typessupported": ("TypesSupported", 7, fake_winreg.REG_DWORD),
    }
    event_log.register("integrasjonspunkt")  # again: the same key, nothing added
    assert len(fake_winreg_module.find(fake_winreg.HKEY_LOCAL_MACHINE, SOURCE_KEY).values) == 2
    event_log.unregister("integrasjonspunkt")
    assert fake_winreg_module.find(fake_winreg.HKEY_LOCAL_MACHINE, SOURCE_KEY) is None
    assert fake_winreg_module.find(fake_winreg.HKEY_LOCAL_MACHINE, event_log.APPLICATION_LOG) is not None
    event_log.unregister("integrasjonspunkt")  # gone already: nothing to do, no error


def test_a_32_bit_windows_names_the_32_bit_framework(fake_winreg_module: fake_winreg.Registry) -> None:
    fake_winreg_module.set_value(r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment",
                                 "PROCESSOR_ARCHITECTURE", "x86")
    event_log.register("ip-test")
    key = fake_winreg_module.find(fake_winreg.HKEY_LOCAL_MACHINE, event_log.APPLICATION_LOG + r"\ip-test-setup")
    assert key is not None and r"\Framework\v4.0.30319" in key.values["eventmessagefile"][1]


def test_a_silent_run_a_bad_settings_file_stops_still_leaves_its_entry(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A scheduled or scripted run that never gets going (here an unknown key in the folder's setup.toml, exit
    1639) is seen in the Event Log all the same; a run at a prompt is not logged there."""
    import functools

    from installer import cli, run_report

    folder = tmp_path / "ip"
    folder.mkdir(mode=0o755)
    (folder / "setup.toml").write_text('no-such-setting = "x"\n', encoding="utf-8")
    dll = RecordingAdvapi32()
    monkeypatch.setattr(run_report.event_log, "report", functools.partial(event_log.report, advapi32=dll))
    assert cli.main(["/upgrade", "latest", "/dir", str(folder)]) == ExitCode.BAD_COMMAND_LINE
    assert dll.calls == []
    assert cli.main(["/upgrade", "latest", "/dir", str(folder), "/service-id", "ip2", "/quiet"]) == 1639
    register, report, _ = dll.calls
    assert register == ("RegisterEventSourceW", None, "ip2-setup")
    assert report[2:5] == (event_log.EVENTLOG_ERROR_TYPE, 0, 1639)
    assert "no-such-setting" in report[8][0] and "/upgrade" in report[8][0]
    assert not (folder / ".setup").exists()  # nothing written into the folder
    capsys.readouterr()
