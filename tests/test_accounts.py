"""/service-user: the account forms, the combinations with /service-password and /create-user, and the
<serviceaccount> WinSW 2.12 registers the service with (domain + user, a password only where one exists)."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree

from installer import accounts, service_xml
from installer.errors import ExitCode, SetupError


@pytest.mark.parametrize(("value", "kind", "username"), [
    ("LocalSystem", "localsystem", "LocalSystem"),
    ("localsystem", "localsystem", "LocalSystem"),
    ("virtual", "virtual", "NT SERVICE\\ip-test"),
    ("NT SERVICE\\ip-test", "virtual", "NT SERVICE\\ip-test"),
    (".\\ipsvc", "local", ".\\ipsvc"),
    ("DIGDIR\\ipsvc", "domain", "DIGDIR\\ipsvc"),
    ("digdir.local\\ipsvc", "domain", "digdir.local\\ipsvc"),
    ("DIGDIR\\ip-gmsa$", "gmsa", "DIGDIR\\ip-gmsa$"),
])
def test_the_account_forms(value: str, kind: str, username: str) -> None:
    account = accounts.parse(value, "ip-test")
    assert (account.kind, account.username) == (kind, username)


@pytest.mark.parametrize("value", ["", "ipsvc", ".\\", "A\\b\\c", ".\\a:b", "NT SERVICE\\other", "NT AUTHORITY\\x",
                                   "DIGDIR\\name-longer-than-15$", ".\\" + "x" * 21, "\\\\server\\x"])
def test_a_bad_account_is_1639(value: str) -> None:
    with pytest.raises(SetupError) as raised:
        accounts.parse(value, "ip-test")
    assert raised.value.code == ExitCode.BAD_COMMAND_LINE and "\n" not in raised.value.message


@pytest.mark.parametrize(("value", "create", "password"), [
    ("DIGDIR\\ipsvc", True, None),  # only a local user is created
    ("virtual", True, None),
    (".\\ipsvc", True, "given"),  # /create-user makes its own
    (".\\ipsvc", False, None),  # a user's password is needed for the registration
    ("DIGDIR\\ipsvc", False, None),
    ("virtual", False, "given"),  # Windows manages these passwords
    ("DIGDIR\\ip$", False, "given"),
    ("LocalSystem", False, "given"),
])
def test_combinations_that_cannot_work_are_1639(value: str, create: bool, password: str | None) -> None:
    with pytest.raises(SetupError) as raised:
        accounts.check(accounts.parse(value, "ip"), create=create, password=password)
    assert raised.value.code == ExitCode.BAD_COMMAND_LINE
    assert "given" not in raised.value.message


def test_create_user_is_refused_until_it_is_built() -> None:
    # Accepted, it registered the service with a user that does not exist and no password.
    with pytest.raises(SetupError) as raised:
        accounts.check(accounts.parse(".\\ipsvc", "ip"), create=True, password=None)
    assert raised.value.code == ExitCode.BAD_COMMAND_LINE and "not available" in raised.value.message


def _account_xml(value: str, password: str | None) -> dict[str, str] | None:
    spec = service_xml.ServiceSpec(service_id="ip", java="C:\\java\\bin\\java.exe", profile="staging",
                                   jar_name="integrasjonspunkt-2.28.1.jar", jvm_options=[],
                                   account=accounts.parse(value, "ip").for_xml(password))
    element = ElementTree.fromstring(service_xml.render(spec)).find("serviceaccount")
    return None if element is None else {child.tag: child.text or "" for child in element}


def test_the_service_account_element_for_each_form() -> None:
    assert _account_xml("LocalSystem", None) is None  # WinSW's default
    # WinSW 2.12 registers (domain or ".") + "\" + user; the password element absent -> a null password.
    assert _account_xml("virtual", None) == {"domain": "NT SERVICE", "user": "ip", "username": "NT SERVICE\\ip"}
    assert _account_xml("DIGDIR\\ip-gmsa$", None) == {
        "domain": "DIGDIR", "user": "ip-gmsa$", "username": "DIGDIR\\ip-gmsa$", "allowservicelogon": "true"}
    assert _account_xml(".\\ipsvc", "s3cret") == {
        "domain": ".", "user": "ipsvc", "username": ".\\ipsvc", "password": "s3cret", "allowservicelogon": "true"}
    assert _account_xml("DIGDIR\\ipsvc", "s3cret") == {
        "domain": "DIGDIR", "user": "ipsvc", "username": "DIGDIR\\ipsvc", "password": "s3cret",
        "allowservicelogon": "true"}
