"""The command-line grammar of CLI.md: Windows and POSIX styles, verbs with values, options with values.

Parsing only: it turns argv into an `Invocation` of raw strings. The verbs and their arity come from verbs.py;
typing and precedence belong to settings.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.verbs import VERBS, Arity, where

# Option name -> arity. Aliases map to their canonical name below.
OPTIONS: dict[str, Arity] = {
    "dir": Arity.VALUE,
    "env": Arity.VALUE,
    "service-id": Arity.VALUE,
    "java": Arity.VALUE,
    "winsw": Arity.VALUE,
    "health-timeout": Arity.VALUE,
    "health-stable": Arity.VALUE,
    "jvm-options": Arity.VALUE,
    "keep-jars": Arity.VALUE,
    "allow-major": Arity.FLAG,
    "allow-http": Arity.FLAG,
    "norestart": Arity.FLAG,
    "ignore-kosmos": Arity.FLAG,
    "from-kosmos": Arity.FLAG,
    "at": Arity.VALUE,
    "days": Arity.VALUE,
    "service-password": Arity.VALUE,
    "service-user": Arity.VALUE,
    "create-user": Arity.FLAG,
    "mode": Arity.VALUE,
    "lang": Arity.VALUE,
    "quiet": Arity.FLAG,
    "yes": Arity.FLAG,
    "log": Arity.VALUE,
    "json": Arity.FLAG,
    "maven-repo": Arity.VALUE,
    "github-releases": Arity.VALUE,
    "github-api": Arity.VALUE,
    "versions-url": Arity.VALUE,
    "winsw-releases": Arity.VALUE,
    "proxy": Arity.VALUE,
    "service-proxy": Arity.VALUE,
    "winsw-catalog": Arity.VALUE,
    "offline": Arity.VALUE,
    "trusted-key": Arity.VALUE,
    "key-url": Arity.VALUE,
    "allow-unsigned": Arity.FLAG,
    "allow-downgrade": Arity.FLAG,
    "secure-folder": Arity.FLAG,
    # options of single verbs
    "to": Arity.VALUE,
    "properties": Arity.VALUE,
    "orgnr": Arity.VALUE,
    "keystore": Arity.VALUE,
    "keystore-alias": Arity.VALUE,
    "keystore-password": Arity.VALUE,
    "keystore-type": Arity.VALUE,
    "tls-keystore": Arity.VALUE,
    "tls-keystore-alias": Arity.VALUE,
    "tls-keystore-password": Arity.VALUE,
    "purge": Arity.FLAG,
    "restore-data": Arity.FLAG,
    # information
    "help": Arity.FLAG,
    "version": Arity.FLAG,
}

ALIASES = {"q": "quiet", "qn": "quiet", "?": "help", "h": "help"}

# Which verb an option of a single verb belongs to.
VERB_OPTIONS = {
    "to": {"download"},
    "properties": {"install"},
    "orgnr": {"install"},
    "keystore": {"install"},
    "keystore-alias": {"install"},
    "keystore-password": {"install"},
    "keystore-type": {"install"},
    "tls-keystore": {"install"},
    "tls-keystore-alias": {"install"},
    "tls-keystore-password": {"install"},
    "purge": {"uninstall"},
    # An existing installation keeps its account: only an install chooses one.
    "service-user": {"install"},
    "create-user": {"install"},
    # The way it runs (WinSW service or Task Scheduler task) is chosen at install and kept.
    "mode": {"install", "repair"},
    "restore-data": {"rollback"},
    "from-kosmos": {"adopt"},
    "at": {"schedule"},
    "days": {"schedule"},
    # It changes the folder's owner and rights: never with a verb that only reads.
    "secure-folder": where("changes"),
}


@dataclass
class Invocation:
    verb: str | None = None
    value: str | None = None
    options: dict[str, str | bool] = field(default_factory=dict)

    def flag(self, name: str) -> bool:
        return bool(self.options.get(name, False))


def _bad(key: str, **values: object) -> SetupError:
    return SetupError(ExitCode.BAD_COMMAND_LINE, t(key, **values))


def _split(token: str) -> tuple[str, str | None] | None:
    """`/dir:C:\\ip` -> ("dir", "C:\\ip"); `--dir=x` -> ("dir", "x"); `-h` -> ("h", None); else None."""
    if token.startswith("--"):
        body = token[2:]
        name, sep, value = body.partition("=")
        return name.lower(), (value if sep else None)
    if token.startswith("/") and len(token) > 1:
        body = token[1:]
        name, sep, value = body.partition(":")
        return name.lower(), (value if sep else None)
    if token.startswith("-") and len(token) > 1:
        return token[1:].lower(), None
    return None


def _canonical(name: str) -> str:
    return ALIASES.get(name, name)


def is_known_name(token: str) -> bool:
    """True when `token` spells a known option or verb (so it cannot be the value of the option before it)."""
    parts = _split(token)
    if parts is None:
        return False
    name = _canonical(parts[0])
    return name in OPTIONS or name in VERBS


def parse(argv: list[str]) -> Invocation:
    inv = Invocation()
    i = 0
    while i < len(argv):
        token = argv[i]
        i += 1
        parts = _split(token)
        if parts is None:
            # A bare word is a verb only in the first position (`setup upgrade 2.x`).
            if i == 1 and token.lower() in VERBS:
                parts = (token.lower(), None)
            else:
                raise _bad("cli.unexpected", token=token)
        raw_name, inline = parts
        name = _canonical(raw_name)

        if name in VERBS:
            verb = VERBS[name]
            if inv.verb is not None:
                raise _bad("cli.two_verbs", first=inv.verb, second=name)
            inv.verb = name
            if verb.arity is Arity.FLAG:
                if inline is not None:
                    raise _bad("cli.verb_takes_no_value", verb=name)
                continue
            value = inline
            # An optional SPEC is never spelled like an option, so `/install /foo` reports the unknown option.
            optional_skips = verb.arity is Arity.OPTIONAL and argv[i : i + 1] and _split(argv[i]) is not None
            if value is None and i < len(argv) and not is_known_name(argv[i]) and not optional_skips:
                value = argv[i]
                i += 1
            if value is None and verb.arity is Arity.VALUE:
                raise _bad("cli.missing_value", name=name)
            inv.value = value
            continue

        if name not in OPTIONS:
            raise _bad("cli.unknown_option", token=token)
        arity = OPTIONS[name]
        if arity is Arity.FLAG:
            if inline is not None:
                raise _bad("cli.flag_takes_no_value", name=name)
            inv.options[name] = True
            continue
        value = inline
        if value is None:
            if i >= len(argv) or is_known_name(argv[i]):
                raise _bad("cli.missing_value", name=name)
            value = argv[i]
            i += 1
        if value == "" and name not in ("jvm-options",):
            raise _bad("cli.missing_value", name=name)
        earlier = inv.options.get(name)
        if earlier is not None and earlier != value:
            # `/dir A ... /dir B`: which one was meant? Acting on either could touch the wrong folder.
            raise _bad("cli.repeated_option", name=name, first=earlier, second=value)
        inv.options[name] = value

    for name in inv.options:
        allowed = VERB_OPTIONS.get(name)
        if allowed and inv.verb not in allowed:
            raise _bad("cli.option_needs_verb", name=name, verbs=", ".join("/" + v for v in sorted(allowed)))
    if inv.verb == "download" and "to" not in inv.options:
        raise _bad("cli.download_needs_to")
    return inv
