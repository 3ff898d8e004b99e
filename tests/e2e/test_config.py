"""integrasjonspunkt's own configuration end to end (issue 19): stand-ins that carry their release line's config
files and resolve them as Spring does, so a 4.x started with a 2.x-style properties file fails as the real one."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import javaproperties
import pytest

from installer.errors import same_exit_code
from tests.harness import jdks
from tests.harness.fixtures_world import FAST, World
from tests.harness.keystores import make_keystore

pytestmark = pytest.mark.e2e

TLS_PASSWORD = "tls-s3cret"
LOCAL_DEFAULTS = {"difi.datasource.url": "jdbc:h2:file:./integrasjonspunkt",
                  "difi.activemq.broker-url": "vm://localhost"}


@pytest.fixture
def java21() -> Path:
    found = jdks.java21()
    if found is None:
        pytest.skip("no Java >= 21")
    return found


def _keys(properties: Path) -> dict[str, str]:
    """The properties file's keys as Java reads them."""
    with properties.open("r", encoding="iso-8859-1") as file:
        return javaproperties.load(file)


def _probed(doc: dict, scheme: str, port: int) -> bool:
    """`/status`'s health URL is on this scheme and port of the local machine."""
    url = urllib.parse.urlsplit(doc["health_url"])
    return (url.scheme, url.hostname, url.port, url.path) == (scheme, url.hostname, port, "/manage/health") \
        and url.hostname in ("127.0.0.1", "localhost", "::1")


def _log(world: World) -> str:
    return (world.folder / "installer-logs" / "setup.log").read_text(encoding="utf-8", errors="replace")


def _db_lines(world: World) -> list[str]:
    return world.data_file().read_text(encoding="utf-8").splitlines()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as failed:
        return failed.code


def _nothing_changed(world: World, properties_before: bytes) -> None:
    assert world.properties.read_bytes() == properties_before
    left = {p.name for p in world.folder.iterdir()} if world.folder.exists() else set()
    assert left <= {".setup", "installer-logs"}, left


def test_fresh_4x_install_with_only_org_number_and_keystore_ends_healthy(world: World, java21: Path) -> None:
    # The admin's file holds what a 2.x needed: org number, keystore, port. v4.0.8's jar has no datasource or
    # broker default and serves HTTPS by default: setup writes Digdir's local defaults, TLS off, and lists them.
    world.publish("v4.0.8")
    proc = world.install("v4.0.8", "/java", str(java21))
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert world.answers() == "4.0.8"
    written = _keys(world.folder / "integrasjonspunkt-local.properties")
    assert {k: written.get(k) for k in LOCAL_DEFAULTS} == LOCAL_DEFAULTS
    assert written.get("difi.ssl.enabled") == "false"
    log = _log(world)
    assert all(key in log for key in (*LOCAL_DEFAULTS, "difi.ssl.enabled"))
    # Its H2 file is where the written URL points, and basic auth stays Digdir's default (on) outside /manage.
    assert _db_lines(world)[-1].split()[1] == "v4.0.8"
    assert _status(f"http://127.0.0.1:{world.port}/api/statuses") == 401
    code, doc = world.status()
    assert code == 0 and doc["healthy"] and _probed(doc, "http", world.port)


@pytest.mark.parametrize("how", ["option", "properties"])
def test_tls_asked_without_a_keystore_stops_before_any_change(world: World, java21: Path, how: str,
                                                              tmp_path: Path) -> None:
    world.publish("v4.0.8")
    if how == "properties":  # the admin turned TLS on in the file but named no keystore
        with world.properties.open("a", encoding="utf-8") as file:
            file.write("difi.ssl.enabled=true\n")
        extra, named = [], "difi.ssl.key-store"
    else:  # /tls-keystore names a file that is not there
        extra, named = ["/tls-keystore", str(tmp_path / "missing.p12")], "missing.p12"
    before = world.properties.read_bytes()
    proc = world.install("v4.0.8", "/java", str(java21), *extra, env={"IPSETUP_TLS_KEYSTORE_PASSWORD": TLS_PASSWORD})
    assert same_exit_code(proc.returncode, 10), proc.stderr + proc.stdout
    assert named in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr
    _nothing_changed(world, before)
    assert world.winsw.record("integrasjonspunkt") is None  # no service registered


def test_4x_with_tls_is_installed_and_health_checked_over_https(world: World, java21: Path, tmp_path: Path) -> None:
    keystore = make_keystore(tmp_path / "tls" / "server.p12", alias="integrasjonspunkt", password=TLS_PASSWORD)
    world.publish("v4.0.8")
    proc = world.install("v4.0.8", "/java", str(java21), "/tls-keystore", str(keystore),
                         env={"IPSETUP_TLS_KEYSTORE_PASSWORD": TLS_PASSWORD})
    assert proc.returncode == 0, proc.stderr + proc.stdout
    world.scheme = "https"
    assert world.answers() == "4.0.8"
    with pytest.raises((OSError, http.client.HTTPException)):
        _status(f"http://127.0.0.1:{world.port}/manage/health")  # plain HTTP gets no HTTP answer
    written = _keys(world.folder / "integrasjonspunkt-local.properties")
    assert written.get("difi.ssl.enabled") == "true"
    assert written.get("difi.ssl.key-store-type") == "PKCS12"
    assert written.get("difi.ssl.key-alias") == "integrasjonspunkt"
    assert TLS_PASSWORD not in proc.stdout + proc.stderr + _log(world)
    code, doc = world.status()
    assert code == 0 and doc["healthy"] and _probed(doc, "https", world.port)
    out = (world.folder / "integrasjonspunkt-logs").rglob("*.out.log")
    assert any(f"port {world.port} (https)" in p.read_text(errors="replace") for p in out)


def test_upgrade_2_28_6_on_h2_to_4_0_8_keeps_scheme_port_and_database(world: World, java21: Path) -> None:
    world.publish("2.28.6")
    proc = world.install("2.28.6")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert world.answers() == "2.28.6"
    db_before = world.data_file().read_bytes()
    assert _status(f"http://127.0.0.1:{world.port}/api/statuses") == 404  # 2.x: no basic auth by default

    world.publish("v4.0.8")
    proc = world.setup("/upgrade", "v4.0.8", "/allow-major", "/java", str(java21), *FAST)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert world.answers() == "4.0.8"  # plain HTTP on the same port
    code, doc = world.status()
    assert code == 0 and doc["version"] == "v4.0.8" and _probed(doc, "http", world.port)
    # The same database file: 4.0.8 opened the H2 file 2.28.6 wrote, nothing new beside it.
    after = world.data_file().read_bytes()
    assert after.startswith(db_before) and after.decode().splitlines()[-1].split()[1] == "v4.0.8"
    assert sorted(p.name for p in world.folder.glob("*.mv.db")) == ["integrasjonspunkt.mv.db"]
    # What 2.28.6 used and 4.0.8 would change is written as explicit keys, each listed; auth stays off.
    written = _keys(world.folder / "integrasjonspunkt-local.properties")
    kept = {**LOCAL_DEFAULTS, "difi.ssl.enabled": "false", "difi.security.enable": "false"}
    assert {k: written.get(k) for k in kept} == kept
    log = _log(world)
    assert all(key in log for key in kept)
    assert _status(f"http://127.0.0.1:{world.port}/api/statuses") == 404


def test_failed_2x_to_4x_upgrade_restores_the_properties_file(world: World, java21: Path) -> None:
    world.publish("2.28.6")
    proc = world.install("2.28.6")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    local = world.folder / "integrasjonspunkt-local.properties"
    before = local.read_bytes()
    world.publish("v4.0.8", "never_healthy")
    proc = world.setup("/upgrade", "v4.0.8", "/allow-major", "/java", str(java21), "/quiet", "/health-timeout", "5",
                       "/health-stable", "1")  # each option once: a repeated one with another value is 1639
    assert same_exit_code(proc.returncode, 13), proc.stderr + proc.stdout
    assert world.answers() == "2.28.6"
    assert local.read_bytes() == before


def test_upgrade_of_a_2x_serving_tls_with_jks_keystores_stays_on_https(world: World, java21: Path,
                                                                         tmp_path: Path) -> None:
    # A 2.x admin's file as 2.x needed it: JKS keystores, no type key (2.x defaults to jks for both), TLS on.
    org = make_keystore(tmp_path / "admin" / "org.jks", alias="org", password="changeit", storetype="JKS")
    tls = make_keystore(tmp_path / "admin" / "tls.jks", alias="tls", password=TLS_PASSWORD, storetype="JKS")
    world.properties.write_text(
        f"difi.move.org.number=910076787\ndifi.move.org.keystore.alias=org\n"
        f"difi.move.org.keystore.password=changeit\ndifi.move.org.keystore.path={org.as_posix()}\n"
        f"server.port={world.port}\ndifi.ssl.enabled=true\ndifi.ssl.key-store={tls.as_posix()}\n"
        f"difi.ssl.key-store-password={TLS_PASSWORD}\ndifi.ssl.key-alias=tls\n", encoding="utf-8")
    world.scheme = "https"
    world.publish("2.28.6")
    proc = world.install("2.28.6")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert world.answers() == "2.28.6"

    world.publish("v4.0.8")
    proc = world.setup("/upgrade", "v4.0.8", "/allow-major", "/java", str(java21), *FAST)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert world.answers() == "4.0.8"  # HTTPS on the same port, with the same JKS keystore
    written = _keys(world.folder / "integrasjonspunkt-local.properties")
    assert written.get("difi.move.org.keystore.type", "").lower() == "jks"  # 4.x would read PKCS12
    code, doc = world.status()
    assert code == 0 and _probed(doc, "https", world.port)


def test_an_invalid_port_stops_the_upgrade_before_anything_changes(world: World, java21: Path) -> None:
    world.publish("2.28.6")
    proc = world.install("2.28.6")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    local = world.folder / "integrasjonspunkt-local.properties"
    # The admin mistypes the port: the running service keeps its port until it restarts, but neither version
    # could start with this file.
    local.write_text(local.read_text(encoding="iso-8859-1").replace(f"server.port={world.port}",
                                                                    "server.port=90x93"), encoding="iso-8859-1")
    before = world.listing()
    world.publish("2.28.7")
    proc = world.setup("/upgrade", "2.28.7", *FAST)
    assert same_exit_code(proc.returncode, 10), proc.stderr + proc.stdout
    assert "server.port" in proc.stderr + proc.stdout and "Traceback" not in proc.stderr
    assert world.answers() == "2.28.6"  # the service that ran is still running
    after = world.listing()
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    assert not {k for k in changed if not k.startswith(("installer-logs", "integrasjonspunkt-logs"))}, changed
