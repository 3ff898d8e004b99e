"""location.locate: a folder's layout and its state file, read once, on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from installer import state
from installer.errors import SetupError
from installer.layout import Layout
from installer.location import locate
from installer.settings import Settings


def test_a_new_folder_gets_the_settings_service_id(tmp_path: Path) -> None:
    found = locate(tmp_path / "missing", Settings(service_id="ip-new"))
    assert found.installed is None and found.layout == Layout(tmp_path / "missing", "ip-new")
    empty = locate(tmp_path, Settings(service_id="ip-new"))
    assert empty.installed is None and empty.layout.xml == tmp_path / "ip-new-service.xml"


def test_an_installation_gets_the_service_id_and_base_its_state_records(tmp_path: Path) -> None:
    recorded = state.State(version="2.28.1", env="staging", service_id="ip-adopted", java="/opt/java/bin/java",
                           winsw="2.12.0/WinSW-x64.exe", service_base="integrasjonspunkt-service")
    layout = Layout(tmp_path)
    layout.private.mkdir(parents=True)
    state.save(layout.state_file, recorded)
    found = locate(tmp_path, Settings(service_id="ip-other"))
    assert found.installed == recorded
    assert found.layout == Layout(tmp_path, "ip-adopted", "integrasjonspunkt-service")
    assert found.layout.xml == tmp_path / "integrasjonspunkt-service.xml"


def test_a_damaged_state_file_names_itself(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    layout.private.mkdir(parents=True)
    layout.state_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(SetupError) as raised:
        locate(tmp_path, Settings())
    assert str(layout.state_file) in raised.value.message
