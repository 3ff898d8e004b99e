"""installer/properties.py: Java .properties read as Java reads them (checked against java.util.Properties in a
real JVM), the ports they name, the keystore they point at, and the text setup writes or appends."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from installer import properties as props_mod
from installer.plans import steps
from tests.contexts import install_context

# java.util.Properties prints each key and value of each file it loads, hex-encoded so nothing is lost on the way.
READER = """
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;

public class ReadProps {
    static String hex(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) out.append(String.format("%02x", b));
        return out.toString();
    }
    public static void main(String[] args) throws Exception {
        for (String name : args) {
            Properties props = new Properties();
            try (Reader in = new InputStreamReader(new FileInputStream(name), StandardCharsets.UTF_8)) {
                props.load(in);
            }
            System.out.println("file");
            for (String key : new TreeSet<>(props.stringPropertyNames())) {
                System.out.println(hex(key) + " " + hex(props.getProperty(key)));
            }
        }
    }
}
"""

# Every rule of the syntax that an admin's file may use.
SYNTAX = (
    "# a comment\n"
    "! another comment\n"
    "   # an indented comment\n"
    "\n"
    "equals=1\n"
    "colon:2\n"
    "space 3\n"
    "tab\t4\n"
    "spaced   =   5\n"
    "spaced.colon  :  6 \n"
    "no.value\n"
    "empty=\n"
    "escaped\\ key\\:x=7\n"
    "unicode=\\u00e9\\u00f8\n"
    "tabs.and.lines=a\\tb\\nc\n"
    "backslash=C:\\\\ip\\\\keystore.p12\n"
    "lost.backslash=C:\\ip\n"
    "hash=\\#not a comment\n"
    "continued=one, \\\n"
    "          two, \\\n"
    "   three\n"
    "not.continued=ends in a backslash\\\\\n"
    "# a comment never continues, even ending in C:\\certs\\\n"
    "after.comment=8\n"
    "url=jdbc:h2:file:./integrasjonspunkt;AUTO_SERVER=TRUE\n"
    "twice=first\n"
    "twice=second\n"
    "  leading.blanks=9\n"
    "utf8=blåbær\n"
)


def java_reads(java: Path, tmp_path: Path, *texts: str) -> list[dict[str, str]]:
    """What java.util.Properties (read as UTF-8, as Spring Boot reads the file) makes of each text."""
    source = tmp_path / "ReadProps.java"
    source.write_text(READER, encoding="utf-8")
    files = []
    for index, text in enumerate(texts):
        path = tmp_path / f"{index}.properties"
        path.write_text(text, encoding="utf-8", newline="")
        files.append(str(path))
    done = subprocess.run([str(java), str(source), *files], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result: list[dict[str, str]] = []
    for line in done.stdout.splitlines():
        if line == "file":
            result.append({})
        else:
            key, _, value = line.partition(" ")
            result[-1][bytes.fromhex(key).decode()] = bytes.fromhex(value).decode()
    return result


def test_parse_follows_every_syntax_rule() -> None:
    parsed = props_mod.parse(SYNTAX)
    assert parsed == {
        "equals": "1", "colon": "2", "space": "3", "tab": "4", "spaced": "5", "spaced.colon": "6 ",
        "no.value": "", "empty": "", "escaped key:x": "7", "unicode": "éø", "tabs.and.lines": "a\tb\nc",
        "backslash": "C:\\ip\\keystore.p12", "lost.backslash": "C:ip", "hash": "#not a comment",
        "continued": "one, two, three", "not.continued": "ends in a backslash\\", "after.comment": "8",
        "url": "jdbc:h2:file:./integrasjonspunkt;AUTO_SERVER=TRUE", "twice": "second", "leading.blanks": "9",
        "utf8": "blåbær",
    }


def test_parse_reads_what_java_reads(java21: Path, tmp_path: Path) -> None:
    windows = SYNTAX.replace("\n", "\r\n")
    assert java_reads(java21, tmp_path, SYNTAX, windows) == [props_mod.parse(SYNTAX), props_mod.parse(windows)]


def test_decode_and_read(tmp_path: Path) -> None:
    assert props_mod.decode("a=blåbær".encode()) == "a=blåbær"
    # Written as ISO-8859-1 (the .properties default): not UTF-8, read as Latin-1.
    assert props_mod.decode("a=blåbær".encode("latin-1")) == "a=blåbær"
    path = tmp_path / "integrasjonspunkt-local.properties"
    assert props_mod.read(path) == {}
    path.write_bytes("difi.move.org.number=910076787\r\nnavn=Sør\r\n".encode("latin-1"))
    assert props_mod.read(path) == {"difi.move.org.number": "910076787", "navn": "Sør"}
    path.write_bytes("navn=Sør\n".encode())
    assert props_mod.read(path) == {"navn": "Sør"}


@pytest.mark.parametrize(("props", "server", "management"), [
    ({}, 9093, 9093),
    ({"server.port": "9100"}, 9100, 9100),
    ({"server.port": " 9100 "}, 9100, 9100),
    ({"server.port": "9100", "management.server.port": "9101"}, 9100, 9101),
    ({"management.server.port": "9101"}, 9093, 9101),
    ({"server.port": "${PORT}"}, 9093, 9093),
    ({"server.port": "0"}, 9093, 9093),
    ({"server.port": "65536", "management.server.port": "-1"}, 9093, 9093),
    ({"server.port": "65535", "management.server.port": "x"}, 65535, 65535),
])
def test_ports(props: dict[str, str], server: int, management: int) -> None:
    assert props_mod.server_port(props) == server
    assert props_mod.management_port(props) == management


def test_ports_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "integrasjonspunkt-local.properties"
    path.write_text("server.port : 9200\nmanagement.server.port 9201\n", encoding="utf-8")
    props = props_mod.read(path)
    assert (props_mod.server_port(props), props_mod.management_port(props)) == (9200, 9201)


@pytest.mark.parametrize(("orgnr", "valid"), [
    ("910076787", True),
    ("974760673", True),
    ("100000040", True),  # the check digit computes to 11, which is 0
    ("910076788", False),
    ("100000130", False),  # the check digit would be 10: no valid number has these 8 digits
    ("10000013", False),
    ("9100767870", False),
    ("91007678a", False),
    (" 910076787", False),
    ("", False),
])
def test_valid_orgnr(orgnr: str, valid: bool) -> None:
    assert props_mod.valid_orgnr(orgnr) is valid


FOLDER = Path("/srv/integrasjonspunkt")


@pytest.mark.parametrize(("raw", "expected"), [
    ("keystore.p12", FOLDER / "keystore.p12"),
    ("certs/keystore.jks", FOLDER / "certs/keystore.jks"),
    ("./keystore.p12", FOLDER / "keystore.p12"),
    ("  keystore.p12  ", FOLDER / "keystore.p12"),
    ("/etc/ip/keystore.p12", Path("/etc/ip/keystore.p12")),
    ("file:keystore.p12", FOLDER / "keystore.p12"),
    ("file:/etc/ip/keystore.p12", Path("/etc/ip/keystore.p12")),
    ("file:///etc/ip/keystore.p12", Path("/etc/ip/keystore.p12")),
    # A Windows drive path, whatever system reads it: never under the folder.
    ("C:/ip/keystore.p12", Path("C:/ip/keystore.p12")),
    ("C:\\ip\\keystore.p12", Path("C:\\ip\\keystore.p12")),
    ("file:C:/ip/keystore.p12", Path("C:/ip/keystore.p12")),
    ("file:///C:/ip/keystore.p12", Path("C:/ip/keystore.p12")),
])
def test_keystore_path(raw: str, expected: Path) -> None:
    assert props_mod.keystore_path({"difi.move.org.keystore.path": raw}, FOLDER) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("keystore.p12", r"C:\integrasjonspunkt\keystore.p12"),
    (r"certs\keystore.jks", r"C:\integrasjonspunkt\certs\keystore.jks"),
    (r"D:\certs\keystore.p12", r"D:\certs\keystore.p12"),
    ("D:/certs/keystore.p12", r"D:\certs\keystore.p12"),
    ("file:D:/certs/keystore.p12", r"D:\certs\keystore.p12"),
    ("file:/D:/certs/keystore.p12", r"D:\certs\keystore.p12"),
    ("file:///D:/certs/keystore.p12", r"D:\certs\keystore.p12"),
    ("file:///C:/integrasjonspunkt/keystore.p12", r"C:\integrasjonspunkt\keystore.p12"),
    (r"\\server\share\keystore.p12", r"\\server\share\keystore.p12"),
])
def test_keystore_path_on_windows(raw: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The paths a Windows installation's file names, read with Windows path rules (the module's `Path`)."""
    monkeypatch.setattr(props_mod, "Path", PureWindowsPath)
    found = props_mod.keystore_path({"difi.move.org.keystore.path": raw}, PureWindowsPath(r"C:\integrasjonspunkt"))
    assert found == PureWindowsPath(expected)


def test_no_keystore_path() -> None:
    assert props_mod.keystore_path({}, FOLDER) is None
    assert props_mod.keystore_path({"difi.move.org.keystore.path": "  "}, FOLDER) is None


def test_keystore_url_uses_forward_slashes() -> None:
    assert props_mod.keystore_url(PureWindowsPath(r"C:\ip\keystore.p12")) == "file:C:/ip/keystore.p12"  # type: ignore[arg-type]
    assert props_mod.keystore_url(PurePosixPath("/srv/ip/keystore.p12")) == "file:/srv/ip/keystore.p12"  # type: ignore[arg-type]


# Values an admin may give that the syntax would change unless escaped.
AWKWARD = [" leading space", "trailing space ", "a=b:c", "#hash", "!bang", "back\\slash", "blåbær", "tab\there",
           "line\nbreak", "  ", "pass word", "\\u0041"]


def test_render_local_reads_back_as_given(java21: Path, tmp_path: Path) -> None:
    texts, expected = [], []
    for value in AWKWARD:
        text = props_mod.render_local("910076787", PureWindowsPath(r"C:\Program Files\ip\keystore.p12"),  # type: ignore[arg-type]
                                      value, value, "PKCS12")
        assert text.isascii() and text.startswith("# ")
        want = {"difi.move.org.number": "910076787",
                "difi.move.org.keystore.path": "file:C:/Program Files/ip/keystore.p12",
                "difi.move.org.keystore.alias": value, "difi.move.org.keystore.password": value,
                "difi.move.org.keystore.type": "pkcs12"}
        assert props_mod.parse(text) == want, value
        texts.append(text)
        expected.append(want)
    assert java_reads(java21, tmp_path, *texts) == expected
    written = props_mod.parse(texts[0])
    assert props_mod.keystore_path(written, FOLDER) == Path("C:/Program Files/ip/keystore.p12")


def test_render_keys_reads_back_as_given_and_stays_readable() -> None:
    keys = {f"some.key{index}": value for index, value in enumerate(AWKWARD)}
    keys["difi.datasource.url"] = "jdbc:h2:file:./integrasjonspunkt"
    text = props_mod.render_keys(keys, "Written by setup for integrasjonspunkt v4.0.8")
    assert text.isascii()
    assert text.startswith("\n# Written by setup for integrasjonspunkt v4.0.8\n")
    # `:` and `=` in a value need no escape: a URL stays as the admin would type it.
    assert "\ndifi.datasource.url=jdbc:h2:file:./integrasjonspunkt\n" in text
    assert props_mod.parse(text) == keys


ADMINS = (
    "# The admin's file, Windows line ends, a comment and a continued value; no line end at its end\r\n"
    "difi.move.org.number=910076787\r\n"
    "difi.move.org.keystore.path=C:/ip/keystore.p12\r\n"
    "server.port=9093\r\n"
    "difi.move.serviceregistry.endpoint=https://example.invalid/\\\r\n"
    "    serviceregistry\r\n"
    "difi.datasource.url=jdbc:h2:file:./old"
)


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_keys_appended_to_the_admins_file_keep_its_bytes(tmp_path: Path, encoding: str, java21: Path) -> None:
    """The caller appends render_keys to the file as it is (steps.amend_properties): the admin's bytes stay
    as they were, the appended keys win, the undo gives the file back byte for byte."""
    path = tmp_path / "integrasjonspunkt-local.properties"
    original = (ADMINS + "\r\nnavn=Sør").encode(encoding)
    path.write_bytes(original)
    before = props_mod.read(path)
    added = {"difi.datasource.url": "jdbc:h2:file:./integrasjonspunkt", "difi.ssl.enabled": "false"}
    target = steps.Target(install_context(tmp_path))
    step = steps.amend_properties(target, "write-config-keys", props_mod.render_keys(added, "kept keys"))
    step.do()
    data = path.read_bytes()
    assert data.startswith(original)
    after = props_mod.read(path)
    assert after == before | added
    assert after["navn"] == "Sør" and after["difi.move.serviceregistry.endpoint"] == (
        "https://example.invalid/serviceregistry")
    if encoding == "utf-8":
        assert java_reads(java21, tmp_path, data.decode()) == [after]
    assert step.undo is not None
    step.undo()
    assert path.read_bytes() == original
