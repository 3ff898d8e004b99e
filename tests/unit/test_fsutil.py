"""Renames and deletes ride out Windows' sharing violations (W3): the OS call is made to fail the way Windows
fails it while another process holds the file (WinError 32), a given number of times."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from installer import backup, fsutil
from installer.plans import steps
from tests.contexts import install_context


class Held:
    """Makes `os.<name>` fail `times` times with a sharing violation, then work; counts the failures."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, times: int, winerror: int | None = 32) -> None:
        self.left = times
        self.failed = 0
        real: Callable[..., None] = getattr(os, name)

        def fails(*args: object, **kwargs: object) -> None:
            if self.left > 0:
                self.left -= 1
                self.failed += 1
                exc = PermissionError(13, "The process cannot access the file because it is being used by "
                                          "another process", str(args[0]))
                exc.winerror = winerror  # type: ignore[attr-defined]  # as Windows sets it
                raise exc
            real(*args, **kwargs)

        monkeypatch.setattr(os, name, fails)


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fsutil, "FIRST_PAUSE", 0.001)
    monkeypatch.setattr(fsutil, "LONGEST_PAUSE", 0.01)


def test_place_file_and_its_undo_ride_out_a_held_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = steps.Target(install_context(tmp_path))
    dest, src = tmp_path / "integrasjonspunkt-service.xml", tmp_path / "staged.xml"
    dest.write_text("old")
    src.write_text("new")
    step = steps.place_file(target, "write-xml", src, dest)
    held = Held(monkeypatch, "replace", 3)
    step.do()
    assert dest.read_text() == "new" and held.failed == 3
    held.left = 4
    assert step.undo is not None
    step.undo()
    assert dest.read_text() == "old" and held.failed == 7


def test_restore_and_a_new_file_undo_ride_out_a_held_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live, saved, aside = tmp_path / "live", tmp_path / "saved", tmp_path / "aside"
    live.mkdir()
    saved.mkdir()
    (live / "integrasjonspunkt.mv.db").write_text("written by the failed version")
    (saved / "integrasjonspunkt.mv.db").write_text("before")
    held = Held(monkeypatch, "replace", 5)
    backup.restore([live / "integrasjonspunkt.mv.db"], saved, aside)
    assert (live / "integrasjonspunkt.mv.db").read_text() == "before" and held.failed == 5
    assert (aside / "integrasjonspunkt.mv.db").read_text() == "written by the failed version"
    new = tmp_path / "integrasjonspunkt-local.properties"
    step = steps.write_text_file("write-properties", new, "a=b\n")
    step.do()
    unlinks = Held(monkeypatch, "unlink", 2)
    assert step.undo is not None
    step.undo()
    assert not new.exists() and unlinks.failed == 2


def test_a_folder_removed_file_by_file_rides_out_a_held_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "messages" / "in"
    tree.mkdir(parents=True)
    (tree / "a.xml").write_text("a")
    held = Held(monkeypatch, "unlink", 3)
    fsutil.rmtree(tmp_path / "messages")
    assert not (tmp_path / "messages").exists() and held.failed == 3


def test_other_errors_and_a_holder_that_never_lets_go_are_raised(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").write_text("a")
    held = Held(monkeypatch, "replace", 1, winerror=None)  # a real permission problem: no retry
    with pytest.raises(PermissionError):
        fsutil.replace(tmp_path / "a", tmp_path / "b")
    assert held.failed == 1
    held = Held(monkeypatch, "replace", 10_000)
    with pytest.raises(PermissionError):
        fsutil.retry_shared(lambda: os.replace(tmp_path / "a", tmp_path / "b"), "rename", timeout=0.1)
    assert 1 < held.failed < 10_000 and (tmp_path / "a").exists()
