"""Windows' own tools by their System32 path, and no program taken from the current folder (FACTS.md W8):
a planted `sc.exe` or `java.exe` beside setup or in the folder it is run from must never run."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from installer import java as java_mod
from installer.system_tools import system32, system_root

PLANTED = f"#!{sys.executable}\nimport sys\nprint('SERVICE_START_NAME : .\\\\planted')\nsys.exit(0)\n"


def plant(folder: Path, name: str, text: str = PLANTED) -> Path:
    path = folder / name
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_system32_follows_systemroot_else_c_windows() -> None:
    assert system32("sc.exe", {"SystemRoot": r"D:\WINNT"}) == r"D:\WINNT\System32\sc.exe"
    assert system32("reg.exe", {"SYSTEMROOT": "E:\\Windows\\"}) == r"E:\Windows\System32\reg.exe"
    assert system32("schtasks.exe", {}) == r"C:\Windows\System32\schtasks.exe"
    assert system_root({"SystemRoot": "  "}) == r"C:\Windows"
    assert system32("icacls.exe", {"SystemRoot": "/srv/win"}) == "/srv/win/System32/icacls.exe"


def test_java_is_never_taken_from_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here = tmp_path / "here"
    plant(here, "java", "#!/bin/sh\necho planted\n")
    monkeypatch.chdir(here)
    found = java_mod.candidates(None, {"PATH": f".{os.pathsep}{os.pathsep}bin"})
    assert [origin for _, origin in found if origin == "PATH"] == []
