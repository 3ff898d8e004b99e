"""The verbs, in one table: how the grammar reads each (cmdline.py), which module runs it (cli.py), and what the
rest of setup asks about a verb (does it change the folder, run under the journal, take a SPEC, leave a report).

A verb's module is imported only when that verb runs, so `--help` stays fast; the frozen build lists every module
of `installer/operations/` as a hidden import (release.spec), which holds each module named here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Arity(Enum):
    FLAG = "flag"
    VALUE = "value"  # the option needs a value
    OPTIONAL = "optional"  # a verb whose value may be left out (/install [SPEC])


@dataclass(frozen=True)
class Verb:
    name: str
    arity: Arity
    module: str
    function: str = "run"
    changes: bool = False  # changes the installation: /secure-folder may go with it, a silent run leaves a report
    journaled: bool = False  # every change runs under the journal: before it opens, nothing has changed
    adopts_first: bool = False  # a hand-made installation in the folder is taken over before it runs
    takes_spec: bool = False  # its value is a version SPEC, checked before anything else
    reported: bool = False  # a silent run leaves .setup/last-run.json and an Event Log entry

    def runner(self) -> Callable[..., Any]:
        return getattr(importlib.import_module(self.module), self.function)


_OPS = "installer.operations."

VERBS: dict[str, Verb] = {
    v.name: v
    for v in (
        Verb("install", Arity.OPTIONAL, _OPS + "install", changes=True, journaled=True, adopts_first=True,
             takes_spec=True, reported=True),
        Verb("upgrade", Arity.VALUE, _OPS + "upgrade", changes=True, journaled=True, adopts_first=True,
             takes_spec=True, reported=True),
        Verb("rollback", Arity.FLAG, _OPS + "rollback", changes=True, journaled=True, adopts_first=True,
             reported=True),
        Verb("recover", Arity.FLAG, _OPS + "recover", changes=True, reported=True),
        Verb("status", Arity.FLAG, _OPS + "status"),
        Verb("uninstall", Arity.FLAG, _OPS + "uninstall", changes=True, adopts_first=True, reported=True),
        Verb("check", Arity.OPTIONAL, _OPS + "check", takes_spec=True),
        Verb("download", Arity.VALUE, _OPS + "download", takes_spec=True),
        Verb("repair", Arity.FLAG, _OPS + "repair", changes=True, journaled=True, adopts_first=True,
             reported=True),
        Verb("adopt", Arity.FLAG, _OPS + "adopt", changes=True, reported=True),
        Verb("run", Arity.FLAG, _OPS + "run"),
        Verb("schedule", Arity.VALUE, _OPS + "schedule", takes_spec=True, reported=True),
        Verb("unschedule", Arity.FLAG, _OPS + "schedule", function="remove", reported=True),
    )
}

# No verb on the command line: the guided install or maintenance.
WIZARD = Verb("wizard", Arity.FLAG, "installer.wizard")


def named(verb: str | None) -> Verb:
    """The verb of a command line (None: the wizard)."""
    return WIZARD if verb is None else VERBS[verb]


def where(flag: str) -> frozenset[str]:
    """The verbs with `flag` set (e.g. `changes`)."""
    return frozenset(v.name for v in VERBS.values() if getattr(v, flag))
