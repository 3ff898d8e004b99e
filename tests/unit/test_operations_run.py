"""/run's command is the service's: read from the installed XML as WinSW reads it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.operations.run import service_command

XML = """<service>
  <id>integrasjonspunkt</id>
  <name>integrasjonspunkt</name>
  <description>d</description>
  <env name="JAVA_HOME" value="%BASE%\\jdk"/>
  <env name="IP_OPTS" value="%JAVA_HOME%\\conf"/>
  <executable>%JAVA_HOME%\\bin\\java</executable>
  <arguments>-Xmx2g "-Dx=a b" -Dspring.profiles.active=staging
    -jar "%BASE%\\integrasjonspunkt-2.28.1.jar" --y=%IP_OPTS%</arguments>
  <workingdirectory>%BASE%\\work</workingdirectory>
</service>
"""


@pytest.mark.skipif(os.name == "nt", reason="the XML's Windows paths are read as POSIX paths here")
def test_the_command_environment_and_folder_are_the_services(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    layout.xml.write_text(XML, encoding="utf-8")
    java = tmp_path / "jdk" / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text("")
    command = service_command(layout, "integrasjonspunkt")
    assert command.argv == [str(java), "-Xmx2g", "-Dx=a b", "-Dspring.profiles.active=staging", "-jar",
                            f"{tmp_path}\\integrasjonspunkt-2.28.1.jar", f"--y={tmp_path}\\jdk\\conf"]
    assert command.cwd == tmp_path / "work"
    assert command.env["JAVA_HOME"] == f"{tmp_path}\\jdk" and command.env["IP_OPTS"] == f"{tmp_path}\\jdk\\conf"
    assert command.env["BASE"] == str(tmp_path) and command.env["SERVICE_ID"] == "integrasjonspunkt"


def test_a_missing_program_is_exit_10_naming_it(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    layout.xml.write_text(XML, encoding="utf-8")
    with pytest.raises(SetupError) as raised:
        service_command(layout, "integrasjonspunkt")
    assert raised.value.code == ExitCode.PREREQUISITES and "%JAVA_HOME%\\bin\\java" in raised.value.message
