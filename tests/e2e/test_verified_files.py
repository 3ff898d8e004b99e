"""A file verified in `.setup/cache/` and replaced before it is placed never runs: the copy into the folder is
hashed as it is written and compared with the verified digest; a kept WinSW exe is checked before reuse.

The swap happens for real between verification and use: the `java` given with /java is a wrapper that replaces
the cached jar when setup first runs it (`java -version`, after the download was verified), then runs Java."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from installer.errors import same_exit_code
from installer.layout import Layout
from tests.harness import jdks
from tests.harness.fixtures_world import FAST, World

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(os.name == "nt", reason="a POSIX shell wrapper as java")]


def swapping_java(world: World, tmp_path: Path, jar_name: str, replacement: Path) -> Path:
    java = jdks.java17()
    assert java is not None
    wrapper = tmp_path / "bin" / "java"
    wrapper.parent.mkdir()
    wrapper.write_text("#!/bin/sh\n"
                       f"find '{Layout(world.folder).cache}' -name '{jar_name}' -exec cp '{replacement}' {{}} \\;\n"
                       f"exec '{java}' \"$@\"\n")
    wrapper.chmod(0o755)
    return wrapper


def test_a_jar_swapped_in_the_cache_after_verification_is_not_placed(world: World, tmp_path: Path) -> None:
    world.publish("2.28.0")
    other = world.build_jar("2.28.1", "healthy")
    java = swapping_java(world, tmp_path, "integrasjonspunkt-2.28.0.jar", other)
    proc = world.install("2.28.0", "/java", str(java), "/json")
    assert same_exit_code(proc.returncode, 12), proc.stderr
    document = json.loads(proc.stdout)
    assert "failed at step place-jar" in document["message"]
    assert "changed after it was verified" in proc.stderr
    assert not (world.folder / "integrasjonspunkt-2.28.0.jar").exists()
    assert world.answers() is None, "the swapped jar runs"
    journal = Layout(world.folder).journal_file
    assert not journal.exists(), "the failed install was undone and closed"


def test_a_kept_winsw_exe_that_changed_is_replaced_by_a_verified_copy(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    assert world.install("2.28.0").returncode == 0
    exe = Layout(world.folder).exe
    original = exe.read_bytes()
    changed = exe.with_name("changed.exe")
    changed.write_bytes(original + b"\n# changed\n")
    changed.chmod(0o755)
    os.replace(changed, exe)
    proc = world.setup("/upgrade", "2.28.1", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert exe.read_bytes() == original
    assert "does not match the pinned SHA-256" in proc.stderr
    world.setup("/uninstall", *FAST)


def test_a_kept_jar_that_changed_is_fetched_again_before_a_rollback_uses_it(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    assert world.install("2.28.0").returncode == 0
    kept = world.folder / "integrasjonspunkt-2.28.0.jar"
    original = kept.read_bytes()
    assert world.setup("/upgrade", "2.28.1", *FAST).returncode == 0
    shutil.rmtree(Layout(world.folder).cache, ignore_errors=True)  # no cached copy: the record must do
    kept.write_bytes(original + b"\0planted")
    proc = world.setup("/rollback", *FAST)
    assert proc.returncode == 0, proc.stderr
    assert "does not match its verified SHA1" in proc.stderr
    assert kept.read_bytes() == original
    assert world.answers() == "2.28.0"
    world.setup("/uninstall", *FAST)
