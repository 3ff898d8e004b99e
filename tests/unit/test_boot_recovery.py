"""At boot on Windows: while a journal is open, RunOnce holds the recovery command; it goes when the journal
closes. The registry code runs for real against the fake `winreg` module."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from installer import boot_recovery
from installer.layout import Layout
from installer.plans.journaling import close_journal, open_journal
from installer.windows import registry as windows_registry
from installer.windows_args import split_windows_args
from tests.contexts import install_context, switch_context
from tests.harness import fake_winreg
from tests.harness.fixtures_winsw import WinswEnv


def run_once_values(registry: fake_winreg.Registry) -> dict[str, str]:
    key = registry.find(fake_winreg.HKEY_LOCAL_MACHINE, windows_registry.RUN_ONCE)
    return {} if key is None else {name: data for name, data, _ in key.values.values()}


def test_open_journal_arms_recovery_at_the_next_start_and_close_removes_it(
        fake_winreg_module: fake_winreg.Registry, tmp_path: Path) -> None:
    layout = Layout(tmp_path / "C_integrasjonspunkt")
    journal = open_journal(layout, switch_context(layout.root, old_version="2.27.0", to_version="2.28.1"))
    values = run_once_values(fake_winreg_module)
    name = boot_recovery.entry_name(layout)
    assert values == {name: f'"{layout.root / ".setup" / "setup.exe"}" /recover /dir "{layout.root}" /quiet'}
    assert journal.path.exists()
    close_journal(layout, journal)
    assert run_once_values(fake_winreg_module) == {} and not journal.path.exists()


def test_two_folders_get_two_entries(fake_winreg_module: fake_winreg.Registry, tmp_path: Path) -> None:
    first, second = Layout(tmp_path / "a"), Layout(tmp_path / "b")
    open_journal(first, install_context(first.root))
    open_journal(second, install_context(second.root))
    assert len(run_once_values(fake_winreg_module)) == 2


def test_without_a_registry_the_journal_still_opens_and_closes(tmp_path: Path) -> None:
    assert not windows_registry.registry_available()
    layout = Layout(tmp_path / "x")
    journal = open_journal(layout, install_context(layout.root, to_version="2.28.0"))
    assert journal.path.is_file() and not windows_registry.set_run_once(boot_recovery.entry_name(layout), "x")
    close_journal(layout, journal)
    assert not journal.path.exists() and not layout.setup_copy.exists()


def test_a_drive_root_folder_keeps_its_trailing_backslash_out_of_the_quote() -> None:
    """`/dir "D:\"` would read as `D:"` plus the rest of the line (CommandLineToArgvW: `\"` is a quote)."""
    layout = Layout(Path("D:\\"))
    args = split_windows_args(boot_recovery.command(layout))
    assert args[1:] == ["/recover", "/dir", "D:\\", "/quiet"]
    assert args[0] == str(layout.setup_copy)


def test_a_system_boot_task_heals_at_boot_while_the_journal_is_open(
        fake_winreg_module: fake_winreg.Registry, winsw_env: WinswEnv, tmp_path: Path) -> None:
    """W6: RunOnce runs at the next administrator logon; the boot task (SYSTEM, ONSTART) runs before anyone
    logs on. Exact schtasks command lines from System32, and the XML as Task Scheduler writes it, accepted by
    the Task Scheduler stand-in."""
    layout = Layout(tmp_path / "ip æøå")
    layout.root.mkdir()
    exe = winsw_env.install_exe(layout.root, layout.exe.stem)
    layout.xml.write_text(f"<service><id>{layout.service_id}</id><name>ip</name><description>d</description>"
                          f"<executable>{sys.executable}</executable><startmode>Automatic</startmode></service>",
                          encoding="utf-8")
    assert subprocess.run([str(exe), "install"], capture_output=True).returncode == 0
    boot_recovery.arm(layout, windows=True)
    record = winsw_env.record(layout.service_id)
    assert record is not None and record["start_type"] == 3  # demand: a reboot now starts nothing half-switched
    schtasks = str(winsw_env.system32 / "schtasks.exe")
    name = "\\" + boot_recovery.entry_name(layout)
    task_file = str(layout.private / "recover-task.xml")
    (created,) = winsw_env.tasks.calls()
    assert created == [schtasks, "/create", "/tn", name, "/xml", task_file, "/f"]
    data = Path(task_file).read_bytes()
    assert data[:2] == b"\xff\xfe"
    registered = winsw_env.tasks.load(name)
    assert registered is not None and registered["definition"]["boot_trigger"]
    root = ET.fromstring(data[2:].decode("utf-16-le").split("\n", 1)[1])
    ns = {"t": boot_recovery.TASK_NAMESPACE}
    assert root.find("t:Triggers/t:BootTrigger", ns) is not None
    assert root.findtext("t:Principals/t:Principal/t:UserId", namespaces=ns) == "S-1-5-18"
    assert root.find("t:Principals/t:Principal/t:LogonType", ns) is None
    assert root.findtext("t:Settings/t:ExecutionTimeLimit", namespaces=ns) == "PT0S"
    assert root.findtext("t:Actions/t:Exec/t:Command", namespaces=ns) == str(layout.setup_copy)
    arguments = root.findtext("t:Actions/t:Exec/t:Arguments", namespaces=ns)
    assert split_windows_args(arguments or "") == ["/recover", "/dir", str(layout.root), "/quiet"]
    assert boot_recovery.entry_name(layout) in run_once_values(fake_winreg_module)
    boot_recovery.disarm(layout, windows=True)
    assert winsw_env.tasks.calls()[-1] == [schtasks, "/delete", "/tn", name, "/f"]
    assert winsw_env.tasks.load(name) is None
    assert not (layout.private / "recover-task.xml").exists() and run_once_values(fake_winreg_module) == {}
    record = winsw_env.record(layout.service_id)
    assert record is not None and record["start_type"] == 2  # the XML's Automatic again
