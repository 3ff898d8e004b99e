"""A real HTTP(S) server on 127.0.0.1, laid out like Maven Central, GitHub releases and WinSW's releases.

It runs as a thread in the test process. Files are published into it (`publish_jar`, `publish_winsw`,
`publish_file`, `set_latest_versions`) and served from disk with `Content-Length`, Range support and per-path faults
(`fault(path, kind, **params)`), so the installer's download code meets the trouble real servers make.
README.md beside this file lists every switch.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import logging
import os
import shutil
import socket
import ssl
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO, NamedTuple

from packaging.version import InvalidVersion, Version

from tests.harness import tls

log = logging.getLogger(__name__)

ARTIFACT_DIR = "no/difi/meldingsutveksling/integrasjonspunkt"
MAVEN_PREFIX = "/maven2"
GITHUB_RELEASES_PREFIX = "/github/felleslosninger/efm-integrasjonspunkt/releases/download"
GITHUB_API_PREFIX = "/api/repos/felleslosninger/efm-integrasjonspunkt"
VERSIONS_PATH = "/raw/felleslosninger/efm-integrasjonspunkt/main/latest-versions.yml"
KEY_PATH = "/docs/resources/eformidling/public_keys/eformidling-key.asc"
WINSW_PREFIX = "/github/winsw/winsw/releases/download"
# Where release downloads are redirected to, as GitHub sends them to its object store.
OBJECTS_PREFIX = "/objects"

FAULT_KINDS = frozenset({"corrupt", "cut", "error", "slow", "missing", "bad_signature", "no_range", "wrong_range",
                         "hang", "gzip"})
# Faults that change the body: on a redirected download they act where the bytes are served.
_BODY_FAULTS = frozenset({"corrupt", "cut", "slow", "bad_signature", "no_range", "wrong_range", "gzip"})
_CHUNK = 1024 * 1024
_LOGGED_HEADERS = ("Range", "If-Range", "User-Agent", "Accept", "Accept-Encoding", "Host")
_CONTENT_TYPES = {
    ".jar": "application/java-archive",
    ".xml": "text/xml",
    ".json": "application/json",
    ".yml": "text/plain; charset=utf-8",
    ".asc": "text/plain",
    ".sha1": "text/plain",
    ".md5": "text/plain",
}
_HEX = b"0123456789abcdef"


class LoggedRequest(NamedTuple):
    method: str
    path: str  # as requested, with the query string
    headers: dict[str, str]  # the subset in _LOGGED_HEADERS that the request carried
    status: int


@dataclass
class _Fault:
    kind: str
    params: dict[str, object]
    remaining: int | None  # None: every time


@dataclass
class _Release:
    tag: str
    prerelease: bool
    published_at: str
    assets: list[str] = field(default_factory=list)


class _Body(NamedTuple):
    open: Callable[[], BinaryIO]
    size: int
    disk_path: Path | None  # set when the bytes come from a file (sendfile is possible)


def _path_of(path_or_url: str) -> str:
    """Accept a path ('/maven2/...') or a full URL of this server and return the path with any query."""
    if "://" in path_or_url:
        parts = urllib.parse.urlsplit(path_or_url)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    if not path_or_url.startswith("/"):
        raise ValueError(f"a server path starts with '/': {path_or_url!r}")
    return path_or_url


def _hashes(path: Path) -> tuple[str, str]:
    sha1, md5 = hashlib.sha1(), hashlib.md5()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            sha1.update(chunk)
            md5.update(chunk)
    return sha1.hexdigest(), md5.hexdigest()


def _corrupt_byte(value: int) -> int:
    """Another byte; a hex digit stays a hex digit so a corrupted checksum file still looks like one."""
    index = _HEX.find(bytes([value]).lower())
    if index >= 0:
        return _HEX[(index + 1) % 16]
    return value ^ 0xFF


def _parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(start, end inclusive) for 'bytes=N-', 'bytes=N-M', 'bytes=-K'; None to ignore; 'unsatisfiable'."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, _, last = spec.strip().partition("-")
    try:
        if first == "":
            count = int(last)
            return (max(0, size - count), size - 1) if count > 0 and size > 0 else "unsatisfiable"
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size or end < start:
        return "unsatisfiable"
    return start, min(end, size - 1)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        context = self.server.owner.ssl_context
        if context is not None:
            # The TLS handshake happens here, in the connection's own thread, not in the accept loop.
            self.request = context.wrap_socket(self.request, server_side=True)
        super().setup()

    def do_GET(self) -> None:
        self.server.owner.handle(self, head=False)

    def do_HEAD(self) -> None:
        self.server.owner.handle(self, head=True)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ArtifactServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up (a cut test, a refused certificate) are expected here: no traceback on stderr.
        log.debug("connection from %s ended with an error", client_address, exc_info=True)


class ArtifactServer:
    """Maven, GitHub release, GitHub API, latest-versions.yml and WinSW layouts on one local server."""

    def __init__(self, https: bool = False, *, host: str = "127.0.0.1", api_page_size: int = 2) -> None:
        self.https = https
        self.host = host
        self.api_page_size = api_page_size
        self.ssl_context: ssl.SSLContext | None = None
        self._ca: tls.TestCA | None = None
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._stopping = threading.Event()
        self._files: dict[str, Path] = {}
        self._redirects: dict[str, str] = {}  # download path -> object path
        self._origins: dict[str, str] = {}  # object path -> download path
        self._faults: dict[str, _Fault] = {}
        self._releases: dict[str, _Release] = {}
        self._maven_versions: set[str] = set()
        self._log: list[LoggedRequest] = []
        self._sent: list[int] = []
        self._store: Path | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------------------------

    def start(self) -> ArtifactServer:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._store = Path(tempfile.mkdtemp(prefix="ipsetup-artifacts-"))
        if self.https:
            self._ca = tls.shared_ca()
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self._ca.server_cert, self._ca.server_key)
            self.ssl_context = context
        server = _Server((self.host, 0), _Handler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="artifact-server", daemon=True
        )
        self._thread.start()
        log.info("artifact server at %s", self.url)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        if self._store is not None:
            shutil.rmtree(self._store, ignore_errors=True)

    def __enter__(self) -> ArtifactServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses ----------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the artifact server is not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        scheme = "https" if self.https else "http"
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def maven_repo(self) -> str:
        return self.url + MAVEN_PREFIX

    @property
    def github_releases(self) -> str:
        return self.url + GITHUB_RELEASES_PREFIX

    @property
    def github_api(self) -> str:
        return self.url + GITHUB_API_PREFIX

    @property
    def versions_url(self) -> str:
        return self.url + VERSIONS_PATH

    @property
    def winsw_releases(self) -> str:
        return self.url + WINSW_PREFIX

    @property
    def key_url(self) -> str:
        """Where the current copy of a trusted key is published (404 until `publish_key`)."""
        return self.url + KEY_PATH

    def publish_key(self, data: bytes) -> str:
        """Publish `data` (an armored OpenPGP key) at `key_url`."""
        return self.publish_file(KEY_PATH, data)

    @property
    def ca_bundle(self) -> Path:
        """PEM of the test CA that signed this server's certificate (HTTPS servers only)."""
        if self._ca is None:
            raise RuntimeError("ca_bundle exists only for ArtifactServer(https=True) once started")
        return self._ca.ca_bundle

    def url_for(self, path: str) -> str:
        return self.url + _path_of(path)

    @staticmethod
    def maven_jar_path(tag: str) -> str:
        return f"{MAVEN_PREFIX}/{ARTIFACT_DIR}/{tag}/integrasjonspunkt-{tag}.jar"

    @staticmethod
    def github_jar_path(tag: str) -> str:
        return f"{GITHUB_RELEASES_PREFIX}/{tag}/integrasjonspunkt-{tag}.jar"

    def jar_path(self, tag: str) -> str:
        """The path the jar of `tag` is (or would be) published at: GitHub for a 'v' tag, else Maven."""
        return self.github_jar_path(tag) if tag.startswith("v") else self.maven_jar_path(tag)

    @staticmethod
    def winsw_path(version: str, asset: str) -> str:
        return f"{WINSW_PREFIX}/v{version.removeprefix('v')}/{asset}"

    # -- publishing ---------------------------------------------------------------------------------------

    def _write(self, path: str, data: bytes) -> Path:
        if self._store is None:
            raise RuntimeError("start the artifact server before publishing")
        target = self._store / "files" / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return target

    def publish_file(self, path: str, data: bytes | Path) -> str:
        """Serve `data` (bytes, or a file streamed from disk) at `path`; returns its URL."""
        path = _path_of(path)
        disk = data if isinstance(data, Path) else self._write(path, data)
        with self._lock:
            self._files[path] = disk
        return self.url + path

    def _publish_redirected(self, path: str, data: bytes | Path) -> None:
        """A GitHub-style download: `path` answers 302 to an object path that serves the bytes."""
        name = path.rsplit("/", 1)[1]
        digest = hashlib.sha1(path.encode()).hexdigest()[:16]
        target = f"{OBJECTS_PREFIX}/{digest}/{name}"
        self.publish_file(target, data)
        with self._lock:
            self._redirects[path] = target
            self._origins[target] = path

    def publish_jar(
        self,
        tag: str,
        jar: Path,
        *,
        asc: bytes | None = None,
        sha1: bool = True,
        md5: bool = True,
        prerelease: bool = False,
        published_at: str | None = None,
    ) -> str:
        """Publish a jar under its release tag; returns the jar's URL.

        A tag with a leading 'v' (3.x/4.x) goes to the GitHub layout (302 downloads, the API release list, no .md5,
        as on GitHub); any other tag to the Maven layout (.sha1, .md5, .asc and maven-metadata.xml). The jar is
        streamed from `jar` on every request: keep the file while the server runs.
        """
        jar = Path(jar)
        sha1_hex, md5_hex = _hashes(jar)
        if tag.startswith("v"):
            base = self.github_jar_path(tag)
            self._publish_redirected(base, jar)
            names = [base.rsplit("/", 1)[1]]
            if sha1:
                self._publish_redirected(base + ".sha1", sha1_hex.encode())
                names.append(names[0] + ".sha1")
            if asc is not None:
                self._publish_redirected(base + ".asc", asc)
                names.append(names[0] + ".asc")
            with self._lock:
                # Fake dates a day apart keep the API's newest-first order equal to the publishing order.
                first = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=len(self._releases))
                stamp = published_at or first.strftime("%Y-%m-%dT%H:%M:%SZ")
                self._releases[tag] = _Release(tag, prerelease, stamp, names)
            return self.url + base
        base = self.maven_jar_path(tag)
        self.publish_file(base, jar)
        if sha1:
            self.publish_file(base + ".sha1", sha1_hex.encode())
        if md5:
            self.publish_file(base + ".md5", md5_hex.encode())
        if asc is not None:
            self.publish_file(base + ".asc", asc)
        with self._lock:
            self._maven_versions.add(tag)
        self._write_maven_metadata()
        return self.url + base

    def _write_maven_metadata(self) -> None:
        def order(v: str) -> tuple[int, Version | str]:
            try:
                return (1, Version(v))
            except InvalidVersion:
                return (0, v)

        with self._lock:
            versions = sorted(self._maven_versions, key=order)
        newest = versions[-1]
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        lines = "\n".join(f"      <version>{v}</version>" for v in versions)
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<metadata>\n'
            "  <groupId>no.difi.meldingsutveksling</groupId>\n  <artifactId>integrasjonspunkt</artifactId>\n"
            f"  <versioning>\n    <latest>{newest}</latest>\n    <release>{newest}</release>\n"
            f"    <versions>\n{lines}\n    </versions>\n    <lastUpdated>{stamp}</lastUpdated>\n"
            "  </versioning>\n</metadata>\n"
        ).encode()
        path = f"{MAVEN_PREFIX}/{ARTIFACT_DIR}/maven-metadata.xml"
        self.publish_file(path, xml)
        self.publish_file(path + ".sha1", hashlib.sha1(xml).hexdigest().encode())
        self.publish_file(path + ".md5", hashlib.md5(xml).hexdigest().encode())

    def publish_winsw(self, version: str, asset: str, data: bytes | Path) -> str:
        """Publish a WinSW asset at `<winsw_releases>/v<version>/<asset>` (a 302 download, as on GitHub)."""
        path = self.winsw_path(version, asset)
        self._publish_redirected(path, data)
        return self.url + path

    def set_latest_versions(self, environments: dict[str, dict[str, str]], *, style: str = "flow") -> str:
        """Serve latest-versions.yml: {"staging": {"latest": "v4.0.8", "earlybird": "v4.0.8"}, ...}.

        style "flow" writes `staging: {latest: v4.0.8, earlybird: v4.0.8}` lines (the published form);
        "block" writes one key a line.
        """
        lines = ["integrasjonspunkt:", "  environments:"]
        for env, values in environments.items():
            if style == "flow":
                inner = ", ".join(f"{key}: {value}" for key, value in values.items())
                lines.append(f"    {env}: {{{inner}}}")
            elif style == "block":
                lines.append(f"    {env}:")
                lines.extend(f"      {key}: {value}" for key, value in values.items())
            else:
                raise ValueError(f"unknown style {style!r}")
        return self.publish_file(VERSIONS_PATH, ("\n".join(lines) + "\n").encode())

    # -- faults -------------------------------------------------------------------------------------------

    def fault(self, path: str, kind: str, **params: object) -> None:
        """Make `path` (as requested, before any redirect; a full URL works too) misbehave.

        Kinds: corrupt (at=offset), cut (after=N bytes), error (status=500), slow (rate=bytes/s), missing,
        bad_signature (asc=bytes, else another published .asc), no_range, wrong_range, hang (accepts the request
        and never answers, until the client gives up or the server stops), gzip (the body compressed with
        Content-Encoding: gzip whatever Accept-Encoding asked for). Every kind takes times=K:
        act K times, then serve normally (default: always). One fault per path; a new one replaces it.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {sorted(FAULT_KINDS)}")
        path = _path_of(path).partition("?")[0]
        if kind == "bad_signature":
            if not path.endswith(".asc"):
                path += ".asc"
            if "asc" not in params:
                params["asc"] = self._another_signature(path)
        times = params.pop("times", None)
        with self._lock:
            self._faults[path] = _Fault(kind, params, None if times is None else int(times))  # type: ignore[arg-type]

    def _another_signature(self, path: str) -> bytes:
        with self._lock:
            others = sorted(p for p in self._files if p.endswith(".asc") and self._origins.get(p, p) != path)
            candidates = [self._files[p] for p in others]
        if not candidates:
            raise ValueError("bad_signature needs asc=... or another published .asc to serve instead")
        return candidates[0].read_bytes()

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, paths: list[str], effective: Callable[[_Fault], bool]) -> _Fault | None:
        """The fault for the first of `paths` that has one, counted as used when it takes effect."""
        with self._lock:
            for path in paths:
                found = self._faults.get(path)
                if found is None:
                    continue
                if not effective(found):
                    return None
                if found.remaining is not None:
                    found.remaining -= 1
                    if found.remaining <= 0:
                        del self._faults[path]
                return found
        return None

    # -- request log ---------------------------------------------------------------------------------------

    @property
    def requests_log(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def requests_for(self, path: str) -> list[LoggedRequest]:
        """Logged requests whose path (without query) is `path` (or a full URL of it)."""
        wanted = _path_of(path).partition("?")[0]
        return [r for r in self.requests_log if r.path.partition("?")[0] == wanted]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()
            self._sent.clear()

    def sent_bytes(self, path: str | None = None, *, timeout: float = 5.0) -> int:
        """Body bytes sent (for `path`, else all), once the responses in progress have finished."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._in_flight and time.monotonic() < deadline:
                self._idle.wait(deadline - time.monotonic())
            wanted = None if path is None else _path_of(path).partition("?")[0]
            return sum(
                sent
                for entry, sent in zip(self._log, self._sent, strict=True)
                if wanted is None or entry.path.partition("?")[0] == wanted
            )

    # -- serving ------------------------------------------------------------------------------------------

    def handle(self, handler: _Handler, *, head: bool) -> None:
        with self._lock:
            self._in_flight += 1
        try:
            self._answer(handler, head)
        except (ConnectionError, TimeoutError, ssl.SSLError):
            handler.close_connection = True
            log.debug("client went away during %s", handler.path)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _answer(self, handler: _Handler, head: bool) -> None:
        raw = handler.path
        path, _, query = raw.partition("?")
        origin = self._origins.get(path)
        lookup = [path] if origin is None else [path, origin]

        gate = self._take_fault(lookup, lambda f: f.kind in ("error", "missing", "hang"))
        if gate is not None and gate.kind == "hang":
            self._hang(handler)
            return
        if gate is not None:
            status = 404 if gate.kind == "missing" else int(gate.params.get("status", 500))  # type: ignore[arg-type]
            extra = {}
            if "retry_after" in gate.params:
                extra["Retry-After"] = str(gate.params["retry_after"])
            self._send_small(handler, head, status, f"{status} {HTTPStatus(status).phrase}\n".encode(), extra)
            return
        if path in self._redirects:
            target = self.url + self._redirects[path]
            self._send_small(handler, head, 302, b"", {"Location": target})
            return
        if path == GITHUB_API_PREFIX + "/releases":
            self._send_releases(handler, head, query)
            return
        with self._lock:
            disk = self._files.get(path)
        if disk is None:
            self._send_small(handler, head, 404, b"Not Found\n", {})
            return
        body = _Body(lambda: disk.open("rb"), disk.stat().st_size, disk)
        content_type = _CONTENT_TYPES.get(os.path.splitext(path)[1], "application/octet-stream")
        self._send_body(handler, head, lookup, body, content_type)

    def _hang(self, handler: _Handler) -> None:
        """A server that took the request and says nothing: not a byte until the client hangs up."""
        with self._lock:
            self._log.append(LoggedRequest(handler.command, handler.path, {}, 0))
            self._sent.append(0)
        handler.connection.settimeout(0.05)
        while not self._stopping.is_set():
            try:
                if handler.connection.recv(1, socket.MSG_PEEK) == b"":
                    break  # the client closed its end
            except TimeoutError:
                continue
            except OSError:
                break
        handler.close_connection = True

    def _start(self, handler: _Handler, status: int, headers: dict[str, str]) -> int:
        """Log the request, then send the status line and headers. Returns the log index. Logged first: a client
        that has its answer may look at the log at once."""
        seen = {name: handler.headers[name] for name in _LOGGED_HEADERS if handler.headers[name] is not None}
        with self._lock:
            self._log.append(LoggedRequest(handler.command, handler.path, seen, status))
            self._sent.append(0)
            index = len(self._log) - 1
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        return index

    def _count(self, index: int, sent: int) -> None:
        with self._lock:
            if index < len(self._sent):
                self._sent[index] += sent

    def _send_small(
        self, handler: _Handler, head: bool, status: int, data: bytes, extra: dict[str, str], ctype: str = ""
    ) -> None:
        headers = {"Content-Type": ctype or "text/plain", "Content-Length": str(len(data)), **extra}
        index = self._start(handler, status, headers)
        if not head and data:
            handler.wfile.write(data)
            self._count(index, len(data))

    def _send_releases(self, handler: _Handler, head: bool, query: str) -> None:
        params = urllib.parse.parse_qs(query)
        try:
            per_page = max(1, min(100, int(params.get("per_page", [self.api_page_size])[0])))
            page = max(1, int(params.get("page", ["1"])[0]))
        except ValueError:
            self._send_small(handler, head, 400, b'{"message": "Bad Request"}', {}, "application/json")
            return
        with self._lock:
            releases = sorted(self._releases.values(), key=lambda r: r.published_at, reverse=True)
        pages = max(1, -(-len(releases) // per_page))
        chosen = releases[(page - 1) * per_page : page * per_page]
        document = [self._release_json(r) for r in chosen]
        links = []
        base = f"{self.github_api}/releases?per_page={per_page}&page="
        if page < pages:
            links.append(f'<{base}{page + 1}>; rel="next"')
            links.append(f'<{base}{pages}>; rel="last"')
        if page > 1:
            links.append(f'<{base}{page - 1}>; rel="prev"')
            links.append(f'<{base}1>; rel="first"')
        extra = {"Link": ", ".join(links)} if links else {}
        data = json.dumps(document, indent=1).encode()
        path = GITHUB_API_PREFIX + "/releases"
        self._send_body(
            handler, head, [path], _Body(lambda: io.BytesIO(data), len(data), None),
            "application/json; charset=utf-8", extra,
        )  # fmt: skip

    def _release_json(self, release: _Release) -> dict[str, object]:
        assets = []
        for name in release.assets:
            path = f"{GITHUB_RELEASES_PREFIX}/{release.tag}/{name}"
            with self._lock:
                disk = self._files[self._redirects[path]]
            assets.append({"name": name, "browser_download_url": self.url + path, "size": disk.stat().st_size})
        return {
            "tag_name": release.tag,
            "name": release.tag,
            "prerelease": release.prerelease,
            "draft": False,
            "published_at": release.published_at,
            "assets": assets,
        }

    def _send_body(
        self,
        handler: _Handler,
        head: bool,
        lookup: list[str],
        body: _Body,
        content_type: str,
        extra: dict[str, str] | None = None,
    ) -> None:
        asked = handler.headers.get("Range")
        fault = self._take_fault(
            lookup,
            lambda f: f.kind in _BODY_FAULTS and (f.kind not in ("no_range", "wrong_range") or asked is not None),
        )
        kind = fault.kind if fault else None
        if kind == "bad_signature":
            data = fault.params["asc"]  # type: ignore[union-attr]
            assert isinstance(data, bytes)
            body = _Body(lambda: io.BytesIO(data), len(data), None)
        if kind == "gzip":
            with body.open() as stream:
                packed = gzip.compress(stream.read())
            body = _Body(lambda: io.BytesIO(packed), len(packed), None)
            extra = {**(extra or {}), "Content-Encoding": "gzip"}
            fault, kind = None, None

        size = body.size
        headers = {"Content-Type": content_type, "Accept-Ranges": "bytes", **(extra or {})}
        status, start, length = 200, 0, size
        wanted = None if asked is None or kind == "no_range" else _parse_range(asked, size)
        if wanted == "unsatisfiable":
            self._send_small(handler, head, 416, b"", {"Content-Range": f"bytes */{size}"})
            return
        if isinstance(wanted, tuple):
            status = 206
            if kind == "wrong_range":
                # The whole body from offset 0, labelled as such: not the range that was asked for.
                headers["Content-Range"] = f"bytes 0-{size - 1}/{size}"
            else:
                start, end = wanted
                length = end - start + 1
                headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(length)
        index = self._start(handler, status, headers)
        if head:
            return
        with body.open() as stream:
            stream.seek(start)
            plain = fault is None or kind in ("no_range", "wrong_range", "bad_signature")
            if plain and body.disk_path is not None and self.ssl_context is None:
                sent = handler.connection.sendfile(stream, start, length)  # type: ignore[arg-type]
                self._count(index, sent)
                return
            self._stream(handler, index, stream, start, length, fault)

    def _stream(
        self, handler: _Handler, index: int, stream: BinaryIO, start: int, length: int, fault: _Fault | None
    ) -> None:
        kind = fault.kind if fault else None
        params = fault.params if fault else {}
        cut_after = int(params.get("after", 0)) if kind == "cut" else None  # type: ignore[arg-type]
        rate = float(params.get("rate", 65536)) if kind == "slow" else None  # type: ignore[arg-type]
        flip_at = None
        if kind == "corrupt":
            flip_at = int(params.get("at", start + length // 2))  # type: ignore[arg-type]
        chunk_size = _CHUNK if rate is None else max(1, int(rate / 20))
        began = time.monotonic()
        position, sent = start, 0
        for chunk in _chunks(stream, length, chunk_size):
            if self._stopping.is_set():
                break
            if flip_at is not None and position <= flip_at < position + len(chunk):
                mutable = bytearray(chunk)
                mutable[flip_at - position] = _corrupt_byte(mutable[flip_at - position])
                chunk = bytes(mutable)
            if cut_after is not None and sent + len(chunk) >= cut_after:
                chunk = chunk[: cut_after - sent]
                handler.wfile.write(chunk)
                self._count(index, len(chunk))
                self._hang_up(handler)
                return
            if rate is not None:
                # A chunk leaves when the clock says its last byte is due: the whole body takes size/rate.
                ahead = (sent + len(chunk)) / rate - (time.monotonic() - began)
                if ahead > 0 and self._stopping.wait(ahead):
                    break
            handler.wfile.write(chunk)
            self._count(index, len(chunk))
            position += len(chunk)
            sent += len(chunk)
        if cut_after is not None:
            self._hang_up(handler)

    @staticmethod
    def _hang_up(handler: _Handler) -> None:
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.wfile.flush()
            handler.connection.shutdown(socket.SHUT_RDWR)


def _chunks(stream: BinaryIO, length: int, size: int) -> Iterator[bytes]:
    left = length
    while left > 0:
        chunk = stream.read(min(size, left))
        if not chunk:
            return
        left -= len(chunk)
        yield chunk
