"""Self-tests of the stand-in integrasjonspunkt under real JVMs: endpoints, settings rules, behaviours, stopping."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest

from tests.harness.ports import free_port
from tests.harness.standin.build import build_standin

ORG_NUMBER = "910076787"
WSDL_NS = "{http://schemas.xmlsoap.org/wsdl/}"
DEADLINE = 20.0  # seconds for a JVM to reach a state on a busy 2-core machine


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    folder: Path
    port: int

    @property
    def stdout(self) -> str:
        return (self.folder / "out.log").read_text(encoding="utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return (self.folder / "err.log").read_text(encoding="utf-8", errors="replace")

    def wait_for_output(self, text: str, timeout: float = DEADLINE) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.stdout:
            if self.process.poll() is not None and text not in self.stdout:
                raise AssertionError(f"exited {self.process.returncode} before {text!r}:\n{self.stdout}{self.stderr}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} within {timeout} s:\n{self.stdout}{self.stderr}")
            time.sleep(0.05)

    def wait_exit(self, timeout: float = DEADLINE) -> int:
        return self.process.wait(timeout=timeout)

    def get(self, path: str, port: int | None = None) -> tuple[int, str, str]:
        """(status, content type, body) of a GET to the stand-in."""
        url = f"http://127.0.0.1:{port or self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                return answer.status, answer.headers["Content-Type"], answer.read().decode()
        except urllib.error.HTTPError as failed:
            return failed.code, failed.headers["Content-Type"], failed.read().decode()


@pytest.fixture
def run(tmp_path: Path):
    """Start a stand-in jar in a working folder; every process is stopped at the end of the test."""
    started: list[Running] = []

    def start(
        java: Path,
        jar: Path,
        *,
        properties: str | None = None,
        port: int | None = None,
        profile: str | None = None,
        args: tuple[str, ...] = (),
    ) -> Running:
        folder = tmp_path / f"run{len(started)}"
        folder.mkdir()
        port = port or free_port()
        if properties is None:
            properties = f"difi.move.org.number={ORG_NUMBER}\nserver.port={port}\n"
        if properties:
            (folder / "integrasjonspunkt-local.properties").write_text(properties, encoding="utf-8")
        cmd = [str(java)]
        if profile:
            cmd.append(f"-Dspring.profiles.active={profile}")
        cmd += ["-jar", str(jar), *args]
        with (folder / "out.log").open("wb") as out, (folder / "err.log").open("wb") as err:
            process = subprocess.Popen(cmd, cwd=folder, stdout=out, stderr=err)
        running = Running(process, folder, port)
        started.append(running)
        return running

    yield start
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.wait()


def _class_major(jar: Path) -> int:
    with zipfile.ZipFile(jar) as archive:
        data = archive.read("Integrasjonspunkt.class")
    return int.from_bytes(data[6:8], "big")


def _db_lines(folder: Path) -> list[str]:
    return (folder / "integrasjonspunkt.mv.db").read_text(encoding="utf-8").splitlines()


# -- the jars ------------------------------------------------------------------------------------------------


def test_jars_are_named_as_published_and_distinct(standin_jar, tmp_path):
    old = standin_jar("2.28.1")
    new = standin_jar("v4.0.8")
    assert old.name == "integrasjonspunkt-2.28.1.jar" and new.name == "integrasjonspunkt-v4.0.8.jar"
    assert _class_major(old) == 52  # Java 8
    assert _class_major(new) == 65  # Java 21
    assert standin_jar("2.28.1") == old  # cached per session
    variants = {standin_jar("2.28.1", "never_healthy").read_bytes(), standin_jar("2.28.2").read_bytes(),
                old.read_bytes(), standin_jar("2.28.1", "slow_start", delay=1).read_bytes()}  # fmt: skip
    assert len(variants) == 4
    again = build_standin("2.28.1", out_dir=tmp_path)
    assert again.read_bytes() == old.read_bytes()  # same inputs, same bytes
    with zipfile.ZipFile(old) as archive:
        assert "Main-Class: Integrasjonspunkt" in archive.read("META-INF/MANIFEST.MF").decode()
    with pytest.raises(ValueError):
        build_standin("2.28.1", "explode")


# -- under Java 17 -------------------------------------------------------------------------------------------


def test_2x_runs_on_java17_and_answers_every_endpoint(run, standin_jar, java17):
    app = run(java17, standin_jar("2.28.1"))
    app.wait_for_output("Started IntegrasjonspunktApplication")

    status, ctype, body = app.get("/noarkExchange?wsdl")
    assert status == 200 and ctype.startswith("text/xml")
    wsdl = ET.fromstring(body)
    assert wsdl.tag == f"{WSDL_NS}definitions"
    assert wsdl.find(f"{WSDL_NS}service").get("name") == "noarkExchange"
    assert app.get("/manage/health")[::2] == (200, '{"status":"UP"}')
    status, _, info = app.get("/manage/info")
    assert status == 200 and json.loads(info)["build"]["version"] == "2.28.1"
    assert app.get("/nothing")[0] == 404

    lines = _db_lines(app.folder)
    assert len(lines) == 1 and f" 2.28.1 {app.process.pid}" in lines[0]

    app.process.send_signal(signal.SIGTERM)
    assert app.wait_exit() in (0, 143)
    assert "Stopped IntegrasjonspunktApplication" in app.stdout


def test_4x_is_refused_by_java17(run, standin_jar, java17):
    app = run(java17, standin_jar("v4.0.8"), profile="production")
    assert app.wait_exit() == 1
    assert "UnsupportedClassVersionError" in app.stderr + app.stdout
    assert not (app.folder / "integrasjonspunkt.mv.db").exists()


# -- under Java >= 21 ----------------------------------------------------------------------------------------


def test_4x_runs_on_java21_with_a_profile(run, standin_jar, java21):
    app = run(java21, standin_jar("v4.0.8"), profile="staging")
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert '"staging"' in app.stdout
    assert app.get("/manage/health")[::2] == (200, '{"status":"UP"}')
    assert json.loads(app.get("/manage/info")[2])["build"]["version"] == "4.0.8"
    assert app.get("/noarkExchange?wsdl")[0] == 404  # no WSDL on 3.x/4.x
    app.process.send_signal(signal.SIGTERM)
    assert app.wait_exit() in (0, 143)


def test_4x_refuses_to_start_without_a_profile(run, standin_jar, java21):
    app = run(java21, standin_jar("v4.0.8"))
    assert app.wait_exit() == 1
    assert "spring.profiles.active" in app.stderr


# -- settings ------------------------------------------------------------------------------------------------


def test_missing_properties_or_org_number_exit_1(run, standin_jar, java17):
    jar = standin_jar("2.28.1")
    no_file = run(java17, jar, properties="")
    no_number = run(java17, jar, properties="server.port=1\n")
    assert no_file.wait_exit() == 1
    assert "integrasjonspunkt-local.properties" in no_file.stderr
    assert no_number.wait_exit() == 1
    assert "difi.move.org.number" in no_number.stderr


def test_context_path_management_port_and_command_line_port(run, standin_jar, java17):
    file_port, cli_port, manage_port = free_port(), free_port(), free_port()
    properties = (
        f"difi.move.org.number={ORG_NUMBER}\nserver.port={file_port}\n"
        f"management.server.port={manage_port}\nserver.servlet.context-path=/ip/\n"
    )
    app = run(java17, standin_jar("2.28.1"), properties=properties, port=cli_port,
              args=(f"--server.port={cli_port}",))  # fmt: skip
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert app.get("/ip/noarkExchange?wsdl")[0] == 200  # the command line's port wins over the file's
    assert app.get("/noarkExchange?wsdl")[0] == 404
    assert app.get("/ip/manage/health")[0] == 404  # the actuator moved to the management port
    assert app.get("/manage/health", port=manage_port)[::2] == (200, '{"status":"UP"}')
    assert json.loads(app.get("/manage/info", port=manage_port)[2])["build"]["version"] == "2.28.1"


def test_busy_port_fails_the_start(run, standin_jar, java17):
    first = run(java17, standin_jar("2.28.1"))
    first.wait_for_output("Started IntegrasjonspunktApplication")
    second = run(java17, standin_jar("2.28.1"), port=first.port)
    assert second.wait_exit() == 1
    assert "already in use" in second.stderr


# -- behaviours ----------------------------------------------------------------------------------------------


def test_exit_at_start(run, standin_jar, java17):
    app = run(java17, standin_jar("2.28.1", "exit_at_start"))
    assert app.wait_exit() == 1
    assert "Started IntegrasjonspunktApplication" not in app.stdout
    assert len(_db_lines(app.folder)) == 1  # it touched its database before failing, as a real start does


def test_never_healthy_and_http_500(run, standin_jar, java17):
    down = run(java17, standin_jar("2.28.1", "never_healthy"))
    broken = run(java17, standin_jar("2.28.1", "http_500"))
    down.wait_for_output("Started IntegrasjonspunktApplication")
    broken.wait_for_output("Started IntegrasjonspunktApplication")
    assert down.get("/manage/health")[::2] == (503, '{"status":"DOWN"}')
    assert down.get("/noarkExchange?wsdl")[0] == 503
    for path in ("/noarkExchange?wsdl", "/manage/health", "/manage/info", "/other"):
        assert broken.get(path)[0] == 500


def test_wrong_version(run, standin_jar, java21):
    app = run(java21, standin_jar("v4.0.8", "wrong_version", report_version="4.0.7"), profile="production")
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert json.loads(app.get("/manage/info")[2])["build"]["version"] == "4.0.7"


def test_slow_start_listens_only_after_the_delay(run, standin_jar, java17):
    began = time.monotonic()
    app = run(java17, standin_jar("2.28.1", "slow_start", delay=1.5))
    app.wait_for_output("Initialising")
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert time.monotonic() - began >= 1.5


def test_crash_after_becoming_healthy(run, standin_jar, java17):
    app = run(java17, standin_jar("2.28.1", "crash_after", after=0.5))
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert app.wait_exit() == 1
    assert "crashed" in app.stderr
    assert "Stopped" not in app.stdout  # a crash, not a clean stop


def test_slow_stop_and_a_restart_appends_to_the_database(run, standin_jar, java17):
    app = run(java17, standin_jar("2.28.1", "slow_stop", delay=1))
    app.wait_for_output("Started IntegrasjonspunktApplication")
    began = time.monotonic()
    app.process.send_signal(signal.SIGTERM)
    assert app.wait_exit() in (0, 143)
    assert time.monotonic() - began >= 1.0
    assert "Stopped IntegrasjonspunktApplication" in app.stdout

    # The same folder started again: one more line in its database.
    again = subprocess.Popen([str(java17), "-jar", str(standin_jar("2.28.1", "exit_at_start"))], cwd=app.folder,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    assert again.wait(timeout=DEADLINE) == 1
    assert len(_db_lines(app.folder)) == 2
