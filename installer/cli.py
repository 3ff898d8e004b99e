"""Entry point: parse, resolve settings, dispatch to one module per verb, turn the outcome into an exit code.

`--help` and `--version` answer before anything heavy (requests, rich, the OpenPGP library) is imported.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import Any

from installer import __version__, verbs
from installer.cmdline import parse
from installer.errors import ExitCode, SetupError, first_line
from installer.messages import set_language, shown, t
from installer.windows import sysinfo

log = logging.getLogger("installer.cli")


def _load_state(folder: Path) -> dict[str, Any]:
    from installer import state
    from installer.layout import Layout

    try:
        recorded = state.load(Layout(folder).state_file)
    except SetupError:
        return {}  # the verb reads the file again and reports it (naming the file, into the folder's log)
    return recorded.recorded_settings() if recorded else {}


def _print_json(document: dict[str, Any]) -> None:
    from installer.result import render

    # ASCII with \u escapes: read right whatever code page the reader decodes with (PowerShell: OEM).
    sys.stdout.write(render(document) + "\n")
    sys.stdout.flush()


def _utf8_when_redirected() -> None:
    """Redirected output in UTF-8. A frozen setup.exe writes a pipe or file in the ANSI code page, strictly:
    æøå arrive garbled and a North Sami ŋ or č in a folder name raises UnicodeEncodeError after the operation
    is done (FACTS.md W7). A console keeps its own (Windows writes Unicode to it)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or stream.isatty():
            continue
        reconfigure(encoding="utf-8", errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _utf8_when_redirected()
    sysinfo.forget_dll_directory()
    argv = list(sys.argv[1:] if argv is None else argv)
    json_wanted = any(a.lower() in ("/json", "--json") for a in argv)
    try:
        return _main(argv, json_wanted)
    except KeyboardInterrupt:
        return _fail_early(SetupError(ExitCode.CANCELLED, t("cli.interrupted")), json_wanted, None)
    except Exception as exc:  # a defect outside a verb: one line and a code CLI.md has; the traceback in the log
        logging.getLogger("installer").exception("internal error")
        return _fail_early(SetupError(ExitCode.ATTENTION, t("cli.internal_error", error=first_line(exc), log="")),
                           json_wanted, None)



def _main(argv: list[str], json_wanted: bool) -> int:
    try:
        inv = parse(argv)
    except SetupError as exc:
        return _fail_early(exc, json_wanted, None)
    if inv.flag("help"):
        print(t("cli.usage"))
        return ExitCode.OK
    if inv.flag("version"):
        print(f"setup {__version__}")
        return ExitCode.OK

    from installer import folder_trust, logsetup
    from installer.settings import Origin, executable_dir, resolve
    from installer.ui import UI

    def settle() -> Any:
        return resolve(inv, exe_dir=executable_dir(), load_state=_load_state, check_trust=folder_trust.check)

    try:
        settings = settle()
        _validate(settings)  # the whole command line before anything touches the disk (also /secure-folder)
        if settings.secure_folder and settings.dir is not None and not settings.trust.trusted:
            # The admin vouches for the folder: take it over, then read its settings as for any trusted folder.
            try:
                folder_trust.secure(settings.dir)
            except OSError as exc:
                raise SetupError(ExitCode.PREREQUISITES, t("trust.secure_failed", folder=settings.dir,
                                                            error=first_line(exc))) from None
            settings = settle()
            settings.notes.append(t("trust.secured", folder=settings.dir))
    except SetupError as exc:
        return _fail_early(exc, json_wanted, inv.verb, inv)
    if settings.origins.get("lang") == Origin.DEFAULT:

        settings.lang = sysinfo.ui_language()  # the Windows UI language; English elsewhere
    set_language(settings.lang)
    logsetup.register_secret(settings.service_password)
    logsetup.register_secret(settings.keystore_password)
    logsetup.register_secret(settings.tls_keystore_password)
    from installer.settings import PASSWORDS, env_var

    for name in PASSWORDS:  # read once: no child (Java probes, WinSW, sc.exe) inherits it
        os.environ.pop(env_var(name), None)
    interactive = inv.verb is None
    quiet = settings.quiet or settings.json
    # A silent run mirrors its log to stderr; with /json only warnings and errors, for tools that read stderr too.
    mirrored = logging.WARNING if settings.json else logging.INFO
    try:
        logsetup.start(settings.log, mirrored if quiet and not interactive else None)
    except OSError as exc:
        return _fail_early(SetupError(ExitCode.PREREQUISITES, t("cli.log_unwritable", file=settings.log,
                                                                reason=exc.strerror or first_line(exc))),
                           json_wanted, inv.verb, inv)
    ui = UI(quiet=quiet, json_output=settings.json, assume_yes=settings.yes)
    logsetup.header(f"setup {__version__}: " + (" ".join(shown(logsetup.redact(a)) for a in argv)
                                                 or "(guided install)"))
    for note in settings.notes:
        ui.warn(note)

    verb = inv.verb or "wizard"
    from installer import interrupts

    interrupts.install()
    try:
        with _steps_shown(ui, interactive or verb == "run"):  # /run: Java's output has the console
            result = verbs.named(inv.verb).runner()(settings, ui)
    except SetupError as exc:
        from installer.result import Result

        result = Result(verb=verb, exit_code=exc.code, message=exc.message, result="failed", detail=exc.detail)
        if exc.code == ExitCode.ATTENTION and _failed_call(exc) and _before_any_change(verb):
            result.exit_code, result.message = ExitCode.PREREQUISITES, t("cli.nothing_changed", message=exc.message)
    except KeyboardInterrupt:
        from installer.result import Result

        result = Result(verb=verb, exit_code=ExitCode.CANCELLED, message=t("cli.interrupted"), result="cancelled")
    except Exception as exc:  # a defect: one line for the admin, the traceback in the log
        log.exception("internal error")
        from installer.result import Result

        where = f" ({settings.dir / 'installer-logs' / 'setup.log'})" if settings.dir else ""
        result = Result(verb=verb, exit_code=ExitCode.ATTENTION, result="failed",
                        message=t("cli.internal_error", error=first_line(exc), log=where))
        if _before_any_change(verb):
            result.exit_code, result.message = ExitCode.PREREQUISITES, t("cli.nothing_changed", message=result.message)
    document = _report(result, ui, settings.json, wizard=interactive and not quiet, logs=logsetup.files())
    from installer import run_report

    run_report.finish(document, folder=settings.dir, service_id=settings.service_id, silent=quiet,
                      logs=logsetup.files(), detail=result.detail)
    logsetup.stop()
    return int(result.exit_code)


def _failed_call(exc: SetupError) -> bool:
    """A service or helper program call that failed (its 14 means "the service may be in between"), as opposed
    to a 14 setup chose on purpose before any change (a damaged state file, a journal pointing outside)."""
    from installer.windows.services import ServiceError

    return isinstance(exc, ServiceError)


def _before_any_change(verb: str) -> bool:
    from installer import phase

    return verb in verbs.where("journaled") and not phase.changing()


def _validate(settings: Any) -> None:
    """What the command line itself gets wrong is exit 1639 before any request and before the disk is touched:
    a malformed SPEC (`../x`), a plain-HTTP base URL without /allow-http."""
    from installer import releases, sources

    if settings.spec is not None and settings.verb in verbs.where("takes_spec"):
        releases.parse_spec(settings.spec)
    if settings.service_user is not None or settings.create_user:
        from installer import accounts

        account = accounts.parse(settings.service_user or accounts.LOCAL_SYSTEM, settings.service_id)
        accounts.check(account, create=settings.create_user, password=settings.service_password,
                       task=settings.mode == "task")
    if settings.offline is None:  # /offline takes every file from a folder: the URLs are not used
        for option in sources.BASE_OPTIONS:
            sources.base_url(settings, option)


def _steps_shown(ui: Any, wizard: bool) -> contextlib.AbstractContextManager[Any]:
    """A person at a terminal sees each step with a spinner and its time, as the wizard shows them (which has
    its own display); a silent run, /json or output into a file or pipe get the log lines only."""
    if wizard or ui.quiet or not sys.stdout.isatty():
        return contextlib.nullcontext()
    from installer.step_display import StepProgress

    ui.steps = StepProgress(ui.console)
    return ui.steps


def _report(result: Any, ui: Any, json_output: bool, wizard: bool, logs: list[Path]) -> dict[str, Any]:
    """The result, once: the operations leave saying it to this function. Returns the JSON document (what
    `/json` prints, and what a silent run leaves in `.setup/last-run.json`)."""
    from installer.logsetup import redact

    result.message, result.detail = redact(result.message or ""), redact(result.detail or "")
    log.info("exit %d: %s", int(result.exit_code), result.message)
    document = result.document()
    # The install folder's log when the run reached the folder (it is attached last), else /log FILE.
    document.setdefault("log", str(logs[-1]) if logs else None)
    if json_output:
        _print_json(document)
        if result.exit_code != ExitCode.OK:
            # stderr carries warnings and errors only; a result that is not success is an error to read there too.
            print(result.message, file=sys.stderr)
        return document
    if wizard:
        return document  # the wizard has shown its own result panel
    if result.exit_code == ExitCode.OK:
        if result.message and not ui.quiet:
            ui.success(result.message)
        elif result.message:
            print(result.message)
    else:
        if ui.quiet:
            print(result.message, file=sys.stderr)
        else:
            ui.error(result.message)
        if result.detail:
            print(result.detail, file=sys.stderr)
    if logs and not ui.quiet:
        ui.info(t("cli.log_at", path=", ".join(str(p) for p in logs)))
    return document


def _fail_early(exc: SetupError, json_wanted: bool, verb: str | None, inv: Any = None) -> int:
    """A bad command line: one line on stderr (and the JSON document when /json was asked for). A silent run of a
    changing verb (`inv`, when the command line parsed) also leaves its Event Log entry: a scheduled or scripted
    run that a bad setup.toml stops is seen where admins look."""
    from installer.result import Result

    document = {**Result(verb="", exit_code=exc.code, result="failed", message=exc.message).document(),
                "verb": verb, "log": None}  # the same keys as every other result
    if json_wanted:
        _print_json(document)
    print(f"setup: {exc.message}", file=sys.stderr)
    if inv is not None and (inv.flag("quiet") or inv.flag("json")):
        from installer import run_report

        run_report.finish(document, folder=None, service_id=_service_id(inv), silent=True, logs=[])
    return int(exc.code)


def _service_id(inv: Any) -> str:
    from installer.settings import Settings, valid_service_id

    named = inv.options.get("service-id")
    return named if valid_service_id(named) else Settings.service_id


if __name__ == "__main__":
    sys.exit(main())
