"""Damaged, newer and planted files in `.setup/` (and setup's log), through the real entry point: every file
setup owns is read by one loader that names the file and what to do, never rewrites a newer file, and refuses
values that would make the elevated run act outside the folder (CLI.md "Trust")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from installer import journal as journal_mod
from installer import setup_files
from installer.errors import ExitCode, SetupError, same_exit_code
from tests.paths import REPO_ROOT

REPO_ROOT = REPO_ROOT
DOCUMENTED = {0, 10, 11, 12, 13, 14, 15, 1602, 1618, 1639}


def run_setup(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "installer", *args, "/quiet"], capture_output=True, text=True,
                          env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}, cwd=REPO_ROOT, timeout=120)


def assert_one_clear_line(proc: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    """The documented code, no traceback anywhere on the terminal, and the result line naming `needles`."""
    assert same_exit_code(proc.returncode, code), (proc.returncode, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "Internal error" not in proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    for needle in needles:
        assert needle in line, line
    return line


def good_state(**changes: Any) -> dict[str, Any]:
    doc = {"format": 1, "version": "2.28.1", "env": "staging", "service_id": "integrasjonspunkt",
           "java": "/usr/lib/jvm/java-8/bin/java", "winsw": "2.12.0/WinSW-x64.exe", "previous_versions": ["2.28.0"],
           "failed_versions": [], "last_operation": None, "last_recovery": None, "adopted": False,
           "service_base": None}
    doc.update(changes)
    return doc


def plant(folder: Path, name: str, content: bytes | dict[str, Any] | list[Any]) -> Path:
    path = folder / ".setup" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def evil_program(path: Path, marker: Path) -> Path:
    """An executable that leaves `marker` behind when anything runs it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho \"$@\" >> '{marker}'\n")
    path.chmod(0o755)
    return path


# --- damaged files ---------------------------------------------------------------------------------------

DAMAGED_STATES = {
    "empty": b"",
    "truncated": json.dumps(good_state()).encode()[:40],
    "binary": bytes(range(256)) * 4,
    "not-utf8": b'{"format": 1, "version": "\xff\xfe"}',
    "a-list": b"[]",
    "no-format": json.dumps({k: v for k, v in good_state().items() if k != "format"}).encode(),
    "version-a-number": json.dumps(good_state(version=5)).encode(),
    "tags-a-map": json.dumps(good_state(previous_versions={"a": 1})).encode(),
}


@pytest.mark.parametrize("content", DAMAGED_STATES.values(), ids=DAMAGED_STATES.keys())
def test_a_damaged_state_file_is_named_with_what_to_do(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "ip"
    state = plant(folder, "state.json", content)
    proc = run_setup("/status", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.ATTENTION, str(state), "/adopt")
    assert state.read_bytes() == content


def test_a_damaged_state_file_stops_an_upgrade_before_anything_changes(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    state = plant(folder, "state.json", b"[]")
    (tmp_path / "offline").mkdir()
    proc = run_setup("/upgrade", "2.x", "/dir", str(folder), "/offline", str(tmp_path / "offline"))
    assert_one_clear_line(proc, ExitCode.ATTENTION, str(state))
    assert state.read_bytes() == b"[]"
    assert sorted(p.name for p in folder.rglob("*")) == [".setup", "state.json"]  # no lock, no log, nothing


@pytest.mark.parametrize("content", [b"", b'{"format": 1, "operation": "upgr', b"\x00" * 64, b"{}",
                                     json.dumps({"format": 1, "operation": "upgrade", "context": []}).encode()],
                         ids=["empty", "truncated", "zeros", "no-operation", "context-a-list"])
def test_a_damaged_journal_is_named_with_what_to_do(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "ip"
    journal = plant(folder, "journal.json", content)
    for verb in ("/status", "/recover"):
        proc = run_setup(verb, "/dir", str(folder))
        assert_one_clear_line(proc, ExitCode.ATTENTION, str(journal), "/repair")
    assert journal.read_bytes() == content


def test_a_lock_file_that_cannot_be_opened_is_exit_10_naming_it(tmp_path: Path) -> None:
    # Tests run as root, which writes through any mode bits: a folder in the lock file's place cannot be opened.
    folder = tmp_path / "ip"
    (folder / ".setup" / "lock").mkdir(parents=True)
    proc = run_setup("/recover", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.PREREQUISITES, str(folder / ".setup" / "lock"))


def test_a_garbled_registration_digest_counts_as_unknown(tmp_path: Path) -> None:
    path = tmp_path / "registration.sha256"
    path.write_bytes(b"\xff\xfe not a digest")
    assert setup_files.read_digest(path) is None
    path.write_text("ab" * 32 + "\n")
    assert setup_files.read_digest(path) == "ab" * 32


def test_a_log_that_cannot_be_opened_is_one_line_and_a_documented_code(tmp_path: Path) -> None:
    proc = run_setup("/status", "/dir", str(tmp_path / "ip"), "/log", str(tmp_path))
    assert_one_clear_line(proc, ExitCode.PREREQUISITES, str(tmp_path))


# --- files from a newer setup ----------------------------------------------------------------------------


def test_a_state_file_from_a_newer_setup_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    newer = good_state(format=7, written_by="3.1.0", previous_versions={"2.28.0": {"kept": True}},
                       schedule={"at": "05:30"})
    state = plant(folder, "state.json", newer)
    before = state.read_bytes()
    (tmp_path / "offline").mkdir()
    for argv in (["/status"], ["/upgrade", "2.x", "/offline", str(tmp_path / "offline")], ["/recover"]):
        proc = run_setup(*argv, "/dir", str(folder))
        assert_one_clear_line(proc, ExitCode.PREREQUISITES, str(state), "setup 3.1.0")
    assert state.read_bytes() == before


def test_a_journal_from_a_newer_setup_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    journal = plant(folder, "journal.json", {"format": journal_mod.FORMAT + 1, "operation": "migrate", "context": {}})
    proc = run_setup("/recover", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.PREREQUISITES, str(journal), "newer setup")
    assert json.loads(journal.read_bytes())["operation"] == "migrate"


def test_what_setup_writes_says_which_setup_wrote_it(tmp_path: Path) -> None:
    from installer import __version__, state

    path = tmp_path / "state.json"
    state.save(path, state.State(**{k: v for k, v in good_state().items() if k != "format"}))
    assert json.loads(path.read_text())["written_by"] == __version__
    assert state.load(path) is not None


# --- planted values (CLI.md "Trust") ---------------------------------------------------------------------


def install_context(folder: Path, tmp_path: Path) -> dict[str, Any]:
    """An install's journal context as setup writes it, every path where it belongs."""
    private = folder / ".setup"
    return {"folder": str(folder), "service_id": "integrasjonspunkt", "base": None, "env": "staging",
            "from": None, "to": "2.28.1", "java": "/usr/lib/jvm/java-8/bin/java", "winsw": "2.12.0/WinSW-x64.exe",
            "jar_cache": str(private / "cache" / "no" / "difi" / "integrasjonspunkt-2.28.1.jar"),
            "winsw_cache": str(private / "cache" / "winsw" / "2.12.0" / "WinSW-x64.exe"),
            "staged_xml": str(private / "staged" / "integrasjonspunkt-service.xml"),
            "health": "wsdl", "health_url": "http://127.0.0.1:9/x", "health_timeout": 1, "health_stable": 1,
            "new_folder": False}


def plant_journal(folder: Path, ctx: dict[str, Any], steps: list[tuple[str, str]], healthy: bool,
                  operation: str = "install") -> Path:
    for name in ("jar_cache", "staged_xml"):
        Path(ctx[name]).parent.mkdir(parents=True, exist_ok=True)
        Path(ctx[name]).write_bytes(b"x")
    return plant(folder, "journal.json", {"format": 1, "operation": operation, "context": ctx, "healthy": healthy,
                                          "steps": [{"name": n, "state": s} for n, s in steps], "pid": 1})


def test_a_planted_journal_cannot_make_recover_register_another_program(tmp_path: Path) -> None:
    folder, marker = tmp_path / "ip", tmp_path / "ran"
    ctx = install_context(folder, tmp_path)
    ctx["winsw_cache"] = str(evil_program(tmp_path / "elsewhere" / "evil.exe", marker))
    journal = plant_journal(folder, ctx, [("make-dirs", "done"), ("place-jar", "done")], healthy=True)
    proc = run_setup("/recover", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.ATTENTION, str(journal), "winsw_cache")
    assert not marker.exists(), marker.read_text()
    assert not (folder / "integrasjonspunkt-service.exe").exists()


def test_a_planted_journal_cannot_make_recover_delete_outside_the_folder(tmp_path: Path) -> None:
    folder, victim = tmp_path / "ip", tmp_path / "x.exe"
    victim.write_text("someone else's file")
    ctx = {**install_context(folder, tmp_path), "base": "../x"}
    journal = plant_journal(folder, ctx, [("make-dirs", "done"), ("place-jar", "done"), ("place-winsw", "started")],
                            healthy=False)
    proc = run_setup("/recover", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.ATTENTION, str(journal), "base")
    assert victim.read_text() == "someone else's file"


def test_a_planted_state_cannot_make_status_run_a_program_outside_the_folder(tmp_path: Path) -> None:
    folder, marker = tmp_path / "ip", tmp_path / "ran"
    evil_program(tmp_path / "elsewhere" / "evil-service.exe", marker)
    state = plant(folder, "state.json", good_state(service_id="../elsewhere/evil"))
    proc = run_setup("/status", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.ATTENTION, str(state), "service_id")
    assert not marker.exists()


def test_a_lock_file_that_is_a_link_is_refused_and_its_target_kept(tmp_path: Path) -> None:
    folder, victim = tmp_path / "ip", tmp_path / "victim.txt"
    victim.write_text("precious")
    (folder / ".setup").mkdir(parents=True)
    (folder / ".setup" / "lock").symlink_to(victim)
    for verb in ("/recover", "/status"):
        proc = run_setup(verb, "/dir", str(folder))
        assert_one_clear_line(proc, ExitCode.ATTENTION, str(folder / ".setup" / "lock"))
    assert victim.read_text() == "precious"


def test_a_log_that_is_a_link_is_refused_and_nothing_is_written_through_it(tmp_path: Path) -> None:
    folder, outside = tmp_path / "ip", tmp_path / "startup.cmd"
    outside.write_text("echo hello\n")
    (folder / "installer-logs").mkdir(parents=True)
    (folder / "installer-logs" / "setup.log").symlink_to(outside)
    proc = run_setup("/recover", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.ATTENTION, str(folder / "installer-logs" / "setup.log"))
    assert outside.read_text() == "echo hello\n"


def test_a_linked_setup_folder_is_refused(tmp_path: Path) -> None:
    folder, elsewhere = tmp_path / "ip", tmp_path / "elsewhere"
    plant(elsewhere.parent / "elsewhere-root", "state.json", good_state())
    folder.mkdir()
    (folder / ".setup").symlink_to(elsewhere.parent / "elsewhere-root" / ".setup")
    proc = run_setup("/status", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.ATTENTION, str(folder / ".setup"))


OUTSIDE = {
    "folder": lambda f, o: str(o),
    "service_id": lambda f, o: "../elsewhere/evil",
    "base": lambda f, o: "..\\x",
    "to": lambda f, o: "../../2.28.1",
    "from": lambda f, o: "2.28.1/../../x",
    "java": lambda f, o: "bin/java",
    "winsw": lambda f, o: "../x/WinSW.exe",
    "jar_cache": lambda f, o: str(o / "x.jar"),
    "winsw_cache": lambda f, o: str(f / ".setup" / "cache" / ".." / ".." / "x.exe"),
    "staged_xml": lambda f, o: str(f / "integrasjonspunkt-service.xml"),
    "jar_source": lambda f, o: str(o / "x.jar"),
    "backup_dir": lambda f, o: str(o / "backups" / "x"),
    "failed_dir": lambda f, o: str(f / "backups"),
    "restore_from": lambda f, o: str(f / "messages"),
    "replaced_dir": lambda f, o: str(f / ".setup"),
    "keystore": lambda f, o: str(o / "keystore.jks"),
    "jar_digest": lambda f, o: ["rot13", "../x"],
    "winsw_digest": lambda f, o: "sha256",
    "databases": lambda f, o: [str(o / "ipdata" / "integrasjonspunkt.mv.db"), str(o / "Windows" / "win.ini")],
}


@pytest.mark.parametrize("name", OUTSIDE, ids=OUTSIDE)
def test_every_value_of_a_journal_is_checked_by_its_grammar(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "ip"
    ctx = {**install_context(folder, tmp_path), "backup_dir": str(folder / "backups" / "20260101-before-2.28.0"),
           "jar_digest": ["sha1", "a" * 40], "winsw_digest": ["sha256", "b" * 64],
           "databases": [str(folder / "data" / "ip.mv.db"), str(tmp_path / "ipdata" / "integrasjonspunkt.mv.db")]}
    path = plant_journal(folder, ctx, [], healthy=False, operation="upgrade")
    assert journal_mod.load(path) is not None  # as setup wrote it: accepted
    ctx[name] = OUTSIDE[name](folder, tmp_path / "other")
    plant_journal(folder, ctx, [], healthy=False, operation="upgrade")
    with pytest.raises(SetupError) as refused:
        journal_mod.load(path)
    assert refused.value.code == ExitCode.ATTENTION and f"'{name}'" in refused.value.message


def test_a_keystore_outside_the_folder_is_accepted_where_the_properties_put_it(tmp_path: Path) -> None:
    folder, keystore = tmp_path / "ip", tmp_path / "certs" / "virksomhet.jks"
    ctx = {**install_context(folder, tmp_path), "keystore": str(keystore)}
    (folder).mkdir()
    (folder / "integrasjonspunkt-local.properties").write_text(f"difi.move.org.keystore.path=file:{keystore}\n")
    assert journal_mod.load(plant_journal(folder, ctx, [], healthy=False, operation="upgrade")) is not None


def test_a_dangling_link_counts_as_a_link(tmp_path: Path) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nothing")
    (tmp_path / "file").write_text("x")
    assert setup_files.is_link(tmp_path / "dangling") and not setup_files.is_link(tmp_path / "file")
