"""Write build/requirements.lock: every package setup.exe is built from, pinned, with the SHA-256 of its files.

    python build/lock.py            # resolve pyproject.toml's runtime and build dependencies anew, write the lock
    python build/lock.py --check    # exit 1 when the lock no longer matches what pyproject.toml allows

pip resolves the dependencies once for the Windows build (win_amd64, CPython 3.11) and, with those versions fixed,
once for the Linux build (manylinux x86_64) of .ci/run; each file's hash comes from the index (`pip install
--dry-run --report`), nothing is installed. A package only one platform needs carries a marker. Build with

    python -m pip install --require-hashes -r build/requirements.lock
    python -m pip install --no-deps -e .
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "build" / "requirements.lock"
PYTHON = "3.11"
# pip judges environment markers by the machine it runs on, not by --platform: each platform's markers are
# judged here, and what pip left out for that reason is asked for by name.
MARKER_ENVIRONMENTS = {
    "win32": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "linux": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
}
PLATFORMS = {  # marker value -> pip --platform tags (newest first)
    "win32": ["win_amd64"],
    "linux": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_5_x86_64",
              "manylinux1_x86_64"],
}


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["build"]]


def resolve(platform: str, wanted: list[str], pins: tuple[str, ...] | list[str] = ()) -> dict[str, tuple[str, str]]:
    """name -> (version, sha256) of what pip would install for `platform`, markers judged for that platform;
    `pins` constrain versions without asking for the packages."""
    from packaging.requirements import Requirement

    wanted = list(wanted)
    while True:
        installs = _report(platform, wanted, pins)
        names = {item["metadata"]["name"].lower() for item in installs}
        environment = {"python_version": PYTHON, "extra": "", **MARKER_ENVIRONMENTS[platform]}
        missing = set()
        for item in installs:
            for line in item["metadata"].get("requires_dist", []):
                requirement = Requirement(line)
                if requirement.marker is not None and "extra" not in str(requirement.marker) \
                        and requirement.marker.evaluate(environment) and requirement.name.lower() not in names:
                    missing.add(f"{requirement.name}{requirement.specifier}")
        if not missing:
            break
        wanted += sorted(missing)
    return {item["metadata"]["name"].lower(): (item["metadata"]["version"],
                                               item["download_info"]["archive_info"]["hashes"]["sha256"])
            for item in installs}


def _report(platform: str, wanted: list[str], pins: tuple[str, ...] | list[str]) -> list[dict]:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        constraints = Path(scratch) / "constraints.txt"
        constraints.write_text("".join(pin + "\n" for pin in pins), encoding="utf-8")
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                   "--only-binary=:all:", "--python-version", PYTHON, "--implementation", "cp",
                   "--target", str(Path(scratch) / "target"), "--report", str(report),
                   "--constraint", str(constraints)]
        for tag in PLATFORMS[platform]:
            command += ["--platform", tag]
        subprocess.run([*command, *wanted], check=True)
        return json.loads(report.read_text(encoding="utf-8"))["install"]


def render() -> str:
    windows = resolve("win32", requirements())
    pins = [f"{name}=={version}" for name, (version, _) in sorted(windows.items())]
    linux = resolve("linux", requirements(), pins)
    lines = ["# setup.exe's build and runtime packages with their hashes. Written by build/lock.py: do not edit.",
             "# python -m pip install --require-hashes -r build/requirements.lock"]
    for name in sorted(windows.keys() | linux.keys()):
        version = (windows.get(name) or linux[name])[0]
        hashes = sorted({found[name][1] for found in (windows, linux) if name in found})
        marker = "" if name in windows and name in linux else \
            f' ; sys_platform == "{"win32" if name in windows else "linux"}"'
        lines.append(f"{name}=={version}{marker} \\")
        lines += [f"    --hash=sha256:{digest} \\" for digest in hashes[:-1]]
        lines.append(f"    --hash=sha256:{hashes[-1]}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the lock instead of writing it")
    args = parser.parse_args()
    text = render()
    if args.check:
        same = LOCK.is_file() and LOCK.read_text(encoding="utf-8") == text
        print("build/requirements.lock is up to date" if same else "build/requirements.lock is out of date")
        return 0 if same else 1
    LOCK.write_text(text, encoding="utf-8")
    print(f"wrote {LOCK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
