"""The message catalogue: every English text has a Norwegian one with the same placeholders, and every key the
code looks up exists."""

from __future__ import annotations

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
