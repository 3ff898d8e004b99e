"""What setup.exe is built from: the lock file pins every package with its hashes and satisfies pyproject.toml;
the dependency declarations keep out the versions with known advisories."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.version import Version

from tests.paths import REPO_ROOT

ROOT = REPO_ROOT


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def locked() -> dict[str, tuple[Version, list[str]]]:
    """name -> (version, sha256 hashes) of build/requirements.lock."""
    text = (ROOT / "build" / "requirements.lock").read_text(encoding="utf-8")
    entries: dict[str, tuple[Version, list[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z])", "\n".join(line for line in text.splitlines()
                                                     if not line.startswith("#"))):
        head = re.match(r"([A-Za-z0-9._-]+)==(\S+)", block)
        assert head, block
        entries[head.group(1).lower()] = (Version(head.group(2)), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return entries


def test_every_locked_package_has_a_hash_and_fits_pyproject() -> None:
    lock = locked()
    for name, (_version, hashes) in lock.items():
        assert hashes, name
    for line in [*project()["dependencies"], *project()["optional-dependencies"]["build"]]:
        requirement = Requirement(line)
        assert requirement.name.lower() in lock, f"{requirement.name} is not in build/requirements.lock"
        version = lock[requirement.name.lower()][0]
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


def test_declared_floors_and_caps() -> None:
    declared = {Requirement(line).name.lower(): Requirement(line).specifier for line in project()["dependencies"]}
    assert not declared["requests"].contains("2.32.3") and declared["requests"].contains("2.32.4")  # CVE-2024-47081
    for advisory in ("2.6.2", "2.6.3", "2.7.0", "2.8.0"):  # decompression infinite loop
        assert not declared["urllib3"].contains(advisory)
    assert not declared["urllib3"].contains("2.2.3") and declared["urllib3"].contains("2.6.1")
    assert not declared["pysequoia"].contains("0.2.0")
    tools = [Requirement(line) for line in [*project()["optional-dependencies"]["test"],
                                            *project()["optional-dependencies"]["build"]]]
    for name in ("ruff", "pyinstaller"):
        (requirement,) = [r for r in tools if r.name.lower() == name]
        assert str(requirement.specifier).startswith("=="), requirement


def test_github_actions_are_pinned_by_commit() -> None:
    """A tag can be moved to other code; a commit cannot. The comment names the release the commit is."""
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        for line in workflow.read_text(encoding="utf-8").splitlines():
            uses = re.search(r"uses:\s*(\S+)", line)
            if uses and not uses.group(1).startswith("./"):
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses.group(1)), (workflow.name, line)
                assert re.search(r"#\s*v\d+\.\d+\.\d+", line), (workflow.name, line)


def test_setup_exe_is_built_from_the_lock_file() -> None:
    for script in (ROOT / ".ci" / "run", ROOT / ".github" / "workflows" / "windows.yml"):
        text = script.read_text(encoding="utf-8")
        assert "--require-hashes -r build/requirements.lock" in text, script
        assert ".[build]" not in text, script
