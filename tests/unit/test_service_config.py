"""The registration changed in place: the exact sc.exe command lines made from a service XML (sc's documented
syntax: `sc config <name> start= auto DisplayName= <text> depend= / obj= <account> password= <pw>`,
`sc description <name> <text>`, `sc failure <name> reset= <s> actions= restart/<ms>/...`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from installer import service_config
from installer.windows import services
from installer.windows.services import MarkedForDeletion
from tests.harness.fixtures_winsw import WinswEnv

XML = """<service>
  <id>integrasjonspunkt</id>
  <name>integrasjonspunkt æøå</name>
  <description>Digdir integrasjonspunkt, miljø staging</description>
  <executable>C:\\jdk\\bin\\java.exe</executable>
  <arguments>-jar %BASE%/integrasjonspunkt-2.28.1.jar</arguments>
  {extra}
</service>
"""


def _xml(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "integrasjonspunkt-service.xml"
    path.write_text(XML.format(extra=extra), encoding="utf-8")
    return path


def test_defaults_leave_the_account_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SystemRoot", r"C:\WINDOWS")
    reg = service_config.registration_of(_xml(tmp_path), "integrasjonspunkt")
    sc = r"C:\WINDOWS\System32\sc.exe"
    assert services.sc_commands("integrasjonspunkt", reg) == [
        [sc, "config", "integrasjonspunkt", "start=", "auto", "DisplayName=", "integrasjonspunkt æøå",
         "depend=", "/"],
        [sc, "description", "integrasjonspunkt", "Digdir integrasjonspunkt, miljø staging"],
        [sc, "failure", "integrasjonspunkt", "reset=", "86400", "actions=", ""],
    ]


def test_start_mode_account_dependencies_and_failure_actions(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SystemRoot", r"C:\Windows")
    extra = ("<startmode>Automatic</startmode><delayedAutoStart/><depend>Tcpip</depend><depend>Dnscache</depend>"
             "<serviceaccount><domain>KOMMUNE</domain><user>svc-ip</user><password>pw æ</password></serviceaccount>"
             '<onfailure action="restart" delay="10 sec"/><onfailure action="restart" delay="1 min"/>'
             '<onfailure action="none"/><resetfailure>1 hour</resetfailure>')
    reg = service_config.registration_of(_xml(tmp_path, extra), "integrasjonspunkt")
    config, _, failure = services.sc_commands("integrasjonspunkt", reg)
    assert config[3:] == ["start=", "delayed-auto", "DisplayName=", "integrasjonspunkt æøå", "depend=",
                          "Tcpip/Dnscache", "obj=", r"KOMMUNE\svc-ip", "password=", "pw æ"]
    assert failure[3:] == ["reset=", "3600", "actions=", "restart/10000/restart/60000/none/0"]
    manual = service_config.registration_of(_xml(tmp_path, "<startmode>Manual</startmode>"
                                                 "<serviceaccount><username>LocalSystem</username></serviceaccount>"),
                                            "integrasjonspunkt")
    config, _, _ = services.sc_commands("integrasjonspunkt", manual)
    assert config[3:5] == ["start=", "demand"] and config[-2:] == ["obj=", "LocalSystem"]


def test_apply_changes_the_registered_service_and_holds_it_on_demand_start(winsw_env: WinswEnv,
                                                                            tmp_path: Path) -> None:
    exe = winsw_env.install_exe(tmp_path)
    xml = tmp_path / f"{exe.stem}.xml"
    xml.write_text(XML.format(extra="<startmode>Automatic</startmode>").replace(
        "C:\\jdk\\bin\\java.exe", sys.executable), encoding="utf-8")
    assert subprocess.run([str(exe), "install"], capture_output=True).returncode == 0
    xml.write_text(xml.read_text(encoding="utf-8").replace("miljø staging", "miljø produksjon"), encoding="utf-8")
    service_config.apply("integrasjonspunkt", xml, hold=True)
    record = winsw_env.record("integrasjonspunkt")
    assert record is not None
    assert (record["start_type"], record["description"]) == (3, "Digdir integrasjonspunkt, miljø produksjon")
    service_config.apply("integrasjonspunkt", xml)
    assert winsw_env.record("integrasjonspunkt")["start_type"] == 2  # type: ignore[index]
    winsw_env.open_handle("integrasjonspunkt")
    assert subprocess.run([str(exe), "uninstall"], capture_output=True).returncode == 0
    with pytest.raises(MarkedForDeletion, match=r"services\.msc"):
        service_config.apply("integrasjonspunkt", xml)
