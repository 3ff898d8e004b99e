"""Java discovery: `java -version` parsing, the choice per release line, and discovery that really runs each Java
(fake executables printing each vendor's format, the registry layouts of real setups, and this machine's JDKs)."""

from __future__ import annotations

import os
import shlex
import shutil
import time
from pathlib import Path

import pytest

from installer import java
from installer.java import JavaInstall
from tests.harness import jdks
from tests.harness.fixtures_winreg import JAVA_OUTPUTS, SetupFactory, WindowsSetup, write_java

# --- parse_version ----------------------------------------------------------------------------------------

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake java executables are POSIX shell scripts")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("oracle-8u202-x64", (8, "1.8.0_202", 64)),
        ("oracle-8u401-x86", (8, "1.8.0_401", 32)),
        ("temurin-8u392", (8, "1.8.0_392", 64)),
        ("temurin-21.0.5", (21, "21.0.5", 64)),
        ("microsoft-21.0.5", (21, "21.0.5", 64)),
        ("zulu-17.0.13", (17, "17.0.13", 64)),
        ("corretto-8u432", (8, "1.8.0_432", 64)),
        ("openjdk-21-ga", (21, "21", 64)),
        ("openjdk-25-ea", (25, "25-ea", 64)),
        ("temurin-17.0.8.1-tool-options", (17, "17.0.8.1", 64)),
        ("semeru-openj9-8-x86", (8, "1.8.0_382", 32)),
    ],
)
def test_parse_version_of_each_vendor_format(name: str, expected: tuple[int, str, int | None]) -> None:
    assert java.parse_version(JAVA_OUTPUTS[name]) == expected


def test_parse_version_without_a_vm_line_has_no_bits() -> None:
    assert java.parse_version('java version "17.0.8" 2023-07-18 LTS\n') == (17, "17.0.8", None)
    assert java.parse_version('openjdk version "1.8.0_202-b08"') == (8, "1.8.0_202-b08", None)


@pytest.mark.parametrize("text", ["", "Error: could not find java.dll\n", 'java version "abc"'])
def test_parse_version_rejects_output_without_a_version(text: str) -> None:
    with pytest.raises(ValueError):
        java.parse_version(text)


def test_version_key_orders_updates_and_early_access() -> None:
    ordered = ["25-ea", "25", "25.0.1", "25.0.1.1"]
    assert sorted(reversed(ordered), key=java.version_key) == ordered
    assert java.version_key("1.8.0_202") < java.version_key("1.8.0_401")


# --- choose -----------------------------------------------------------------------------------------------


def _install(version: str, bits: int | None = 64, name: str | None = None) -> JavaInstall:
    major, _, _ = java.parse_version(f'version "{version}"')
    return JavaInstall(Path(f"/opt/{name or version}/bin/java"), major, version, bits, False, "test")


def test_choose_for_2x_prefers_java_8_then_64_bit_then_newest_update() -> None:
    x86_new = _install("1.8.0_401", 32, "x86")
    x64_old = _install("1.8.0_202", 64, "x64-old")
    x64_new = _install("1.8.0_392", 64, "x64-new")
    installs = [_install("17.0.8"), x86_new, x64_old, _install("21"), x64_new]
    assert java.choose(installs, 8, 8) == x64_new
    # 64-bit before 32-bit, even when the 32-bit one is newer.
    assert java.choose([x86_new, x64_old], 8, 8) == x64_old
    assert java.choose([x86_new], 8, 8) == x86_new


def test_choose_for_2x_without_java_8_takes_the_lowest_major_above_it() -> None:
    java11 = _install("11.0.20")
    assert java.choose([_install("21.0.5"), java11, _install("17.0.8")], 8, 8) == java11
    assert java.choose([_install("1.7.0_80")], 8, 8) is None


def test_choose_for_4x_takes_the_lowest_major_from_21() -> None:
    java21 = _install("21.0.5")
    assert java.choose([_install("25.0.1"), _install("1.8.0_202"), java21, _install("17.0.8")], 21, 21) == java21
    release = _install("25")
    assert java.choose([_install("25-ea", name="ea"), release], 21, 21) == release
    assert java.choose([_install("17.0.8"), _install("1.8.0_202")], 21, 21) is None
    assert java.choose([], 21, 21) is None


# --- discovery on this machine ----------------------------------------------------------------------------


@pytest.fixture
def no_java_around(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH, JAVA_HOME and the Linux JVM folders emptied: only what a test names is found."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(java, "LINUX_JVM_DIRS", (empty,))
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    return empty


def test_discovery_finds_the_real_jdks_once_each() -> None:
    survey = java.find_all(None)
    real = {os.path.realpath(i.path) for i in survey.installs}
    assert len(real) == len(survey.installs), "one entry per real path"
    java17 = jdks.java17()
    if java17 is not None:
        found = [i for i in survey.installs if os.path.realpath(i.path) == os.path.realpath(java17)]
        assert len(found) == 1
        assert found[0].major == 17 and found[0].bits == 64 and found[0].is_jdk
        assert found[0].path.is_absolute()
    temurin = Path("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
    if temurin.is_file():
        (found25,) = [i for i in survey.installs if i.path == temurin]
        assert found25.major == 25 and found25.origin == "/usr/lib/jvm" and found25.is_jdk


def test_discovery_order_configured_then_java_home_then_path(no_java_around: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    java21 = jdks.java21()
    java17 = jdks.java17()
    if java21 is None or java17 is None:
        pytest.skip("needs a Java 17 and a Java >= 21")
    on_path = tmp_path / "on-path"
    write_java(on_path, JAVA_OUTPUTS["temurin-8u392"])
    monkeypatch.setenv("PATH", str(on_path / "bin"))
    monkeypatch.setenv("JAVA_HOME", str(java21.parent.parent))
    survey = java.find_all(str(java17))
    assert [i.origin for i in survey.installs] == ["/java", "JAVA_HOME", "PATH"]
    assert survey.installs[0].major == 17
    assert survey.installs[1].major >= 21
    assert survey.installs[2].version == "1.8.0_392"
    assert survey.broken == []
    # The same Java named twice (/java and JAVA_HOME) is one install, found as /java.
    again = java.find_all(str(java21.parent.parent))
    assert [i.origin for i in again.installs] == ["/java", "PATH"]


def test_configured_java_home_folder_means_its_bin_java(no_java_around: Path, tmp_path: Path) -> None:
    home = tmp_path / "jre8"
    executable = write_java(home, JAVA_OUTPUTS["oracle-8u202-x64"])
    (found,) = java.discover(str(home))
    assert found.path == executable and found.origin == "/java" and not found.is_jdk


def test_broken_javas_are_reported_not_fatal(no_java_around: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    failing = write_java(tmp_path / "failing", "Error: could not open `C:\\jre\\lib\\amd64\\jvm.cfg'\n", exit_code=1)
    silent = write_java(tmp_path / "silent", "nothing to see\n")
    good = write_java(tmp_path / "good", JAVA_OUTPUTS["zulu-17.0.13"], jdk=True)
    monkeypatch.setenv("PATH", os.pathsep.join(str(p.parent) for p in (failing, silent, good)))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "deleted-jdk"))
    survey = java.find_all(str(tmp_path / "nowhere" / "java"))
    # Only the first java on PATH is the PATH one.
    assert [(b.origin, b.reason) for b in survey.broken] == [
        ("/java", "no java executable there"),
        ("JAVA_HOME", "no java executable there"),
        ("PATH", "'java -version' failed (exit 1): Error: could not open `C:\\jre\\lib\\amd64\\jvm.cfg'"),
    ]
    assert survey.installs == []
    monkeypatch.delenv("JAVA_HOME")
    monkeypatch.setenv("PATH", os.pathsep.join(str(p.parent) for p in (silent, good)))
    survey = java.find_all(None)
    assert [(b.path, b.reason) for b in survey.broken] == [(silent, "'java -version' named no version")]
    monkeypatch.setenv("PATH", str(good.parent))
    (found,) = java.discover(None)
    assert (found.major, found.version, found.is_jdk, found.origin) == (17, "17.0.13", True, "PATH")


def test_hanging_javas_time_out_in_parallel(no_java_around: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    hangs = [write_java(tmp_path / f"hang{i}", "", hang=True) for i in range(java.PROBES_AT_ONCE)]
    good = write_java(tmp_path / "good", JAVA_OUTPUTS["temurin-21.0.5"])
    monkeypatch.setattr(java, "LINUX_JVM_DIRS", (tmp_path,))
    started = time.monotonic()
    survey = java.find_all(None, timeout=1.0)
    elapsed = time.monotonic() - started
    assert sorted(b.path for b in survey.broken) == sorted(hangs)
    assert {b.reason for b in survey.broken} == {"did not answer 'java -version' within 1 s"}
    assert [i.path for i in survey.installs] == [good]
    # Run one after another, the hangs would take a timeout each.
    assert elapsed < 1.9


def test_no_more_than_two_javas_run_at_once(no_java_around: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Each fake java leaves a file while it runs and notes how many such files it saw: its company at the time.
    running = tmp_path / "running"
    running.mkdir()
    homes = tmp_path / "jvms"
    output = shlex.quote(JAVA_OUTPUTS["temurin-21.0.5"])
    touch, sleep, rm = (shutil.which(name, path=os.defpath) for name in ("touch", "sleep", "rm"))
    for n in range(6):
        executable = write_java(homes / f"jdk{n}", "")
        executable.write_text(
            "#!/bin/sh\n"
            f"{touch} {running}/$$\n"
            f"set -- {running}/*; echo $# >> {tmp_path}/seen\n"
            f"{sleep} 0.3\n"
            f"set -- {running}/*; echo $# >> {tmp_path}/seen\n"
            f"{rm} {running}/$$\n"
            f"printf '%s' {output} >&2\n", encoding="utf-8")
    monkeypatch.setattr(java, "LINUX_JVM_DIRS", (homes,))
    survey = java.find_all(None)
    assert len(survey.installs) == 6
    seen = [int(n) for n in (tmp_path / "seen").read_text().split()]
    assert len(seen) == 12 and max(seen) <= java.PROBES_AT_ONCE


# --- discovery through the registry (fake winreg, documented layouts) ---------------------------------------

ORACLE_KEY = r"SOFTWARE\JavaSoft\Java Runtime Environment\1.8"


def _found(setup: WindowsSetup) -> list[tuple[Path, str, str, int | None, bool]]:
    return [(i.path, i.origin, i.version, i.bits, i.is_jdk) for i in java.discover(None)]


def test_registry_oracle_jre8_on_server_2016(windows_setup: SetupFactory) -> None:
    setup = windows_setup("server2016-net462-oracle-jre8")
    # "1.8" and "1.8.0_202" name the same home: one install, found at the first key.
    assert _found(setup) == [
        (setup.java("oracle-8u202-x64"), f"Oracle, registry HKLM\\{ORACLE_KEY}, 64-bit view", "1.8.0_202", 64, False),
    ]


def test_registry_temurin_8_and_21_side_by_side(windows_setup: SetupFactory) -> None:
    setup = windows_setup("temurin-8-and-21")
    assert _found(setup) == [
        (setup.java("temurin-8u392"),
         "Eclipse Adoptium, registry HKLM\\SOFTWARE\\Eclipse Adoptium\\JDK\\8.0.392.8\\hotspot\\MSI, 64-bit view",
         "1.8.0_392", 64, True),
        (setup.java("temurin-21.0.5"),
         "Eclipse Adoptium, registry HKLM\\SOFTWARE\\Eclipse Adoptium\\JRE\\21.0.5.11\\hotspot\\MSI, 64-bit view",
         "21.0.5", 64, False),
    ]
    installs = java.discover(None)
    assert java.choose(installs, 8, 8).version == "1.8.0_392"
    assert java.choose(installs, 21, 21).version == "21.0.5"


def test_registry_microsoft_jdk21(windows_setup: SetupFactory) -> None:
    setup = windows_setup("microsoft-jdk21")
    assert _found(setup) == [
        (setup.java("microsoft-21.0.5"),
         "Microsoft, registry HKLM\\SOFTWARE\\Microsoft\\JDK\\21.0.5.11\\hotspot\\MSI, 64-bit view",
         "21.0.5", 64, True),
    ]


def test_registry_32_bit_java_in_the_wow6432node_view(windows_setup: SetupFactory) -> None:
    setup = windows_setup("java32-on-64")
    assert _found(setup) == [
        (setup.java("oracle-8u202-x64"), f"Oracle, registry HKLM\\{ORACLE_KEY}, 64-bit view", "1.8.0_202", 64, False),
        (setup.java("oracle-8u401-x86"), f"Oracle, registry HKLM\\{ORACLE_KEY}, 32-bit view", "1.8.0_401", 32, False),
    ]
    # The newer update is 32-bit: the 64-bit one runs the service.
    assert java.choose(java.discover(None), 8, 8).path == setup.java("oracle-8u202-x64")


def test_registry_java_home_left_pointing_at_a_deleted_folder(windows_setup: SetupFactory) -> None:
    setup = windows_setup("java-home-deleted")
    survey = java.find_all(None)
    assert [(b.path, b.origin, b.reason) for b in survey.broken] == [
        (Path(setup.java_home_env) / "bin" / "java", "JAVA_HOME", "no java executable there"),
    ]
    assert [(i.path, i.origin, i.major) for i in survey.installs] == [
        (setup.java("corretto-8u432"),
         "Oracle, registry HKLM\\SOFTWARE\\JavaSoft\\Java Development Kit\\1.8, 64-bit view", 8),
        (setup.java("zulu-17.0.13"),
         "Azul Zulu, registry HKLM\\SOFTWARE\\Azul Systems\\Zulu\\zulu-17, 64-bit view", 17),
    ]


def test_registry_bellsoft_liberica(windows_setup: SetupFactory) -> None:
    setup = windows_setup("liberica-17")
    assert [(i.path, i.origin, i.major) for i in java.find_all(None).installs] == [
        (setup.java("liberica-17.0.13"),
         "BellSoft Liberica, registry HKLM\\SOFTWARE\\BellSoft\\Liberica\\17.0.13+12, 64-bit view", 17),
    ]


def test_registry_without_java_finds_nothing(windows_setup: SetupFactory) -> None:
    windows_setup("server2012r2-net452")
    assert java.find_all(None) == java.JavaSurvey()
