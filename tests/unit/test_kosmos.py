"""What a take-over from KOSMOS reads in its folder: the profile as Spring resolves KOSMOS's key, the version KOSMOS
would start, and a journal that names KOSMOS's service (replayed elevated, so checked like every other path)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from installer import journal, kosmos
from installer.errors import SetupError
from installer.layout import Layout
from tests.paths import DATA

REFERENCE = DATA / "service_xml" / "digdir-kosmos-service.xml"


def kosmos_folder(folder: Path, *files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kosmos-service.xml").write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "kosmos-service.exe").write_bytes(b"MZ")
    for name in files:
        (folder / name).write_text("2026-11-30T05:31:07", encoding="utf-8")
    return folder


def test_the_profile_follows_kosmos_local_then_the_added_properties_then_its_own(tmp_path: Path) -> None:
    folder = kosmos_folder(tmp_path)
    assert kosmos.profile(folder, "production") == "production"
    assert kosmos.profile(folder, None) == "staging"  # KOSMOS's application.properties
    (folder / "integrasjonspunkt-local.properties").write_text(
        "kosmos.integrasjonspunkt.profile=staging\n", encoding="utf-8")
    assert kosmos.profile(folder, "production") == "staging"
    (folder / "kosmos-local.properties").write_text("kosmos.integrasjonspunkt.profile = production\n",
                                                    encoding="utf-8")
    assert kosmos.profile(folder, "staging") == "production"


def test_the_version_is_the_newest_allow_listed(tmp_path: Path) -> None:
    folder = kosmos_folder(tmp_path, "integrasjonspunkt-2.9.0.allowlisted", "integrasjonspunkt-2.27.0.allowlisted",
                           "integrasjonspunkt-2.28.1.jar", "integrasjonspunkt-2.27.0.jar")
    found = kosmos.find(folder)
    assert (found.version, found.version_source, found.env, found.start) == ("2.27.0", "allowlisted",
                                                                            "production", "auto")
    assert found.service_id == "kosmossvc" and found.exe == folder / "kosmos-service.exe"


def test_without_an_allow_list_only_a_single_jar_tells_the_version(tmp_path: Path) -> None:
    folder = kosmos_folder(tmp_path, "integrasjonspunkt-2.28.1.jar")
    assert kosmos.find(folder).version_source == "jar"
    (folder / "integrasjonspunkt-2.27.0.jar").write_bytes(b"")
    with pytest.raises(SetupError) as failed:
        kosmos.find(folder)
    assert failed.value.code == 10 and "Cannot tell which integrasjonspunkt" in failed.value.message


def test_a_profile_other_than_production_or_staging_is_refused(tmp_path: Path) -> None:
    folder = kosmos_folder(tmp_path, "integrasjonspunkt-2.27.0.allowlisted")
    (folder / "kosmos-local.properties").write_text("kosmos.integrasjonspunkt.profile=itest\n", encoding="utf-8")
    with pytest.raises(SetupError) as failed:
        kosmos.find(folder)
    assert failed.value.code == 10 and "itest" in failed.value.message


@pytest.mark.parametrize("planted", [
    {"service_id": "kosmossvc", "exe": "/usr/bin/evil.exe", "start": "auto"},
    {"service_id": "kosmossvc", "exe": "{folder}/../x/kosmos-service.exe", "start": "auto"},
    {"service_id": "../kosmossvc", "exe": "{folder}/kosmos-service.exe", "start": "auto"},
    {"service_id": "kosmossvc", "exe": "{folder}/kosmos-service.exe", "start": "boot"},
])
def test_a_journal_naming_another_kosmos_is_refused(tmp_path: Path, planted: dict[str, str]) -> None:
    folder = kosmos_folder(tmp_path / "ip")
    layout = Layout(folder)
    layout.private.mkdir()
    good = {"service_id": "kosmossvc", "exe": str(folder / "kosmos-service.exe"), "start": "auto"}
    ctx = {"folder": str(folder), "service_id": "integrasjonspunkt", "to": "2.27.0", "env": "production"}
    document = {"format": 1, "operation": "install", "context": {**ctx, "kosmos": good}, "steps": []}
    layout.journal_file.write_text(json.dumps(document), encoding="utf-8")
    assert journal.load(layout.journal_file) is not None
    bad = {k: v.replace("{folder}", str(folder)) for k, v in planted.items()}
    document["context"] = {**ctx, "kosmos": bad}
    layout.journal_file.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SetupError) as failed:
        journal.load(layout.journal_file)
    assert failed.value.code == 14
