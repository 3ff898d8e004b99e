"""The message catalogue: every text a person reads is looked up here by key.

The texts live in `installer/text/<area>.py` (one dict per language) so that each concern keeps its own
wording; this module merges them into one catalogue and formats them.
"""

from __future__ import annotations

from installer.text import adopt, artifacts, cli, operations, prereqs, service, wizard

LANGUAGES = ("en", "nb")
_AREAS = (cli, artifacts, prereqs, service, operations, wizard, adopt)


def _merge(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in _AREAS:
        table: dict[str, str] = getattr(area, lang.upper(), {})
        for key, text in table.items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice")
            merged[key] = text
    return merged


CATALOG: dict[str, dict[str, str]] = {lang: _merge(lang) for lang in LANGUAGES}
_current = "en"


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in CATALOG else "en"


def language() -> str:
    return _current


def t(key: str, **values: object) -> str:
    """The text for `key` in the current language (English when it has none), with `values` filled in."""
    text = CATALOG[_current].get(key) or CATALOG["en"].get(key)
    if text is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    return text.format(**values) if values else text
