"""/service-user end to end with the WinSW stand-in: the service is registered with the account from the XML
(the stand-in records it as the service manager would), /status shows it, the password leaves the XML once the
service is registered and never reaches the log, and an upgrade keeps the account. /create-user against the
account stand-in (tests/harness/fake_windows_accounts.py, loaded into setup by sitecustomize): the user is
created, registered with its password once, given its rights, and deleted by a failed install and by /uninstall."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import psutil
import pytest

from installer import step_names as names
from installer.engine import FAULT_ENV
from installer.errors import ExitCode
from installer.windows import rights, users
from tests.harness.fake_windows_accounts import ENV_FILE, FakeAccounts
from tests.harness.fixtures_world import FAST, REPO_ROOT, World
from tests.harness.service_registry import ENV_REGISTRY

pytestmark = [pytest.mark.e2e]


def _xml(world: World) -> str:
    return (world.folder / "integrasjonspunkt-service.xml").read_text(encoding="utf-8")


def test_a_virtual_account_is_registered_shown_and_kept_by_an_upgrade(world: World) -> None:
    world.publish("2.28.1")
    world.publish("2.28.2")
    done = world.install("2.28.1", "/service-user", "virtual")
    assert done.returncode == 0, done.stderr
    assert "<user>integrasjonspunkt</user>" in _xml(world) and "<password>" not in _xml(world)
    code, doc = world.status()
    assert code == 0 and doc["account"] == "NT SERVICE\\integrasjonspunkt", doc
    upgraded = world.setup("/upgrade", "2.28.2", "/quiet", "/health-timeout", "40", "/health-stable", "1")
    assert upgraded.returncode == 0, upgraded.stderr
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.28.2" and doc["account"] == "NT SERVICE\\integrasjonspunkt", doc


def test_a_users_password_is_used_once_and_never_kept(world: World) -> None:
    world.publish("2.28.1")
    secret = "Pw-for-the-registration-17"
    done = world.setup("/install", "2.28.1", "/quiet", "/health-timeout", "40", "/health-stable", "1",
                       "/properties", str(world.properties), "/service-user", ".\\ipsvc",
                       "/service-password", "-", stdin=secret + "\n")
    assert done.returncode == 0, done.stderr
    code, doc = world.status()
    assert code == 0 and doc["account"] == ".\\ipsvc", doc
    assert "<user>ipsvc</user>" in _xml(world) and "<password>" not in _xml(world)
    leftovers = [p for p in world.folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert leftovers == []
    assert secret not in done.stdout + done.stderr


@pytest.mark.parametrize("extra", [
    ["/service-user", ".\\ipsvc"],  # no password for a user
    ["/service-user", "virtual", "/service-password", "x"],
    ["/create-user"],  # with LocalSystem: there is no user to create
    ["/service-user", "DIGDIR\\ipsvc", "/create-user"],  # only a local user is created
    ["/service-user", ".\\ipuser", "/create-user", "/service-password", "x"],  # setup makes the password
    ["/service-user", "nobody"],
])
def test_an_account_that_cannot_work_is_1639_before_anything(world: World, extra: list[str]) -> None:
    world.publish("2.28.1")
    done = world.install("2.28.1", *extra)
    assert done.returncode == ExitCode.BAD_COMMAND_LINE % 256, done.stderr
    assert not world.folder.exists()
    assert "Traceback" not in done.stderr


def test_only_an_install_chooses_the_account(world: World) -> None:
    done = world.setup("/upgrade", "2.28.1", "/service-user", "virtual")
    assert done.returncode == ExitCode.BAD_COMMAND_LINE % 256, done.stderr


SITE = REPO_ROOT / "tests" / "harness" / "accounts_site"
CREATE = ["/service-user", ".\\ipuser", "/create-user"]


def _accounts(world: World) -> tuple[dict[str, str], Path]:
    """The environment that gives setup the account stand-in, and its file."""
    db = world.root / "windows-accounts.json"
    return {ENV_FILE: str(db), "PYTHONPATH": os.pathsep.join([str(SITE), str(REPO_ROOT)]),
            "COMPUTERNAME": "IPSRV"}, db


def _seen_by_children(world: World, secret: str) -> list[int]:
    """The processes of this service registry (WinSW stand-in, supervisor, the Java service) whose command
    line or environment holds `secret`."""
    found = []
    for proc in psutil.process_iter():
        try:
            environ = proc.environ()
            if environ.get(ENV_REGISTRY) != str(world.winsw.registry):
                continue
            if secret in " ".join(proc.cmdline()) or any(secret in v for v in environ.values()):
                found.append(proc.pid)
        except psutil.Error:
            continue
    return found


def test_create_user_installs_as_a_new_least_privilege_user(world: World) -> None:
    world.publish("2.28.1")
    world.publish("2.28.2")
    env, db = _accounts(world)
    done = world.install("2.28.1", *CREATE, env=env)
    assert done.returncode == 0, done.stderr
    made = FakeAccounts(db)
    user = made.users["ipuser"]
    password, sid = user["password"], user["sid"]
    assert user["comment"] == users.marker(world.folder) and user["flags"] == 0x10001
    assert len(password) >= 32 and made.rights == {sid: sorted(rights.SERVICE_RIGHTS)}
    assert made.event_log == {sid: 0x20019}
    # Registered with that user and exactly that password, which then left the XML.
    record = world.winsw.record("integrasjonspunkt")
    assert record is not None and record["account"] == ".\\ipuser"
    assert record["password_sha256"] == hashlib.sha256(password.encode()).hexdigest()
    assert "<user>ipuser</user>" in _xml(world) and "<password>" not in _xml(world)
    state = json.loads((world.folder / ".setup" / "state.json").read_text(encoding="utf-8"))
    assert state["account"] == ".\\ipuser" and state["account_created"] is True
    code, doc = world.status()
    assert code == 0 and doc["account"] == ".\\ipuser" and doc["account_created"] is True, doc
    # Nowhere else: not in a file (the account stand-in's own database aside), output, or a child's environment.
    leftovers = [p for p in world.root.rglob("*") if p.is_file() and p != db and password.encode() in p.read_bytes()]
    assert leftovers == []
    assert password not in done.stdout + done.stderr
    assert _seen_by_children(world, password) == []
    assert world.answers() == "2.28.1"
    # An upgrade keeps the registration's account and password (sc.exe config names no password) and the record.
    upgraded = world.setup("/upgrade", "2.28.2", *FAST, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    record = world.winsw.record("integrasjonspunkt")
    assert record is not None and record["account"] == ".\\ipuser"
    assert record["password_sha256"] == hashlib.sha256(password.encode()).hexdigest()
    code, doc = world.status()
    assert code == 0 and doc["version"] == "2.28.2" and doc["account_created"] is True, doc
    assert "password=" not in (world.folder / "installer-logs" / "setup.log").read_text(encoding="utf-8")

    removed = world.setup("/uninstall", "/quiet", env=env)
    assert removed.returncode == 0, removed.stderr
    gone = FakeAccounts(db)
    assert gone.users == {} and gone.rights == {} and gone.event_log == {}
    assert ["NetUserDel", None, "ipuser"] in gone.calls
    assert "ipuser" in removed.stdout + removed.stderr


def test_a_failed_install_deletes_the_user_it_created(world: World) -> None:
    world.publish("2.28.1", "exit_at_start")
    env, db = _accounts(world)
    done = world.install("2.28.1", *CREATE, env=env)
    assert done.returncode == ExitCode.INSTALL_FAILED, done.stderr
    made = FakeAccounts(db)
    assert [c[0] for c in made.calls if c[0] in ("NetUserAdd", "NetUserDel")] == ["NetUserAdd", "NetUserDel"]
    assert made.users == {} and made.rights == {} and made.event_log == {}
    assert world.winsw.record("integrasjonspunkt") is None


def test_an_existing_user_is_refused_and_nothing_changes(world: World) -> None:
    world.publish("2.28.1")
    env, db = _accounts(world)
    before = FakeAccounts(db)
    before.users["ipuser"] = {"comment": "made by hand", "password": "x", "flags": 0, "sid": "S-1-5-21-9-9-9-500"}
    before._save()
    done = world.install("2.28.1", *CREATE, env=env)
    assert done.returncode == ExitCode.PREREQUISITES, done.stderr
    assert "ipuser" in done.stderr and "Traceback" not in done.stderr
    assert not world.folder.exists()
    assert FakeAccounts(db).users["ipuser"]["comment"] == "made by hand"


def test_without_windows_accounts_create_user_is_a_prerequisite(world: World) -> None:
    world.publish("2.28.1")
    done = world.install("2.28.1", *CREATE)
    assert done.returncode == ExitCode.PREREQUISITES, done.stderr
    assert not world.folder.exists() and "Traceback" not in done.stderr


def test_a_created_user_runs_the_task_by_s4u_and_upgrades_need_no_password(world: World) -> None:
    """Task mode (Digdir's Alt 3): the user logs on as a batch job, the task stores no password (S4U), so the
    password only ever reaches NetUserAdd and an upgrade registers the task again without one."""
    world.publish("2.28.0")
    world.publish("2.28.1")
    env, db = _accounts(world)
    done = world.install("2.28.0", "/mode", "task", *CREATE, env=env)
    assert done.returncode == 0, done.stderr
    made = FakeAccounts(db)
    password, sid = made.users["ipuser"]["password"], made.users["ipuser"]["sid"]
    assert made.rights == {sid: sorted(rights.TASK_RIGHTS)}
    creates = [c[1:] for c in world.winsw.tasks.calls() if c[1] == "/create"]
    assert creates == [["/create", "/tn", "\\integrasjonspunkt", "/xml", str(world.folder / ".setup" / "task.xml"),
                        "/f"]]
    task = world.winsw.tasks.load("\\integrasjonspunkt")
    assert task is not None and "<LogonType>S4U</LogonType>" in task["xml"]
    assert "<UserId>.\\ipuser</UserId>" in task["xml"]
    leftovers = [p for p in world.root.rglob("*") if p.is_file() and p != db and password.encode() in p.read_bytes()]
    assert leftovers == [] and password not in done.stdout + done.stderr
    upgraded = world.setup("/upgrade", "2.28.1", *FAST, env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert world.answers() == "2.28.1"
    assert world.setup("/uninstall", *FAST, env=env).returncode == 0
    assert FakeAccounts(db).users == {}


@pytest.mark.parametrize("step", [names.CREATE_USER, names.GRANT_USER, names.REGISTER, names.SCRUB_PASSWORD])
def test_an_install_killed_after_the_user_was_made_is_undone_with_the_user(world: World, step: str) -> None:
    """The recovery rebuilds the plan from the journal, with no password: it never makes the user again, and
    deletes the one the killed run made, with its rights."""
    world.publish("2.28.1")
    env, db = _accounts(world)
    killed = world.install("2.28.1", *CREATE, env={**env, FAULT_ENV: step})
    assert killed.returncode == -9, killed.stderr
    assert "ipuser" in FakeAccounts(db).users
    recovered = world.setup("/recover", *FAST, env=env)
    assert recovered.returncode == 0, recovered.stderr
    after = FakeAccounts(db)
    assert after.users == {} and after.rights == {} and after.event_log == {}
    assert [c[0] for c in after.calls].count("NetUserAdd") == 1
    assert world.winsw.record("integrasjonspunkt") is None


def test_repair_moves_a_created_users_service_to_a_task_but_not_back(world: World) -> None:
    """/repair /mode task: the user gets log on as a batch job before the task is registered (S4U, no password);
    back to a service would need the password nobody knows: exit 10, the task keeps running."""
    world.publish("2.28.1")
    env, db = _accounts(world)
    assert world.install("2.28.1", *CREATE, env=env).returncode == 0
    moved = world.setup("/repair", "/mode", "task", *FAST, env=env)
    assert moved.returncode == 0, moved.stderr
    made = FakeAccounts(db)
    sid = made.users["ipuser"]["sid"]
    assert made.rights == {sid: sorted({*rights.SERVICE_RIGHTS, rights.BATCH_LOGON})}
    task = world.winsw.tasks.load("\\integrasjonspunkt")
    assert task is not None and "<LogonType>S4U</LogonType>" in task["xml"] and world.answers() == "2.28.1"
    back = world.setup("/repair", "/mode", "service", *FAST, env=env)
    assert back.returncode == ExitCode.PREREQUISITES and "ipuser" in back.stderr, back.stderr
    code, doc = world.status()
    assert code == 0 and doc["mode"] == "task" and doc["account_created"] is True, doc


def test_the_same_install_run_again_finds_it_installed(world: World) -> None:
    """A fleet script runs its /install line every time: the user setup made for this folder is that install's,
    so the second run answers "nothing to do" and makes no user; with the installation gone (an uninstall that
    could not delete the user), that user is refused: its password is unknown."""
    world.publish("2.28.1")
    env, db = _accounts(world)
    assert world.install("2.28.1", *CREATE, env=env).returncode == 0
    again = world.install("2.28.1", *CREATE, env=env)
    assert again.returncode == 0, again.stderr
    made = FakeAccounts(db)
    assert "ipuser" in made.users and [c[0] for c in made.calls].count("NetUserAdd") == 1
    made.fail["NetUserDel"] = 5  # access denied: the uninstall says so and leaves the user
    made._save()
    removed = world.setup("/uninstall", *FAST, env=env)
    assert removed.returncode == 0 and "lusrmgr.msc" in removed.stdout + removed.stderr
    refused = world.install("2.28.1", *CREATE, env=env)
    assert refused.returncode == ExitCode.PREREQUISITES and "ipuser" in refused.stderr, refused.stderr
