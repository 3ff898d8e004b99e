"""The one-line form of an error that messages carry."""

from __future__ import annotations

import pytest

from installer.errors import first_line


@pytest.mark.parametrize("exc, line", [
    (ValueError("bad value\n  at line 3"), "bad value"),
    (OSError("Access is denied.\r\n"), "Access is denied."),
    (ValueError(""), "ValueError"),  # nothing to say: the type names it
    (ValueError("\n"), "ValueError"),  # a bare newline gave an empty line (or an IndexError) before
    (RuntimeError("  \n  second"), "second"),
])
def test_first_line(exc: BaseException, line: str) -> None:
    assert first_line(exc) == line
