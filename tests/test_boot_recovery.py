"""At boot on Windows: while a journal is open, RunOnce holds the recovery command; it goes when the journal
closes. The registry code runs for real against the fake `winreg` module."""

from __future__ import annotations

from pathlib import Path

from installer import boot_recovery, winapi
from installer.layout import Layout
from installer.operations.session import close_journal, open_journal
from installer.service_xml import split_windows_args
from tests.harness import fake_winreg


def run_once_values(registry: fake_winreg.Registry) -> dict[str, str]:
    key = registry.find(fake_winreg.HKEY_LOCAL_MACHINE, winapi.RUN_ONCE)
    return {} if key is None else {name: data for name, data, _ in key.values.values()}


def test_open_journal_arms_recovery_at_the_next_start_and_close_removes_it(
        fake_winreg_module: fake_winreg.Registry, tmp_path: Path) -> None:
    layout = Layout(tmp_path / "C_integrasjonspunkt")
    journal = open_journal(layout, "upgrade", {"from": "2.27.0", "to": "2.28.1"})
    values = run_once_values(fake_winreg_module)
    name = boot_recovery.entry_name(layout)
    assert values == {name: f'"{layout.root / ".setup" / "setup.exe"}" /recover /dir "{layout.root}" /quiet'}
    assert journal.path.exists()
    close_journal(layout, journal)
    assert run_once_values(fake_winreg_module) == {} and not journal.path.exists()


def test_two_folders_get_two_entries(fake_winreg_module: fake_winreg.Registry, tmp_path: Path) -> None:
    first, second = Layout(tmp_path / "a"), Layout(tmp_path / "b")
    open_journal(first, "install", {})
    open_journal(second, "install", {})
    assert len(run_once_values(fake_winreg_module)) == 2


def test_without_a_registry_the_journal_still_opens_and_closes(tmp_path: Path) -> None:
    assert not winapi.registry_available()
    layout = Layout(tmp_path / "x")
    journal = open_journal(layout, "install", {"to": "2.28.0"})
    assert journal.path.is_file() and not winapi.set_run_once(boot_recovery.entry_name(layout), "x")
    close_journal(layout, journal)
    assert not journal.path.exists() and not layout.setup_copy.exists()


def test_a_drive_root_folder_keeps_its_trailing_backslash_out_of_the_quote() -> None:
    """`/dir "D:\"` would read as `D:"` plus the rest of the line (CommandLineToArgvW: `\"` is a quote)."""
    layout = Layout(Path("D:\\"))
    args = split_windows_args(boot_recovery.command(layout))
    assert args[1:] == ["/recover", "/dir", "D:\\", "/quiet"]
    assert args[0] == str(layout.setup_copy)
