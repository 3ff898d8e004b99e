"""`integrasjonspunkt-local.properties`: reading it (Java .properties syntax) and what it says about ports."""

from __future__ import annotations

import re
from pathlib import Path

import javaproperties

DEFAULT_PORT = 9093


def parse(text: str) -> dict[str, str]:
    """Java .properties, by Java's rules (a comment never continues onto the next line); the last of a key wins."""
    return dict(javaproperties.loads(text))


def decode(data: bytes) -> str:
    """Java reads .properties as ISO-8859-1; Spring Boot as UTF-8 where that works."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read(path: Path) -> dict[str, str]:
    """The properties at `path`; {} when there is no file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    return parse(decode(data))


def _port(value: str | None, default: int) -> int:
    try:
        port = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return port if 0 < port < 65536 else default


def server_port(props: dict[str, str]) -> int:
    return _port(props.get("server.port"), DEFAULT_PORT)


def management_port(props: dict[str, str]) -> int:
    """Where /manage/* answers: `management.server.port` when set, else the server port."""
    return _port(props.get("management.server.port"), server_port(props))


# --- writing a new properties file from the admin's answers (/install /orgnr ... or the wizard) ---------------

_ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def valid_orgnr(text: str) -> bool:
    """A Norwegian organisation number: 9 digits, the last a mod-11 check digit."""
    if not re.fullmatch(r"\d{9}", text):
        return False
    total = sum(int(d) * w for d, w in zip(text[:8], _ORGNR_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(text[8])


def _escape(value: str) -> str:
    out = []
    for index, ch in enumerate(value):
        if ch in "\\:=#!" or (ch == " " and index == 0):  # Java drops a value's leading blanks
            out.append("\\" + ch)
        elif ord(ch) > 126 or ord(ch) < 32:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def keystore_url(path: Path) -> str:
    """Spring reads the keystore as a resource: `file:` and forward slashes work on Windows and elsewhere."""
    return "file:" + str(path).replace("\\", "/")


def render_local(orgnr: str, keystore: Path, alias: str, password: str, keystore_type: str) -> str:
    lines = [
        "# Written by setup from the values given at install. The admin's file from here on: setup never changes it.",
        f"difi.move.org.number={_escape(orgnr)}",
        f"difi.move.org.keystore.path={_escape(keystore_url(keystore))}",
        f"difi.move.org.keystore.alias={_escape(alias)}",
        f"difi.move.org.keystore.password={_escape(password)}",
        f"difi.move.org.keystore.type={_escape(keystore_type.lower())}",
    ]
    return "\n".join(lines) + "\n"


def keystore_path(props: dict[str, str], folder: Path) -> Path | None:
    """The keystore the properties name (`file:` URL or a path, relative to the folder), or None."""
    raw = props.get("difi.move.org.keystore.path", "").strip()
    if not raw:
        return None
    if raw.startswith("file:"):
        raw = raw[5:]
        if raw.startswith("///"):
            raw = raw[2:]
        if re.match(r"^/[A-Za-z]:[\\/]", raw):
            raw = raw[1:]  # file:///C:/ip/keystore.p12 names C:/ip/keystore.p12, not a folder "C:" on this drive
    path = Path(raw)
    return path if path.is_absolute() or re.match(r"^[A-Za-z]:[\\/]", raw) else folder / path


def _escape_value(value: str) -> str:
    """A value as Java reads it back: `:` and `=` need no escape there, so URLs stay readable."""
    out = []
    for index, ch in enumerate(value):
        if ch == "\\":
            out.append("\\\\")
        elif ch == " " and index == 0:
            out.append("\\ ")
        elif ord(ch) > 126 or ord(ch) < 32:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def render_keys(keys: dict[str, str], note: str) -> str:
    """Lines that set `keys`, under a comment; appended to a properties file (a later key wins in Java)."""
    lines = ["", f"# {note}"] + [f"{_escape(key)}={_escape_value(value)}" for key, value in keys.items()]
    return "\n".join(lines) + "\n"
