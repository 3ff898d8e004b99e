"""Data rules from the facts: the H2 file is wherever the datasource URL points; receipts.mv.db is data."""

from __future__ import annotations

from pathlib import Path

import pytest

from installer import datasource
from installer.layout import Layout
from installer.plans import switch


@pytest.mark.parametrize(("url", "expected"), [
    ("jdbc:h2:file:./integrasjonspunkt", "integrasjonspunkt.mv.db"),
    ("jdbc:h2:file:./data/ip;AUTO_SERVER=TRUE", "data/ip.mv.db"),
    ("jdbc:h2:./other", "other.mv.db"),
    ("jdbc:h2:mem:test", None),
    ("jdbc:h2:tcp://db/ip", None),
    ("jdbc:postgresql://db/ip", None),
])
def test_the_h2_file_is_where_the_url_points(tmp_path: Path, url: str, expected: str | None) -> None:
    found = datasource.h2_file(url, tmp_path)
    assert found == (tmp_path / expected if expected else None)


def test_an_absolute_h2_path_stays_absolute(tmp_path: Path) -> None:
    assert datasource.h2_file(f"jdbc:h2:file:{tmp_path}/db/ip", Path("/elsewhere")) == tmp_path / "db" / "ip.mv.db"


def test_receipts_database_is_data(tmp_path: Path) -> None:
    names = {p.name for p in Layout(tmp_path, "integrasjonspunkt").data_paths()}
    assert {"receipts.mv.db", "integrasjonspunkt.mv.db", "integrasjonspunkt-local.properties"} <= names


@pytest.mark.parametrize(("newer", "older", "crosses"), [
    ("2.24.0", "2.23.9", True), ("2.28.6", "2.2.0", True), ("v4.0.8", "2.23.0", True),
    ("2.28.6", "2.24.0", False), ("2.23.9", "2.23.0", False),
])
def test_the_2_24_data_break(newer: str, older: str, crosses: bool) -> None:
    assert (switch.crosses_data_line(newer, older) is not None) is crosses
