"""Step names: every step a plan can make has a label in both languages, and the plans name steps only through
installer/step_names.py (a literal there would be a step the display shows raw and the table below misses)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from installer import step_names
from installer.messages import CATALOG

STEP_SHAPE = re.compile(r"[a-z]+(-[a-z]+)*")
OPERATIONS = Path(step_names.__file__).parent / "operations"


@pytest.mark.parametrize("lang", ["en", "nb"])
def test_every_step_has_a_label(lang: str) -> None:
    missing = [name for name in step_names.LABELS if f"wizard.step.{name}" not in CATALOG[lang]]
    assert not missing, f"no {lang} label for {missing}"


def _literal_step_names(tree: ast.AST) -> list[str]:
    """String literals given as a step's name: the first argument of `Step(...)`, any argument of a `steps.*`
    factory or a `name=`/`label=` keyword, and the default of a parameter called `name`."""
    found: list[str] = []

    def literal(node: ast.AST | None) -> None:
        # Shaped like a step name: other strings (context keys such as "jar_digest") are not names.
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and STEP_SHAPE.fullmatch(node.value):
            found.append(node.value)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            if called == "Step" and node.args:
                literal(node.args[0])
            if owner == "steps":
                for arg in node.args:
                    literal(arg)
            for keyword in node.keywords:
                if keyword.arg in ("name", "label"):
                    literal(keyword.value)
        elif isinstance(node, ast.FunctionDef):
            positional = node.args.args[len(node.args.args) - len(node.args.defaults):]
            for arg, default in zip(positional, node.args.defaults, strict=True):
                if arg.arg == "name":
                    literal(default)
    return found


def test_plans_name_steps_only_by_the_constants() -> None:
    literals = {str(path.name): _literal_step_names(ast.parse(path.read_text(encoding="utf-8")))
                for path in sorted(OPERATIONS.glob("*.py"))}
    assert {name: found for name, found in literals.items() if found} == {}


def test_the_check_sees_a_literal() -> None:
    sample = 'Step("late-step", f)\nsteps.stop(target, "halt")\ndef start(t, name="go"): pass\n'
    assert sorted(_literal_step_names(ast.parse(sample))) == ["go", "halt", "late-step"]
