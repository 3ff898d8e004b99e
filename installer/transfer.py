"""One HTTP session for every download, and streaming of large files to `<name>.part` with hashing and resume.

The session retries connection errors, 429 and 5xx with a short backoff (urllib3 `Retry`), takes proxies from
the environment and the system (requests' own lookup, which reads the Windows registry too), and trusts the
operating system's certificate store through `truststore` – corporate TLS inspection is common in the public
sector. `REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE` or `SSL_CERT_FILE` name a CA bundle that replaces it when set.

Plain HTTP is refused unless the origin is on loopback or /allow-http is given; the check covers redirects too.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import os
import queue
import re
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import truststore
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from installer import __version__
from installer.errors import ExitCode, SetupError, first_line
from installer.messages import t
from installer.proxy import Proxy
from installer.ui import UI

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
TIMEOUT = (15.0, 60.0)  # connect, read (seconds)
ATTEMPTS = 5  # tries of one large download, each resuming where the last one stopped
SMALL_LIMIT = 16 * 1024 * 1024  # checksums, signatures, version lists
# A large download (a jar of ~160 MiB, a WinSW exe) ends with exit 11 past this size: a mirror that sends without
# end must not fill the disk of the server setup runs on.
LARGE_LIMIT = 1024 * 1024 * 1024
USER_AGENT = f"integrasjonspunkt-setup/{__version__}"
RETRY_AFTER_CAP = 10.0
# A server that takes the request and never answers: how long one download waits without a byte, over all its
# tries and urllib3's own retries (a read timeout alone would allow 60 s x 3 requests x 5 tries).
SILENCE_LIMIT = 120.0
SILENCE_ENV = "IPSETUP_SILENCE_LIMIT"  # seconds; tests shorten it
WAITING_EVERY = 10.0  # seconds between the lines that say setup is still waiting
REQUESTS_PER_TRY = 4  # urllib3's Retry(total=3) makes at most this many requests for one session.get
_QUEUE_DEPTH = 8  # chunks in flight per hashing thread


class DownloadError(SetupError):
    """A download that failed (exit 11); `status` is the HTTP status when a server answered."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(ExitCode.ARTIFACT, message)
        self.status = status


class TooLarge(DownloadError):
    """A download past its size limit."""


# --- origins ---------------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_allowed(url: str, allow_http: bool) -> bool:
    """HTTPS anywhere; plain HTTP only on loopback or with /allow-http; no other scheme."""
    parts = urllib.parse.urlsplit(url)
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    return parts.scheme == "http" and (allow_http or is_loopback(parts.hostname))


def display_url(url: str) -> str:
    """The URL without any user:password part, for logs and messages."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def reason(exc: BaseException) -> str:
    """The innermost cause of a requests/urllib3 error in one line (no object addresses, no backtrace)."""
    inner: BaseException = exc
    for _ in range(8):
        nested = getattr(inner, "reason", None)
        if not isinstance(nested, BaseException) and inner.args and isinstance(inner.args[0], BaseException):
            nested = inner.args[0]
        if not isinstance(nested, BaseException) or nested is inner:
            break
        inner = nested
    # urllib3 puts its message first and the cause after it: ('Connection broken: ...', IncompleteRead(...)).
    text = first_line(inner, inner.args[0] if len(inner.args) > 1 and isinstance(inner.args[0], str) else None)
    return re.sub(r"^<[^>]*>:\s*", "", text)[:300]


# --- patience with a silent server -----------------------------------------------------------------


def silence_limit() -> float:
    try:
        value = float(os.environ.get(SILENCE_ENV, ""))
    except ValueError:
        return SILENCE_LIMIT
    return value if value > 0 else SILENCE_LIMIT


def _silent_hosts(session: requests.Session) -> set[str]:
    """Servers that used up a download's patience in this run: the next request to them fails at once."""
    hosts: set[str] | None = getattr(session, "_ipsetup_silent_hosts", None)
    if hosts is None:
        hosts = set()
        session._ipsetup_silent_hosts = hosts  # type: ignore[attr-defined]
    return hosts


class Patience:
    """How long one download still waits for a server that says nothing. The clock restarts with every byte that
    arrives; each request gets its share of what is left, so urllib3's retries stay inside the limit too. While
    nothing arrives, a line every few seconds says what setup waits for."""

    def __init__(self, session: requests.Session, url: str, ui: UI, limit: float | None = None) -> None:
        self.url = url
        self.ui = ui
        self.limit = limit or silence_limit()
        self.last = time.monotonic()
        self._host = urllib.parse.urlsplit(url).netloc
        self._silent = _silent_hosts(session)
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def heard(self) -> None:
        self.last = time.monotonic()

    def quiet_for(self) -> float:
        return time.monotonic() - self.last

    @property
    def exhausted(self) -> bool:
        return self.quiet_for() >= self.limit or self._host in self._silent

    def timeout(self) -> tuple[float, float]:
        """(connect, read) for the next request; the end of patience is exit 11 naming the server's URL."""
        if self.exhausted:
            raise self.silent()
        left = self.limit - self.quiet_for()
        share = max(min(left, 0.25), left / REQUESTS_PER_TRY)
        return min(TIMEOUT[0], share), min(TIMEOUT[1], share)

    def silent(self) -> DownloadError:
        self._silent.add(self._host)
        return DownloadError(t("artifacts.silent", url=display_url(self.url), seconds=round(self.limit)))

    def listen(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self.heard()
            yield chunk

    def _say_waiting(self) -> None:
        every = min(WAITING_EVERY, self.limit / 4)
        while not self._done.wait(every):
            if self.quiet_for() >= every:
                self.ui.info(t("artifacts.waiting", url=display_url(self.url), seconds=round(self.quiet_for()),
                               limit=round(self.limit)))

    def __enter__(self) -> Patience:
        self._thread = threading.Thread(target=self._say_waiting, name="download-waiting", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread is not None:
            self._thread.join()


def timed_out(exc: BaseException) -> bool:
    """True when a requests/urllib3 error comes from a timeout (requests reports read timeouts that used up
    urllib3's retries as a ConnectionError)."""
    inner: BaseException | None = exc
    for _ in range(8):
        # urllib3's NewConnectionError (refused, no route, no such host) derives from ConnectTimeoutError: a server
        # that answers "no" is not a silent one, and its tries end the download instead of the patience.
        if isinstance(inner, urllib3.exceptions.NewConnectionError):
            return False
        if isinstance(inner, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)):
            return True
        if inner is None:
            return False
        nested = getattr(inner, "reason", None)
        if not isinstance(nested, BaseException) and inner.args and isinstance(inner.args[0], BaseException):
            nested = inner.args[0]
        inner = nested if isinstance(nested, BaseException) and nested is not inner else None
    return False


# --- the session -----------------------------------------------------------------------------------


class _Retry(Retry):
    """urllib3's retry, with a server's Retry-After capped so a rate limit cannot stall a run for long."""

    def get_retry_after(self, response: Any) -> float | None:
        value = super().get_retry_after(response)
        return None if value is None else min(value, RETRY_AFTER_CAP)


def _retry() -> Retry:
    return _Retry(
        total=3,
        connect=3,
        read=2,
        status=3,
        other=0,  # a refused certificate does not get better by asking again
        backoff_factor=0.2,
        backoff_max=5.0,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )


class _SystemTrustAdapter(HTTPAdapter):
    """Verifies servers against the operating system's certificate store (truststore) instead of certifi."""

    def __init__(self, context: ssl.SSLContext, **kwargs: Any) -> None:
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs.setdefault("ssl_context", self._context)
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        super().cert_verify(conn, url, verify, cert)
        if verify is True:
            # requests would load certifi's bundle into the context; the system store is the one to trust.
            conn.ca_certs = None
            conn.ca_cert_dir = None


def ca_bundle_from_environment() -> str | None:
    # requests itself prefers REQUESTS_CA_BUNDLE, then CURL_CA_BUNDLE; SSL_CERT_FILE is OpenSSL's own variable.
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"):
        value = os.environ.get(name)
        if value:
            return value
    return None


def make_session(allow_http: bool = False, proxy: Proxy | None = None) -> requests.Session:
    """The one session of a run. Every response is logged; a redirect to a refused origin stops the request.
    `proxy` from /proxy or WinHTTP replaces the environment's (requests would let the environment win)."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    if proxy is not None:
        log.info("downloads go through the proxy %s (%s)", display_url(proxy.url), proxy.source)
        if proxy.source != "environment":
            session.trust_env = False
            session.proxies = {"http": proxy.url, "https": proxy.url}
    bundle = ca_bundle_from_environment()
    if bundle:
        log.info("trusting the CA bundle %s (from the environment)", bundle)
        session.verify = bundle
        adapter: HTTPAdapter = HTTPAdapter(max_retries=_retry())
    else:
        adapter = _SystemTrustAdapter(truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT), max_retries=_retry())
    session.mount("https://", adapter)
    session.mount("http://", HTTPAdapter(max_retries=_retry()))

    def on_response(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        log.info("%s %s -> %d", response.request.method, display_url(response.url), response.status_code)
        if response.is_redirect:
            target = urllib.parse.urljoin(response.url, response.headers.get("Location", ""))
            if not origin_allowed(target, allow_http):
                response.close()
                raise DownloadError(t("artifacts.redirect_refused", url=display_url(response.url),
                                      target=display_url(target)))

    session.hooks["response"].append(on_response)
    return session


# --- small documents ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    data: bytes
    next_url: str | None  # the `Link: <...>; rel="next"` of a paginated list


def get_document(
    session: requests.Session, url: str, *, missing_ok: bool = False, limit: int = SMALL_LIMIT
) -> Document | None:
    """A small file held in memory (checksum, signature, version list); None for a 404 when `missing_ok`."""
    with Patience(session, url, UI(quiet=True)) as patience:
        return _get_document(session, url, patience, missing_ok=missing_ok, limit=limit)


def _get_document(session: requests.Session, url: str, patience: Patience, *, missing_ok: bool,
                  limit: int) -> Document | None:
    while True:
        try:
            response = session.get(url, timeout=patience.timeout(), stream=True,
                                   headers={"Accept-Encoding": "identity"})
            break
        except requests.RequestException as exc:
            if not timed_out(exc):
                raise DownloadError(t("artifacts.unreachable", url=display_url(url), reason=reason(exc))) from None
            log.warning("%s: %s", display_url(url), reason(exc))  # asked again until patience runs out
    patience.heard()
    with response:
        _refuse_encoding(response)
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code != 200:
            raise DownloadError(t("artifacts.http_status", url=display_url(url), status=response.status_code),
                                status=response.status_code)
        data = bytearray()
        try:
            for chunk in patience.listen(response.iter_content(65536)):
                data += chunk
                if len(data) > limit:
                    raise DownloadError(t("artifacts.too_large", url=display_url(url), limit=limit))
        except requests.RequestException as exc:
            if patience.exhausted:
                raise patience.silent() from None
            raise DownloadError(t("artifacts.unreachable", url=display_url(url), reason=reason(exc))) from None
        return Document(bytes(data), response.links.get("next", {}).get("url"))


# --- large files -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    part: Path  # the bytes, not yet in place: verify them, then `promote`
    size: int
    digests: dict[str, str]  # algorithm -> lower-case hex


def part_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def _meta_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part.json")


def discard(dest: Path) -> None:
    """Forget a partial download of `dest` (it was bad, or it belongs to another file)."""
    part_path(dest).unlink(missing_ok=True)
    _meta_path(dest).unlink(missing_ok=True)


def promote(fetched: Fetched, dest: Path) -> None:
    """Move verified bytes into place."""
    os.replace(fetched.part, dest)
    _meta_path(dest).unlink(missing_ok=True)


def _drain(chunks: queue.Queue[bytes | None], update: Any) -> None:
    while (chunk := chunks.get()) is not None:
        update(chunk)


class _HashingWriter:
    """Writes chunks to a file while one thread per algorithm hashes them: hashlib releases the GIL on large
    buffers, so hashing overlaps the network and the disk instead of adding to them."""

    def __init__(self, handle: Any, hashers: dict[str, Any]) -> None:
        self._handle = handle
        self._queues: list[queue.Queue[bytes | None]] = []
        self._threads: list[threading.Thread] = []
        for name, hasher in hashers.items():
            chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUE_DEPTH)
            thread = threading.Thread(target=_drain, args=(chunks, hasher.update), name=f"hash-{name}", daemon=True)
            thread.start()
            self._queues.append(chunks)
            self._threads.append(thread)

    def write(self, chunk: bytes) -> None:
        for chunks in self._queues:
            chunks.put(chunk)
        self._handle.write(chunk)

    def __enter__(self) -> _HashingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        for chunks in self._queues:
            chunks.put(None)
        for thread in self._threads:
            thread.join()


def _refuse_encoding(response: requests.Response) -> None:
    """Every request asks for `Accept-Encoding: identity`; a body compressed anyway is refused, never decompressed
    (a decompression bomb, and urllib3's decoders have had advisories)."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        response.close()
        raise DownloadError(t("artifacts.encoded_refused", url=display_url(response.url), encoding=encoding))


def _body(response: requests.Response, have: int = 0, limit: int | None = None) -> Iterator[bytes]:
    """The response body as it arrives: `read1` hands over what each receive got (up to a chunk), so a broken
    connection loses nothing already received – the resume starts exactly there. The bytes are taken as sent
    (never decoded); more than `limit` in all ends the download."""
    limit = LARGE_LIMIT if limit is None else limit
    while chunk := response.raw.read1(CHUNK, decode_content=False):
        have += len(chunk)
        if have > limit:
            raise TooLarge(t("artifacts.too_large", url=display_url(response.url), limit=limit))
        yield chunk


def _hash_existing(path: Path, hashers: dict[str, Any]) -> None:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            for hasher in hashers.values():
                hasher.update(chunk)


def hash_file(path: Path, algorithms: Iterable[str]) -> dict[str, str]:
    """algorithm -> hex digest of a file on disk."""
    hashers = {name: hashlib.new(name) for name in algorithms}
    _hash_existing(path, hashers)
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}


def _write_part(part: Path, chunks: Iterable[bytes], hashers: dict[str, Any], *, append: bool) -> None:
    with part.open("ab" if append else "wb") as handle, _HashingWriter(handle, hashers) as writer:
        for chunk in chunks:
            writer.write(chunk)


_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)


def _content_range(value: str | None) -> tuple[int, int | None] | None:
    """(first byte, total size) of a Content-Range header, None when it is not one."""
    match = _CONTENT_RANGE.match(value or "")
    if not match:
        return None
    return int(match[1]), None if match[3] == "*" else int(match[3])


def _read_meta(dest: Path) -> dict[str, Any]:
    try:
        meta = json.loads(_meta_path(dest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _write_meta(dest: Path, url: str, response: requests.Response, total: int | None) -> None:
    """What identifies the file being fetched, so a later run resumes only the same file."""
    meta = {
        "url": display_url(url),
        "etag": response.headers.get("ETag"),
        "last_modified": response.headers.get("Last-Modified"),
        "size": total,
    }
    _meta_path(dest).write_text(json.dumps(meta), encoding="utf-8")


def _resumable(dest: Path, url: str) -> tuple[int, dict[str, Any]]:
    """Bytes already fetched of the same file (0 when none or when they belong to another URL)."""
    part = part_path(dest)
    have = part.stat().st_size if part.exists() else 0
    meta = _read_meta(dest) if have else {}
    if have and meta.get("url") != display_url(url):
        log.info("%s: the partial file belongs to another download; starting over", part.name)
        discard(dest)
        return 0, {}
    return have, meta


def _request_headers(have: int, meta: dict[str, Any]) -> dict[str, str]:
    headers = {"Accept-Encoding": "identity"}
    if have:
        headers["Range"] = f"bytes={have}-"
        validator = meta.get("etag") or meta.get("last_modified")
        if validator:
            # The server answers 200 with the whole file when it changed since the part was fetched.
            headers["If-Range"] = validator
    return headers


def _accept(response: requests.Response, have: int, meta: dict[str, Any], label: str) -> tuple[int, int | None] | None:
    """(bytes of the part to keep, total size) for this answer; None when the part must go and the try start over.
    A status other than 200/206 (404, 403, 5xx after the retries) ends the download."""
    _refuse_encoding(response)
    status = response.status_code
    if status == 416 and have:
        log.warning("%s: the server cannot resume at byte %d; starting over", label, have)
        return None
    if status not in (200, 206):
        raise DownloadError(t("artifacts.http_status", url=display_url(response.url), status=status), status=status)
    if status == 200:
        if have:
            log.info("%s: the server sent the whole file instead of the rest; starting over", label)
        length = response.headers.get("Content-Length")
        return 0, int(length) if length and length.isdigit() else None
    content_range = _content_range(response.headers.get("Content-Range"))
    if not have or content_range is None or content_range[0] != have:
        log.warning("%s: asked for bytes from %d, the server sent Content-Range %r; starting over",
                    label, have, response.headers.get("Content-Range"))
        return None
    total = content_range[1]
    if meta.get("size") is not None and total is not None and total != meta["size"]:
        log.warning("%s: the file changed on the server since the partial download; starting over", label)
        return None
    log.info("%s: resuming at byte %s", label, f"{have:,}")
    return have, total


def fetch(
    session: requests.Session,
    url: str,
    dest: Path,
    ui: UI,
    *,
    label: str,
    algorithms: Iterable[str] = ("sha1",),
    attempts: int | None = None,
) -> Fetched:
    """Stream `url` to `<dest>.part`, computing the digests of `algorithms` while writing; a part left by an
    earlier try or run is resumed with a Range request. The part stays there on failure, so the next run goes on
    from where this one stopped."""
    with Patience(session, url, ui) as patience:
        return _fetch(session, url, dest, ui, patience, label=label, algorithms=tuple(algorithms),
                      attempts=attempts or ATTEMPTS)


def _fetch(session: requests.Session, url: str, dest: Path, ui: UI, patience: Patience, *, label: str,
           algorithms: tuple[str, ...], attempts: int) -> Fetched:
    part = part_path(dest)
    part.parent.mkdir(parents=True, exist_ok=True)
    last_reason = ""
    attempt = 0
    while attempt < attempts:
        attempt += 1
        if attempt > 1:
            time.sleep(min(0.2 * (attempt - 1), 2.0))
        have, meta = _resumable(dest, url)
        try:
            response = session.get(url, headers=_request_headers(have, meta), stream=True, timeout=patience.timeout())
        except requests.RequestException as exc:
            last_reason = reason(exc)
            if timed_out(exc):
                # Silence is bounded by patience, not by tries: ask again until it runs out (then exit 11).
                log.warning("%s: %s", label, last_reason)
                attempt -= 1
                continue
            log.warning("%s: %s (try %d of %d)", label, last_reason, attempt, attempts)
            continue
        patience.heard()
        with response:
            accepted = _accept(response, have, meta, label)
            if accepted is None:
                discard(dest)
                last_reason = t("artifacts.bad_range")
                continue
            have, total = accepted
            if total is not None and total > LARGE_LIMIT:
                raise DownloadError(t("artifacts.too_large", url=display_url(url), limit=LARGE_LIMIT))
            _write_meta(dest, url, response, total)
            hashers = {name: hashlib.new(name) for name in algorithms}
            if have:
                _hash_existing(part, hashers)
            chunks = ui.track_bytes(patience.listen(_body(response, have)), total, label, done=have)
            try:
                _write_part(part, chunks, hashers, append=bool(have))
            except TooLarge:
                discard(dest)  # nothing of it is worth resuming
                raise
            except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
                last_reason = reason(exc)
                log.warning("%s: connection lost after %s bytes: %s (try %d of %d)", label,
                            f"{part.stat().st_size:,}", last_reason, attempt, attempts)
                continue
            except OSError as exc:
                raise DownloadError(t("artifacts.write_failed", path=part, reason=exc.strerror or exc)) from None
        size = part.stat().st_size
        if total is not None and size != total:
            last_reason = t("artifacts.short_body", got=size, expected=total)
            log.warning("%s: %s (try %d of %d)", label, last_reason, attempt, attempts)
            continue
        return Fetched(part, size, {name: hasher.hexdigest() for name, hasher in hashers.items()})
    raise DownloadError(t("artifacts.gave_up", url=display_url(url), attempts=attempts, reason=last_reason))


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def copy_local(
    source: Path, dest: Path, ui: UI, *, label: str, algorithms: Iterable[str] = ("sha1",)
) -> Fetched:
    """The offline counterpart of `fetch`: copy a file to `<dest>.part`, hashing while writing."""
    part = part_path(dest)
    part.parent.mkdir(parents=True, exist_ok=True)
    discard(dest)
    try:
        total = source.stat().st_size
        hashers = {name: hashlib.new(name) for name in algorithms}
        _write_part(part, ui.track_bytes(_file_chunks(source), total, label), hashers, append=False)
    except OSError as exc:
        raise DownloadError(t("artifacts.copy_failed", source=source, path=part, reason=exc.strerror or exc)) from None
    return Fetched(part, part.stat().st_size, {name: hasher.hexdigest() for name, hasher in hashers.items()})
