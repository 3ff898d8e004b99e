"""The WinSW catalog: the built-in one carries exactly the agreed hashes, bad files are refused, and the build is
chosen by the rules of issue 4 for each kind of machine (read from the fake registry where it is Windows)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from installer import dotnet
from installer.errors import ExitCode, SetupError
from installer.machine import Machine, detect_machine
from installer.winsw_catalog import WinswBuild, choose_build, default_builds, find_build, load_catalog
from tests.harness.fixtures_winreg import SetupFactory

# FACTS.md section 2: SHA-256 agreed by at least two independent public manifests.
AGREED = {
    ("2.12.0", "WinSW.NET461.exe"): "b5066b7bbdfba1293e5d15cda3caaea88fbeab35bd5b38c41c913d492aadfc4f",
    ("2.12.0", "WinSW-x64.exe"): "05b82d46ad331cc16bdc00de5c6332c1ef818df8ceefcd49c726553209b3a0da",
    ("2.12.0", "WinSW-x86.exe"): "0c21327463a43a61f2efb227ec4afd2467fde91618cc725148c1099001ca91ae",
    ("3.0.0-alpha.11", "WinSW-net461.exe"): "91bce26b4fa3a7534e7967c1804d7417737b7169014435e5b3b31924bf19f3ee",
    ("3.0.0-alpha.11", "WinSW-x64.exe"): "a2daa6a33a9c2b791ae31d9092e7935c339d1e03e89bfb747618ce2f4e819e20",
    ("3.0.0-alpha.11", "WinSW-x86.exe"): "3201432b44825b0dc763eb4052dc84b179314e2a338794c9f5f797e8fe2bb0fc",
    ("2.11.0", "WinSW-x64.exe"): "69833b8bd0b76cbf051a795ae89f9071b24863b7f141f87ccb675bdb08e8fb8b",
    ("2.11.0", "WinSW-x86.exe"): "cddf8d62372edcaa8870a5e655a3afb9c26caec7fd5bbe8b925f4fe28071360b",
}
SHA = "ab" * 32


@pytest.fixture(scope="module")
def builtin() -> list[WinswBuild]:
    return load_catalog(None)


def windows(arch: str = "x64", release: int | None = 528040, version: str = "10.0.17763",
            v35: bool = False) -> Machine:
    return Machine(os="windows", arch=arch, windows_version=version, windows_name="Windows Server",
                   dotnet=dotnet.DotNet(release=release, v4=release is not None, v35=v35), admin=True)


LINUX = Machine(os="linux", arch="x64", windows_version=None, windows_name=None, dotnet=None, admin=None)


def write(tmp_path: Path, document: Any, name: str = "catalog.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return path


def entry(**fields: Any) -> dict[str, Any]:
    return {"version": "2.12.0", "asset": "WinSW-x64.exe", "sha256": SHA, "needs": "none", "arch": "x64", **fields}


# --- the built-in catalog ---------------------------------------------------------------------------------


def test_builtin_catalog_holds_exactly_the_agreed_hashes(builtin: list[WinswBuild]) -> None:
    assert {(b.version, b.asset): b.sha256 for b in builtin} == AGREED
    assert not any("NET2" in b.asset or "NET4." in b.asset for b in builtin)


def test_build_spec_and_prerelease(builtin: list[WinswBuild]) -> None:
    net461 = find_build(builtin, "2.12.0/WinSW.NET461.exe")
    assert (net461.spec, net461.prerelease, net461.needs, net461.arch) == ("2.12.0/WinSW.NET461.exe", False,
                                                                          "net461", "any")
    alpha = find_build(builtin, "3.0.0-alpha.11/WinSW-x64.exe")
    assert alpha.prerelease and alpha.min_windows == "6.3"


def test_default_builds_for_download(builtin: list[WinswBuild], tmp_path: Path) -> None:
    assert [b.spec for b in default_builds(builtin)] == ["2.12.0/WinSW.NET461.exe", "2.12.0/WinSW-x64.exe"]
    only_contained = load_catalog(write(tmp_path, {"builds": [entry(), entry(version="2.11.0")]}))
    assert [b.spec for b in default_builds(only_contained)] == ["2.12.0/WinSW-x64.exe"]
    standin = load_catalog(write(tmp_path, {"builds": [entry(arch="any")]}, "standin.json"))
    assert default_builds(standin) == standin


# --- bad catalog files: exit 1639 naming the file -----------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("{not json", "not valid JSON (line 1: Expecting property name enclosed in double quotes)"),
        ({"builds": []}, 'it needs a non-empty list "builds"'),
        ([entry()], 'it needs a non-empty list "builds"'),
        ({"builds": ["2.12.0/WinSW-x64.exe"]}, "builds[0] is not an object"),
        ({"builds": [entry(size=1)]}, 'builds[0] has an unknown key "size"'),
        ({"builds": [entry(sha256="abc")]}, 'builds[0]: "sha256" is missing or not valid (abc)'),
        ({"builds": [entry(asset="../evil.exe")]}, 'builds[0]: "asset" is missing or not valid (../evil.exe)'),
        ({"builds": [entry(asset="sub/WinSW.exe")]}, 'builds[0]: "asset" is missing or not valid (sub/WinSW.exe)'),
        ({"builds": [entry(version="v2.12.0")]}, 'builds[0]: "version" is missing or not valid (v2.12.0)'),
        ({"builds": [entry(version=None)]}, 'builds[0]: "version" is missing or not valid (None)'),
        ({"builds": [entry(needs="net5")]}, 'builds[0]: "needs" must be one of none|net2|net4|net461, not net5'),
        ({"builds": [entry(arch="ia64")]}, 'builds[0]: "arch" must be one of any|x64|x86|arm64, not ia64'),
        ({"builds": [entry(min_windows="Server 2016")]},
         'builds[0]: "min_windows" is missing or not valid (Server 2016)'),
        ({"builds": [entry(), entry(sha256="cd" * 32)]}, "2.12.0/WinSW-x64.exe is listed twice"),
    ],
)
def test_bad_catalog_is_a_bad_command_line(tmp_path: Path, document: Any, reason: str) -> None:
    path = write(tmp_path, document)
    with pytest.raises(SetupError) as caught:
        load_catalog(path)
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE
    assert caught.value.message == f"WinSW catalog {path}: {reason}"


def test_missing_catalog_file(tmp_path: Path) -> None:
    with pytest.raises(SetupError) as caught:
        load_catalog(tmp_path / "nope.json")
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE
    assert caught.value.message == f"WinSW catalog {tmp_path / 'nope.json'}: No such file or directory"


def test_an_admins_catalog_may_add_net2_and_net4_builds(tmp_path: Path) -> None:
    builds = load_catalog(write(tmp_path, {"builds": [
        entry(asset="WinSW.NET2.exe", needs="net2", arch="any", sha256="AB" * 32),
        entry(asset="WinSW.NET4.exe", needs="net4", arch="any"),
        entry(),
    ]}))
    assert builds[0].sha256 == SHA  # kept lower-case
    assert choose_build(builds, None, windows(release=379893)).asset == "WinSW.NET4.exe"
    assert choose_build(builds, None, windows(release=None, v35=True)).asset == "WinSW.NET2.exe"
    assert choose_build(builds, None, windows(release=None)).asset == "WinSW-x64.exe"


# --- automatic choice -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "spec"),
    [
        ("server2016-net462-oracle-jre8", "2.12.0/WinSW.NET461.exe"),
        ("server2012r2-net452", "2.12.0/WinSW-x64.exe"),
        ("temurin-8-and-21", "2.12.0/WinSW.NET461.exe"),
        ("microsoft-jdk21", "2.12.0/WinSW.NET461.exe"),
    ],
)
def test_automatic_choice_on_real_setups(windows_setup: SetupFactory, builtin: list[WinswBuild], name: str,
                                         spec: str) -> None:
    windows_setup(name)
    assert choose_build(builtin, None, detect_machine(windows=True)).spec == spec


@pytest.mark.parametrize(
    ("machine", "spec"),
    [
        (windows("x86", release=None), "2.12.0/WinSW-x86.exe"),
        (windows("x86", release=528040), "2.12.0/WinSW.NET461.exe"),
        (windows("arm64", release=None), "2.12.0/WinSW-x86.exe"),  # no arm64 build in 2.12.0; x86 is emulated
        (windows("x64", release=394254), "2.12.0/WinSW.NET461.exe"),  # exactly 4.6.1
        (windows("x64", release=394253), "2.12.0/WinSW-x64.exe"),
        (LINUX, "2.12.0/WinSW-x64.exe"),  # off Windows .NET is unknown: self-contained
    ],
)
def test_automatic_choice_per_machine(builtin: list[WinswBuild], machine: Machine, spec: str) -> None:
    assert choose_build(builtin, None, machine).spec == spec


def test_automatic_choice_skips_pre_releases_and_falls_back_to_older_versions(tmp_path: Path) -> None:
    builds = load_catalog(write(tmp_path, {"builds": [
        entry(version="3.0.0-alpha.11"),
        entry(version="2.12.0", asset="WinSW-x86.exe", arch="x86"),
        entry(version="2.11.0"),
        entry(version="2.12.0", asset="WinSW-arm64.exe", arch="arm64", min_windows="10.0.17763"),
    ]}))
    assert choose_build(builds, None, windows("x64")).spec == "2.12.0/WinSW-x86.exe"
    assert choose_build(builds, None, windows("arm64")).spec == "2.12.0/WinSW-arm64.exe"
    # Too old a Windows for the arm64 build: the x86 one.
    assert choose_build(builds, None, windows("arm64", version="10.0.14393")).spec == "2.12.0/WinSW-x86.exe"


def test_no_build_fits(tmp_path: Path) -> None:
    builds = load_catalog(write(tmp_path, {"builds": [entry(asset="WinSW.NET461.exe", needs="net461", arch="any")]}))
    with pytest.raises(SetupError) as caught:
        choose_build(builds, None, windows(release=379893))
    assert caught.value.code == ExitCode.PREREQUISITES
    assert caught.value.message == (
        "No WinSW build in the catalog runs on this machine (x64, .NET Framework 4.5.2 (release 379893)); the "
        "catalog has 2.12.0/WinSW.NET461.exe. Install .NET Framework 4.6.1 or newer, or add a build for this "
        "machine with /winsw-catalog.")
    with pytest.raises(SetupError) as off_windows:
        choose_build(builds, None, LINUX)
    assert off_windows.value.code == ExitCode.PREREQUISITES
    assert "(x64, not applicable)" in off_windows.value.message
    assert default_builds(builds) == builds


# --- /winsw -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "spec"),
    [
        ("2.12.0/WinSW-x64.exe", "2.12.0/WinSW-x64.exe"),
        ("v2.12.0/winsw-x64.exe", "2.12.0/WinSW-x64.exe"),
        ("WinSW-x64.exe", "2.12.0/WinSW-x64.exe"),  # the newest released version with that asset
        ("2.11.0/WinSW-x86.exe", "2.11.0/WinSW-x86.exe"),
        ("3.0.0-alpha.11/WinSW-net461.exe", "3.0.0-alpha.11/WinSW-net461.exe"),
        ("3.0.0-alpha.11/WinSW-x64.exe", "3.0.0-alpha.11/WinSW-x64.exe"),
    ],
)
def test_requested_build(builtin: list[WinswBuild], requested: str, spec: str) -> None:
    assert choose_build(builtin, requested, windows()).spec == spec


def test_requested_pre_release_needs_its_version(builtin: list[WinswBuild]) -> None:
    with pytest.raises(SetupError) as caught:
        choose_build(builtin, "WinSW-net461.exe", windows())
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE
    assert caught.value.message == ("/winsw WinSW-net461.exe: only pre-release versions have this asset; name one "
                                    "with its version: 3.0.0-alpha.11/WinSW-net461.exe.")


@pytest.mark.parametrize("requested", ["9.9.9/WinSW-x64.exe", "WinSW.NET2.exe", "../WinSW-x64.exe", "x/y/z"])
def test_unknown_requested_build(builtin: list[WinswBuild], requested: str) -> None:
    with pytest.raises(SetupError) as caught:
        choose_build(builtin, requested, windows())
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE
    assert caught.value.message.startswith(f"/winsw {requested}: the WinSW catalog has no such build; it has "
                                           "2.12.0/WinSW.NET461.exe, 2.12.0/WinSW-x64.exe, ")


def test_requested_build_whose_dotnet_is_missing(windows_setup: SetupFactory, builtin: list[WinswBuild]) -> None:
    windows_setup("server2012r2-net452")
    with pytest.raises(SetupError) as caught:
        choose_build(builtin, "2.12.0/WinSW.NET461.exe", detect_machine(windows=True))
    assert caught.value.code == ExitCode.PREREQUISITES
    assert caught.value.message == (
        "WinSW 2.12.0/WinSW.NET461.exe needs .NET Framework 4.6.1 or newer; this server has .NET Framework 4.5.2 "
        "(release 379893). Builds that run here (/winsw): "
        "2.12.0/WinSW-x64.exe, 2.12.0/WinSW-x86.exe, 2.11.0/WinSW-x64.exe, 2.11.0/WinSW-x86.exe, "
        "3.0.0-alpha.11/WinSW-x64.exe, 3.0.0-alpha.11/WinSW-x86.exe.")


def test_requested_build_for_another_architecture_or_windows(builtin: list[WinswBuild]) -> None:
    with pytest.raises(SetupError) as arch:
        choose_build(builtin, "2.12.0/WinSW-x64.exe", windows("x86", release=None))
    assert arch.value.code == ExitCode.PREREQUISITES
    assert arch.value.message == ("WinSW 2.12.0/WinSW-x64.exe is built for x64 and does not run on this x86 machine. "
                                  "Builds that run here (/winsw): 2.12.0/WinSW-x86.exe, 2.11.0/WinSW-x86.exe, "
                                  "3.0.0-alpha.11/WinSW-x86.exe.")
    old = dataclasses.replace(windows(release=None), windows_version="6.1.7601")
    with pytest.raises(SetupError) as windows_too_old:
        choose_build(builtin, "3.0.0-alpha.11/WinSW-x64.exe", old)
    assert windows_too_old.value.message == (
        "WinSW 3.0.0-alpha.11/WinSW-x64.exe needs Windows 6.3 or newer; this is 6.1.7601. Builds that run here "
        "(/winsw): 2.12.0/WinSW-x64.exe, 2.12.0/WinSW-x86.exe, 2.11.0/WinSW-x64.exe, 2.11.0/WinSW-x86.exe.")


def test_requested_build_off_windows_is_taken_as_given(builtin: list[WinswBuild]) -> None:
    assert choose_build(builtin, "2.12.0/WinSW.NET461.exe", LINUX).spec == "2.12.0/WinSW.NET461.exe"
