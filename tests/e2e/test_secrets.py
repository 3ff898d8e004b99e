"""Secrets stay secret (issue: a password with a control character survived masking through `{value!r}`, and
`IPSETUP_*_PASSWORD` reached every child process): no message holds a password in any spelling, the variable is
gone after reading, and a child process started by setup does not see it."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from installer import cli, logsetup, service_xml
from installer.errors import SetupError
from installer.messages import set_language
from tests.harness import jdks

pytestmark = pytest.mark.skipif(os.name == "nt", reason="a POSIX shell script as java")

SECRET = "s3cr\x01t-\u00e6\x1b[31m"  # a control character, a letter outside ASCII and a terminal escape
XML = b"<service><id>integrasjonspunkt</id><executable>java</executable></service>"


def spellings(secret: str) -> list[str]:
    return [secret, repr(secret)[1:-1], json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
            secret.encode("unicode_escape").decode("ascii")]


def test_a_password_xml_cannot_hold_is_not_named_in_the_message() -> None:
    set_language("en")
    with pytest.raises(SetupError) as raised:
        service_xml.with_account(XML, service_xml.ServiceAccount(r".\svc-ip", SECRET))
    assert "password" in raised.value.message
    for form in spellings(SECRET):
        assert form not in raised.value.message


def test_escaped_forms_are_masked() -> None:
    logsetup.register_secret(SECRET)
    for form in spellings(SECRET):
        assert logsetup.redact(f"value '{form}' here") == "value '********' here"


def test_a_short_secret_is_masked_where_it_stands_alone_only() -> None:
    logsetup.register_secret("p")
    assert logsetup.redact("keystore none.p12, password=p, 'p'") == "keystore none.p12, password=********, '********'"


def test_the_password_variable_is_gone_and_no_child_sees_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             published: list[str],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    real = jdks.java17()
    if real is None:
        pytest.skip("needs a Java")
    seen = tmp_path / "environment-of-java"
    java = tmp_path / "bin" / "java"
    java.parent.mkdir()
    java.write_text(f"#!/bin/sh\nenv > {seen}\nexec {real} \"$@\"\n")
    java.chmod(0o755)
    monkeypatch.setenv("IPSETUP_SERVICE_PASSWORD", SECRET)
    monkeypatch.setenv("IPSETUP_KEYSTORE_PASSWORD", "keystore-" + SECRET)
    cli.main(["/check", "2.28.1", "/dir", str(tmp_path / "ip"), "/java", str(java), "/json", *published])
    captured = capsys.readouterr()
    assert json.loads(captured.out)["java"] == str(java)
    assert "IPSETUP_SERVICE_PASSWORD" not in os.environ and "IPSETUP_KEYSTORE_PASSWORD" not in os.environ
    environment = seen.read_text(errors="replace")
    assert not re.search("IPSETUP_[A-Z_]*PASSWORD", environment)
    assert "s3cr" not in environment
    for form in spellings(SECRET):
        assert form not in captured.out + captured.err
