"""The admin's reference (docs/cli.md) and `setup /?` name the same options and verbs, every one the parser knows,
and the same exit codes."""

from __future__ import annotations

import re

import pytest

from installer.cmdline import ALIASES, OPTIONS, VERBS
from installer.errors import ExitCode
from installer.messages import CATALOG, LANGUAGES
from installer.operations.install import ALREADY_INSTALLED
from tests.paths import REPO_ROOT

DOC = REPO_ROOT / "docs" / "cli.md"
# A slash name: not inside a path (`installer-logs/setup.log`, `/tmp/x`) or a URL.
SLASH_NAME = re.compile(r"(?<![\w/.:<>-])/([a-z][a-z-]*|\?)(?![\w-]*/)")


def names(text: str) -> set[str]:
    return set(SLASH_NAME.findall(text))


def test_the_name_pattern_skips_paths() -> None:
    assert names("`/dir /tmp/x` and installer-logs/setup.log, https://a.b/c, (/q, /qn), /?") == {"dir", "q", "qn", "?"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_usage_and_reference_name_the_same_options(lang: str) -> None:
    usage, reference = names(CATALOG[lang]["cli.usage"]), names(DOC.read_text(encoding="utf-8"))
    assert usage - reference == set(), "in setup /? but not in docs/cli.md"
    assert reference - usage == set(), "in docs/cli.md but not in setup /?"
    known = {*OPTIONS, *ALIASES, *VERBS} - {"version", "h"}
    assert known - usage == set(), "known to the parser, but in neither"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_usage_and_reference_list_every_exit_code(lang: str) -> None:
    codes = {str(int(c)) for c in ExitCode} | {str(ALREADY_INSTALLED)}
    reference = DOC.read_text(encoding="utf-8").split("## Exit codes")[1].split("\n## ")[0]
    assert {c for c in codes if f"| {c} |" not in reference} == set()
    assert {c for c in codes if not re.search(rf"\b{c}\b", CATALOG[lang]["cli.usage"])} == set()
