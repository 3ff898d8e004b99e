"""installer/health.py against real servers: a small HTTP server in the test for the answers a service can give
(and not give), the stand-in integrasjonspunkt under a real JVM for the right and a wrong version, a restart
during the stable window, 4.x's default HTTPS and the shutdown endpoint, and a closed port where it times out as
on Windows (W1). (HTTPS elsewhere than localhost, Basic auth and the clock-check window:
tests/unit/test_health_config.py.)"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from installer import effective_config, health, processes
from installer.messages import t
from installer.plans import steps
from tests.contexts import install_context
from tests.harness import netns
from tests.harness.ports import free_port
from tests.harness.tls import shared_ca
from tests.paths import REPO_ROOT

ORG_NUMBER = "910076787"
UP, DOWN = b'{"status":"UP"}', b'{"status":"DOWN"}'
WSDL = b'<?xml version="1.0"?><wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"/>'


def info(version: str) -> bytes:
    return json.dumps({"build": {"version": version, "artifact": "integrasjonspunkt"}}).encode()


@dataclass
class Answers:
    """What the test server answers: path -> (status, body), or a function of the time since the first request
    to the readiness path."""

    paths: dict[str, tuple[int, bytes] | Callable[[float], tuple[int, bytes]]]
    requests: list[str] = field(default_factory=list)
    first: float | None = None


@contextmanager
def server(answers: Answers) -> Iterator[int]:
    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            answers.requests.append(f"{self.command} {self.path}")
            found = answers.paths.get(self.path, (404, b"{}"))
            if callable(found):
                answers.first = answers.first if answers.first is not None else time.monotonic()
                found = found(time.monotonic() - answers.first)
            status, body = found
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def manage(port: int, version: str | None = "v4.0.8") -> health.HealthEndpoints:
    return health.endpoints_for("manage", {"server.port": str(port)}, version)


def never(*_: object) -> None:
    return None


def run_bounded(call: Callable[[], object], limit: float) -> tuple[object, float]:
    """`call()` in a thread: its result (or the exception it raised) and the seconds it took; a call still busy
    after `limit` fails the test rather than hanging it."""
    out: list[object] = []

    def runner() -> None:
        try:
            out.append(call())
        except Exception as exc:  # handed to the test to assert on
            out.append(exc)

    began = time.monotonic()
    thread = threading.Thread(target=runner, daemon=True)
    thread.start()
    thread.join(limit)
    assert out, f"still busy after {limit} s"
    return out[0], time.monotonic() - began


# -- where to look ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "props", "url", "info_url"), [
    ("manage", {}, "http://localhost:9093/manage/health", "http://localhost:9093/manage/info"),
    ("wsdl", {"server.port": "9100"}, "http://localhost:9100/noarkExchange?wsdl", "http://localhost:9100/manage/info"),
    ("wsdl", {"server.servlet.context-path": "ip/", "server.ssl.enabled": " TRUE "},
     "https://localhost:9093/ip/noarkExchange?wsdl", "https://localhost:9093/ip/manage/info"),
    ("manage", {"server.servlet.context-path": "/ip", health.MANAGE_BASE_KEY: "actuator/"},
     "http://localhost:9093/ip/actuator/health", "http://localhost:9093/ip/actuator/info"),
    # The management endpoints on their own port: without the context path, TLS as the server's unless set.
    ("wsdl", {"server.servlet.context-path": "/ip", "management.server.port": "9101", "server.ssl.enabled": "true"},
     "https://localhost:9093/ip/noarkExchange?wsdl", "https://localhost:9101/manage/info"),
    ("manage", {"management.server.port": "9101", "server.ssl.enabled": "true",
                "management.server.ssl.enabled": "false"},
     "http://localhost:9101/manage/health", "http://localhost:9101/manage/info"),
    ("manage", {"management.server.port": "9101", "management.server.ssl.enabled": "true"},
     "https://localhost:9101/manage/health", "https://localhost:9101/manage/info"),
    ("manage", {"management.server.port": "9093", "server.servlet.context-path": "/ip",
                health.MANAGE_BASE_KEY: ""},
     "http://localhost:9093/ip/health", "http://localhost:9093/ip/info"),
])
def test_endpoints_for(kind: str, props: dict[str, str], url: str, info_url: str) -> None:
    where = health.endpoints_for(kind, props, "v2.28.1")
    assert (where.url, where.info_url, where.kind, where.expected_version) == (url, info_url, kind, "2.28.1")
    assert health.endpoints_for(kind, props, None).expected_version is None


def test_strip_v() -> None:
    assert [health.strip_v(v) for v in ("v4.0.8", "V4.0.8", "4.0.8", "")] == ["4.0.8", "4.0.8", "4.0.8", ""]


# -- one look -----------------------------------------------------------------------------------------------


def test_probe_good_with_the_version_from_info() -> None:
    answers = Answers({"/manage/health": (200, UP), "/manage/info": (200, info("v4.0.8"))})
    with server(answers) as port:
        assert health.probe(manage(port)) == health.Probe(True, "", "4.0.8")
        assert health.info_version(manage(port)) == "4.0.8"
    assert answers.requests == ["GET /manage/health", "GET /manage/info", "GET /manage/info"]


def test_probe_good_where_info_tells_no_version() -> None:
    """Older versions have no /manage/info, or no build version in it: the health answer decides alone."""
    for missing in [(404, b"{}"), (200, b'{"build": null}'), (200, b"[]"), (200, b"not json"), (200, b"{}")]:
        with server(Answers({"/manage/health": (200, UP), "/manage/info": missing})) as port:
            assert health.info_version(manage(port)) is None
            assert health.probe(manage(port)) == health.Probe(True, "", None)


@pytest.mark.parametrize(("answer", "message", "params"), [
    ((200, DOWN), "operations.health_not_up", {"status": "DOWN"}),
    ((200, b"<html>ok</html>"), "operations.health_not_up", {"status": None}),
    ((200, b'["UP"]'), "operations.health_not_up", {"status": None}),
    ((503, UP), "operations.health_status", {"status": 503}),
    ((401, b""), "operations.health_status", {"status": 401}),
])
def test_probe_bad_answers(answer: tuple[int, bytes], message: str, params: dict[str, object]) -> None:
    answers = Answers({"/manage/health": answer, "/manage/info": (200, info("4.0.8"))})
    with server(answers) as port:
        where = manage(port)
        assert health.probe(where) == health.Probe(False, t(message, url=where.url, **params))
    assert answers.requests == ["GET /manage/health"]  # a bad answer asks nothing more


def test_probe_of_the_wsdl() -> None:
    answers = Answers({"/ip/noarkExchange?wsdl": (200, WSDL), "/ip/manage/info": (200, info("2.28.1"))})
    with server(answers) as port:
        where = health.endpoints_for("wsdl", {"server.port": str(port), "server.servlet.context-path": "/ip"}, "2.28.1")
        assert health.probe(where) == health.Probe(True, "", "2.28.1")
        answers.paths["/ip/noarkExchange?wsdl"] = (200, UP)
        assert health.probe(where) == health.Probe(False, t("operations.health_not_wsdl", url=where.url))
        answers.paths["/ip/noarkExchange?wsdl"] = (500, WSDL)
        assert health.probe(where) == health.Probe(False, t("operations.health_status", url=where.url, status=500))


def test_probe_another_version_answers() -> None:
    with server(Answers({"/manage/health": (200, UP), "/manage/info": (200, info("v4.0.7"))})) as port:
        assert health.probe(manage(port, "v4.0.8")) == health.Probe(
            False, t("operations.health_wrong_version", found="4.0.7", expected="4.0.8"), "4.0.7")
        assert health.probe(manage(port, None)) == health.Probe(True, "", "4.0.7")


def test_probe_of_a_closed_port_does_not_connect() -> None:
    port = free_port()
    where = manage(port)
    assert health.probe(where) == health.Probe(False, t("operations.health_not_listening", url=where.url, port=port))


def test_probe_gives_up_on_a_service_that_never_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connected and asked, no answer: the look ends after PROBE_TIMEOUT with the reason, it never hangs."""
    monkeypatch.setattr(health, "PROBE_TIMEOUT", 0.5)
    with socket.socket() as silent:  # listens (the kernel accepts the connection), never reads, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        where = manage(silent.getsockname()[1])
        result, took = run_bounded(lambda: health.probe(where), 10)
    assert isinstance(result, health.Probe) and not result.good
    assert result.reason == t("operations.health_no_answer", url=where.url, error="timed out")
    assert 0.5 <= took < 1.5


def test_request_shutdown() -> None:
    answers = Answers({"/manage/shutdown": (200, b'{"message":"Shutting down, bye..."}')})
    with server(answers) as port:
        assert health.request_shutdown(manage(port))
        assert answers.requests == ["POST /manage/shutdown"]
        answers.paths.clear()
        assert not health.request_shutdown(manage(port))  # not enabled: 404
    assert not health.request_shutdown(manage(port))  # nothing listens


# -- waiting ------------------------------------------------------------------------------------------------


def test_healthy_only_after_stable_seconds_of_good_answers() -> None:
    answers = Answers({"/manage/health": (200, UP), "/manage/info": (200, info("4.0.8"))})
    with server(answers) as port:
        took = health.wait_healthy(manage(port), timeout=10, stable=1.0, watch=never)
    assert 1.0 <= took < 3.0
    # It kept looking all along the window, not once at its start and once at its end.
    assert answers.requests.count("GET /manage/health") >= 5


def test_a_bad_answer_starts_the_stable_window_again() -> None:
    def flaky(since: float) -> tuple[int, bytes]:
        return (200, DOWN) if 0.5 <= since < 0.8 else (200, UP)

    with server(Answers({"/manage/health": flaky, "/manage/info": (200, info("4.0.8"))})) as port:
        took = health.wait_healthy(manage(port), timeout=10, stable=1.0, watch=never)
    assert took >= 1.8


def test_not_healthy_by_the_deadline() -> None:
    answers = Answers({"/manage/health": (503, b"{}")})
    with server(answers) as port:
        where = manage(port)
        result, took = run_bounded(lambda: health.wait_healthy(where, timeout=1.0, stable=0.2, watch=never), 10)
    assert isinstance(result, health.Unhealthy)
    assert result.reason == t("operations.health_deadline", seconds="1",
                              reason=t("operations.health_status", url=where.url, status=503))
    assert 1.0 <= took < 2.5


def test_good_answers_that_stop_before_the_window_ends_are_not_enough() -> None:
    def stops(since: float) -> tuple[int, bytes]:
        return (200, UP) if since < 0.5 else (200, DOWN)

    with server(Answers({"/manage/health": stops, "/manage/info": (200, info("4.0.8"))})) as port:
        where = manage(port)
        result, _ = run_bounded(lambda: health.wait_healthy(where, timeout=1.5, stable=1.0, watch=never), 10)
    assert isinstance(result, health.Unhealthy)
    assert result.reason == t("operations.health_deadline", seconds="1.5",
                              reason=t("operations.health_not_up", url=where.url, status="DOWN"))


def test_another_version_fails_at_once() -> None:
    with server(Answers({"/manage/health": (200, UP), "/manage/info": (200, info("4.0.7"))})) as port:
        where = manage(port, "4.0.8")
        result, took = run_bounded(lambda: health.wait_healthy(where, timeout=20, stable=1.0, watch=never), 30)
    assert isinstance(result, health.Unhealthy)
    assert result.reason == t("operations.health_wrong_version", found="4.0.7", expected="4.0.8")
    assert took < 2.0


def test_a_dead_process_fails_at_once_before_any_look() -> None:
    answers = Answers({"/manage/health": (200, UP)})
    with server(answers) as port, pytest.raises(health.Unhealthy) as failed:
        health.wait_healthy(manage(port), timeout=20, stable=1.0, watch=lambda: "gone")
    assert failed.value.reason == "gone" and answers.requests == []


def test_the_answers_must_come_from_the_process_watched_at_the_end_too() -> None:
    """A restart between the last look at the process and the last good answer: the check looks once more."""
    answers = Answers({"/manage/health": (200, UP), "/manage/info": (200, info("4.0.8"))})
    with server(answers) as port:

        def watch() -> str | None:
            return "restarted" if answers.requests else None

        with pytest.raises(health.Unhealthy) as failed:
            health.wait_healthy(manage(port), timeout=20, stable=0, watch=watch)
    assert failed.value.reason == "restarted"


def test_a_closed_port_until_the_deadline() -> None:
    port = free_port()
    where = manage(port)
    result, took = run_bounded(lambda: health.wait_healthy(where, timeout=0.5, stable=0.2, watch=never), 10)
    assert isinstance(result, health.Unhealthy)
    assert result.reason == t("operations.health_deadline", seconds="0.5",
                              reason=t("operations.health_not_listening", url=where.url, port=port))
    assert took < 1.5


# A look at a closed port inside the namespace where such a connect runs into its timeout, as on Windows.
CLOSED_PORT_LOOK = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from installer import health
from installer.messages import t
from tests.harness import netns
from tests.harness.ports import free_port
port = free_port()
where = health.endpoints_for("manage", {"server.port": str(port)}, "4.0.8")
began = time.monotonic()
result = health.probe(where)
print(json.dumps({"took": time.monotonic() - began, "times_out": netns.closed_port_times_out(1.0),
                  "good": result.good,
                  "expected": result.reason == t("operations.health_not_listening", url=where.url, port=port)}))
"""


def test_a_closed_port_is_seen_at_once_where_a_connect_would_wait_w1() -> None:
    reason = netns.unavailable()
    if reason:
        pytest.skip(reason)
    done = subprocess.run(netns.command([sys.executable, "-c", CLOSED_PORT_LOOK, str(REPO_ROOT)]),
                          capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr
    look = json.loads(done.stdout)
    assert look["times_out"] and not look["good"] and look["expected"]
    assert look["took"] < 0.5


# -- the stand-in integrasjonspunkt under a real JVM -------------------------------------------------------


@dataclass
class App:
    process: subprocess.Popen[bytes]
    folder: Path
    jar: Path
    port: int

    def target(self) -> steps.Target:
        return steps.Target(install_context(self.folder))

    def watch(self) -> Callable[[], str | None]:
        """The watch the health check step gives wait_healthy: this folder's Java process for the jar."""
        return steps.process_watch(self.target(), self.jar)

    def output(self) -> str:
        return "".join((self.folder / name).read_text(errors="replace") for name in ("out.log", "err.log"))


@pytest.fixture
def start_app(tmp_path: Path) -> Iterator[Callable[..., App]]:
    """Start a stand-in jar, copied into its own folder with a local properties file, as the service runs it."""
    started: list[App] = []

    def start(java: Path, jar: Path, properties: str, *, folder: str = "ip", profile: str | None = None,
              args: tuple[str, ...] = ()) -> App:
        where = tmp_path / folder
        where.mkdir(exist_ok=True)
        local = where / jar.name
        if not local.exists():
            shutil.copy2(jar, local)
        (where / "integrasjonspunkt-local.properties").write_text(properties, encoding="utf-8")
        cmd = [str(java), *([f"-Dspring.profiles.active={profile}"] if profile else []), "-jar", str(local), *args]
        with (where / "out.log").open("ab") as out, (where / "err.log").open("ab") as err:
            process = subprocess.Popen(cmd, cwd=where, stdout=out, stderr=err)
        port = int(next(line.split("=", 1)[1] for line in properties.splitlines() if line.startswith("server.port=")))
        app = App(process, where, local, port)
        started.append(app)
        deadline = time.monotonic() + 20
        while process.pid not in [p.pid for p in processes.java_processes(where)]:
            assert process.poll() is None and time.monotonic() < deadline, app.output()
            time.sleep(0.02)
        return app

    yield start
    for app in started:
        if app.process.poll() is None:
            app.process.kill()
        app.process.wait()


def plain(port: int, *extra: str) -> str:
    return "\n".join([f"difi.move.org.number={ORG_NUMBER}", f"server.port={port}", *extra]) + "\n"


def test_the_right_version_answers_from_the_configured_place(start_app: Callable[..., App], standin_jar,
                                                             java17: Path) -> None:
    """2.x: the WSDL under the context path on the server port, /manage/info on the management port."""
    port, mport = free_port(), free_port()
    app = start_app(java17, standin_jar("2.28.1"), plain(port, "server.servlet.context-path=/ip",
                                                         f"management.server.port={mport}"))
    props = {"server.port": str(port), "server.servlet.context-path": "/ip", "management.server.port": str(mport)}
    where = health.endpoints_for("wsdl", props, "2.28.1")
    took = health.wait_healthy(where, timeout=30, stable=0.5, watch=app.watch())
    assert took >= 0.5 and health.probe(where) == health.Probe(True, "", "2.28.1")
    # The same service looked for where it is not: never healthy.
    elsewhere = health.endpoints_for("wsdl", {"server.port": str(port)}, "2.28.1")
    assert health.probe(elsewhere) == health.Probe(False, t("operations.health_status", url=elsewhere.url, status=404))


def test_a_wrong_version_fails_at_once(start_app: Callable[..., App], standin_jar, java17: Path) -> None:
    port = free_port()
    app = start_app(java17, standin_jar("2.28.1", "wrong_version", report_version="2.28.0"), plain(port))
    where = health.endpoints_for("wsdl", {"server.port": str(port)}, "2.28.1")
    began = time.monotonic()
    with pytest.raises(health.Unhealthy) as failed:
        health.wait_healthy(where, timeout=60, stable=5, watch=app.watch())
    assert failed.value.reason == t("operations.health_wrong_version", found="2.28.0", expected="2.28.1")
    assert time.monotonic() - began < 20  # the first answer decides: a JVM start, not the 60 s deadline


def test_a_restart_during_the_stable_window_fails_at_once(start_app: Callable[..., App], standin_jar,
                                                          java17: Path) -> None:
    """The service manager restarts the process while the check counts good answers: the new process answers as
    well, but the answers no longer come from the one that was started; the check fails when the old one goes."""
    port = free_port()
    jar = standin_jar("2.28.1")
    first = start_app(java17, jar, plain(port))
    where = health.endpoints_for("wsdl", {"server.port": str(port)}, "2.28.1")
    outcome: list[object] = []
    checking = threading.Thread(target=lambda: outcome.append(run_bounded(
        lambda: health.wait_healthy(where, timeout=60, stable=8, watch=first.watch()), 60)))
    checking.start()
    deadline = time.monotonic() + 30
    while not health.probe(where).good:  # inside the stable window now
        assert time.monotonic() < deadline and not outcome, first.output()
        time.sleep(0.05)
    first.process.kill()
    killed = time.monotonic()
    first.process.wait()
    second = start_app(java17, jar, plain(port))
    checking.join(60)
    result, _ = outcome[0]  # type: ignore[misc]
    assert isinstance(result, health.Unhealthy), result
    assert result.reason in (t("operations.health_process_gone"),
                             t("operations.health_restarted", old=first.process.pid, new=second.process.pid))
    assert time.monotonic() - killed < 5, "waited for the stable window instead of failing at once"


def test_4x_over_https_by_default(start_app: Callable[..., App], standin_jar, java21: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """4.x serves HTTPS unless the admin turns it off: the target comes from the jar's own configuration, and the
    service's certificate (here one of the test CA, which nothing trusts) is accepted on localhost."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    ca = shared_ca()
    keystore = tmp_path / "tls.p12"
    subprocess.run(["openssl", "pkcs12", "-export", "-in", str(ca.server_cert), "-inkey", str(ca.server_key),
                    "-name", "tls", "-passout", "pass:changeit", "-out", str(keystore)], check=True,
                   capture_output=True)
    port = free_port()
    jar = standin_jar("v4.0.8")
    app = start_app(java21, jar, plain(port, "difi.datasource.url=jdbc:h2:file:./integrasjonspunkt",
                                       "difi.activemq.broker-url=vm://localhost", f"difi.ssl.key-store={keystore}",
                                       "difi.ssl.key-store-password=changeit", "difi.ssl.key-alias=tls",
                                       "difi.ssl.key-store-type=PKCS12"), profile="production")
    config = effective_config.load(app.jar, app.folder, profile="production")
    where = health.target_from("manage", config, "v4.0.8")
    assert where.url == f"https://localhost:{port}/manage/health"
    health.wait_healthy(where, timeout=30, stable=0.5, watch=app.watch())
    assert health.probe(where) == health.Probe(True, "", "4.0.8")
    assert "(https)" in app.output()
    # Spoken to in plain HTTP, the TLS port gives no answer.
    http = health.endpoints_for("manage", {"server.port": str(port)}, "v4.0.8")
    assert not health.probe(http).good
    # Started without the shutdown endpoint: a request is refused and the service runs on.
    assert not health.request_shutdown(where) and app.process.poll() is None


def test_shutdown_endpoint_stops_the_service(start_app: Callable[..., App], standin_jar, java21: Path) -> None:
    port = free_port()
    app = start_app(java21, standin_jar("v4.0.8"),
                    plain(port, "difi.datasource.url=jdbc:h2:file:./integrasjonspunkt",
                          "difi.activemq.broker-url=vm://localhost", "difi.ssl.enabled=false"),
                    profile="staging", args=("--management.endpoint.shutdown.enabled=true",))
    where = health.target_from("manage", effective_config.load(app.jar, app.folder, profile="staging",
                                                               app_args=["--management.endpoint.shutdown.enabled=true"]),
                               "v4.0.8")
    assert where.url == f"http://localhost:{port}/manage/health"
    health.wait_healthy(where, timeout=30, stable=0, watch=app.watch())
    assert health.request_shutdown(where)
    assert app.process.wait(20) == 0

