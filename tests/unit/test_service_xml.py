"""The service XML: Windows argument splitting, WinSW durations, golden files for new installs, reading and
updating Digdir's files and hand-edited ones, escaping and malformed input."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from installer import service_xml as sx
from installer import windows_args
from installer.errors import ExitCode, SetupError
from tests.paths import DATA

DATA = DATA / "service_xml"
JAVA8 = r"C:\Program Files\Eclipse Adoptium\jdk-8.0.452.9-hotspot\bin\java.exe"
JAVA21 = r"C:\Program Files\Eclipse Adoptium\jdk-21.0.7.6-hotspot\bin\java.exe"


# --- Windows command lines (CommandLineToArgvW) --------------------------------------------------------------

SPLIT_TABLE = [
    ("a b  c", ["a", "b", "c"]),
    ("a\tb", ["a", "b"]),
    ("", []),
    ("   ", []),
    ('"a b" c', ["a b", "c"]),
    ('a"b c"d', ["ab cd"]),
    (r"a\b\\c", [r"a\b\\c"]),  # backslashes not before a quote are literal
    (r'a\"b', ['a"b']),  # 2n+1 backslashes + quote: n backslashes and a literal quote
    (r'"a\\" b', ["a\\", "b"]),  # 2n backslashes + quote: n backslashes, the quote ends the quoted part
    (r'a\\\"b', [r'a\"b']),
    ('""', [""]),
    ('a "" b', ["a", "", "b"]),
    ('"a""b c"', ['a"b', "c"]),  # two quotes inside: a literal quote, and the quoted part ends
    ('"""a"""', ['"a"']),
    (r'"C:\Program Files\"', ['C:\\Program Files"']),  # the classic trap: \" is a literal quote
    (r"C:\Program Files\java.exe", [r"C:\Program", r"Files\java.exe"]),
    ("'a b'", ["'a", "b'"]),  # single quotes mean nothing
    ('-Dx="a b" -jar "%BASE%/x.jar"', ["-Dx=a b", "-jar", "%BASE%/x.jar"]),
]


@pytest.mark.parametrize(("line", "expected"), SPLIT_TABLE)
def test_split_windows_args(line: str, expected: list[str]) -> None:
    assert windows_args.split_windows_args(line) == expected


def test_join_round_trips_through_split() -> None:
    rng = random.Random(20240131)
    alphabet = ['a', 'b', ' ', '\t', '"', '\\', '%', 'æ', 'ø', "'", '&']
    for _ in range(3000):
        args = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 7))) for _ in range(rng.randint(0, 4))]
        line = windows_args.join_windows_args(args)
        assert windows_args.split_windows_args(line) == args, (args, line)
        assert windows_args.split_windows_args(sx.xml_arguments(args)) == args


def test_join_quotes_only_when_needed_and_xml_arguments_quote_variables() -> None:
    assert windows_args.join_windows_args(["-Xmx1g", "a b", "", 'q"', "C:\\dir\\"]) == (
        '-Xmx1g "a b" "" "q\\"" C:\\dir\\')
    assert windows_args.join_windows_args(["C:\\my dir\\"]) == '"C:\\my dir\\\\"'
    assert sx.xml_arguments(["-jar", "%BASE%/x.jar"]) == '-jar "%BASE%/x.jar"'


# --- durations --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "seconds"), [
    ("60 sec", 60.0), ("60sec", 60.0), (" 30 sec ", 30.0), ("500", 0.5), ("10 ms", 0.01), ("2 min", 120.0),
    ("5 mins", 300.0), ("10 secs", 10.0), ("1 hour", 3600.0), ("2 hours", 7200.0), ("1 hr", 3600.0),
    ("3 hrs", 10800.0), ("1 day", 86400.0), ("2 days", 172800.0),
])
def test_parse_duration(text: str, seconds: float) -> None:
    assert sx.parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["15s", "15 s", "1.5 sec", "sec", "", "one hour", "1 week"])
def test_parse_duration_fails_where_winsw_2_12_fails(text: str) -> None:
    with pytest.raises(ValueError):
        sx.parse_duration(text)


# --- render ------------------------------------------------------------------------------------------------


def staging_spec() -> sx.ServiceSpec:
    return sx.ServiceSpec(service_id="integrasjonspunkt", java=JAVA8, jar_name="integrasjonspunkt-2.28.1.jar",
                          profile="staging", jvm_options=["-Xmx2048m"])


def production_spec() -> sx.ServiceSpec:
    return sx.ServiceSpec(service_id="integrasjonspunkt", java=JAVA21, jar_name="integrasjonspunkt-v4.0.8.jar",
                          profile="production", jvm_options=[])


@pytest.mark.parametrize(("spec", "golden"), [(staging_spec, "staging.xml"), (production_spec, "production.xml")])
def test_render_matches_the_golden_file(spec: object, golden: str) -> None:
    assert callable(spec)
    data = sx.render(spec())
    assert data == (DATA / golden).read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\r\n<service>\r\n')
    root = ET.fromstring(data)
    # WinSW 3 wants <service> as the root and its settings as direct children.
    assert root.tag == "service"
    assert [c.tag for c in root] == ["id", "name", "description", "executable", "arguments", "workingdirectory",
                                     "logpath", "log", "stoptimeout", "onfailure", "onfailure", "onfailure",
                                     "resetfailure"]
    assert [(e.get("action"), e.get("delay")) for e in root.iter("onfailure")] == [
        ("restart", "30 sec"), ("restart", "30 sec"), ("none", None)]


def test_rendered_file_reads_back_with_the_same_values(tmp_path: Path) -> None:
    path = tmp_path / "s.xml"
    path.write_bytes(sx.render(staging_spec()))
    read = sx.read(path)
    assert (read.service_id, read.executable, read.working_directory) == ("integrasjonspunkt", JAVA8, "%BASE%")
    assert (read.jar, read.jar_name, read.version) == (
        "%BASE%/integrasjonspunkt-2.28.1.jar", "integrasjonspunkt-2.28.1.jar", "2.28.1")
    assert (read.profile, read.jvm_options, read.misplaced_jvm_options, read.app_args) == (
        "staging", ["-Xmx2048m"], [], [])
    assert (read.log_path, read.log_mode, read.stop_timeout, read.reset_failure) == (
        "%BASE%/integrasjonspunkt-logs", "roll-by-size", "60 sec", "1 hour")
    assert read.account is None and read.problems == [] and read.other_elements == []


def test_every_value_is_escaped(tmp_path: Path) -> None:
    java = 'C:\\Programmer & "Java"\\jdk æøå <21>\\bin\\java.exe'
    spec = sx.ServiceSpec(
        service_id="ip-test", java=java, jar_name="integrasjonspunkt-2.28.1.jar", profile="staging",
        jvm_options=["-Xmx2048m", '-Dapp.title=Blåbær & "syltetøy"', "-Dpath=C:\\a b\\"],
        app_args=["--app.logger.enableSSL=false", "--note=<x> & y"],
        name="Integrasjonspunkt Tromsø & Co", description='Kommune "Æ" <prod>',
        account=sx.ServiceAccount("NT AUTHORITY\\LocalService"))
    data = sx.render(spec)
    assert "Tromsø".encode() in data and b"&amp;" in data and b"&lt;21&gt;" in data
    path = tmp_path / "e.xml"
    path.write_bytes(data)
    read = sx.read(path)
    assert (read.name, read.description, read.executable) == (spec.name, spec.description, java)
    assert read.jvm_options == spec.jvm_options
    assert read.app_args == spec.app_args
    assert read.account == sx.ServiceAccount("NT AUTHORITY\\LocalService")
    account = ET.fromstring(data).find("serviceaccount")
    assert account is not None
    assert [(c.tag, c.text) for c in account] == [("domain", "NT AUTHORITY"), ("user", "LocalService"),
                                                  ("username", "NT AUTHORITY\\LocalService")]
    # What Java receives once WinSW has put the folder (with a space) in for %BASE%:
    line = ET.fromstring(data).findtext("arguments", "").replace("%BASE%", "C:\\integrasjons punkt")
    assert windows_args.split_windows_args(line) == [*spec.jvm_options, "-Dspring.profiles.active=staging", "-jar",
                                           "C:\\integrasjons punkt/integrasjonspunkt-2.28.1.jar", *spec.app_args]


def test_defaults_for_another_service_id_and_local_system() -> None:
    spec = sx.ServiceSpec(service_id="ip2", java="/usr/bin/java", jar_name="integrasjonspunkt-2.28.1.jar",
                          profile=None, jvm_options=[], account=sx.ServiceAccount("LocalSystem"))
    root = ET.fromstring(sx.render(spec))
    assert root.findtext("name") == "integrasjonspunkt (ip2)"  # display names must differ between services
    assert root.findtext("arguments") == '-jar "%BASE%/integrasjonspunkt-2.28.1.jar"'
    assert root.find("serviceaccount") is None


def test_the_profile_replaces_one_among_the_jvm_options() -> None:
    def arguments(profile: str | None) -> str | None:
        spec = sx.ServiceSpec(service_id="ip", java="java", jar_name="a.jar", profile=profile,
                              jvm_options=["-Dspring.profiles.active=staging", "-Xmx1g"])
        return ET.fromstring(sx.render(spec)).findtext("arguments")

    assert arguments("production") == '-Xmx1g -Dspring.profiles.active=production -jar "%BASE%/a.jar"'
    assert arguments(None) == '-Dspring.profiles.active=staging -Xmx1g -jar "%BASE%/a.jar"'


def test_a_value_xml_cannot_hold_is_refused() -> None:
    spec = sx.ServiceSpec(service_id="integrasjonspunkt", java="/usr/bin/java", jar_name="x.jar",
                          profile="staging", jvm_options=["-Dx=\x01"])
    with pytest.raises(SetupError) as caught:
        sx.render(spec)
    assert caught.value.code == ExitCode.BAD_COMMAND_LINE


# --- reading Digdir's files ------------------------------------------------------------------------------


def test_read_digdir_production_file() -> None:
    read = sx.read(DATA / "digdir-integrasjonspunkt-prod.xml")
    assert (read.service_id, read.name, read.executable) == (
        "integrasjonspunkt", "integrasjonspunkt for einnsyn og eformidling", "java")
    assert read.description == "Oppsett for produksjonsmiljø"
    assert read.arguments_source == "argument"
    assert read.arguments == ["-jar", "-Dspring.profiles.active=production", "integrasjonspunkt-2.1.3.jar",
                              "-Xmx2048m"]
    assert (read.jar, read.version, read.profile) == ("integrasjonspunkt-2.1.3.jar", "2.1.3", "production")
    assert (read.jvm_options, read.misplaced_jvm_options, read.app_args) == ([], ["-Xmx2048m"], [])
    assert read.working_directory is None
    assert (read.log_path, read.log_mode) == ("%BASE%/integrasjonspunkt-logs", "roll-by-size")


def test_read_digdir_staging_and_kosmos_files() -> None:
    staging = sx.read(DATA / "digdir-integrasjonspunkt-staging.xml")
    assert (staging.jar, staging.version, staging.profile, staging.working_directory) == (
        "%BASE%/integrasjonspunkt-2.1.0.jar", "2.1.0", "staging", "%BASE%")
    kosmos = sx.read(DATA / "digdir-kosmos-service.xml")
    assert (kosmos.service_id, kosmos.jar, kosmos.version, kosmos.profile) == (
        "kosmossvc", "%BASE%\\kosmos-X.Y.Z.jar", None, "production")  # the profile as an app argument
    assert kosmos.app_args[1] == "--spring.config.additional-location=file:%BASE%\\integrasjonspunkt-local.properties"


@pytest.mark.parametrize(("name", "tag"), [
    ("integrasjonspunkt-2.28.1.jar", "2.28.1"), ("integrasjonspunkt-v4.0.8.jar", "v4.0.8"),
    ("Integrasjonspunkt-2.2.0-SNAPSHOT.jar", "2.2.0-SNAPSHOT"), ("kosmos-1.0.jar", None),
    ("integrasjonspunkt.jar", None),
])
def test_jar_version(name: str, tag: str | None) -> None:
    assert sx.jar_version(name) == tag


# --- update ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["digdir-integrasjonspunkt-prod", "digdir-integrasjonspunkt-staging"])
def test_update_digdir_files_round_trip(name: str, tmp_path: Path) -> None:
    original = (DATA / f"{name}.xml").read_bytes()
    data, notes = sx.update(DATA / f"{name}.xml", jar_name="integrasjonspunkt-2.28.1.jar", java=JAVA8)
    assert data == (DATA / f"{name}-updated.xml").read_bytes()
    assert (DATA / f"{name}.xml").read_bytes() == original  # update never writes
    assert any("moved before -jar" in n and "-Xmx2048m" in n for n in notes)
    assert any("4 <argument> elements became one <arguments>" in n for n in notes)
    assert any("integrasjonspunkt-2.28.1.jar" in n for n in notes)
    assert any(JAVA8 in n for n in notes)

    path = tmp_path / "updated.xml"
    path.write_bytes(data)
    read = sx.read(path)
    before = sx.read(DATA / f"{name}.xml")
    assert (read.version, read.profile, read.jvm_options, read.misplaced_jvm_options, read.executable) == (
        "2.28.1", before.profile, ["-Xmx2048m"], [], JAVA8)
    assert (read.name, read.description, read.log_path, read.log_mode, read.working_directory) == (
        before.name, before.description, before.log_path, before.log_mode, before.working_directory)
    assert read.arguments_source == "arguments"
    # Updating again to the same jar changes nothing.
    again, notes = sx.update(path, jar_name="integrasjonspunkt-2.28.1.jar", java=JAVA8)
    assert (again, notes) == (data, [])


CUSTOM = """\
<?xml version="1.0" encoding="utf-8"?>
<!-- prolog comment -->
<configuration>
  <!-- hand-edited by the admin: keep -->
  <id>integrasjonspunkt</id>
  <name>Integrasjonspunkt Tromsø</name>
  <description>Kommunens integrasjonspunkt &amp; eInnsyn</description>
  <env name="JAVA_TOOL_OPTIONS" value="-Dfile.encoding=UTF-8"/>
  <env name="IP_HOME" value="%BASE%"/>
  <executable>%JAVA_HOME%\\bin\\java.exe</executable>
  <arguments>-Xms512m -Xmx4g "-Dlogging.file.name=%BASE%\\logs\\ip.log"
    -jar "%BASE%\\integrasjonspunkt-2.27.0.jar" --spring.profiles.active=staging --app.logger.enableSSL=false
  </arguments>
  <logmode>rotate</logmode>
  <serviceaccount>
    <domain>KOMMUNE</domain>
    <user>svc-ip</user>
    <password>hemmelig</password>
    <allowservicelogon>true</allowservicelogon>
  </serviceaccount>
  <onfailure action="restart" delay="10 sec"/>
  <onfailure action="reboot"/>
  <resetfailure>1 day</resetfailure>
  <stoptimeout>2 min</stoptimeout>
  <priority>AboveNormal</priority>
  <depend>Tcpip</depend>
  <extensions><extension enabled="false" id="x"/></extensions>
</configuration>
"""


def test_update_a_customised_file_changes_only_what_must_change(tmp_path: Path) -> None:
    path = tmp_path / "ip.xml"
    path.write_bytes(CUSTOM.replace("\n", "\r\n").encode("utf-8"))
    before = sx.read(path)
    assert before.account == sx.ServiceAccount("KOMMUNE\\svc-ip", "hemmelig", True)
    assert (before.profile, before.log_mode, before.other_elements) == (
        "staging", "rotate", ["priority", "depend", "extensions"])
    assert before.env == [("JAVA_TOOL_OPTIONS", "-Dfile.encoding=UTF-8"), ("IP_HOME", "%BASE%")]

    data, notes = sx.update(path, jar_name="integrasjonspunkt-2.28.1.jar", profile="production")
    text = data.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF kept
    assert "<!-- hand-edited by the admin: keep -->" in text
    assert "<priority>AboveNormal</priority>" in text and "<depend>Tcpip</depend>" in text
    assert '<extension enabled="false" id="x" />' in text
    assert any("<configuration> became <service>" in n for n in notes)
    assert any("staging -> production" in n for n in notes)
    path.write_bytes(data)
    after = sx.read(path)
    assert after.root_tag == "service"
    assert after.arguments == ["-Xms512m", "-Xmx4g", "-Dlogging.file.name=%BASE%\\logs\\ip.log", "-jar",
                               "%BASE%\\integrasjonspunkt-2.28.1.jar", "--spring.profiles.active=production",
                               "--app.logger.enableSSL=false"]
    assert after.profile == "production"
    for unchanged in ("service_id", "name", "description", "executable", "env", "account", "log_mode",
                      "failure_actions", "reset_failure", "stop_timeout", "other_elements"):
        assert getattr(after, unchanged) == getattr(before, unchanged), unchanged


def test_update_replaces_jvm_options_when_given_and_adds_a_profile(tmp_path: Path) -> None:
    path = tmp_path / "a.xml"
    path.write_text('<service><id>x</id><executable>java</executable>'
                    '<arguments>-Xmx1g -jar "%BASE%/integrasjonspunkt-2.27.0.jar" -Xss1m</arguments></service>',
                    encoding="utf-8")
    data, notes = sx.update(path, jar_name="integrasjonspunkt-2.28.1.jar", profile="staging",
                            jvm_options=["-Xmx3g", "-Dspring.profiles.active=ignored"])
    assert ET.fromstring(data).findtext("arguments") == (
        '-Xmx3g -Dspring.profiles.active=staging -jar "%BASE%/integrasjonspunkt-2.28.1.jar"')
    assert any("JVM options -Xmx1g -Xss1m -> -Xmx3g" in n for n in notes)


def test_update_refuses_a_file_that_runs_no_jar(tmp_path: Path) -> None:
    path = tmp_path / "wrapper.xml"
    path.write_text("<service><id>x</id><executable>run.bat</executable><arguments>-cp a.jar Main</arguments>"
                    "</service>", encoding="utf-8")
    with pytest.raises(SetupError) as caught:
        sx.update(path, jar_name="integrasjonspunkt-2.28.1.jar")
    assert caught.value.code == ExitCode.PREREQUISITES
    assert str(path) in caught.value.message


def test_read_notes_durations_winsw_would_reject(tmp_path: Path) -> None:
    path = tmp_path / "d.xml"
    path.write_text('<service><id>x</id><executable>java</executable><arguments>-jar "%BASE%/a.jar"</arguments>'
                    '<stoptimeout>15s</stoptimeout><onfailure action="restart" delay="10 s"/></service>',
                    encoding="utf-8")
    read = sx.read(path)
    assert len(read.problems) == 2 and "stoptimeout" in read.problems[0] and "15s" in read.problems[0]
    assert "onfailure" in read.problems[1] and "10 s" in read.problems[1]
    _, notes = sx.update(path, jar_name="b.jar")
    assert read.problems[0] in notes


# --- malformed input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "line"), [
    (b"<service><id>x</id>", 1),
    (b"<service>\n  <id>x</id>\n  <name>a</nam>\n</service>", 3),
    (b"<service>\n<description>Troms\xf8</description>\n</service>", 2),  # cp1252, not UTF-8
    (b"", 1),
])
def test_malformed_xml_names_file_and_line(tmp_path: Path, content: bytes, line: int) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    for call in (lambda: sx.read(path), lambda: sx.update(path, jar_name="integrasjonspunkt-2.28.1.jar")):
        with pytest.raises(SetupError) as caught:
            call()
        assert caught.value.code == ExitCode.PREREQUISITES
        assert str(path) in caught.value.message and f"line {line}" in caught.value.message
    assert path.read_bytes() == content


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    "<service><id>&b;</id></service>", encoding="utf-8")
    with pytest.raises(SetupError) as caught:
        sx.read(path)
    assert caught.value.code == ExitCode.PREREQUISITES and str(path) in caught.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SetupError) as caught:
        sx.read(tmp_path / "none.xml")
    assert caught.value.code == ExitCode.PREREQUISITES and "none.xml" in caught.value.message
