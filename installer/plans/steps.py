"""The steps that install, upgrade, roll back and repair are made of, each with its undo.

A step acts on a `Target` rebuilt from the journal's context, so that a new process (/recover) can rebuild the
very same steps and undo or finish them. Every undo is harmless when its `do` never ran or ran half-way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from installer import effective_config, fsutil, health, processes, service_config, setup_files, verified_files
from installer import properties as props_mod
from installer import step_names as names
from installer.engine import Step
from installer.fsutil import write_atomic
from installer.layout import Layout
from installer.messages import t
from installer.plans.context import OperationContext
from installer.task_runner import TaskRunner
from installer.windows import services
from installer.windows.services import ServiceError, ServiceState
from installer.winsw import WinSW

log = logging.getLogger(__name__)

RESTART_MARGIN = 2.0  # seconds past the longest onfailure delay
RESTART_POLL = 0.5

START_TIMEOUT = 60.0  # until the service manager says Started
STOP_TIMEOUT = 120.0  # WinSW's stoptimeout (60 s) plus the process leaving and the port closing
UNINSTALL_TIMEOUT = 60.0
PROCESS_APPEAR_TIMEOUT = 30.0
PROCESS_END_GRACE = 0.5  # WinSW exits a moment after the Java process it runs
PROCESS_END_POLL = 0.01
SERVICE_CHECK_EVERY = 0.5  # while no Java process is seen: how often to ask whether the service still runs
# What WinSW reads from its XML at every start; everything else in it went into the registration at install.
READ_AT_START = frozenset({"executable", "arguments", "argument"})


class Target:
    """The installation the steps act on, from the operation's typed context (the journal keeps it). `winsw` is
    what runs integrasjonspunkt: the WinSW service, or with `mode` "task" a Task Scheduler task; both install,
    start, stop, uninstall and tell their state the same way."""

    def __init__(self, ctx: OperationContext, *, quiet: bool = True) -> None:
        self._setup(ctx.layout, ctx.mode, ctx.account, ctx.created_user, quiet)

    @classmethod
    def of_installation(cls, layout: Layout, mode: str, account: str | None, *, quiet: bool = True) -> Target:
        """What runs an installation outside any operation (/uninstall stops and removes it)."""
        target = cls.__new__(cls)
        target._setup(layout, mode, account, False, quiet)
        return target

    def _setup(self, layout: Layout, mode: str, account: str | None, s4u: bool, quiet: bool) -> None:
        self.layout, self.mode, self.account, self.s4u = layout, mode, account, s4u
        self.winsw: WinSW | TaskRunner = self._runner(quiet)

    @property
    def service_id(self) -> str:
        return self.layout.service_id

    @property
    def task_mode(self) -> bool:
        return self.mode == "task"

    def _runner(self, quiet: bool) -> WinSW | TaskRunner:
        if self.task_mode:
            return TaskRunner(self.layout, self.service_id, self.account, quiet=quiet, s4u=self.s4u)
        return WinSW(self.layout.exe, self.service_id, quiet=quiet)

    def forget_winsw_version(self) -> None:
        """The exe may have been swapped for another WinSW build: ask the new one its version (v2 or v3 CLI)."""
        self.winsw = self._runner(self.winsw.quiet)

    @property
    def aside(self) -> Path:
        """Where a file that a step replaces waits until the operation ends."""
        return self.layout.private / "aside"

    def ports(self) -> list[int]:
        props = props_mod.read(self.layout.properties)
        return sorted({props_mod.server_port(props), props_mod.management_port(props)})


# --- files ----------------------------------------------------------------------------------------------


class ChangedAfterVerification(OSError):
    """A file differs from the one verified earlier in this operation: someone replaced it in between."""


def _copy_into_place(src: Path, dest: Path, executable: bool, digest: tuple[str, str] | None = None) -> None:
    """Copy `src` to `dest` by way of `<dest>.new`; with `digest` (algorithm, hex) the bytes are hashed as they
    are written and must be the ones verified, or nothing reaches `dest`."""
    tmp = dest.with_name(dest.name + ".new")
    if digest is None:
        shutil.copyfile(src, tmp)
    else:
        hasher = hashlib.new(digest[0])
        with src.open("rb") as source, tmp.open("wb") as target:
            while chunk := source.read(1 << 20):
                hasher.update(chunk)
                target.write(chunk)
        if hasher.hexdigest() != digest[1].lower():
            tmp.unlink(missing_ok=True)
            raise ChangedAfterVerification(t("steps.changed_after_verification", path=src, algorithm=digest[0],
                                             expected=digest[1].lower(), actual=hasher.hexdigest()))
    if executable:
        fsutil.make_executable(tmp)
    fsutil.replace(tmp, dest)


def place_file(target: Target, name: str, src: Path, dest: Path, *, executable: bool = False,
               digest: tuple[str, str] | None = None) -> Step:
    """Put `src` at `dest`; a file already there waits aside and comes back on undo. `digest`: the (algorithm,
    hex) `src` had when it was verified; the copy is checked against it."""
    aside = target.aside / dest.name

    def do() -> None:
        if dest.exists() and not aside.exists():
            aside.parent.mkdir(parents=True, exist_ok=True)
            fsutil.replace(dest, aside)
        _copy_into_place(src, dest, executable, digest)
        if digest is not None:
            verified_files.record(target.layout.private, dest.name, digest)
        if dest == target.layout.exe:
            target.forget_winsw_version()

    def undo() -> None:
        fsutil.unlink(dest.with_name(dest.name + ".new"))
        if aside.exists():
            fsutil.replace(aside, dest)
        else:
            fsutil.unlink(dest)
        if dest == target.layout.exe:
            target.forget_winsw_version()

    return Step(name, do, undo)


def make_dirs(target: Target) -> Step:
    """The folder and its log folder. Never undone: a failed install leaves the folder as it was "except the
    logs and .setup/" (CLI.md), so the admin can read why."""

    def do() -> None:
        target.layout.root.mkdir(parents=True, exist_ok=True)
        target.layout.service_logs.mkdir(parents=True, exist_ok=True)

    return Step(names.MAKE_DIRS, do)


def write_text_file(name: str, path: Path, content: str) -> Step:
    """A file that was not there (the admin's new properties file); undo removes it."""

    def do() -> None:
        if path.exists():
            return
        tmp = path.with_name(path.name + ".new")
        tmp.write_text(content, encoding="utf-8")
        if os.name != "nt":
            tmp.chmod(0o600)
        fsutil.replace(tmp, path)

    def undo() -> None:
        fsutil.unlink(path.with_name(path.name + ".new"))
        fsutil.unlink(path)

    return Step(name, do, undo)


def amend_properties(target: Target, name: str, text: str | None) -> Step:
    """Append `text` (keys setup writes) to the properties file. The file as it was waits aside and comes back
    on undo. A recovery passes no text: it only undoes."""
    path = target.layout.properties
    before = target.aside / (path.name + ".before")
    absent = target.aside / (path.name + ".absent")

    def do() -> None:
        if text is None:
            return
        target.aside.mkdir(parents=True, exist_ok=True)
        if not before.exists() and not absent.exists():
            if path.exists():
                shutil.copy2(path, before)
            else:
                absent.touch()
        original = before.read_bytes() if before.exists() else b""
        write_atomic(path, original + text.encode("utf-8"))

    def undo() -> None:
        if before.exists():
            os.replace(before, path)
        elif absent.exists():
            path.unlink(missing_ok=True)
            absent.unlink()

    return Step(name, do, undo)


# --- the service ----------------------------------------------------------------------------------------


def registration_digest(xml: bytes) -> str | None:
    """A digest of what registering the service takes from this XML: all of it but the elements WinSW reads at
    every start, a password only as "given" (no secret goes into the digest). None when it is unreadable."""
    try:
        root = SafeET.fromstring(xml)
    except (ET.ParseError, DefusedXmlException):
        return None

    def canonical(element: ET.Element) -> list[Any]:
        text = (element.text or "").strip()
        if element.tag == "password" and text:
            text = "(given)"
        children = [canonical(c) for c in element if c.tag not in READ_AT_START]
        return [element.tag, sorted(element.attrib.items()), text, children]

    return hashlib.sha256(json.dumps(canonical(root)).encode("utf-8")).hexdigest()


def _registration_file(layout: Layout) -> Path:
    return layout.private / "registration.sha256"


def registered_digest(layout: Layout) -> str | None:
    """The digest of the XML the service was last registered with by this tool (None: not known)."""
    return setup_files.read_digest(_registration_file(layout))


def _remember_registration(target: Target) -> None:
    try:
        digest = registration_digest(target.layout.xml.read_bytes())
    except OSError:
        digest = None
    if digest is None:
        _registration_file(target.layout).unlink(missing_ok=True)
    else:
        write_atomic(_registration_file(target.layout), (digest + "\n").encode("ascii"))


def register(target: Target, name: str = names.REGISTER) -> Step:
    def do() -> None:
        target.winsw.install()
        _remember_registration(target)

    def undo() -> None:
        state = target.winsw.status()
        if state is not ServiceState.NON_EXISTENT:
            target.winsw.stop(STOP_TIMEOUT, target.layout.root, target.ports(), state=state)
            target.winsw.uninstall(UNINSTALL_TIMEOUT)
            _registration_file(target.layout).unlink(missing_ok=True)

    return Step(name, do, undo)


def unregister(target: Target, name: str) -> Step:
    """The way it ran until now goes (`/repair /mode`): stopped and unregistered; undo registers it again from
    the XML that is back in place by then."""

    def do() -> None:
        state = target.winsw.status()
        if state is not ServiceState.NON_EXISTENT:
            target.winsw.stop(STOP_TIMEOUT, target.layout.root, target.ports(), state=state)
            target.winsw.uninstall(UNINSTALL_TIMEOUT)

    def undo() -> None:
        if target.winsw.status() is ServiceState.NON_EXISTENT:
            target.winsw.install()

    return Step(name, do, undo)


def change_registration(target: Target, old_xml: Path, name: str = names.REGISTER_NEW) -> Step:
    """The registration changed in place (sc.exe config, description, failure) to what the new XML asks for,
    instead of WinSW's uninstall + install: an uninstall while any program holds the service open only marks
    it for deletion, and the service vanishes later (FACTS.md W4). A service that lost its registration (a
    repair) is installed. Undo gives it the old XML's registration again."""

    def do() -> None:
        if isinstance(target.winsw, TaskRunner):
            target.winsw.install()  # the task's action names the jar: registered anew (/create /f)
        elif target.winsw.status() is ServiceState.NON_EXISTENT:
            target.winsw.install()
        else:
            service_config.apply(target.service_id, target.layout.xml, hold=service_config.hold_start())
        _remember_registration(target)

    def undo() -> None:
        if not old_xml.exists() or target.winsw.status() is ServiceState.NON_EXISTENT:
            return
        if isinstance(target.winsw, TaskRunner):
            target.winsw.install(xml=old_xml)
            return
        service_config.apply(target.service_id, old_xml, hold=service_config.hold_start())
        digest = registration_digest(old_xml.read_bytes())
        if digest is None:
            _registration_file(target.layout).unlink(missing_ok=True)
        else:
            write_atomic(_registration_file(target.layout), (digest + "\n").encode("ascii"))

    return Step(name, do, undo)


def reinstall_if_missing(target: Target, name: str = names.UNREGISTER_OLD) -> Step:
    """Where the service used to be unregistered before a switch: nothing to do now that the registration is
    changed in place, but a journal from before may have unregistered it, and its undo registers it again."""

    def undo() -> None:
        if target.winsw.status() is ServiceState.NON_EXISTENT:
            target.winsw.install()
            _remember_registration(target)

    return Step(name, lambda: None, undo)


def keep_registration(name: str, shown: bool = True) -> Step:
    """In place of unregister or register when the registration would come out the same: WinSW reads the
    jar and Java from the XML at every start. The step keeps its name, so the journal reads the same; a person
    is shown one line for the pair, not a removal and a registration that did not happen."""
    return Step(name, lambda: log.info("%s: the service's registration stays as it is", name),
                label=names.KEEP_REGISTRATION if shown else "")


def service_process_ended(target: Target, grace: float = PROCESS_END_GRACE) -> bool:
    """Whether the service's processes have ended: no Java process of the folder runs, and WinSW (the service's
    own process) has exited or does so within `grace` seconds. The service manager counts a service Stopped once
    its process has ended, so a rollback knows that without a `status` command (a .NET start on Windows) inside
    the downtime. False when any process runs the exe, a WinSW command someone runs too: then `status` decides.
    False in task mode: a task's `status` reads its processes and the task, and starts no WinSW."""
    if target.task_mode or processes.java_processes(target.layout.root):
        return False
    wrappers = processes.exe_processes(target.layout.exe)
    deadline = time.monotonic() + grace
    while any(processes.alive(p) for p in wrappers):
        if time.monotonic() >= deadline:
            return False
        time.sleep(PROCESS_END_POLL)
    return True


def service_state(target: Target) -> ServiceState:
    """The state from the service manager where asking it starts no program (Windows), else WinSW's `status`
    (in task mode the task's own)."""
    if isinstance(target.winsw, WinSW):
        return target.winsw.manager_state() or target.winsw.status()
    return target.winsw.status()


def start(target: Target, name: str = names.START) -> Step:
    def do() -> None:
        target.winsw.start(START_TIMEOUT)

    def undo() -> None:
        if service_process_ended(target):
            # Stopped (a version that failed to start): only the waits for its process and ports remain.
            target.winsw.stop(STOP_TIMEOUT, target.layout.root, target.ports(), state=ServiceState.STOPPED)
            return
        state = target.winsw.status()
        if state is not ServiceState.NON_EXISTENT:
            target.winsw.stop(STOP_TIMEOUT, target.layout.root, target.ports(), state=state)

    return Step(name, do, undo)


def stop(target: Target, name: str = names.STOP) -> Step:
    def do() -> None:
        state = target.winsw.status()
        if state is ServiceState.NON_EXISTENT:
            return  # a repair of a service that lost its registration
        target.winsw.stop(STOP_TIMEOUT, target.layout.root, target.ports(), state=state)

    def undo() -> None:
        # Its processes ended: stopped, so started again at once (unregistered, the start says so).
        if not service_process_ended(target) and target.winsw.status() is not ServiceState.STOPPED:
            return
        try:
            target.winsw.start(START_TIMEOUT)
        except ServiceError as exc:
            # Everything else is back in place; the health check of the old version that follows every undo
            # reports that it does not run, with the same words whether it died at once or a moment later.
            log.error("the previous version did not start again: %s", exc.message)

    return Step(name, do, undo)


def suspend_restarts(target: Target, name: str = names.SUSPEND_RESTARTS) -> Step:
    """The service manager restarts a crashed service on its own timer, also in the middle of a switch, and
    starts whatever the XML names then (FACTS.md W5). Its failure actions are suspended for the switch (commit
    and undo give them back); a restart already pending reads Stopped and is not cancelled by that, so it is
    waited out here, and the stop step that follows stops what it started."""

    def do() -> None:
        if target.task_mode:
            return  # a task has no failure actions of the service manager's
        state = target.winsw.status()
        if state is ServiceState.NON_EXISTENT:
            return
        delay = service_config.restart_delay(target.layout.xml, target.service_id)
        services.suspend_failure_actions(target.service_id)
        if state is not ServiceState.STOPPED or not delay:
            return
        log.info("the service is stopped; waiting up to %g s for a restart the service manager may have pending",
                 delay)
        deadline = time.monotonic() + delay + RESTART_MARGIN
        while time.monotonic() < deadline and target.winsw.status() is ServiceState.STOPPED:
            time.sleep(RESTART_POLL)

    def undo() -> None:
        if target.task_mode or service_state(target) is ServiceState.NON_EXISTENT:
            return
        service_config.restore_failure_actions(target.service_id, target.layout.xml)

    return Step(name, do, undo)


# --- health -----------------------------------------------------------------------------------------------


def process_watch(target: Target, jar: Path, appear_timeout: float = PROCESS_APPEAR_TIMEOUT) -> Any:
    """A `watch` for health.wait_healthy: a reason once the service's Java process for `jar` exits, is
    replaced (a restart by the service manager), or never appears. A process that ended before it was first
    seen shows as a service that stopped: while none is seen, the service's state is asked now and then."""
    first_pid: list[int] = []
    started = time.monotonic()
    asked = [started - SERVICE_CHECK_EVERY]  # the first look without a process asks at once

    def watch() -> str | None:
        pids = [p.pid for p in processes.java_processes(target.layout.root) if processes.runs_jar(p, jar)]
        if not first_pid:
            if pids:
                first_pid.append(pids[0])
                return None
            now = time.monotonic()
            if now - started > appear_timeout:
                return t("operations.health_no_process", seconds=f"{appear_timeout:g}")
            if now - asked[0] >= SERVICE_CHECK_EVERY:
                asked[0] = now
                if service_state(target) in (ServiceState.STOPPED, ServiceState.NON_EXISTENT):
                    return t("operations.health_process_gone")
            return None
        if first_pid[0] in pids:
            return None
        if pids:
            return t("operations.health_restarted", old=first_pid[0], new=pids[0])
        return t("operations.health_process_gone")

    return watch


def _config_of(target: Target, tag: str) -> effective_config.EffectiveConfig:
    layout = target.layout
    return effective_config.for_installation(layout.root, layout.jar(tag), layout.xml)


def health_target(target: Target, kind: str, tag: str) -> health.HealthEndpoints:
    """Where version `tag` answers, from its effective configuration (its jar, the XML, the local files)."""
    return health.target_from(kind, _config_of(target, tag), tag)


def health_check(target: Target, tag: str, kind: str, timeout: float, stable: float, name: str = names.HEALTH) -> Step:
    def do() -> None:
        config = _config_of(target, tag)
        where = health.target_from(kind, config, tag)
        window = health.post_start_window(config, stable)
        log.info("health check of %s at %s (deadline %g s, stable %g s)", tag, where.url, timeout, window)
        health.wait_healthy(where, timeout=timeout, stable=window,
                            watch=process_watch(target, target.layout.jar(tag)))

    return Step(name, do, marks_healthy=True)
