"""The one way to read the files setup keeps in the install folder's `.setup/` (and its own log).

setup runs elevated and acts on what these files say, so each is read here and checked before anything uses it
(CLI.md "Trust"): a link or reparse point is refused (it would send a read or a write somewhere else), a file
that is damaged is named together with what the admin can do, a file from a newer setup is left exactly as it
is, and the values a file may hold are checked by their grammar by its own module (state.py, journal.py) with
the helpers below.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path, PurePath
from typing import Any

from installer import __version__
from installer.errors import ExitCode, SetupError
from installer.layout import Layout
from installer.messages import t

# Every document setup writes says which setup wrote it, so a refusal can name the version to use.
WRITTEN_BY = "written_by"
_REPARSE_POINT = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


# --- links ------------------------------------------------------------------------------------------------


def is_link(path: Path) -> bool:
    """True for a symbolic link, and on Windows for any reparse point (junctions, mount points)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISLNK(info.st_mode) or bool(getattr(info, "st_file_attributes", 0) & _REPARSE_POINT)


def refuse_link(path: Path) -> None:
    if is_link(path):
        raise SetupError(ExitCode.ATTENTION, t("files.link", path=path))


def refuse_links(root: Path) -> None:
    """Exit 14 (nothing run) when `.setup/`, anything below it, `installer-logs/` or the log in it is a link."""
    layout = Layout(root)
    private, logs = layout.private, layout.setup_logs
    refuse_link(private)
    refuse_link(logs)
    for folder in (private, logs):
        if not folder.is_dir():
            continue
        for where, dirs, files in os.walk(folder):
            for name in dirs + files:
                refuse_link(Path(where) / name)
            if folder == logs:
                break  # only the log files themselves; the folder holds nothing else of setup's


# --- JSON documents (state.json, journal.json) -----------------------------------------------------------


def damaged(path: Path, reason: str, remedy: str) -> SetupError:
    return SetupError(ExitCode.ATTENTION, t("files.damaged", file=path, reason=reason, remedy=remedy))


def read_document(path: Path, newest_format: int, remedy: str) -> dict[str, Any] | None:
    """The JSON object in `path`, None when there is no file. Exit 14 naming the file and `remedy` when it is
    a link, unreadable, not JSON or not an object; exit 10 when a newer setup wrote it (it is not touched)."""
    refuse_link(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise damaged(path, exc.strerror or type(exc).__name__, remedy) from None
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged(path, t("files.not_json", size=len(data)), remedy) from None
    if not isinstance(doc, dict):
        raise damaged(path, t("files.not_object", kind=type(doc).__name__), remedy)
    number = doc.get("format")
    if type(number) is not int or number < 1:
        raise damaged(path, t("files.no_format"), remedy)
    refuse_newer(path, number, newest_format, doc.get(WRITTEN_BY))
    return doc


def refuse_newer(path: Path, number: int, newest_format: int, written_by: object) -> None:
    """Exit 10 naming the setup that wrote `path` when its format `number` is newer than this setup reads (the
    file is left as it is)."""
    if number <= newest_format:
        return
    if isinstance(written_by, str) and written_by:
        raise SetupError(ExitCode.PREREQUISITES, t("files.newer", file=path, version=written_by, ours=__version__))
    raise SetupError(ExitCode.PREREQUISITES, t("files.newer_unknown", file=path, format=number, ours=__version__))


def untrusted(path: Path, name: str, value: object) -> SetupError:
    """A value that fails its grammar or points outside the folder: exit 14, nothing run."""
    return SetupError(ExitCode.ATTENTION, t("files.untrusted", file=path, field=name, value=str(value)))


def require(path: Path, doc: dict[str, Any], name: str, ok: bool) -> None:
    if not ok:
        raise untrusted(path, name, doc.get(name))


def plain_name(value: object) -> bool:
    """A file name without a folder: no separator, no drive, not `.` or `..`, nothing hidden in it."""
    if not isinstance(value, str) or value in ("", ".", "..") or len(value) > 120:
        return False
    return not any(c in value for c in '/\\:*?"<>|') and value.isprintable()


def under(value: object, *roots: Path) -> bool:
    """True when `value` is a path inside one of `roots`, spelled without `..` (relative paths, from a relative
    /dir, are taken from the current folder, as the run that wrote them did)."""
    if not isinstance(value, str) or not value or not value.isprintable():
        return False
    path = Path(value).absolute()
    if ".." in path.parts:
        return False
    return any(path != root.absolute() and path.is_relative_to(root.absolute()) for root in roots)


def absolute_path(value: object) -> bool:
    return isinstance(value, str) and value.isprintable() and ".." not in PurePath(value).parts \
        and Path(value).is_absolute()


# --- the registration digest -----------------------------------------------------------------------------


def read_digest(path: Path) -> str | None:
    """`.setup/registration.sha256`: the digest, or None when it is missing or not a digest (then the service
    is registered again, which is always safe)."""
    refuse_link(path)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if _SHA256.match(text) else None


# --- the lock file ---------------------------------------------------------------------------------------


def open_lock(path: Path, *, create: bool) -> int | None:
    """A descriptor of `.setup/lock` opened for writing without following a link; None when it does not exist
    and `create` is False. A folder setup cannot write in is exit 10 naming the file (nothing changed)."""
    refuse_link(path.parent)
    refuse_link(path)
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | (os.O_CREAT if create else 0)
    try:
        if create:
            # Never group/other-writable whatever the umask: such a folder is not trusted (CLI.md "Trust").
            path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        return os.open(path, flags, 0o644)
    except FileNotFoundError:
        if create:
            raise SetupError(ExitCode.PREREQUISITES, t("files.lock_unwritable", file=path,
                                                       reason=t("files.folder_missing"))) from None
        return None
    except OSError as exc:
        if is_link(path):  # created between the check and the open
            raise SetupError(ExitCode.ATTENTION, t("files.link", path=path)) from None
        if not create:
            return None
        raise SetupError(ExitCode.PREREQUISITES, t("files.lock_unwritable", file=path,
                                                   reason=exc.strerror or type(exc).__name__)) from None
