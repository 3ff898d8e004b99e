"""Packaging checks cheap enough for every test run (PyInstaller itself runs in build/build.py, not here):
the quick start path of --help and --version, release.spec's excludes against what the program imports, the
runtime hook that keeps the bundle's library path from the programs setup starts, the icon, and
build/verify_real_jar.py against the artifact server."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.harness.artifact_server import ArtifactServer
from tests.harness.signing import SigningKey
from tests.paths import REPO_ROOT
from tests.project.test_workflows import spec_constant

ROOT = REPO_ROOT
BUILD = ROOT / "build"
HEAVY = ("requests", "urllib3", "rich", "pysequoia", "psutil", "defusedxml", "truststore", "packaging", "ssl")


def _load(path: Path) -> ModuleType:
    # By path: `build` is also the name of a PyPA package.
    spec = importlib.util.spec_from_file_location(f"_packaging_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


# --- start-up path -----------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--help", "--version", "/?"])
def test_help_and_version_load_nothing_heavy(option: str) -> None:
    done = _python(
        "import json, sys, contextlib, io\n"
        "from installer.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main([{option!r}])\n"
        f"print(json.dumps([code, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    assert done.returncode == 0, done.stderr
    code, loaded = json.loads(done.stdout)
    assert code == 0
    assert loaded == []


# --- layers ------------------------------------------------------------------------------------------


def _imports_of_installer() -> dict[str, set[str]]:
    """module -> the installer modules it imports, also inside functions (a lazy import closes a circle too)."""
    package = ROOT / "installer"
    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
               for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    whole = f"{node.module}.{alias.name}"
                    found.add(whole if whole in modules else node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m not in (name, "installer")}
    return graph


def test_installer_has_no_import_circles() -> None:
    graph = _imports_of_installer()
    circles = []
    for start in graph:
        # Depth-first from each module: a path that comes back to it is a circle.
        stack, seen = [(start, [start])], set()
        while stack:
            module, path = stack.pop()
            for imported in sorted(graph[module]):
                if imported == start:
                    circles.append(" -> ".join([*path, start]))
                elif imported not in seen:
                    seen.add(imported)
                    stack.append((imported, [*path, imported]))
    assert circles == []


# --- release.spec ------------------------------------------------------------------------------------


def _imported_names() -> set[str]:
    """Every module named by an import statement anywhere in installer/, nested ones included."""
    names: set[str] = set()
    for path in (ROOT / "installer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names


def test_spec_excludes_nothing_the_program_imports() -> None:
    # Import what the code names (run-time imports inside functions too) and everything those pull in.
    wanted = sorted(n for n in _imported_names() if not n.startswith("installer.__main__"))
    done = _python(
        "import importlib, json, sys\n"
        f"for name in {wanted!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError:\n"
        "        pass  # Windows-only modules (winreg) on POSIX\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout))
    excludes = spec_constant("EXCLUDES")
    assert isinstance(excludes, list)
    assert {"rich.progress", "requests", "pysequoia"} <= loaded, (
        "the check did not import the program's libraries"
    )
    assert [m for m in sorted(loaded) if any(m == e or m.startswith(e + ".") for e in excludes)] == []


def _spec_helpers() -> dict[str, object]:
    """release.spec's imports, constants and functions, run without PyInstaller's Analysis/PYZ/EXE calls."""
    builders = {"Analysis", "PYZ", "EXE"}
    kept = [
        node for node in ast.parse((ROOT / "release.spec").read_text(encoding="utf-8")).body
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id in builders)
    ]  # fmt: skip
    namespace: dict[str, object] = {"SPECPATH": str(ROOT)}
    exec(compile(ast.Module(body=kept, type_ignores=[]), "release.spec", "exec"), namespace)
    return namespace


def test_spec_reads_the_package_version() -> None:
    from installer import __version__

    assert _spec_helpers()["_version"]() == __version__  # type: ignore[operator]


def test_spec_hidden_imports_hold_every_verb_module() -> None:
    hidden = _spec_helpers()["_hidden_imports"]()  # type: ignore[operator]
    from installer.verbs import VERBS, WIZARD

    verbs = {verb.module for verb in (*VERBS.values(), WIZARD)}  # cli.py imports each by its name in the table
    assert verbs and verbs <= set(hidden)
    for name in hidden:
        assert importlib.util.find_spec(name) is not None, name


# --- runtime hook ------------------------------------------------------------------------------------


def _after_hook(environment: dict[str, str]) -> str | None:
    """LD_LIBRARY_PATH as a child of a frozen program sees it, the hook having run in a bundle at /bundle."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LD_LIBRARY_PATH")}
    env.update(environment)
    done = _python(
        "import runpy, subprocess, sys, json\n"
        "sys._MEIPASS = '/bundle'\n"
        f"runpy.run_path({str(BUILD / 'rthook_child_env.py')!r})\n"
        "child = subprocess.run([sys.executable, '-c', "
        '\'import os, json; print(json.dumps([os.environ.get("LD_LIBRARY_PATH"), '
        'os.environ.get("LD_LIBRARY_PATH_ORIG")]))\'], capture_output=True, text=True, check=True)\n'
        "print(child.stdout)\n",
        env,
    )
    assert done.returncode == 0, done.stderr
    value, orig = json.loads(done.stdout)
    assert orig is None
    return value


def test_hook_restores_the_admins_library_path() -> None:
    assert (
        _after_hook({"LD_LIBRARY_PATH": "/bundle:/opt/lib", "LD_LIBRARY_PATH_ORIG": "/opt/lib"}) == "/opt/lib"
    )


def test_hook_removes_a_library_path_the_bootloader_made() -> None:
    assert _after_hook({"LD_LIBRARY_PATH": "/bundle"}) is None


def test_hook_keeps_other_entries() -> None:
    assert _after_hook({"LD_LIBRARY_PATH": "/bundle:/usr/local/lib"}) == "/usr/local/lib"


def test_hook_leaves_an_unrelated_path_alone() -> None:
    assert _after_hook({"LD_LIBRARY_PATH": "/usr/local/lib"}) == "/usr/local/lib"


# --- icon ----------------------------------------------------------------------------------------------


def test_icon_is_what_the_generator_draws() -> None:
    make_icon = _load(BUILD / "make_icon.py")
    committed = (ROOT / "assets" / "setup.ico").read_bytes()
    assert committed == make_icon.build_ico(), "assets/setup.ico is stale: run python build/make_icon.py"


def test_icon_holds_png_images_from_16_to_256() -> None:
    data = (ROOT / "assets" / "setup.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        image = data[offset : offset + length]
        assert image.startswith(b"\x89PNG\r\n\x1a\n") and (planes, bits) == (1, 32)
        png_width, png_height = struct.unpack_from(">II", image, 16)
        assert (png_width, png_height) == (width or 256, height or 256)
        sizes.append(png_width)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


# --- build/verify_real_jar.py against the artifact server ------------------------------------------


@pytest.fixture
def published(artifact_server: ArtifactServer, signing_key: SigningKey, tmp_path: Path) -> ArtifactServer:
    for version in ("2.27.0", "2.28.0", "2.28.1"):
        jar = tmp_path / f"integrasjonspunkt-{version}.jar"
        jar.write_bytes(f"stand-in jar {version}\n".encode() * 1000)
        artifact_server.publish_jar(version, jar, asc=signing_key.sign(jar))
    return artifact_server


def _verify_real_jar(server: ArtifactServer, key: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BUILD / "verify_real_jar.py"), "--maven-repo", server.maven_repo,
         "--trusted-key", str(key), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_verify_real_jar_takes_the_newest_2_28_and_names_the_signer(
    published: ArtifactServer, signing_key: SigningKey
) -> None:
    done = _verify_real_jar(published, signing_key.public_key_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "integrasjonspunkt-2.28.1.jar" in done.stdout
    assert "SHA-1 matches" in done.stdout
    assert f"good signature by {signing_key.fingerprint.lower()}" in done.stdout


def test_verify_real_jar_refuses_a_bad_signature(published: ArtifactServer, signing_key: SigningKey) -> None:
    published.fault(published.maven_jar_path("2.28.0") + ".asc", "bad_signature")
    done = _verify_real_jar(published, signing_key.public_key_path, "--version", "2.28.0")
    assert done.returncode == 11, done.stdout + done.stderr
    assert "NOT verified" in done.stderr


def test_verify_real_jar_refuses_a_corrupt_jar(published: ArtifactServer, signing_key: SigningKey) -> None:
    published.fault(published.maven_jar_path("2.28.0"), "corrupt")
    done = _verify_real_jar(published, signing_key.public_key_path, "--version", "2.28.0")
    assert done.returncode == 11, done.stdout + done.stderr
    assert "SHA-1" in done.stderr


def test_verify_real_jar_trusts_only_digdirs_key_by_default(
    published: ArtifactServer, tmp_path: Path
) -> None:
    # Without --trusted-key the test key's signature must not count.
    done = subprocess.run(
        [sys.executable, str(BUILD / "verify_real_jar.py"), "--maven-repo", published.maven_repo],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 11, done.stdout + done.stderr


def test_build_names_missing_tools_before_it_builds(tmp_path: Path) -> None:
    """Without gpg on PATH the build says what to install and stops, instead of a traceback after the build."""
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    done = subprocess.run([str(bare / "python"), str(ROOT / "build" / "build.py"), "--smoke-only"],
                          env={**os.environ, "PATH": str(bare)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "gpg (Debian: apt install gnupg)" in done.stderr and "--no-lifecycle" in done.stderr


def test_build_is_reproducible() -> None:
    """Fixed file times and hash seed for PyInstaller; the smoke test builds twice and compares the bytes."""
    done = _python("import json, runpy; print(json.dumps(runpy.run_path('build/build.py')['build_environment']()))")
    environment = json.loads(done.stdout)
    assert environment["PYTHONHASHSEED"] == "0" and environment["SOURCE_DATE_EPOCH"].isdigit()


def test_license_is_an_spdx_expression() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    floor = next(r for r in project["build-system"]["requires"] if r.startswith("setuptools"))
    assert int(floor.split(">=")[1].split(".")[0]) >= 77  # the first setuptools that reads the string form
