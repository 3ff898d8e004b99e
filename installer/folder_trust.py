"""Whether the install folder may be trusted (CLI.md "Trust"), how a new one is created, and how an untrusted one
is taken over.

setup runs elevated and starts what the folder names (its setup.toml, state, journal, WinSW exe). On Windows any
authenticated user can create `C:\\integrasjonspunkt` before the admin does (FACTS.md W9), so nothing is read from
the folder or its `.setup/` until both are owned by Administrators or SYSTEM and no other account can write to
them. POSIX (the tests): owned by root or the running user, no group/other write.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from installer.messages import t
from installer.windows import acls

log = logging.getLogger(__name__)

# SDDL abbreviations and SIDs that may own and write the folder: Administrators, SYSTEM, TrustedInstaller.
_ADMIN_SIDS = {"BA", "S-1-5-32-544", "SY", "S-1-5-18"}
_TRUSTED_WRITERS = _ADMIN_SIDS | {"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464"}
# CREATOR OWNER only names whoever creates a child: that is one of the writers above.
_CREATOR_OWNER = {"CO", "S-1-3-0"}
# Access bits that let an account change the folder or what is in it: write/append data (add file and sub-folder),
# write extended attributes, delete child, write attributes, DELETE, WRITE_DAC, WRITE_OWNER, GENERIC_ALL, _WRITE.
_WRITE_BITS = 0x2 | 0x4 | 0x10 | 0x40 | 0x100 | 0x10000 | 0x40000 | 0x80000 | 0x10000000 | 0x40000000
# SDDL right codes (two letters each) and their bits.
_RIGHT_CODES = {
    "GA": 0x10000000, "GR": 0x80000000, "GW": 0x40000000, "GX": 0x20000000,
    "RC": 0x20000, "SD": 0x10000, "WD": 0x40000, "WO": 0x80000,
    "RP": 0x10, "WP": 0x20, "CC": 0x1, "DC": 0x2, "LC": 0x4, "SW": 0x8, "LO": 0x80, "DT": 0x40, "CR": 0x100,
    "FA": 0x1F01FF, "FR": 0x120089, "FW": 0x120116, "FX": 0x1200A0,
    "KA": 0xF003F, "KR": 0x20019, "KW": 0x20006, "KX": 0x20019,
}
# What setup reads or runs itself, besides the folder: each could be rewritten by its owner.
_READ_FILES = (".setup", "setup.toml", ".setup/state.json", ".setup/journal.json", ".setup/setup.exe")
_ACE = re.compile(r"\(([^;()]*);([^;()]*);([^;()]*);[^;()]*;[^;()]*;([^;()]*)[^()]*\)")


@dataclass(frozen=True)
class Verdict:
    trusted: bool
    # The first path that failed and why (a message), for the admin.
    path: Path | None = None
    reason: str = ""

    def message(self, folder: Path, verb: str | None) -> str:
        return t("trust.untrusted", path=self.path or folder, reason=self.reason, fix=fix_command(folder, verb))


TRUSTED = Verdict(True)


def fix_command(folder: Path, verb: str | None) -> str:
    """What the admin runs to take the folder over: the same verb with /secure-folder."""
    return f'setup /{verb or "install"} /dir "{folder}" /secure-folder'


def check(folder: Path) -> Verdict:
    """The verdict on `folder`, its `.setup/` and the files setup reads from them; a folder that does not exist is
    trusted (setup creates it)."""
    for path in (folder, *(folder / name for name in _READ_FILES)):
        try:
            path.lstat()
        except FileNotFoundError:
            continue
        except OSError as exc:
            return Verdict(False, path, str(exc))
        reason = _windows_problem(path) if os.name == "nt" else _posix_problem(path, inside=path != folder)
        if reason:
            log.warning("folder not trusted: %s: %s", path, reason)
            return Verdict(False, path, reason)
    return TRUSTED


def _posix_problem(path: Path, inside: bool) -> str:
    if inside and path.is_symlink():  # the folder itself may be a link the admin made; nothing inside it
        return t("trust.link")
    info = path.stat()
    if info.st_uid not in (0, os.geteuid()):
        return t("trust.owner", owner=f"uid {info.st_uid}")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return t("trust.writable", who=f"mode {stat.S_IMODE(info.st_mode):o}")
    return ""


def _windows_problem(path: Path) -> str:
    sddl = acls.security_descriptor(path)
    if sddl is None:
        return t("trust.unreadable")
    return sddl_problem(sddl, running_user())


_running_user: list[str | None] = []


def running_user() -> str | None:
    """The SID setup runs as (an administrator: it may own and write the folder, as root may on POSIX), once."""
    if not _running_user:
        _running_user.append(acls.current_user_sid())
    return _running_user[0]


def sddl_problem(sddl: str, user: str | None = None) -> str:
    """Why a folder with this security descriptor (SDDL: owner and DACL) is not trusted, or ''. `user`: the SID
    setup runs as, which may own and write it too."""
    owner = re.search(r"O:(S-[0-9-]+|[A-Z]{2})", sddl)
    if owner is None or (owner.group(1) not in _ADMIN_SIDS and owner.group(1) != user):
        return t("trust.owner", owner=owner.group(1) if owner else "?")
    return sddl_writers_problem(sddl, user)


def sddl_writers_problem(sddl: str, user: str | None = None) -> str:
    """Why accounts other than Administrators, SYSTEM, TrustedInstaller (and `user`, the SID setup runs as) can
    change the object, or ''."""
    dacl = re.search(r"D:([A-Z]*)((?:\([^()]*\))*)", sddl)
    if dacl is None or "D:NO_ACCESS_CONTROL" in sddl:  # a NULL DACL: everyone has full access
        return t("trust.writable", who="Everyone")
    for kind, _flags, rights, sid in _ACE.findall(dacl.group(2)):
        if kind not in ("A", "OA") or sid in _TRUSTED_WRITERS or sid in _CREATOR_OWNER or sid == user:
            continue
        if _mask(rights) & _WRITE_BITS:
            return t("trust.writable", who=sid)
    return ""


def _mask(rights: str) -> int:
    if rights.lower().startswith("0x"):
        return int(rights, 16)
    mask = 0
    for i in range(0, len(rights), 2):
        mask |= _RIGHT_CODES.get(rights[i:i + 2], _WRITE_BITS)  # an unknown code counts as write (harsher)
    return mask


def create(folder: Path) -> None:
    """Make a new install folder locked down from the first moment: before the lock file or the log is written."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "nt":
        acls.restrict(folder)
    else:
        os.chmod(folder, 0o755)  # readable as before (mkdir honours umask), never group/other-writable


def secure(folder: Path, account: str | None = None) -> None:
    """/secure-folder: take ownership of the folder and lock it down."""
    log.info("securing %s", folder)
    if os.name == "nt":
        acls.apply(acls.takeover_commands(folder, account))
        return
    _own(folder)
    for root, dirs, files in os.walk(folder):  # never follows links: a link is left as it is
        for name in dirs + files:
            entry = Path(root) / name
            if not entry.is_symlink():
                _own(entry)


def _own(path: Path) -> None:
    os.chown(path, os.geteuid(), os.getegid())
    os.chmod(path, stat.S_IMODE(path.stat().st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
