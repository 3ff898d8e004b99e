"""The service manager's `onfailure` restart during a switch (FACTS.md W5): a crash-looping old version in its
restart delay reads Stopped, so no stop is sent, and the restart lands in the middle of the switch unless the
switch suspends the failure actions and waits out the restart already pending (which suspending does not
cancel: the WinSW stand-in keeps it, the harsher case)."""

from __future__ import annotations

import time
from pathlib import Path

from installer.plans import switch
from installer.ui import UI
from installer.windows.services import ServiceState
from installer.winsw import WinSW
from tests.contexts import switch_context
from tests.harness.fixtures_winsw import WinswEnv
from tests.unit.test_winsw import write_program_xml

SERVICE = "integrasjonspunkt"
DELAY = 2.0  # the old version's onfailure restart delay, seconds


def _runs(folder: Path) -> int:
    record = folder / "runs.jsonl"
    return len(record.read_text(encoding="utf-8").splitlines()) if record.exists() else 0


def _crash_looping(winsw_env: WinswEnv, folder: Path) -> WinSW:
    exe = winsw_env.install_exe(folder)
    write_program_xml(folder, exe.stem, "--exit-after", "0.5", "--code", "3")
    xml = folder / f"{exe.stem}.xml"
    xml.write_text(xml.read_text(encoding="utf-8").replace(
        "</service>", f'<onfailure action="restart" delay="{DELAY:g} sec"/></service>'), encoding="utf-8")
    service = WinSW(exe, SERVICE, quiet=True)
    service.install()
    service.start(30)
    return service


def test_a_pending_restart_of_a_crash_looping_old_version_does_not_land_inside_the_switch(
        winsw_env: WinswEnv, tmp_path: Path) -> None:
    service = _crash_looping(winsw_env, tmp_path)
    deadline = time.monotonic() + 20
    while ((winsw_env.record(SERVICE) or {}).get("run") or {}).get("state") != "restart_pending":
        assert time.monotonic() < deadline, "the old version never crashed into its restart delay"
        time.sleep(0.05)
    assert service.status() is ServiceState.STOPPED  # as Windows shows it during the delay
    ctx = switch_context(tmp_path, service_id=SERVICE, backup_dir=tmp_path / "bk", failed_dir=tmp_path / "failed",
                         staged_xml=tmp_path / "staged.xml", reregister=False, keep_registration=True,
                         old_version="1.0.0", to_version="2.0.0", health=None, health_timeout=5.0,
                         health_stable=1.0, jar_source=None, winsw_source=None)
    plan = switch.plan(ctx, UI())
    names = [step.name for step in plan]
    before_backup = plan[:names.index("backup-data")]
    for step in before_backup:
        if step.name != "precopy-data":
            step.do()
    # The service is down for the switch: nothing may start it until the switch starts the new version.
    runs = _runs(tmp_path)
    time.sleep(DELAY + 1.5)
    assert _runs(tmp_path) == runs, "the service manager restarted the old version in the middle of the switch"
    assert service.status() is ServiceState.STOPPED
    assert winsw_env.record(SERVICE)["failure_actions"] == []
    # Undo (and commit) give the failure actions of the XML back.
    for step in reversed(before_backup):
        if step.name == "suspend-restarts":
            step.undo()
    assert winsw_env.record(SERVICE)["failure_actions"] == [["restart", DELAY]]
