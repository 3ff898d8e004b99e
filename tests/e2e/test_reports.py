"""Reports where admins look, end to end: `.setup/last-run.json` after silent runs (and not after others), the
Event Log entry and the Apps & features entry through install → upgrade → uninstall (real HTTP, real JVMs, the
WinSW stand-in; the registry is the fake `winreg`, the Event Log a recording advapi32)."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from installer import apps_entry, cli, event_log, run_report
from installer.errors import same_exit_code
from installer.windows import registry as windows_registry
from installer.windows import sysinfo
from tests.adoption_support import hand_made
from tests.harness import fake_winreg
from tests.harness.fixtures_world import FAST, World
from tests.unit.test_event_log import RecordingAdvapi32

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(os.name == "nt", reason="needs the POSIX WinSW stand-in")]

UNINSTALL_KEY = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\integrasjonspunkt"
SOURCE_KEY = r"SYSTEM\CurrentControlSet\Services\EventLog\Application\integrasjonspunkt-setup"


def last_run(world: World) -> dict[str, Any]:
    return json.loads((world.folder / ".setup" / "last-run.json").read_text(encoding="ascii"))


def test_silent_changing_runs_leave_their_result_and_nothing_else_does(world: World, tmp_path: Path) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1", "never_healthy")
    proc = world.install("2.28.0", "/json")
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    written = last_run(world)
    at = written.pop("at")
    assert written == printed and written["verb"] == "install" and written["to"] == "2.28.0"
    assert len(at) == 20 and at.endswith("Z")
    assert written["log"] == str(world.folder / "installer-logs" / "setup.log")

    code, _ = world.status()  # only reads: the install's result stays
    assert code == 0 and last_run(world)["verb"] == "install"

    proc = world.setup("/upgrade", "2.28.1", *FAST)  # /quiet, no /json: reported all the same
    assert same_exit_code(proc.returncode, 13), proc.stderr
    failed = last_run(world)
    assert failed["verb"] == "upgrade" and failed["exit_code"] == 13 and failed["result"] == "rolled-back"
    assert failed["from"] == "2.28.0" and failed["to"] == "2.28.1"

    proc = world.setup("/repair", "/health-timeout", "40", "/health-stable", "1")  # a person at a prompt
    assert proc.returncode == 0, proc.stderr
    assert last_run(world) == failed

    # A link planted in .setup/: the run is refused and nothing is written through it.
    outside = tmp_path / "outside.json"
    outside.write_text("kept\n", encoding="utf-8")
    link = world.folder / ".setup" / "last-run.json"
    link.unlink()
    link.symlink_to(outside)
    proc = world.setup("/repair", *FAST)
    assert same_exit_code(proc.returncode, 14) and "link" in proc.stderr
    assert outside.read_text(encoding="utf-8") == "kept\n" and link.is_symlink()
    link.unlink()

    proc = world.setup("/uninstall", *FAST)
    assert proc.returncode == 0, proc.stderr
    gone = last_run(world)
    assert gone["verb"] == "uninstall" and gone["exit_code"] == 0


def _on_fake_registry(monkeypatch: pytest.MonkeyPatch, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` (setup's own registry writer) run with the fake `winreg`; the rest of the run sees none, as the
    other end-to-end tests do (the WinSW and sc.exe stand-ins keep the services)."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        with monkeypatch.context() as inner:
            inner.setitem(sys.modules, "winreg", fake_winreg)
            return function(*args, **kwargs)

    return call


@dataclass
class Machine:
    registry: fake_winreg.Registry
    events: RecordingAdvapi32

    def uninstall_entry(self) -> dict[str, Any] | None:
        key = self.registry.find(fake_winreg.HKEY_LOCAL_MACHINE, UNINSTALL_KEY)
        return None if key is None else {name: (data, kind) for name, data, kind in key.values.values()}


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch) -> Iterator[Machine]:
    """setup's registry writes go to the fake `winreg`, its Event Log entries to a recording advapi32."""
    registry = fake_winreg.reset()
    registry.set_value(r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment",
                       "PROCESSOR_ARCHITECTURE", "AMD64")
    for module, name in ((windows_registry, "write_key"), (windows_registry, "delete_key"), (sysinfo, "machine_arch")):
        monkeypatch.setattr(module, name, _on_fake_registry(monkeypatch, getattr(module, name)))
    dll = RecordingAdvapi32()
    monkeypatch.setattr(run_report.event_log, "report", functools.partial(event_log.report, advapi32=dll))
    yield Machine(registry, dll)
    fake_winreg.reset()


def _run(world: World, capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    """setup in this process (so that the fakes above apply), with the world's sources and folder."""
    code = cli.main([*argv, *world.args()])
    document = json.loads(capsys.readouterr().out)
    assert code == 0, document
    return document


def test_apps_and_features_and_the_event_log_through_install_upgrade_uninstall(
        world: World, machine: Machine, capsys: pytest.CaptureFixture[str]) -> None:
    registry, dll, values = machine.registry, machine.events, machine.uninstall_entry
    world.publish("2.28.0")
    world.publish("2.28.1")

    def run(*argv: str) -> dict[str, Any]:
        return _run(world, capsys, *argv)

    folder = world.folder
    setup_exe = f'"{folder / ".setup" / "setup.exe"}"'
    installed = run("/install", "2.28.0", *FAST, "/properties", str(world.properties), "/json")
    assert values() == {
        "DisplayName": ("integrasjonspunkt", fake_winreg.REG_SZ),
        "DisplayVersion": ("2.28.0", fake_winreg.REG_SZ),
        "Publisher": ("Digdir", fake_winreg.REG_SZ),
        "InstallLocation": (str(folder), fake_winreg.REG_SZ),
        "DisplayIcon": (str(folder / ".setup" / "setup.exe"), fake_winreg.REG_SZ),
        "UninstallString": (f'{setup_exe} /uninstall /dir "{folder}"', fake_winreg.REG_SZ),
        "QuietUninstallString": (f'{setup_exe} /uninstall /dir "{folder}" /quiet', fake_winreg.REG_SZ),
        "NoModify": (1, fake_winreg.REG_DWORD),
        "NoRepair": (1, fake_winreg.REG_DWORD),
    }
    source = registry.find(fake_winreg.HKEY_LOCAL_MACHINE, SOURCE_KEY)
    assert source is not None and source.values["eventmessagefile"][1].endswith(
        r"\Framework64\v4.0.30319\EventLogMessages.dll")
    register, report, deregister = dll.calls
    assert register == ("RegisterEventSourceW", None, "integrasjonspunkt-setup")
    assert report[:8] == ("ReportEventW", dll.handle, event_log.EVENTLOG_INFORMATION_TYPE, 0, 0, None, 1, 0)
    (text,) = report[8]
    assert text.startswith(installed["message"]) and f"Log: {installed['log']}" in text
    assert "/install" in text and "exit code 0" in text
    assert deregister == ("DeregisterEventSource", dll.handle)

    run("/upgrade", "2.28.1", *FAST, "/json")
    assert values()["DisplayVersion"] == ("2.28.1", fake_winreg.REG_SZ)  # type: ignore[index]
    assert dll.calls[4][4] == 0 and "/upgrade" in dll.calls[4][8][0]

    run("/uninstall", *FAST, "/json")
    assert values() is None
    assert registry.find(fake_winreg.HKEY_LOCAL_MACHINE, SOURCE_KEY) is None  # after its own entry:
    assert [c[0] for c in dll.calls[6:]] == ["RegisterEventSourceW", "ReportEventW", "DeregisterEventSource"]
    assert "/uninstall" in dll.calls[7][8][0]
    assert apps_entry.key_path("integrasjonspunkt") == UNINSTALL_KEY


def test_an_adopted_installation_gets_its_entry(world: World, machine: Machine,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    hand_made(world.winsw, world.folder, kind="staging", base="ip", version="2.27.0", jar=world.publish("2.27.0"),
              properties=world.properties, register=True)
    _run(world, capsys, "/adopt", "/quiet", "/json")
    entry = machine.uninstall_entry()
    assert entry is not None and entry["DisplayVersion"] == ("2.27.0", fake_winreg.REG_SZ)
    assert entry["QuietUninstallString"][0].endswith(f'/uninstall /dir "{world.folder}" /quiet')
    assert [c[0] for c in machine.events.calls] == ["RegisterEventSourceW", "ReportEventW", "DeregisterEventSource"]
