"""Self-tests of the stand-in integrasjonspunkt under real JVMs: endpoints, settings rules, behaviours, stopping."""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest

from tests.harness.keystores import make_keystore
from tests.harness.ports import free_port
from tests.harness.standin.build import build_standin
from tests.harness.standin.jar_config import CONFIG_DIR

ORG_NUMBER = "910076787"
WSDL_NS = "{http://schemas.xmlsoap.org/wsdl/}"
DEADLINE = 20.0  # seconds for a JVM to reach a state on a busy 2-core machine
# What a 3.x/4.x needs beyond a 2.x file to start on plain HTTP: Digdir's local defaults, TLS off.
LOCAL_DEFAULTS = ("difi.datasource.url=jdbc:h2:file:./integrasjonspunkt\ndifi.activemq.broker-url=vm://localhost\n"
                  "difi.ssl.enabled=false\n")


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

    def get(self, path: str, port: int | None = None, *, https: bool = False,
            login: tuple[str, str] | None = None) -> tuple[int, str, str]:
        """(status, content type, body) of a GET to the stand-in (HTTPS: its own certificate accepted)."""
        url = f"{'https' if https else 'http'}://127.0.0.1:{port or self.port}{path}"
        request = urllib.request.Request(url)
        if login:
            request.add_header("Authorization", "Basic " + base64.b64encode(":".join(login).encode()).decode())
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        try:
            with urllib.request.urlopen(request, timeout=10, context=context if https else None) as answer:
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
        jvm: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        files: dict[str, str] | None = None,
    ) -> Running:
        folder = tmp_path / f"run{len(started)}"
        folder.mkdir()
        port = port or free_port()
        if properties is None:
            properties = f"difi.move.org.number={ORG_NUMBER}\nserver.port={port}\n"
        if properties:
            (folder / "integrasjonspunkt-local.properties").write_text(properties, encoding="utf-8")
        for name, text in (files or {}).items():
            (folder / name).write_text(text, encoding="utf-8")
        cmd = [str(java), *jvm]
        if profile:
            cmd.append(f"-Dspring.profiles.active={profile}")
        cmd += ["-jar", str(jar), *args]
        with (folder / "out.log").open("wb") as out, (folder / "err.log").open("wb") as err:
            process = subprocess.Popen(cmd, cwd=folder, stdout=out, stderr=err, env={**os.environ, **(env or {})})
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
    port = free_port()
    app = run(java21, standin_jar("v4.0.8"), profile="staging", port=port,
              properties=f"difi.move.org.number={ORG_NUMBER}\nserver.port={port}\n{LOCAL_DEFAULTS}")
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert '"staging"' in app.stdout
    assert app.get("/manage/health")[::2] == (200, '{"status":"UP"}')
    assert json.loads(app.get("/manage/info")[2])["build"]["version"] == "4.0.8"
    assert app.get("/noarkExchange?wsdl")[0] == 401  # basic auth is on by default on 4.x ...
    password = re.search(r"Using generated security password: (\S+)", app.stdout).group(1)
    assert app.get("/noarkExchange?wsdl", login=("user", password))[0] == 404  # ... and there is no WSDL
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
    port = free_port()
    app = run(java21, standin_jar("v4.0.8", "wrong_version", report_version="4.0.7"), profile="production",
              port=port, properties=f"difi.move.org.number={ORG_NUMBER}\nserver.port={port}\n{LOCAL_DEFAULTS}")
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


# -- configuration as the jar defines it (FACTS.md 1b) ------------------------------------------------------


def _jar_config(jar: Path, name: str) -> str:
    with zipfile.ZipFile(jar) as archive:
        return archive.read(CONFIG_DIR + name).decode("iso-8859-1")


def _tls_properties(port: int, keystore: Path, *extra: str) -> str:
    lines = [f"difi.move.org.number={ORG_NUMBER}", f"server.port={port}",
             "difi.datasource.url=jdbc:h2:file:./integrasjonspunkt", "difi.activemq.broker-url=vm://localhost",
             f"difi.ssl.key-store={keystore}", "difi.ssl.key-store-password=changeit", "difi.ssl.key-alias=tls",
             *extra]  # fmt: skip
    return "\n".join(lines) + "\n"


def test_jars_carry_their_release_lines_configuration(standin_jar):
    two, four = _jar_config(standin_jar("2.28.1"), "application.properties"), \
        _jar_config(standin_jar("v4.0.8"), "application.properties")
    assert "difi.datasource.url=jdbc:h2:file:./integrasjonspunkt" in two and "difi.move.org.keystore.type=jks" in two
    assert "\ndifi.ssl.enabled" not in two and "spring.profiles.active=production" in two
    assert "difi.ssl.enabled=true" in four and "difi.move.org.keystore.type=PKCS12" in four
    assert "\ndifi.datasource.url" not in four and "\ndifi.activemq.broker-url" not in four
    assert "difi.activemq.broker-url=vm://localhost" in _jar_config(standin_jar("v3.0.2"), "application.properties")
    assert "\ndifi.activemq.broker-url" not in _jar_config(standin_jar("v3.0.0"), "application.properties")
    staging = _jar_config(standin_jar("v4.0.8"), "application-staging.properties")
    assert "optional:file:integrasjonspunkt-local.yml" in staging
    changed = standin_jar("v4.0.8", config={"application.properties": {"difi.ssl.enabled": None, "x.y": "1"}})
    text = _jar_config(changed, "application.properties")
    assert "difi.ssl.enabled=" not in text and "x.y=1" in text
    assert changed.read_bytes() != standin_jar("v4.0.8").read_bytes()


def test_4x_with_a_2x_properties_file_fails_on_the_datasource_placeholder(run, standin_jar, java21):
    app = run(java21, standin_jar("v4.0.8"), profile="production")
    assert app.wait_exit() == 1
    assert "Could not resolve placeholder 'difi.datasource.url' in value \"${difi.datasource.url}\"" in app.stderr
    assert not (app.folder / "integrasjonspunkt.mv.db").exists()


def test_4x_has_no_broker_default_and_tls_on_needs_a_keystore(run, standin_jar, java21):
    ds = "difi.datasource.url=jdbc:h2:file:./integrasjonspunkt\n"
    no_broker = run(java21, standin_jar("v4.0.8"), profile="production",
                    properties=f"difi.move.org.number={ORG_NUMBER}\n{ds}")
    no_keystore = run(java21, standin_jar("v4.0.8"), profile="production",
                      properties=f"difi.move.org.number={ORG_NUMBER}\n{ds}difi.activemq.broker-url=vm://localhost\n")
    assert no_broker.wait_exit() == 1 and no_keystore.wait_exit() == 1
    assert "Could not resolve placeholder 'difi.activemq.broker-url'" in no_broker.stderr
    assert "Could not resolve placeholder 'difi.ssl.key-store' in value \"${difi.ssl.key-store}\"" in no_keystore.stderr


def test_4x_serves_https_and_asks_for_a_login_outside_manage(run, standin_jar, java21, tmp_path):
    keystore = make_keystore(tmp_path / "tls.p12", alias="tls", password="changeit")
    port = free_port()
    app = run(java21, standin_jar("v4.0.8"), profile="production", port=port, properties=_tls_properties(
        port, keystore, "difi.ssl.key-store-type=PKCS12", "difi.security.user.name=admin",
        "difi.security.user.password=secret"))
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert f"Tomcat started on port {port} (https)" in app.stdout
    assert app.get("/manage/health", https=True)[::2] == (200, '{"status":"UP"}')
    assert json.loads(app.get("/manage/info", https=True)[2])["build"]["version"] == "4.0.8"
    assert app.get("/manage/health/liveness", https=True)[0] == 401  # only one segment under /manage is open
    assert app.get("/api/messages/out", https=True)[0] == 401
    assert app.get("/api/messages/out", https=True, login=("admin", "secret"))[0] == 404
    assert app.get("/api/messages/out", https=True, login=("admin", "wrong"))[0] == 401
    with pytest.raises((OSError, http.client.HTTPException)):
        app.get("/manage/health")  # plain HTTP to a TLS port: a TLS alert, no HTTP answer


def test_tls_keystore_type_and_alias_must_match_the_file(run, standin_jar, java21, tmp_path):
    keystore = make_keystore(tmp_path / "tls.p12", alias="tls", password="changeit")
    default_type = run(java21, standin_jar("v4.0.8"), profile="production",
                       properties=_tls_properties(free_port(), keystore))  # the jar's default type is JKS
    other_alias = run(java21, standin_jar("v4.0.8"), profile="production", properties=_tls_properties(
        free_port(), keystore, "difi.ssl.key-store-type=PKCS12").replace("key-alias=tls", "key-alias=other"))
    assert default_type.wait_exit() == 1 and other_alias.wait_exit() == 1
    assert "is not of type JKS" in default_type.stderr
    assert "Alias name [other] does not identify a key entry" in other_alias.stderr


def test_2x_with_auth_on_leaves_only_health_open(run, standin_jar, java17):
    port = free_port()
    app = run(java17, standin_jar("2.28.1"), port=port,
              properties=f"difi.move.org.number={ORG_NUMBER}\nserver.port={port}\ndifi.security.enable=true\n")
    app.wait_for_output("Started IntegrasjonspunktApplication")
    password = re.search(r"Using generated security password: (\S+)", app.stdout).group(1)
    assert app.get("/manage/health")[0] == 200
    assert app.get("/manage/info")[0] == 401  # 2.28.6 opens /manage/health only
    assert app.get("/manage/info", login=("user", password))[0] == 200
    assert app.get("/noarkExchange?wsdl")[0] == 401


def test_the_database_file_is_where_the_datasource_url_points(run, standin_jar, java17):
    base = f"difi.move.org.number={ORG_NUMBER}\nserver.port=0\n"
    elsewhere = run(java17, standin_jar("2.28.1", "exit_at_start"),
                    properties=base + "difi.datasource.url=jdbc:h2:file:./data/ip;AUTO_SERVER=TRUE\n")
    from_env = run(java17, standin_jar("2.28.1", "exit_at_start"), properties=base,
                   env={"DIFI_DATASOURCE_URL": "jdbc:h2:file:./env-db"})
    implicit = run(java17, standin_jar("2.28.1", "exit_at_start"),
                   properties=base + "difi.datasource.url=jdbc:h2:integrasjonspunkt\n")
    for app in (elsewhere, from_env, implicit):
        assert app.wait_exit() == 1
    assert (elsewhere.folder / "data" / "ip.mv.db").is_file()
    assert not (elsewhere.folder / "integrasjonspunkt.mv.db").exists()
    assert (from_env.folder / "env-db.mv.db").is_file()
    assert "implicitly relative" in implicit.stderr and not list(implicit.folder.glob("*.mv.db"))


def test_the_local_file_is_read_only_through_a_profile_that_imports_it(run, standin_jar, java21):
    port = free_port()
    properties = f"difi.move.org.number={ORG_NUMBER}\nserver.port={port}\n{LOCAL_DEFAULTS}"
    no_import = run(java21, standin_jar("v4.0.8"), profile="itest", properties=properties)
    assert no_import.wait_exit() == 1
    assert "difi.move.org.number" in no_import.stderr

    yaml_port = free_port()
    yml = (f"difi:\n  move:\n    org:\n      number: '{ORG_NUMBER}'  # the organisation\n  datasource:\n"
           f"    url: jdbc:h2:file:./integrasjonspunkt\n  activemq:\n    broker-url: vm://localhost\n"
           f"  ssl:\n    enabled: false\nserver:\n  port: {yaml_port}\n")
    app = run(java21, standin_jar("v4.0.8"), profile="staging", properties="", port=yaml_port,
              files={"integrasjonspunkt-local.yml": yml})
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert app.get("/manage/health")[0] == 200


def test_placeholders_defaults_and_java_property_rules(run, standin_jar, java17):
    port = free_port()
    jar = standin_jar("2.28.1", config={"application.properties": {"server.port": "${custom.port:${fallback.port}}"}})
    # A comment ending in a backslash ends at the line's end (Java's rule): the port below it counts.
    app = run(java17, jar, port=port, properties=f"difi.move.org.number={ORG_NUMBER}\n# old keystore was C:\\certs\\\n"
              f"fallback.port={port}\n")
    app.wait_for_output("Started IntegrasjonspunktApplication")
    assert app.get("/manage/health")[0] == 200
    missing = run(java17, jar, properties=f"difi.move.org.number={ORG_NUMBER}\n")
    assert missing.wait_exit() == 1
    assert "Could not resolve placeholder 'fallback.port' in value" in missing.stderr


def test_an_invalid_port_fails_to_bind(run, standin_jar, java17):
    app = run(java17, standin_jar("2.28.1"), properties=f"difi.move.org.number={ORG_NUMBER}\nserver.port=90x93\n")
    assert app.wait_exit() == 1
    assert "Failed to bind properties under 'server.port' to java.lang.Integer" in app.stderr


def test_the_org_keystore_type_must_match_the_file(run, standin_jar, java17, java21, tmp_path):
    p12 = make_keystore(tmp_path / "org.p12", alias="org", password="changeit")
    jks = make_keystore(tmp_path / "org.jks", alias="org", password="changeit", storetype="JKS")
    org = f"difi.move.org.number={ORG_NUMBER}\ndifi.move.org.keystore.password=changeit\n"
    two = run(java17, standin_jar("2.28.1"), properties=f"{org}difi.move.org.keystore.path={p12}\n")  # 2.x: jks
    four = run(java21, standin_jar("v4.0.8"), profile="production",
               properties=f"{org}{LOCAL_DEFAULTS}difi.move.org.keystore.path={jks}\n")  # 4.x: PKCS12
    wrong_password = run(java17, standin_jar("2.28.1"), properties=(
        f"{org}difi.move.org.keystore.path={jks}\n").replace("password=changeit", "password=nope"))
    for app in (two, four, wrong_password):
        assert app.wait_exit() == 1
    assert "is not of type jks" in two.stderr and "is not of type PKCS12" in four.stderr
    assert "password" in wrong_password.stderr
