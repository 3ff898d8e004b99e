"""What an operation's steps need, typed and frozen: `InstallContext` for /install (and /adopt of KOSMOS),
`SwitchContext` for /upgrade, /rollback and /repair.

Every decision (register anew, keep the registration, write the XML first, scrub the password) is taken when the
context is built; a plan only reads it. The journal keeps the context as a document (`to_document`) so a new
process can rebuild the very same steps (`from_document`). Format 2 is this one; format 1 is the unnumbered
dictionary setups before it wrote (the install named its jar `jar_cache`, both named the WinSW exe
`winsw_cache`), read and mapped so that a newer setup finishes an older one's interrupted operation.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from installer.layout import Layout

FORMAT = 2
SWITCHES = ("upgrade", "rollback", "repair")

Digest = tuple[str, str]  # (algorithm, hex) of a verified file


class UnreadableContext(ValueError):
    """A context document that lacks a value or holds one of the wrong kind (the field's name in args[0])."""


@dataclass(frozen=True, kw_only=True)
class KosmosService:
    """KOSMOS's service an /adopt takes over: stopped and disabled by the install's first step, back on undo."""

    service_id: str
    exe: Path
    start: str

    def as_dict(self) -> dict[str, str]:
        return {"service_id": self.service_id, "exe": str(self.exe), "start": self.start}


@dataclass(frozen=True, kw_only=True)
class OperationContext:
    """What install and switch have in common: the installation, the version it goes to and how it runs."""

    operation: str
    folder: Path
    service_id: str
    base: str | None = None  # an adopted installation's own exe/XML base name
    env: str
    to_version: str
    java: Path
    winsw: str  # "version/asset"
    jar_source: Path | None  # the verified jar to place; None when the folder has it (a rollback)
    winsw_source: Path | None  # the verified WinSW exe to place; None when the installed one stays (or a task)
    jar_digest: Digest | None = None
    winsw_digest: Digest | None = None
    staged_xml: Path
    health: str | None
    health_timeout: float
    health_stable: float
    scrub_password: bool = False
    service_proxy: bool = False
    mode: str = "service"  # "service" (WinSW) or "task" (Task Scheduler)
    account: str | None = None

    @property
    def layout(self) -> Layout:
        return Layout(self.folder, self.service_id, self.base)

    @property
    def from_version(self) -> str | None:
        return None

    @property
    def created_user(self) -> bool:
        """The account is a user setup created: its task logs on by S4U (no password known)."""
        return False


@dataclass(frozen=True, kw_only=True)
class InstallContext(OperationContext):
    operation: str = "install"
    health_url: str = ""
    new_folder: bool = False  # the folder was made by this install (its ACL is restricted)
    create_user: str | None = None  # the local user this install creates
    kosmos: KosmosService | None = None
    writes_properties: bool = False  # the properties file is written by this install (undo removes it)
    amends_properties: bool = False  # keys are appended to the admin's properties file (undo puts it back)

    @property
    def created_user(self) -> bool:
        return bool(self.create_user)


@dataclass(frozen=True, kw_only=True)
class SwitchContext(OperationContext):
    old_version: str
    java_old: Path | None = None
    winsw_old: str | None = None
    health_old: str | None = None
    backup_dir: Path
    failed_dir: Path  # where the new version's data goes when the switch is undone
    restore_from: Path | None = None  # /rollback /restore-data: the backup brought back
    replaced_dir: Path | None = None  # ... and where the data it replaces goes
    keystore: Path | None = None
    keep_registration: bool = False  # an account set in services.msc: the registration is not touched
    reregister: bool = True  # the registration is changed (else the XML differs only in what WinSW reads at start)
    xml_first: bool = False  # a repair of a broken XML writes it before anything (WinSW needs it even to stop)
    keep_jars: int = 2
    config_keys: tuple[tuple[str, str], ...] = ()
    databases: tuple[Path, ...] = ()
    mode_from: str = "service"
    account_created: bool = False

    @property
    def from_version(self) -> str:
        return self.old_version

    @property
    def created_user(self) -> bool:
        return self.account_created

    @property
    def changes_way(self) -> bool:
        """`/repair /mode`: from a service to a task or back."""
        return self.mode_from != self.mode

    def old_way(self) -> SwitchContext:
        """The same installation as it ran before the switch (what stops, and what is checked after an undo)."""
        return dataclasses.replace(self, mode=self.mode_from) if self.changes_way else self

    # --- named constructors ---------------------------------------------------------------------------

    @classmethod
    def upgrade(cls, *, stamp: str, same_registration: bool, **fields: Any) -> SwitchContext:
        """To another version. `same_registration`: the new XML registers the service as the old one did."""
        return cls._made("upgrade", stamp, "failed", same_registration, fields)

    @classmethod
    def rollback(cls, *, stamp: str, same_registration: bool, restore_from: Path | None,
                 **fields: Any) -> SwitchContext:
        """Back to the previous version; with `restore_from` (/restore-data) its backup comes back and the data it
        replaces goes to `<time>-replaced-<version>`."""
        ctx = cls._made("rollback", stamp, "rollback-replaced", same_registration, fields)
        if restore_from is None:
            return ctx
        return dataclasses.replace(ctx, restore_from=restore_from,
                                   replaced_dir=ctx.layout.backups / f"{stamp}-replaced-{ctx.old_version}")

    @classmethod
    def repair(cls, *, stamp: str, exe_present: bool, **fields: Any) -> SwitchContext:
        """The installed version again (always registered anew); with no exe in the folder and none
        downloaded nothing is placed."""
        ctx = cls._made("repair", stamp, "failed", False, fields)
        return ctx if exe_present or ctx.winsw_source else dataclasses.replace(ctx, winsw_source=None)

    @classmethod
    def _made(cls, operation: str, stamp: str, aside: str, same_registration: bool,
              fields: dict[str, Any]) -> SwitchContext:
        backups = Layout(fields["folder"], fields["service_id"], fields.get("base")).backups
        ctx = cls(operation=operation, backup_dir=backups / f"{stamp}-before-{fields['old_version']}",
                  failed_dir=backups / f"{stamp}-{aside}-{fields['to_version']}", **fields)
        return dataclasses.replace(ctx, reregister=registers_anew(ctx, same_registration))


def registers_anew(ctx: SwitchContext, same_registration: bool) -> bool:
    """Whether the service must be registered anew: unless the new XML differs from the one it was registered
    with only in what WinSW reads at every start (jar, Java, options), and the WinSW exe stays, registering
    again would change nothing but the length of the downtime. A repair always registers anew; a task's action
    names the jar and Java, so a task is registered anew too."""
    if ctx.operation == "repair" or ctx.xml_first or ctx.winsw_source or ctx.mode == "task":
        return True
    return not same_registration


# --- the journal's document -----------------------------------------------------------------------------

# Document key -> attribute, where they differ ("from" and "to" are what /status and older setups read).
_KEYS = {"from": "old_version", "to": "to_version"}
_ATTRS = {attr: key for key, attr in _KEYS.items()}


def to_document(ctx: OperationContext) -> dict[str, Any]:
    """The JSON-safe, secret-free document the journal keeps: paths as text, tuples as lists."""
    doc: dict[str, Any] = {"format": FORMAT}
    for field in dataclasses.fields(ctx):
        doc[_ATTRS.get(field.name, field.name)] = _plain(getattr(ctx, field.name))
    if isinstance(ctx, InstallContext):
        doc["from"] = None
        doc["kosmos"] = ctx.kosmos.as_dict() if ctx.kosmos else None
    if isinstance(ctx, SwitchContext):
        doc["config_keys"] = dict(ctx.config_keys)
    return doc


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def document_format(doc: dict[str, Any]) -> int:
    """The context document's format number; the unnumbered document of setups before format 2 is format 1."""
    number = doc.get("format", 1)
    if type(number) is not int or number < 1:
        raise UnreadableContext("format")
    return number


def from_document(operation: str, doc: dict[str, Any]) -> InstallContext | SwitchContext:
    """The typed context of a journal's operation from its document (format 1 or 2; a newer one is refused
    where the journal is read). Raises UnreadableContext naming a value that is missing or of the wrong kind."""
    values = _current(operation, doc) if document_format(doc) == 1 else dict(doc)
    values.pop("format", None)
    values["operation"] = operation
    kind: type[InstallContext | SwitchContext] = InstallContext if operation == "install" else SwitchContext
    known = typing.get_type_hints(kind)
    fields: dict[str, Any] = {}
    for key, value in values.items():
        name = _KEYS.get(key, key)
        if name in known:
            fields[name] = _typed(name, known[name], value)
    try:
        return kind(**fields)
    except TypeError as exc:
        missing = str(exc).rpartition(" ")[2].strip("'")
        raise UnreadableContext(_ATTRS.get(missing, missing)) from None


def _current(operation: str, doc: dict[str, Any]) -> dict[str, Any]:
    """A format-1 document in format 2's words. What the steps then read with a default is given it here."""
    values = {k: v for k, v in doc.items() if k not in ("jar_cache", "winsw_cache")}
    values["jar_source"] = doc.get("jar_cache") if operation == "install" else doc.get("jar_source")
    values["winsw_source"] = doc.get("winsw_cache")
    values["mode"] = doc.get("mode") or "service"
    if operation != "install":
        values["mode_from"] = doc.get("mode_from") or values["mode"]
        # Without "reregister" (a journal from before the decision was recorded) the field's default holds:
        # registered anew, which is always safe (the steps keep their names; both undos put the old one back).
    return values


def _typed(name: str, hint: Any, value: Any) -> Any:
    """`value` from JSON as the field's declared type (the grammar of each value is checked by journal.py)."""
    if value is None:
        return None
    if isinstance(hint, types.UnionType):  # `X | None`: the value is an X
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    args = typing.get_args(hint)
    try:
        if hint is Path:
            return Path(str(value))
        if hint is KosmosService:
            return KosmosService(service_id=str(value["service_id"]), exe=Path(str(value["exe"])),
                                 start=str(value.get("start") or "auto"))
        if typing.get_origin(hint) is tuple and args[-1] is Ellipsis:
            if args[0] is Path:  # the databases
                return tuple(Path(str(v)) for v in value)
            return tuple((str(k), str(v)) for k, v in dict(value).items())  # the config keys, a JSON object
        if typing.get_origin(hint) is tuple:  # a digest: (algorithm, hex)
            algorithm, hexdigest = value
            return (str(algorithm), str(hexdigest))
        if hint in (bool, float, int, str):
            return hint(value)
    except (TypeError, ValueError, KeyError, AttributeError):
        raise UnreadableContext(_ATTRS.get(name, name)) from None
    return value
