"""The typed operation contexts (installer/plans/context.py): the decisions taken by the named constructors, the
journal's document and its format number, and a journal written by the setup before format 2 (an admin who
replaces setup.exe while an operation is interrupted) read, mapped and finished."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from installer import journal as journal_mod
from installer.errors import ExitCode, SetupError
from installer.plans import install as install_plan
from installer.plans import recovery, switch
from installer.plans.context import FORMAT, InstallContext, KosmosService, SwitchContext, from_document, to_document
from installer.ui import UI
from tests.contexts import install_context, switch_context
from tests.e2e.test_damaged_files import assert_one_clear_line, plant, run_setup

STAMP = "20261205T120000Z"

# A journal exactly as the setup before format 2 wrote it in the middle of an install: an unnumbered context
# dictionary, the jar named `jar_cache`, `writes_properties` added by the plan. "{folder}" is the install folder.
LEGACY_INSTALL = """{
  "format": 1,
  "written_by": "0.1.0",
  "operation": "install",
  "context": {
    "from": null, "to": "2.28.1", "folder": "{folder}", "service_id": "integrasjonspunkt", "base": null,
    "env": "staging", "java": "/usr/lib/jvm/java-8/bin/java", "winsw": "2.12.0/WinSW-x64.exe",
    "jar_cache": "{folder}/.setup/cache/no/difi/integrasjonspunkt-2.28.1.jar",
    "winsw_cache": "{folder}/.setup/cache/winsw/2.12.0/WinSW-x64.exe",
    "jar_digest": ["sha1", "0123456789abcdef0123456789abcdef01234567"],
    "winsw_digest": ["sha256", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
    "staged_xml": "{folder}/.setup/staged/integrasjonspunkt-service.xml", "health": "wsdl",
    "health_url": "http://127.0.0.1:9093/noarkExchange?wsdl", "health_timeout": 300, "health_stable": 10,
    "new_folder": false, "account": "LocalSystem", "scrub_password": false, "service_proxy": false,
    "mode": "service", "create_user": null, "writes_properties": true
  },
  "steps": [{"name": "make-dirs", "state": "done"}, {"name": "write-properties", "state": "done"},
            {"name": "place-jar", "state": "done"}, {"name": "place-winsw", "state": "started"}],
  "healthy": false,
  "started_at": "2026-12-05T11:00:00Z",
  "pid": 1
}"""

# The same setup's journal of an upgrade (the context /upgrade built, with `reregister` the plan added).
LEGACY_UPGRADE = """{
  "format": 1, "written_by": "0.1.0", "operation": "upgrade",
  "context": {
    "operation": "upgrade", "from": "2.28.0", "to": "2.28.1", "folder": "{folder}",
    "service_id": "integrasjonspunkt", "base": null, "env": "staging",
    "java_old": "/usr/lib/jvm/java-8/bin/java", "java": "/usr/lib/jvm/java-8/bin/java",
    "winsw_old": "2.12.0/WinSW-x64.exe", "winsw": "2.12.0/WinSW-x64.exe",
    "jar_source": "{folder}/.setup/cache/no/difi/integrasjonspunkt-2.28.1.jar", "winsw_cache": null,
    "jar_digest": ["sha1", "0123456789abcdef0123456789abcdef01234567"],
    "winsw_digest": ["sha256", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
    "staged_xml": "{folder}/.setup/staged/integrasjonspunkt-service.xml", "health": "wsdl",
    "health_old": "wsdl", "health_timeout": 300, "health_stable": 10,
    "backup_dir": "{folder}/backups/20261205T110000Z-before-2.28.0",
    "failed_dir": "{folder}/backups/20261205T110000Z-failed-2.28.1",
    "keystore": "{folder}/virksomhet.jks", "keep_registration": false, "xml_first": false,
    "scrub_password": false, "keep_jars": 3, "config_keys": {"difi.move.feature.x": "true"},
    "databases": ["{folder}/integrasjonspunkt.mv.db"], "service_proxy": true, "mode": "service",
    "mode_from": "service", "account": null, "account_created": false, "reregister": false
  },
  "steps": [{"name": "place-jar", "state": "done"}], "healthy": false, "started_at": "2026-12-05T11:00:00Z",
  "pid": 1
}"""


def _plant_legacy(folder: Path, text: str) -> Path:
    return plant(folder, "journal.json", text.replace("{folder}", str(folder)).encode())


def _full_install(folder: Path) -> InstallContext:
    """An install context with every value set away from its default."""
    return install_context(folder, base="ip-service", env="staging", jar_digest=("sha1", "a" * 40),
                           winsw_digest=("sha256", "b" * 64), health_url="http://127.0.0.1:9/x",
                           scrub_password=True, service_proxy=True, mode="task", account=".\\ipuser",
                           new_folder=True, create_user="ipuser", writes_properties=True, amends_properties=True,
                           kosmos=KosmosService(service_id="kosmos", exe=folder / "kosmos.exe", start="demand"))


def _full_switch(folder: Path) -> SwitchContext:
    return switch_context(folder, operation="rollback", base="ip-service", jar_digest=("sha1", "a" * 40),
                          java_old=Path("/old/bin/java"), winsw_old="2.11.0/WinSW-x64.exe", health_old="wsdl",
                          restore_from=folder / "backups" / "a", replaced_dir=folder / "backups" / "b",
                          keystore=folder / "k.jks", keep_registration=True, reregister=False, xml_first=True,
                          keep_jars=5, config_keys=(("a.b", "1"), ("c.d", "2")),
                          databases=(folder / "x.mv.db", Path("/data/y.mv.db")), mode="task", mode_from="service",
                          account=".\\ipuser", account_created=True, scrub_password=True, service_proxy=True)


@pytest.mark.parametrize("make", [_full_install, _full_switch], ids=["install", "switch"])
def test_a_context_comes_back_from_its_document_as_it_was(tmp_path: Path, make) -> None:
    ctx = make(tmp_path)
    doc = json.loads(json.dumps(to_document(ctx)))  # as the journal writes and reads it
    assert doc["format"] == FORMAT and doc["from"] == ctx.from_version and doc["to"] == ctx.to_version
    assert from_document(ctx.operation, doc) == ctx


def test_a_context_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        switch_context().reregister = False  # type: ignore[misc]


def test_the_named_constructors_decide_when_the_context_is_built(tmp_path: Path) -> None:
    fields = {k: v for k, v in dataclasses.asdict(switch_context(tmp_path, winsw_source=None)).items()
              if k not in ("operation", "backup_dir", "failed_dir", "reregister", "restore_from", "replaced_dir")}
    backups = tmp_path / "backups"
    upgrade = SwitchContext.upgrade(stamp=STAMP, same_registration=True, **fields)
    assert (upgrade.operation, upgrade.backup_dir, upgrade.failed_dir, upgrade.reregister) == (
        "upgrade", backups / f"{STAMP}-before-1", backups / f"{STAMP}-failed-2", False)
    assert SwitchContext.upgrade(stamp=STAMP, same_registration=False, **fields).reregister is True
    # A new WinSW exe, or a task, is registered anew whatever the XML says.
    assert SwitchContext.upgrade(stamp=STAMP, same_registration=True,
                                 **{**fields, "winsw_source": Path("/c/w")}).reregister is True
    assert SwitchContext.upgrade(stamp=STAMP, same_registration=True,
                                 **{**fields, "mode": "task", "mode_from": "task"}).reregister is True
    rollback = SwitchContext.rollback(stamp=STAMP, same_registration=True, restore_from=None, **fields)
    assert (rollback.operation, rollback.failed_dir, rollback.restore_from, rollback.replaced_dir) == (
        "rollback", backups / f"{STAMP}-rollback-replaced-2", None, None)
    restoring = SwitchContext.rollback(stamp=STAMP, same_registration=True, restore_from=backups / "x", **fields)
    assert (restoring.restore_from, restoring.replaced_dir) == (backups / "x", backups / f"{STAMP}-replaced-1")
    repair = SwitchContext.repair(stamp=STAMP, exe_present=False, **fields)
    assert (repair.operation, repair.reregister, repair.winsw_source) == ("repair", True, None)


def test_a_journal_of_the_setup_before_is_read_and_mapped(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    journal = journal_mod.load(_plant_legacy(folder, LEGACY_INSTALL))
    assert journal is not None
    ctx = recovery.typed_context(journal)
    assert isinstance(ctx, InstallContext)
    cache = folder / ".setup" / "cache"
    assert ctx.jar_source == cache / "no" / "difi" / "integrasjonspunkt-2.28.1.jar"
    assert ctx.winsw_source == cache / "winsw" / "2.12.0" / "WinSW-x64.exe"
    assert (ctx.to_version, ctx.from_version, ctx.java, ctx.writes_properties, ctx.health_timeout) == (
        "2.28.1", None, Path("/usr/lib/jvm/java-8/bin/java"), True, 300.0)
    assert [s.name for s in install_plan.plan(ctx, UI())][:5] == [
        "make-dirs", "write-properties", "place-jar", "place-winsw", "write-xml"]

    journal = journal_mod.load(_plant_legacy(folder, LEGACY_UPGRADE))
    assert journal is not None
    upgrade = recovery.typed_context(journal)
    assert isinstance(upgrade, SwitchContext)
    assert (upgrade.old_version, upgrade.to_version, upgrade.winsw_source, upgrade.reregister,
            upgrade.config_keys, upgrade.databases, upgrade.keep_jars, upgrade.service_proxy) == (
        "2.28.0", "2.28.1", None, False, (("difi.move.feature.x", "true"),), (folder / "integrasjonspunkt.mv.db",),
        3, True)
    assert upgrade.failed_dir == folder / "backups" / "20261205T110000Z-failed-2.28.1"
    names = [s.name for s in switch.plan(upgrade, UI())]
    assert names[0] == "place-jar" and "write-config-keys" in names and "place-winsw" not in names


def test_recover_finishes_an_install_the_setup_before_left(tmp_path: Path) -> None:
    """The interrupted install of the legacy journal is undone by /recover: the jar and the properties file it
    placed go, the journal closes."""
    folder = tmp_path / "ip"
    journal = _plant_legacy(folder, LEGACY_INSTALL)
    jar, props = folder / "integrasjonspunkt-2.28.1.jar", folder / "integrasjonspunkt-local.properties"
    jar.write_bytes(b"jar")
    props.write_text("difi.move.org.number=991825827\n", encoding="utf-8")
    proc = run_setup("/recover", "/dir", str(folder))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not jar.exists() and not props.exists() and not journal.exists()


def test_a_context_of_a_newer_format_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    folder = tmp_path / "ip"
    doc = json.loads(LEGACY_INSTALL.replace("{folder}", str(folder)))
    doc["format"], doc["written_by"] = journal_mod.FORMAT, "9.0.0"
    doc["context"]["format"] = FORMAT + 1
    journal = plant(folder, "journal.json", doc)
    before = journal.read_bytes()
    proc = run_setup("/recover", "/dir", str(folder))
    assert_one_clear_line(proc, ExitCode.PREREQUISITES, str(journal), "setup 9.0.0")
    assert journal.read_bytes() == before


@pytest.mark.parametrize(("name", "value"), [("staged_xml", None), ("health_timeout", "soon"),
                                             ("config_keys", ["not", "an", "object"])])
def test_a_context_without_a_value_its_steps_need_is_refused(tmp_path: Path, name: str, value: object) -> None:
    folder = tmp_path / "ip"
    text = LEGACY_UPGRADE if name == "config_keys" else LEGACY_INSTALL
    doc = json.loads(text.replace("{folder}", str(folder)))
    if value is None:
        del doc["context"][name]
    else:
        doc["context"][name] = value
    journal = journal_mod.load(plant(folder, "journal.json", doc))
    assert journal is not None
    with pytest.raises(SetupError) as refused:
        recovery.typed_context(journal)
    assert refused.value.code == ExitCode.ATTENTION and f"'{name}'" in refused.value.message
