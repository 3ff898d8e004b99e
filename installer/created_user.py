"""The local user `/create-user` makes, through its life: refused when it exists already, created and given
Digdir's least-privilege rights by two journaled steps (undone when the install fails), removed by /uninstall.

setup deletes or changes only a user whose comment names this install folder (`users.marker`): a user of the
same name that someone else made is never touched, not even by an undo.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from installer import step_names as names
from installer.engine import Step
from installer.errors import ExitCode, SetupError
from installer.layout import DATA_DIRS, Layout
from installer.messages import t
from installer.windows import acls, rights, users

log = logging.getLogger(__name__)

DATABASE = "integrasjonspunkt.mv.db"  # where jdbc:h2:file:./integrasjonspunkt puts it


def refuse_existing(name: str, folder: Path, dlls: users.Dlls | None = None) -> bool:
    """Before anything changes: exit 10 when a user of that name exists that setup did not create for `folder`,
    or users cannot be created here. True when it is the user setup created for `folder` (an install there
    has it: a repeated /install finds that install), False when there is no such user."""
    try:
        dlls = dlls or users.system_dlls()
        comment = users.comment_of(name, dlls)
    except OSError as exc:
        raise SetupError(ExitCode.PREREQUISITES, t("account.create_failed", name=name, reason=exc)) from None
    if comment is None:
        return False
    if comment != users.marker(folder):
        raise SetupError(ExitCode.PREREQUISITES, t("account.create_exists", name=name))
    return True


def refuse_made_before(name: str) -> None:
    """The user setup created for this folder, without the installation that has it (its uninstall could not
    delete it): its password is unknown, so it is not used again (exit 10)."""
    raise SetupError(ExitCode.PREREQUISITES, t("account.create_exists", name=name))


def _ours(name: str, folder: Path, dlls: users.Dlls) -> bytes | None:
    """The user's SID when it is the one setup created for `folder`; None otherwise (gone, or someone else's)."""
    if users.comment_of(name, dlls) != users.marker(folder):
        return None
    return users.sid_of(name, dlls)


def create_step(name: str, folder: Path, password: str | None) -> Step:
    """NetUserAdd with the password the registration gets; undo deletes the user (and its profile)."""

    def do() -> None:
        if password is None:  # a recovery rebuilds the plan without it: it only ever undoes this step
            raise OSError("no password for the new user")
        users.create(name, password, users.marker(folder), users.system_dlls())

    def undo() -> None:
        dlls = users.system_dlls()
        sid = _ours(name, folder, dlls)
        if sid is None:
            return
        users.delete(name, dlls)
        users.delete_profile(users.sid_string(sid), dlls)

    return Step(names.CREATE_USER, do, undo)


def _data_paths(layout: Layout) -> tuple[list[Path], list[Path]]:
    return [layout.service_logs, *(layout.root / d for d in DATA_DIRS)], [layout.root / DATABASE]


def grant_step(name: str, layout: Layout, task: bool) -> Step:
    """The logon rights (log on as a service, or as a batch job for a task; denied locally, through Remote
    Desktop and from the network), read on the event log key, and the folder's ACL by SID. The database file is
    made empty when missing, so the user can be given Modify on it without write access to the folder (H2 opens
    an empty file as a new database). `task`: the user runs a task, not a service."""
    modify_dirs, modify_files = _data_paths(layout)

    def do() -> None:
        dlls = users.system_dlls()
        sid = users.sid_of(name, dlls)
        if sid is None:
            raise OSError(f"the new user {name} cannot be found")
        # A task's user logs on as a batch job, a service's as a service.
        granted = rights.TASK_RIGHTS if task else rights.SERVICE_RIGHTS
        rights.add_rights(sid, granted, dlls)
        rights.grant_event_log_read(sid, dlls)
        for folder in modify_dirs:
            folder.mkdir(parents=True, exist_ok=True)
        for path in modify_files:
            if not path.exists():
                path.touch()
        if os.name == "nt":
            acls.apply(acls.account_grants(layout.root, users.sid_string(sid), modify_dirs,
                                                            modify_files))

    def undo() -> None:
        dlls = users.system_dlls()
        sid = _ours(name, layout.root, dlls)
        if sid is not None:
            _take_back(layout.root, sid, dlls)
        for path in modify_files:  # the empty file made above; one the service wrote stays
            if path.exists() and path.stat().st_size == 0:
                path.unlink()

    return Step(names.GRANT_USER, do, undo)


def logon_right_step(account: str, folder: Path, task: bool) -> Step:
    """`/repair /mode`: the created user (`account`, as the state names it) gets the new way's logon right (as
    a batch job for a task, as a service for a service); undo takes it back. The old way's right stays, so an
    undo finds it."""
    name = account.rpartition("\\")[2]
    right = rights.BATCH_LOGON if task else rights.SERVICE_LOGON

    def do() -> None:
        dlls = users.system_dlls()
        sid = _ours(name, folder, dlls)
        if sid is None:
            raise OSError(f"the user {name} that setup created for {folder} is not there")
        rights.add_rights(sid, (right,), dlls)

    def undo() -> None:
        dlls = users.system_dlls()
        sid = _ours(name, folder, dlls)
        if sid is not None:
            rights.remove_rights(sid, (right,), dlls)

    return Step(names.USER_LOGON_RIGHT, do, undo)


def _take_back(root: Path, sid: bytes, dlls: users.Dlls) -> None:
    rights.revoke_event_log(sid, dlls)
    rights.remove_all_rights(sid, dlls)
    if os.name == "nt":
        acls.apply(acls.account_removal(root, users.sid_string(sid)))


def remove(folder: Path, name: str, dlls: users.Dlls | None = None) -> bool:
    """/uninstall: the user setup created for `folder`, its rights, ACL entries and profile. False when there
    was none of ours to remove. OSError when Windows refuses."""
    dlls = dlls or users.system_dlls()
    sid = _ours(name, folder, dlls)
    if sid is None:
        return False
    _take_back(folder, sid, dlls)
    users.delete(name, dlls)
    users.delete_profile(users.sid_string(sid), dlls)
    return True
