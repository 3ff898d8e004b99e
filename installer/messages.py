"""The message catalogue: every text a person reads is looked up here by key.

The texts live in `installer/text/<area>.py` (one dict per language), the area being the key's prefix, so that
each concern keeps its own wording; this module merges them into one catalogue and formats them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import PurePath

from installer.text import (
    account,
    adopt,
    artifacts,
    catalog,
    cli,
    config,
    files,
    install,
    kosmos,
    operations,
    prereqs,
    recover,
    repair,
    report,
    rollback,
    run,
    schedule,
    service,
    status,
    steps,
    task,
    trust,
    uninstall,
    upgrade,
    wizard,
)

LANGUAGES = ("en", "nb")
# One area per key prefix: `status.*` lives in text/status.py (tests/project/test_messages.py checks it).
_AREAS = (
    account, adopt, artifacts, catalog, cli, config, files, install, kosmos, operations, prereqs, recover, repair,
    report, rollback, run, schedule, service, status, steps, task, trust, uninstall, upgrade, wizard,
)


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


# A quoted value longer than this is cut (a 100 kB argument must not become a 100 kB line); a Windows path
# within MAX_PATH (260) is always shown whole.
MAX_SHOWN = 260
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Line breaks, terminal control, bidirectional overrides and zero-width characters: shown escaped.
_HIDDEN_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


class Text(str):
    """Text setup composed itself (a message, a list it joined): filled into a message as it is."""


def _escaped(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, kept by Python's surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if unicodedata.category(char) not in _HIDDEN_CATEGORIES:
        return char
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def shown(value: object, limit: int = MAX_SHOWN) -> str:
    """`value` as a message may quote it: control characters escaped, and cut after `limit` characters with an
    ellipsis and the full length, so input can neither split a line, drive the terminal nor flood it."""
    text = str(value)
    head = "".join(_escaped(c) for c in text[:limit])
    if len(text) > limit:
        template = CATALOG[_current].get("cli.shortened") or CATALOG["en"]["cli.shortened"]
        return template.format(head=head, length=len(text))
    return head


def joined(parts: Iterable[str], separator: str = "; ") -> Text:
    """A list setup composed from its own messages, to fill in whole."""
    return Text(separator.join(parts))


def _fill(value: object) -> object:
    if isinstance(value, Text) or not isinstance(value, (str, PurePath)):
        return value
    return shown(value)


def t(key: str, **values: object) -> Text:
    """The text for `key` in the current language (English when it has none), with `values` filled in. Every
    string value is filled in through `shown` (it may be input); `Text` is setup's own and goes in whole."""
    text = CATALOG[_current].get(key) or CATALOG["en"].get(key)
    if text is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    return Text(text.format(**{name: _fill(v) for name, v in values.items()}) if values else text)
