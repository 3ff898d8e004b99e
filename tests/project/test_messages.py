"""The message catalogue: every English text has a Norwegian one with the same placeholders, and every key the
code looks up exists."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import installer
import installer.text
from installer import messages

PACKAGE = Path(installer.__file__).parent
AREAS = [importlib.import_module(f"installer.text.{m.name}") for m in pkgutil.iter_modules(installer.text.__path__)]
# A literal key passed to t(...), also when the call spans lines.
LOOKUP = re.compile(r"""\bt\(\s*["']([a-z0-9_]+\.[A-Za-z0-9_.-]+)["']""")


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_area_is_in_the_catalogue() -> None:
    registered = {area.__name__ for area in messages._AREAS}
    assert {area.__name__ for area in AREAS} == registered


@pytest.mark.parametrize("area", AREAS, ids=lambda area: area.__name__.rsplit(".", 1)[-1])
def test_norwegian_matches_english(area: object) -> None:
    english: dict[str, str] = area.EN  # type: ignore[attr-defined]
    norwegian: dict[str, str] = area.NB  # type: ignore[attr-defined]
    assert sorted(english.keys() - norwegian.keys()) == [], "not translated"
    assert sorted(norwegian.keys() - english.keys()) == [], "no English text"
    for key, text in english.items():
        assert fields(norwegian[key]) == fields(text), key
        assert norwegian[key].strip(), key


def test_every_text_formats_with_its_placeholders() -> None:
    for lang in messages.LANGUAGES:
        for key, text in messages.CATALOG[lang].items():
            values = {name: "x" for name in fields(text)}
            assert text.format(**values), (lang, key)


def test_every_key_the_code_looks_up_exists() -> None:
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for key in LOOKUP.findall(path.read_text(encoding="utf-8")):
            if key not in messages.CATALOG["en"]:
                missing.append(f"{path.relative_to(PACKAGE)}: {key}")
    assert missing == []


def test_language_switch_renders_norwegian() -> None:
    try:
        messages.set_language("nb")
        assert messages.t("wizard.ask_env") == "Miljø"
        assert messages.t("install.done", version="2.28.1", url="http://x") != messages.CATALOG["en"]["install.done"]
    finally:
        messages.set_language("en")
    assert messages.t("wizard.ask_env") == "Environment"


# --- areas and keys made at run time ---------------------------------------------------------------------

CODE = sorted(p for p in PACKAGE.rglob("*.py") if "text" not in p.relative_to(PACKAGE).parts)
PREFIXES = {area.__name__.rsplit(".", 1)[-1] for area in AREAS}
KEY_SHAPE = re.compile(rf"({'|'.join(sorted(PREFIXES))})\.[a-z0-9_]+(\.[a-z0-9_-]+)*")
# Strings shaped like a key that are not one.
NOT_KEYS = {"task.xml", "kosmos.integrasjonspunkt.profile"}


@pytest.mark.parametrize("area", AREAS, ids=lambda area: area.__name__.rsplit(".", 1)[-1])
def test_each_key_lives_in_the_area_of_its_prefix(area: object) -> None:
    name = area.__name__.rsplit(".", 1)[-1]  # type: ignore[attr-defined]
    for table in (area.EN, area.NB):  # type: ignore[attr-defined]
        assert [key for key in table if key.split(".", 1)[0] != name] == []


def _fstring_keys(path: Path) -> list[str]:
    """The keys an f-string in `path` builds, as a pattern: `status.service_{}` anywhere, `{}.done` given to t()."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    looked_up = {id(node.args[0]) for node in ast.walk(tree) if isinstance(node, ast.Call) and node.args
                 and isinstance(node.func, ast.Name) and node.func.id == "t"}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        pattern = "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
        if KEY_SHAPE.match(pattern) or id(node) in looked_up:
            found.append(pattern)
    return found


def test_every_key_shaped_literal_exists() -> None:
    """A key named anywhere in the code (`key = "recover.found" if ...`), not only inside t(...)."""
    missing = []
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                           for part in node.values}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstrings
                    and KEY_SHAPE.fullmatch(node.value) and node.value not in NOT_KEYS
                    and node.value not in messages.CATALOG["en"]):
                missing.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value}")
    assert missing == []


def _constants(path: Path, call: str | None = None, target: str | None = None) -> set[str]:
    """String constants in `path`: the first argument of each `call(...)`, or each value given to `target`
    (`action, version = "completed", ...`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if call and isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            if (func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")) == call:
                found.add(node.args[0].value)
        if target and isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
            for name, value in zip(node.targets[0].elts, getattr(node.value, "elts", []), strict=False):
                if isinstance(name, ast.Name) and name.id == target and isinstance(value, ast.Constant):
                    found.add(value.value)
    return found


def _families() -> dict[str, set[str]]:
    """Each key pattern the code builds at run time -> every value it can be filled with, from where those values
    are decided."""
    from typing import get_args

    from installer import config_check, kosmos, prereqs, step_names, verbs
    from installer.operations import status
    from installer.wizard import install as wizard_install

    service_words = set(status.SERVICE_WORDS.values())
    # The wizard says "running" as healthy or not (wizard.service_healthy, wizard.service_unhealthy).
    return {
        "{}.done": set(verbs.where("journaled")),
        "recover.{}": _constants(PACKAGE / "plans" / "recovery.py", target="action"),
        "status.service_{}": service_words,
        "wizard.service_{}": service_words - {"running"},
        "status.row_{}": set(status.SHOWN),
        "kosmos.source_{}": set(get_args(kosmos.VersionSource)),
        "prereqs.check_{}": set().union(*(_constants(path, call="Finding") for path in CODE)),
        "prereqs.verdict_{}": set(get_args(prereqs.Verdict)),
        "config.known_to_fail_{}": {rule for _, rule in config_check.FIRST_WORKING.values()},
        "wizard.env_{}": set(wizard_install.ENVIRONMENTS),
        "wizard.step.{}": set(step_names.LABELS),
    }


def test_every_key_built_at_run_time_is_a_known_family() -> None:
    """A new f-string key must be added to `_families` with its values, so the next test sees its texts."""
    built = {f"{path.relative_to(PACKAGE)}: {pattern}" for path in CODE for pattern in _fstring_keys(path)}
    assert built and {entry for entry in built if entry.split(": ", 1)[1] not in _families()} == set()


@pytest.mark.parametrize("lang", messages.LANGUAGES)
def test_every_key_built_at_run_time_has_a_text(lang: str) -> None:
    missing = []
    for pattern, values in _families().items():
        assert values, pattern
        missing += [pattern.replace("{}", value) for value in sorted(values)
                    if pattern.replace("{}", value) not in messages.CATALOG[lang]]
    assert missing == []
