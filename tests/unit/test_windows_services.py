"""installer/windows/services.py off the registry: the one `sc.exe qc` parser (the WinSW driver's account and
adoption's registration both read through it) and `sc.exe query`, run by their System32 path against the sc.exe
stand-in, with the exact command lines as logged."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from installer import adoption, winsw
from installer.system_tools import system32
from installer.windows import services
from installer.windows.services import Registered, ServiceError, ServiceState
from tests.harness.fixtures_winsw import WinswEnv
from tests.harness_checks.test_winsw_standin import Service

pytestmark = pytest.mark.skipif(os.name == "nt", reason="needs the POSIX sc.exe stand-in")


def test_one_sc_qc_parser_for_the_driver_and_adoption(winsw_env: WinswEnv, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "installer.commands")
    assert services.registered("svc") == Registered(exists=False)
    assert winsw.service_account("svc") is None and adoption.registration("svc") == Registered(exists=False)
    svc = Service(winsw_env, tmp_path / "sc").write("x")
    svc.run("install")
    assert services.registered("svc") == Registered(True, "LocalSystem", str(svc.exe))
    winsw_env.set_account("svc", ".\\integrasjonspunkt")
    assert services.registered("svc") == Registered(True, ".\\integrasjonspunkt", str(svc.exe))
    assert winsw.service_account("svc") == ".\\integrasjonspunkt"
    assert adoption.registration("svc") == Registered(True, ".\\integrasjonspunkt", str(svc.exe))
    assert f"{system32('sc.exe')} qc svc -> exit 0" in caplog.text


def test_the_manager_state_from_sc_query(winsw_env: WinswEnv, tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "installer.commands")
    assert services.manager_state("svc") is ServiceState.NON_EXISTENT
    Service(winsw_env, tmp_path / "sc").write("x").run("install")
    assert services.manager_state("svc") is ServiceState.STOPPED
    assert f"{system32('sc.exe')} query svc -> exit 0" in caplog.text


def test_an_sc_qc_failure_is_a_service_error_for_the_driver_and_nothing_for_adoption(winsw_env: WinswEnv) -> None:
    script = f"#!{sys.executable}\nimport sys\nprint('[SC] OpenSCManager FAILED 5:')\nsys.exit(5)\n"
    winsw_env.add_tool("sc.exe", script.encode())
    with pytest.raises(ServiceError) as failed:
        services.registered("svc")
    assert failed.value.message.startswith("`sc.exe qc svc` failed (exit code 5): [SC] OpenSCManager FAILED 5:")
    with pytest.raises(ServiceError):
        winsw.service_account("svc")
    assert adoption.registration("svc") is None
    assert services.manager_state("svc") is None
