"""/service-user: the account forms, the combinations with /service-password and /create-user, the
<serviceaccount> WinSW 2.12 registers the service with (domain + user, a password only where one exists), and the
exact Windows calls /create-user makes (netapi32, advapi32, userenv) against the account stand-in."""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

from installer import accounts, created_user, service_xml
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.windows import rights, users
from tests.harness.fake_windows_accounts import FakeAccounts, sid_bytes


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


def test_create_user_takes_a_local_user_and_no_password() -> None:
    accounts.check(accounts.parse(".\\ipsvc", "ip"), create=True, password=None)


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


# --- /create-user: the exact Windows calls, against the account stand-in ------------------------------------

FOLDER = Path("/srv/ip")
SID = "S-1-5-21-1000-2000-3000-1001"


def _calls(fake: FakeAccounts, *names: str) -> list[list[Any]]:
    return [c for c in fake.calls if c[0] in names]


def test_the_password_is_long_random_and_complex() -> None:
    seen = {users.new_password("ipuser") for _ in range(200)}
    assert len(seen) == 200
    for password in seen:
        assert len(password) >= 32
        assert any(c.isupper() for c in password) and any(c.islower() for c in password)
        assert any(c.isdigit() for c in password) and any(c in users.SYMBOLS for c in password)
        assert "ipuser" not in password.lower()
        # Nothing XML, a shell or WinSW's %VAR% expansion reads specially.
        assert not set(password) & set("&<>\"'%^ ")


def test_an_existing_user_is_refused_before_anything(tmp_path: Path) -> None:
    fake = FakeAccounts()
    assert created_user.refuse_existing("ipuser", tmp_path, fake.dlls()) is False
    assert fake.calls == [["NetUserGetInfo", None, "ipuser", 1]]
    fake.users["ipuser"] = {"comment": "", "password": "x", "flags": 0, "sid": SID}
    with pytest.raises(SetupError) as raised:
        created_user.refuse_existing("ipuser", tmp_path, fake.dlls())
    assert raised.value.code == ExitCode.PREREQUISITES and "ipuser" in raised.value.message
    # The one setup made for this folder is its installation's: a repeated /install finds that installation.
    fake.users["ipuser"]["comment"] = users.marker(tmp_path)
    assert created_user.refuse_existing("ipuser", tmp_path, fake.dlls()) is True
    with pytest.raises(SetupError):
        created_user.refuse_existing("ipuser", tmp_path / "other", fake.dlls())
    with pytest.raises(SetupError) as raised:  # no Windows account database (a POSIX run)
        created_user.refuse_existing("ipuser", tmp_path)
    assert raised.value.code == ExitCode.PREREQUISITES


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeAccounts:
    accounts_db = FakeAccounts()
    monkeypatch.setattr(users, "system_dlls", accounts_db.dlls)
    monkeypatch.setenv("COMPUTERNAME", "IPSRV")
    return accounts_db


def test_create_and_grant_make_exactly_these_calls(fake: FakeAccounts, tmp_path: Path) -> None:
    password = users.new_password("ipuser")
    created_user.create_step("ipuser", tmp_path, password).do()
    assert fake.calls == [["NetUserAdd", None, 1, {
        "name": "ipuser", "password": "<password>", "password_age": 0, "priv": 1, "home_dir": None,
        "comment": f"integrasjonspunkt service account, created by setup for {tmp_path}",
        "flags": 0x10001, "script_path": None}]]  # UF_SCRIPT | UF_DONT_EXPIRE_PASSWD
    assert fake.users["ipuser"]["password"] == password
    fake.calls.clear()
    created_user.grant_step("ipuser", Layout(tmp_path), task=False).do()
    assert fake.calls == [
        ["LookupAccountNameW", None, "IPSRV\\ipuser", 68, 256],
        ["LsaOpenPolicy", None, 48 if ctypes.sizeof(ctypes.c_void_p) == 8 else 24, 0x810],
        ["LsaAddAccountRights", 0x4C5341, SID, ["SeServiceLogonRight", "SeDenyInteractiveLogonRight",
                                                "SeDenyRemoteInteractiveLogonRight", "SeDenyNetworkLogonRight"], 4],
        ["LsaClose", 0x4C5341],
        ["GetNamedSecurityInfoW", r"MACHINE\SYSTEM\CurrentControlSet\Services\EventLog", 4, 4, None, None, None],
        ["SetEntriesInAclW", 1, {"access": 0x20019, "mode": 1, "inheritance": 2, "form": 0, "type": 1, "sid": SID},
         0xDAC1],
        ["SetNamedSecurityInfoW", r"MACHINE\SYSTEM\CurrentControlSet\Services\EventLog", 4, 4, None, None, 0xDAC2,
         None],
        ["LocalFree", 0xDAC2],
        ["LocalFree", 0x5D],
    ]
    assert fake.rights == {SID: sorted(rights.SERVICE_RIGHTS)} and fake.event_log == {SID: 0x20019}
    # The folders the service writes exist, and an empty database file it may write without writing the folder.
    assert all((tmp_path / d).is_dir() for d in ("integrasjonspunkt-logs", "activemq-data", "messages"))
    assert (tmp_path / "integrasjonspunkt.mv.db").stat().st_size == 0


def test_the_undo_takes_everything_back_newest_first(fake: FakeAccounts, tmp_path: Path) -> None:
    create = created_user.create_step("ipuser", tmp_path, users.new_password("ipuser"))
    grant = created_user.grant_step("ipuser", Layout(tmp_path), task=False)
    create.do()
    grant.do()
    fake.profiles.append(SID)  # the service logged on once
    fake.calls.clear()
    grant.undo()
    create.undo()
    names = [c[0] for c in fake.calls]
    assert names == ["NetUserGetInfo", "NetApiBufferFree", "LookupAccountNameW",
                     "GetNamedSecurityInfoW", "SetEntriesInAclW", "SetNamedSecurityInfoW", "LocalFree", "LocalFree",
                     "LsaOpenPolicy", "LsaRemoveAccountRights", "LsaClose",
                     "NetUserGetInfo", "NetApiBufferFree", "LookupAccountNameW", "NetUserDel", "DeleteProfileW"]
    assert _calls(fake, "SetEntriesInAclW")[0][2] == {"access": 0, "mode": 4, "inheritance": 0, "form": 0,
                                                       "type": 1, "sid": SID}
    assert _calls(fake, "LsaRemoveAccountRights") == [["LsaRemoveAccountRights", 0x4C5341, SID, True, None, 0]]
    assert _calls(fake, "NetUserDel") == [["NetUserDel", None, "ipuser"]]
    assert _calls(fake, "DeleteProfileW") == [["DeleteProfileW", SID, None, None]]
    assert fake.users == {} and fake.rights == {} and fake.event_log == {} and fake.profiles == []
    assert not (tmp_path / "integrasjonspunkt.mv.db").exists()  # the empty file it made


def test_an_undo_never_touches_a_user_someone_else_made(fake: FakeAccounts, tmp_path: Path) -> None:
    """NetUserAdd refused (the user appeared after the check): the step began, so its undo runs, and must not
    delete the other user; nor may an install in another folder delete this folder's user."""
    fake.users["ipuser"] = {"comment": "made by hand", "password": "x", "flags": 0, "sid": SID}
    create = created_user.create_step("ipuser", tmp_path, users.new_password("ipuser"))
    with pytest.raises(OSError, match=r"NetUserAdd\(ipuser\) failed: error 2224"):
        create.do()
    create.undo()
    created_user.grant_step("ipuser", Layout(tmp_path), task=False).undo()
    assert "ipuser" in fake.users and not _calls(fake, "NetUserDel", "LsaRemoveAccountRights", "SetEntriesInAclW")
    fake.users["ipuser"]["comment"] = users.marker(tmp_path / "other")
    assert created_user.remove(tmp_path, "ipuser") is False
    assert "ipuser" in fake.users


def test_a_recovery_never_creates_the_user_again(fake: FakeAccounts, tmp_path: Path) -> None:
    with pytest.raises(OSError, match="no password"):
        created_user.create_step("ipuser", tmp_path, None).do()
    assert fake.users == {}


def test_uninstall_removes_the_user_with_its_rights(fake: FakeAccounts, tmp_path: Path) -> None:
    created_user.create_step("ipuser", tmp_path, users.new_password("ipuser")).do()
    created_user.grant_step("ipuser", Layout(tmp_path), task=False).do()
    assert created_user.remove(tmp_path, "ipuser") is True
    assert fake.users == {} and fake.rights == {} and fake.event_log == {}
    assert created_user.remove(tmp_path, "ipuser") is False  # gone already


def test_a_sid_is_written_as_windows_writes_it() -> None:
    assert users.sid_string(bytes([1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0])) == "S-1-5-18"
    assert users.sid_string(sid_bytes(SID)) == SID


def test_a_move_to_a_task_adds_the_batch_right_and_its_undo_takes_only_that_back(fake: FakeAccounts,
                                                                                tmp_path: Path) -> None:
    created_user.create_step("ipuser", tmp_path, users.new_password("ipuser")).do()
    created_user.grant_step("ipuser", Layout(tmp_path), task=False).do()
    step = created_user.logon_right_step(".\\ipuser", tmp_path, task=True)
    fake.calls.clear()
    step.do()
    assert _calls(fake, "LsaAddAccountRights") == [["LsaAddAccountRights", 0x4C5341, SID, ["SeBatchLogonRight"], 1]]
    assert "SeBatchLogonRight" in fake.rights[SID]
    step.undo()
    assert _calls(fake, "LsaRemoveAccountRights")[0][2:4] == [SID, False]
    assert fake.rights[SID] == sorted(rights.SERVICE_RIGHTS)
