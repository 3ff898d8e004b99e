"""The double-click wizard driven through a pseudo-terminal against the harness: real HTTP, JVMs and the WinSW
stand-in (issue 9)."""

from __future__ import annotations

import io
import os
import re
import sys
import time
from collections.abc import Callable

import pexpect
import pytest

from installer import service_xml
from installer.engine import FAULT_ENV
from installer.errors import same_exit_code
from tests.adoption_support import hand_made
from tests.harness import jdks
from tests.harness.artifact_server import ARTIFACT_DIR, MAVEN_PREFIX
from tests.harness.fixtures_world import REPO_ROOT, World
from tests.kosmos_support import DISABLED, kosmos_running

pytestmark = pytest.mark.e2e

QUICK = ["/health-timeout", "40", "/health-stable", "1"]
ANSWER_TIMEOUT = 60


VERSION_LIST = f"{MAVEN_PREFIX}/{ARTIFACT_DIR}/maven-metadata.xml"


class Wizard:
    """`python -m installer` without a verb in a pseudo-terminal, with the world's sources and folder."""

    def __init__(self, world: World, *extra: str, lang: str = "en") -> None:
        command = ["-m", "installer", "/lang", lang, *QUICK, *extra, *world.args()]
        environment = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1", "TERM": "xterm"}
        self.transcript = io.StringIO()
        self.child = pexpect.spawn(sys.executable, command, env=environment, cwd=str(REPO_ROOT), encoding="utf-8",
                                   timeout=ANSWER_TIMEOUT, dimensions=(60, 250))
        self.child.logfile_read = self.transcript

    def answer(self, prompt: str, reply: str) -> None:
        """Wait for `prompt` (plain text) and type `reply` and Enter."""
        self.wait_for(prompt)
        self.child.sendline(reply)

    def wait_for(self, text: str, timeout: float = ANSWER_TIMEOUT) -> None:
        self.expect(re.escape(text), timeout=timeout)

    def expect(self, *patterns: object, timeout: float = ANSWER_TIMEOUT) -> int:
        try:
            return self.child.expect(list(patterns), timeout=timeout)
        except (pexpect.EOF, pexpect.TIMEOUT) as exc:
            raise AssertionError(f"{type(exc).__name__} waiting for {patterns}; the wizard showed:\n"
                                 + self.text()) from None

    def finish(self, timeout: float = 180) -> int:
        self.expect(pexpect.EOF, timeout=timeout)
        self.child.close()
        assert self.child.exitstatus is not None, self.text()
        return self.child.exitstatus

    def text(self) -> str:
        return self.transcript.getvalue()


def approved(world: World, tag: str) -> None:
    versions = {"latest": tag, "earlybird": tag}
    world.server.set_latest_versions({env: dict(versions) for env in ("staging", "production")})


def answer_java_if_asked(wizard: Wizard, next_prompt: str) -> None:
    """The Java question comes only when several installed Javas fit: take the suggested one."""
    if wizard.expect(r"Java for integrasjonspunkt \S+ \[\d+\]: ", re.escape(next_prompt)) == 0:
        wizard.child.sendline("")
        wizard.wait_for(next_prompt)


def start_install(world: World, tag: str) -> Wizard:
    """Take every default up to the download: environment, version, folder, Java; the properties copied."""
    wizard = Wizard(world)
    wizard.answer("Environment [1]: ", "")
    wizard.answer("Version [1]: ", "")
    wizard.answer(f"Install folder [{world.folder}]: ", "")
    answer_java_if_asked(wizard, "Enter: type the values instead)")
    wizard.child.sendline(str(world.properties))
    wizard.answer(f"Install integrasjonspunkt {tag} in", "")
    wizard.wait_for(f"Installing integrasjonspunkt {tag}")
    return wizard


def setup_log(world: World) -> str:
    try:
        return (world.folder / "installer-logs" / "setup.log").read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def wait_until(condition: Callable[[], bool], timeout: float = ANSWER_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def assert_nothing_installed(world: World) -> None:
    assert world.answers() is None
    assert world.winsw.record("integrasjonspunkt") is None
    left = sorted(p.name for p in world.folder.iterdir()) if world.folder.exists() else []
    # What a failed install leaves (CLI.md): logs, .setup/, and any data the service wrote while it ran.
    assert set(left) <= {".setup", "installer-logs", "integrasjonspunkt-logs", "integrasjonspunkt.mv.db"}, left
    code, doc = world.status()
    assert same_exit_code(code, 15) and not doc["installed"]


def test_fresh_install_with_typed_answers(world: World) -> None:
    world.publish("2.28.0")
    world.publish("2.28.1")
    approved(world, "2.28.0")
    wizard = Wizard(world)
    wizard.answer("Environment [1]: ", "")
    wizard.wait_for("2.28.0 – Digdir's approved version for production")
    wizard.wait_for("2.28.1 – the newest 2.x")
    wizard.answer("Version [1]: ", "2")
    wizard.answer(f"Install folder [{world.folder}]: ", "")
    answer_java_if_asked(wizard, "Enter: type the values instead)")
    wizard.child.sendline(str(world.properties))
    wizard.wait_for("What setup will do")
    listed = len(world.server.requests_for(VERSION_LIST))
    wizard.answer("Install integrasjonspunkt 2.28.1 in", "")
    assert wizard.finish() == 0, wizard.text()
    assert world.answers() == "2.28.1"
    # /install runs with the release the plan showed: the version list is not read again after the question.
    assert listed > 0 and len(world.server.requests_for(VERSION_LIST)) == listed
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.28.1" and doc["env"] == "production"
    assert (world.folder / "integrasjonspunkt-local.properties").read_bytes() == world.properties.read_bytes()
    shown = wizard.text()
    assert "Prerequisites" in shown and "Done" in shown
    assert f"http://localhost:{world.port}/noarkExchange?wsdl" in shown
    assert str(world.folder / "installer-logs" / "setup.log") in shown


def test_upgrade_offered_and_taken_in_norwegian(world: World) -> None:
    world.publish("2.28.0")
    assert world.install("2.28.0").returncode == 0
    world.publish("2.28.1")
    approved(world, "2.28.1")
    wizard = Wizard(world, lang="nb")
    wizard.wait_for(f"Installasjon i {world.folder}")
    wizard.wait_for("1. oppgrader til 2.28.1 (Digdirs godkjente versjon for production)")
    wizard.answer("Hva nå [1]: ", "")
    wizard.answer("Oppgrader til [2.28.1]: ", "")
    wizard.wait_for("Oppgradere 2.28.0 til 2.28.1 nå?")
    listed = len(world.server.requests_for(VERSION_LIST))
    wizard.child.sendline("j")
    assert wizard.finish() == 0, wizard.text()
    # /upgrade takes the version the question named: the version list is not read again.
    assert listed > 0 and len(world.server.requests_for(VERSION_LIST)) == listed
    assert world.answers() == "2.28.1"
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.28.1" and doc["previous_versions"] == ["2.28.0"]
    shown = wizard.text()
    assert "vent til integrasjonspunkt svarer" in shown and "Ferdig" in shown and "kjører, svarer" in shown


def test_line_change_offered_with_the_keys_it_writes_and_taken(world: World) -> None:
    java21 = jdks.java21()
    if java21 is None:
        pytest.skip("no Java >= 21")
    world.publish("2.28.6")
    assert world.install("2.28.6").returncode == 0
    world.publish("v4.0.8")
    approved(world, "v4.0.8")  # on another major line: nothing on 2.x is newer
    wizard = Wizard(world, "/java", str(java21))
    wizard.wait_for("change line: upgrade to v4.0.8 (Digdir's approved version for production, another major line)")
    wizard.answer("What now [4]: ", "1")
    wizard.wait_for("the upgrade to v4.0.8 writes these keys into")
    # What 2.28.6 runs with and 4.0.8 would change, as config_keep computes it for the upgrade.
    kept = {"difi.datasource.url": "jdbc:h2:file:./integrasjonspunkt", "difi.activemq.broker-url": "vm://localhost",
            "difi.ssl.enabled": "false", "difi.security.enable": "false"}
    wizard.wait_for("Change line: upgrade 2.28.6 to v4.0.8 now?")
    listed = wizard.text()
    assert all(f"  {key}={value}" in listed for key, value in kept.items()), listed
    wizard.child.sendline("y")
    assert wizard.finish() == 0, wizard.text()
    assert world.answers() == "4.0.8"
    code, doc = world.status()
    assert code == 0 and doc["version"] == "v4.0.8" and doc["previous_versions"] == ["2.28.6"]


def test_wrong_organisation_number_is_asked_again(world: World) -> None:
    world.publish("2.28.0")
    approved(world, "2.28.0")
    keystore = world.properties.parent / "keystore.p12"
    wizard = Wizard(world)
    wizard.answer("Environment [1]: ", "2")
    wizard.answer("Version [1]: ", "")
    wizard.answer(f"Install folder [{world.folder}]: ", "")
    answer_java_if_asked(wizard, "Enter: type the values instead)")
    wizard.child.sendline("")
    wizard.answer("Organisation number: ", "91007678")
    wizard.wait_for("'91007678' is not an organisation number: it has 9 digits.")
    wizard.answer("Organisation number: ", "910076788")
    wizard.wait_for("'910076788' is not an organisation number: its check digit (the last one) is wrong.")
    wizard.answer("Organisation number: ", "910 076 787")
    wizard.answer("Keystore file (the virksomhetssertifikat): ", str(keystore.with_name("missing.p12")))
    wizard.wait_for(f"There is no file {keystore.with_name('missing.p12')}.")
    wizard.answer("Keystore file (the virksomhetssertifikat): ", str(keystore))
    wizard.answer("Keystore type [1]: ", "")
    wizard.answer("Alias of the key in the keystore: ", "sandbox")
    wizard.answer("Keystore password (not shown): ", "")
    wizard.wait_for("An answer is needed here")
    wizard.answer("Keystore password (not shown): ", "s3cret-typed")
    wizard.wait_for(f"written: organisation number 910076787, keystore {keystore} (PKCS12), alias sandbox")
    wizard.answer("Install integrasjonspunkt 2.28.0 in", "maybe")
    wizard.wait_for("Answer y (yes) or n (no).")
    wizard.child.sendline("n")
    assert same_exit_code(wizard.finish(), 1602), wizard.text()
    assert "Nothing was done." in wizard.text()
    assert "s3cret-typed" not in wizard.text()
    assert not world.folder.exists()


def test_ctrl_c_during_the_download(world: World) -> None:
    world.publish("2.28.0")
    approved(world, "2.28.0")
    world.server.fault(world.server.jar_path("2.28.0"), "slow", rate=500)
    wizard = start_install(world, "2.28.0")
    wizard.wait_for("integrasjonspunkt-2.28.0.jar")
    wizard.child.sendintr()
    assert same_exit_code(wizard.finish(), 1602), wizard.text()
    assert "Cancelled. Nothing was changed." in wizard.text()
    assert_nothing_installed(world)


def test_ctrl_c_during_the_steps_undoes_them(world: World) -> None:
    world.publish("2.28.0", "slow_start", delay=60)
    approved(world, "2.28.0")
    wizard = start_install(world, "2.28.0")
    wizard.wait_for("wait until integrasjonspunkt answers")
    # The line shows as the step begins: Ctrl+C once the health check really waits.
    assert wait_until(lambda: "health check of 2.28.0" in setup_log(world)), wizard.text()
    wizard.child.sendintr()
    assert same_exit_code(wizard.finish(), 1602), wizard.text()
    shown = wizard.text()
    assert "wait until integrasjonspunkt answers – stopped" in shown
    assert "undoing: register the Windows service" in shown
    assert "Install cancelled; everything it did was undone." in shown
    assert_nothing_installed(world)


def test_quiet_without_a_verb_is_refused(world: World) -> None:
    proc = world.setup("/quiet")
    assert same_exit_code(proc.returncode, 1639)
    assert "give a verb" in proc.stderr


def test_hand_made_installation_is_taken_over_then_upgraded(world: World) -> None:
    hand_made(world.winsw, world.folder, kind="staging", base="ip", version="2.27.0",
              jar=world.publish("2.27.0"), properties=world.properties, start=True)
    assert world.wait_answers("2.27.0")
    world.publish("2.28.0")
    approved(world, "2.28.0")
    wizard = Wizard(world)
    wizard.answer("Take this installation over? [Y/n]: ", "")
    # The state file written by the take-over names staging: the offer is for staging, not the default.
    wizard.wait_for("1. upgrade to 2.28.0 (Digdir's approved version for staging)")
    wizard.answer("What now [1]: ", "")
    wizard.answer("Upgrade to [2.28.0]: ", "")
    wizard.answer("Upgrade 2.27.0 to 2.28.0 now?", "y")
    assert wizard.finish() == 0, wizard.text()
    assert world.answers() == "2.28.0"
    code, doc = world.status()
    assert code == 0 and doc["env"] == "staging" and doc["previous_versions"] == ["2.27.0"]
    assert service_xml.read(world.folder / "ip.xml").profile == "staging"


def test_kosmos_is_offered_to_be_replaced_by_the_service(world: World) -> None:
    kosmos_running(world)
    approved(world, "2.27.0")
    wizard = Wizard(world)
    wizard.wait_for("KOSMOS runs integrasjonspunkt in")
    wizard.answer("Replace KOSMOS with the service? [Y/n]: ", "")
    wizard.wait_for("disable KOSMOS and stop the integrasjonspunkt it runs")
    wizard.answer("as KOSMOS did (/schedule latest, Monday to Friday at 05:30)? [Y/n]: ", "")
    wizard.wait_for("Scheduled: /upgrade latest at 05:30 on MON,TUE,WED,THU,FRI")
    wizard.answer("What now [", "")  # quit: nothing newer to offer
    assert wizard.finish() == 0, wizard.text()
    assert world.answers() == "2.27.0"
    kosmos = world.winsw.record("kosmossvc")
    assert kosmos is not None and kosmos["start_type"] == DISABLED
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.27.0" and doc["env"] == "production"
    assert doc["schedule"]["spec"] == "latest" and doc["schedule"]["registered"]


def test_interrupted_install_is_offered_to_finish(world: World) -> None:
    world.publish("2.28.0")
    proc = world.setup("/install", "2.28.0", *QUICK, "/quiet", "/properties", str(world.properties),
                       env={FAULT_ENV: "start"})
    assert proc.returncode == -9, proc.stderr  # killed: the journal stays
    wizard = Wizard(world)
    wizard.wait_for("1. finish the interrupted operation")
    wizard.answer("What now [1]: ", "")
    assert wizard.finish() == 0, wizard.text()
    assert "The interrupted install was undone" in wizard.text()
    assert_nothing_installed(world)
