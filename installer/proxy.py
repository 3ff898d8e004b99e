"""Which proxy downloads go through: `/proxy URL`, else the machine's WinHTTP proxy, else the environment.

setup often runs as SYSTEM (a scheduled upgrade, the boot-time recovery), which sees no per-user proxy (HKCU,
what `urllib.request.getproxies_registry` reads); a server's proxy is set machine-wide with `netsh winhttp set
proxy`, stored as the binary value `WinHttpSettings` (FACTS.md W10). Its layout (not documented by Microsoft, the
same as WinINet's DefaultConnectionSettings): four little-endian DWORDs – a version, a change counter, flags
(0x2: a proxy is set), the length of the proxy text – then the proxy text in ASCII, then a DWORD length and the
bypass list.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from installer.windows import registry

log = logging.getLogger(__name__)

WINHTTP_KEY = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\Connections"
WINHTTP_VALUE = "WinHttpSettings"
_PROXY_SET = 0x2


@dataclass(frozen=True)
class Proxy:
    url: str  # http://host:port
    source: str  # "/proxy", "WinHTTP", "environment"


def _dword(blob: bytes, offset: int) -> int | None:
    return int.from_bytes(blob[offset:offset + 4], "little") if len(blob) >= offset + 4 else None


def parse_winhttp_settings(blob: bytes) -> str | None:
    """The proxy text of a WinHttpSettings value (`host:port` or `http=a:80;https=b:8080`); None for a direct
    connection or a value too short to read."""
    flags, length = _dword(blob, 8), _dword(blob, 12)
    if flags is None or length is None or not flags & _PROXY_SET or len(blob) < 16 + length:
        return None
    text = blob[16:16 + length].decode("ascii", errors="replace").strip()
    return text or None


def proxy_for_https(text: str) -> str | None:
    """The proxy an https download uses from a WinHTTP proxy list: `https=` first, then a bare entry, then
    `http=`; with `http://` put in front where no scheme is written."""
    entries = [e.strip() for e in text.replace(" ", ";").split(";") if e.strip()]
    by_scheme: dict[str, str] = {}
    for entry in entries:
        scheme, sep, rest = entry.partition("=")
        key, value = (scheme.lower(), rest) if sep else ("", entry)
        by_scheme.setdefault(key, value)
    chosen = by_scheme.get("https") or by_scheme.get("") or by_scheme.get("http")
    if not chosen:
        return None
    return chosen if "://" in chosen else f"http://{chosen}"


def winhttp_proxy() -> str | None:
    blob = registry.read_value(WINHTTP_KEY, WINHTTP_VALUE)
    if not isinstance(blob, bytes | bytearray):
        return None
    text = parse_winhttp_settings(bytes(blob))
    return proxy_for_https(text) if text else None


# Java's own proxy settings (FACTS.md §1: integrasjonspunkt's HTTP clients read them); loopback stays direct, so
# the service's calls to itself never go out through the proxy.
JAVA_PROXY_KEYS = ("-Dhttps.proxyHost=", "-Dhttps.proxyPort=", "-Dhttp.nonProxyHosts=")
JAVA_NO_PROXY = "localhost|127.0.0.1"


def java_options(url: str) -> list[str]:
    """`-Dhttps.proxyHost/-Dhttps.proxyPort` for a proxy URL (`http://host:port`; port 80 when none is written),
    and `-Dhttp.nonProxyHosts` for loopback."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address, as Java wants it
    return [f"{JAVA_PROXY_KEYS[0]}{host}", f"{JAVA_PROXY_KEYS[1]}{port}", f"{JAVA_PROXY_KEYS[2]}{JAVA_NO_PROXY}"]


def service_options(wanted: bool, named: bool, option: str | None, environ: Mapping[str, str]) -> list[str] | None:
    """The proxy options the service XML gets: the download proxy's when `/service-proxy on` (asked now or
    recorded); none, so any there are taken out, when `/service-proxy off` is named; None: the XML's stay (also
    when on and no proxy is set anywhere)."""
    if not wanted:
        return [] if named else None
    chosen = choose(option, environ)
    return java_options(chosen.url) if chosen else None


def choose(option: str | None, environ: Mapping[str, str]) -> Proxy | None:
    """`/proxy`, else WinHTTP, else HTTPS_PROXY/https_proxy (then HTTP_PROXY); None: connect directly."""
    if option:
        return Proxy(option if "://" in option else f"http://{option}", "/proxy")
    found = winhttp_proxy()
    if found:
        return Proxy(found, "WinHTTP")
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        if environ.get(name):
            return Proxy(environ[name], "environment")
    return None
