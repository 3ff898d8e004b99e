"""Readiness probes: the WSDL for 2.x, `/manage/health` for 3.x/4.x, and `/manage/info` for the version.

Healthy means good answers for `stable` seconds in a row from the same process. Unhealthy at the deadline, or at
once when the process exits, the service stops or the service manager restarts it (a new pid), or when the process
reports another version than the one installed.
"""

from __future__ import annotations

import base64
import http.client
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from installer import processes
from installer import properties as props_mod
from installer.effective_config import EffectiveConfig
from installer.messages import t

log = logging.getLogger(__name__)

POLL_INTERVAL = 0.05  # seconds between probes: failure detection and downtime are benchmarked
PROBE_TIMEOUT = 2.0
LOCAL_HOSTS = frozenset({"127.0.0.1", "::1"})
MANAGE_BASE_KEY = "management.endpoints.web.base-path"
AUTH_KEY = "difi.move.feature.enable-auth"
USER_KEY, PASSWORD_KEY = "spring.security.user.name", "spring.security.user.password"
NTP_DISABLE_KEY = "difi.move.ntp.disable"
# After Spring reports the application started (health UP), integrasjonspunkt looks up difi.move.ntp.host and asks
# it the time once; an offset over 5 s closes the application (IntegrasjonspunktApplication.checkNtpSync). A DNS
# lookup and one UDP round trip take well under a second; 5 s also covers a first DNS server that does not answer
# (Windows asks the next one after 1 s, again after 2 s). The client has no timeout of its own: an NTP server that
# never answers leaves the application running, so no longer window would catch more.
NTP_WINDOW = 5.0
NULL = "#{null}"  # Spring's expression for "no value", the jar's default for the user and password
HEALTH_KEYS = ("server.ssl.enabled", "server.port", "management.server.port", "server.servlet.context-path",
               "management.server.ssl.enabled", MANAGE_BASE_KEY)


@dataclass(frozen=True)
class HealthEndpoints:
    url: str  # the readiness URL: the WSDL (2.x) or /manage/health
    info_url: str  # /manage/info
    kind: str  # "wsdl" or "manage"
    expected_version: str | None  # without a leading "v"
    # Basic auth where the service asks for it outside /manage/health (2.x with difi.security.enable=true).
    auth: tuple[str, str] | None = field(default=None, repr=False)


@dataclass
class Probe:
    good: bool
    reason: str
    version: str | None = None


class Unhealthy(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def strip_v(tag: str) -> str:
    return tag[1:] if tag[:1] in "vV" else tag


def endpoints_for(kind: str, properties: Mapping[str, str], version_tag: str | None) -> HealthEndpoints:
    """Where to look, from resolved configuration values: ports, context path, TLS, the management base path.

    With the management endpoints on their own port, Spring serves them without the servlet context path.
    """
    ssl_on = properties.get("server.ssl.enabled", "false").strip().lower() == "true"
    scheme = "https" if ssl_on else "http"
    port = props_mod.server_port(properties)
    mport = props_mod.management_port(properties)
    context = _path(properties.get("server.servlet.context-path", ""))
    base = _path(properties.get(MANAGE_BASE_KEY, "/manage")) or ""
    mscheme = scheme
    if mport != port:
        mssl = properties.get("management.server.ssl.enabled", "").strip().lower()
        mscheme = "https" if mssl == "true" or (mssl == "" and ssl_on) else "http"
    manage = f"{mscheme}://localhost:{mport}{context if mport == port else ''}{base}"
    url = f"{scheme}://localhost:{port}{context}/noarkExchange?wsdl" if kind == "wsdl" else f"{manage}/health"
    return HealthEndpoints(url=url, info_url=f"{manage}/info", kind=kind,
                        expected_version=strip_v(version_tag) if version_tag else None)


def _path(value: str) -> str:
    value = value.strip().rstrip("/")
    return "/" + value if value and not value.startswith("/") else value


def target_from(kind: str, config: EffectiveConfig, version_tag: str | None) -> HealthEndpoints:
    """The health target of a version's effective configuration (effective_config.load)."""
    values = {key: config.get_or(key, "") for key in HEALTH_KEYS}
    where = endpoints_for(kind, {k: v for k, v in values.items() if v != ""}, version_tag)
    if config.get_or(AUTH_KEY, "false").strip().lower() != "true":
        return where
    user, password = config.get_or(USER_KEY, ""), config.get_or(PASSWORD_KEY, "")
    if user in ("", NULL) or password in ("", NULL):
        return where  # a generated password: only what stays open can be asked
    return replace(where, auth=(user, password))


def post_start_window(config: EffectiveConfig, stable: float) -> float:
    """How long the new version must answer well, same process: /health-stable, and at least the NTP window
    while the clock check is on."""
    if config.get_or(NTP_DISABLE_KEY, "false").strip().lower() == "true":
        return stable
    return max(stable, NTP_WINDOW)


def _get(url: str, auth: tuple[str, str] | None = None) -> tuple[int, bytes]:
    return _call("GET", url, auth)


def _call(method: str, url: str, auth: tuple[str, str] | None = None) -> tuple[int, bytes]:
    parts = urlsplit(url)
    host = "127.0.0.1" if parts.hostname == "localhost" else (parts.hostname or "127.0.0.1")
    if parts.scheme == "https":
        # Our own service on this machine: its certificate names the public host, not localhost. Anywhere else
        # the certificate is checked as usual.
        context = ssl._create_unverified_context() if host in LOCAL_HOSTS else ssl.create_default_context()
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            host, parts.port, timeout=PROBE_TIMEOUT, context=context)
    else:
        conn = http.client.HTTPConnection(host, parts.port, timeout=PROBE_TIMEOUT)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept": "application/json, text/xml, */*"}
        if auth is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        conn.request(method, path or "/", headers=headers)
        response = conn.getresponse()
        return response.status, response.read(1 << 20)
    finally:
        conn.close()


def _not_listening(url: str) -> Probe | None:
    """A failed look without connecting, while the socket table shows nothing on the port: on Windows a connect
    to a closed loopback port waits ~2 s for its refusal, so the poll would slow to one look per 2 s."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    listening = processes.listening_ports()
    if listening is None or port in listening:
        return None
    return Probe(False, t("operations.health_not_listening", url=url, port=port))


def probe(target: HealthEndpoints) -> Probe:
    """One look: is the readiness URL good, and which version answers?"""
    closed = _not_listening(target.url)
    if closed is not None:
        return closed
    try:
        status, body = _get(target.url, target.auth)
    except (OSError, http.client.HTTPException) as exc:
        return Probe(False, t("operations.health_no_answer", url=target.url, error=str(exc) or type(exc).__name__))
    if status != 200:
        return Probe(False, t("operations.health_status", url=target.url, status=status))
    if target.kind == "wsdl":
        if b"definitions" not in body:
            return Probe(False, t("operations.health_not_wsdl", url=target.url))
    else:
        try:
            state = json.loads(body).get("status")
        except (ValueError, AttributeError):
            state = None
        if state != "UP":
            return Probe(False, t("operations.health_not_up", url=target.url, status=state))
    version = info_version(target)
    if target.expected_version and version is not None and version != target.expected_version:
        return Probe(False, t("operations.health_wrong_version", found=version,
                              expected=target.expected_version), version)
    return Probe(True, "", version)


def request_shutdown(target: HealthEndpoints) -> bool:
    """POST to Spring's shutdown endpoint beside /manage/info (enabled only where the process was started with
    management.endpoint.shutdown.enabled, as KOSMOS starts it); True when it accepted."""
    url = target.info_url.rsplit("/", 1)[0] + "/shutdown"
    try:
        status, _ = _call("POST", url, target.auth)
    except (OSError, http.client.HTTPException) as exc:
        log.info("shutdown endpoint %s: %s", url, exc)
        return False
    log.info("shutdown endpoint %s: HTTP %d", url, status)
    return status == 200


def info_version(target: HealthEndpoints) -> str | None:
    """`build.version` from /manage/info; None where it does not answer (older versions)."""
    try:
        status, body = _get(target.info_url, target.auth)
        if status != 200:
            return None
        build = json.loads(body).get("build") or {}
        version = build.get("version")
        return strip_v(str(version)) if version else None
    except (OSError, http.client.HTTPException, ValueError, AttributeError):
        return None


def wait_healthy(
    target: HealthEndpoints,
    *,
    timeout: float,
    stable: float,
    watch: Callable[[], str | None],
    clock: Callable[[], float] = time.monotonic,
) -> float:
    """Wait until the service answers well for `stable` seconds. `watch()` returns a reason when the process
    died, the service stopped or was restarted (the check fails at once), else None. Returns the seconds it took.
    Raises Unhealthy with the reason."""
    started = clock()
    deadline = started + timeout
    good_since: float | None = None
    last_reason = t("operations.health_no_answer_yet")
    while True:
        gone = watch()
        if gone:
            raise Unhealthy(gone)
        result = probe(target)
        now = clock()
        if result.good:
            good_since = good_since if good_since is not None else now
            if now - good_since >= stable:
                # One more look at the process: the answers must all have come from the one we watched.
                gone = watch()
                if gone:
                    raise Unhealthy(gone)
                log.info("healthy after %.2f s: %s", now - started, target.url)
                return now - started
        else:
            if good_since is not None:
                log.info("health: a bad answer after good ones: %s", result.reason)
            good_since = None
            last_reason = result.reason
            if result.version is not None:
                # Another version answers from the process we started: waiting cannot fix that.
                raise Unhealthy(result.reason)
        if now >= deadline:
            raise Unhealthy(t("operations.health_deadline", seconds=f"{timeout:g}", reason=last_reason))
        time.sleep(POLL_INTERVAL)
