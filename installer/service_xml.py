"""The service's WinSW XML: render it for a new install, read an existing one (Digdir's files, hand-edited
ones), and update it on upgrade by changing only what must change.

Also the two rules such files depend on: how Windows splits a command line (CommandLineToArgvW) and how
WinSW reads a duration.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.proxy import JAVA_PROXY_KEYS
from installer.windows_args import jar_file_name, join_windows_args, quote_windows_arg, split_windows_args

DEFAULT_ID = "integrasjonspunkt"
LOG_FOLDER = "integrasjonspunkt-logs"
PROFILE_PROPERTY = "spring.profiles.active"
_PROFILE_D = f"-D{PROFILE_PROPERTY}="
_PROFILE_ARG = f"--{PROFILE_PROPERTY}="
_JAR_TAG = re.compile(r"^integrasjonspunkt-(v?[0-9]+(?:\.[0-9]+)*(?:[-+][0-9A-Za-z.+-]+)?)\.jar$", re.IGNORECASE)
# Java launcher options whose value is the next token.
_OPTIONS_WITH_VALUE = frozenset({
    "-cp", "-classpath", "--class-path", "-p", "--module-path", "--upgrade-module-path", "--add-modules",
    "--add-opens", "--add-exports", "--add-reads", "--patch-module", "--limit-modules", "--enable-native-access",
})
# After the jar these are application arguments to Java, but no Spring application wants them: they were
# meant for the JVM (Digdir's files put -Xmx2048m there).
_JVM_PREFIXES = ("-X", "-D", "-javaagent:", "-agentlib:", "-agentpath:", "-verbose", "-ea:", "-da:")
_JVM_FLAGS = frozenset({
    "-ea", "-da", "-esa", "-dsa", "-server", "-client", "-enableassertions", "-disableassertions",
    "-enablesystemassertions", "-disablesystemassertions",
})
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
_DURATION_ELEMENTS = ("stoptimeout", "resetfailure", "waithint", "sleeptime")


# --- the <arguments> element ---------------------------------------------------------------------------


def xml_arguments(args: list[str]) -> str:
    """The text of an `<arguments>` element. WinSW expands `%VAR%` before the line is split, so an argument
    holding one is always quoted: `%BASE%` may expand to a folder with spaces."""
    return " ".join(quote_windows_arg(a, force="%" in a) for a in args)


def arguments_text_to_args(text: str) -> list[str]:
    """Split an `<arguments>` text. Line breaks count as spaces: files spread the arguments over several
    lines (Jenkins' own service XML does), which works on Windows."""
    return split_windows_args(re.sub(r"[\r\n]+", " ", text))


# --- durations ---------------------------------------------------------------------------------------------

# WinSW 2.12 tries the suffixes in this order; a bare number means milliseconds; anything else ("15s",
# "1.5 sec") fails to parse.
_DURATION_UNITS = (
    ("ms", 0.001), ("sec", 1.0), ("secs", 1.0), ("min", 60.0), ("mins", 60.0), ("hr", 3600.0),
    ("hrs", 3600.0), ("hour", 3600.0), ("hours", 3600.0), ("day", 86400.0), ("days", 86400.0),
)


def _whole_number(text: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError(f"not a whole number: {text!r}")
    return int(text)


def parse_duration(text: str) -> float:
    """Seconds of a WinSW duration (`60 sec`, `1 hour`, `500` = 500 ms); ValueError where WinSW fails."""
    value = text.strip()
    for suffix, seconds in _DURATION_UNITS:
        if value.endswith(suffix):
            return _whole_number(value[: -len(suffix)]) * seconds
    return _whole_number(value) / 1000.0


# --- render ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceAccount:
    """The account the service logs on as: `LocalSystem`, `NT AUTHORITY\\LocalService`, `.\\user`,
    `DOMAIN\\user`."""

    username: str
    password: str | None = field(default=None, repr=False)
    allow_service_logon: bool = False

    @property
    def domain_and_user(self) -> tuple[str, str]:
        domain, sep, user = self.username.rpartition("\\")
        return (domain, user) if sep else (".", self.username)

    @property
    def is_local_system(self) -> bool:
        return self.username.lower() in ("localsystem", ".\\localsystem", "nt authority\\system")


@dataclass
class ServiceSpec:
    service_id: str
    java: str  # absolute path of java(.exe)
    jar_name: str  # "integrasjonspunkt-2.28.1.jar"
    profile: str | None  # the Spring profile (environment)
    jvm_options: list[str]
    app_args: list[str] = field(default_factory=list)
    name: str | None = None
    description: str | None = None
    account: ServiceAccount | None = None


def java_arguments(jvm_options: list[str], profile: str | None, jar: str, app_args: list[str]) -> list[str]:
    """JVM options and the profile before `-jar`, where Java reads them; the application's arguments after.
    A given profile replaces any `-Dspring.profiles.active` among the JVM options."""
    args = [o for o in jvm_options if not (profile and o.startswith(_PROFILE_D))]
    if profile:
        args.append(_PROFILE_D + profile)
    return [*args, "-jar", jar, *app_args]


def default_name(service_id: str) -> str:
    return DEFAULT_ID if service_id == DEFAULT_ID else t("service.xml_name_other_id", service_id=service_id)


def default_description(profile: str | None) -> str:
    if profile:
        return t("service.xml_description", env=profile)
    return t("service.xml_description_no_env")


def _checked(value: str, *, secret: bool = False) -> str:
    if _XML_INVALID.search(value):
        # A password is never put into a message, in any spelling.
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("service.xml_bad_char_secret") if secret else
                         t("service.xml_bad_char", value=value))
    return value


def _account_element(account: ServiceAccount) -> ET.Element:
    """Both spellings: WinSW 2 reads domain + user, WinSW 3 reads username; each ignores the other's."""
    element = ET.Element("serviceaccount")
    domain, user = account.domain_and_user
    for tag, text in (("domain", domain), ("user", user), ("username", account.username)):
        ET.SubElement(element, tag).text = _checked(text)
    if account.password is not None:
        ET.SubElement(element, "password").text = _checked(account.password, secret=True)
    if account.allow_service_logon:
        ET.SubElement(element, "allowservicelogon").text = "true"
    return element


def render(spec: ServiceSpec) -> bytes:
    """A new service XML: valid for WinSW 2 and 3 (root `<service>`, direct children), UTF-8."""
    root = ET.Element("service")

    def add(tag: str, text: str | None = None, **attrib: str) -> ET.Element:
        element = ET.SubElement(root, tag, {k: _checked(v) for k, v in attrib.items()})
        if text is not None:
            element.text = _checked(text)
        return element

    add("id", spec.service_id)
    add("name", spec.name or default_name(spec.service_id))
    add("description", spec.description or default_description(spec.profile))
    add("executable", spec.java)
    add("arguments", xml_arguments(java_arguments(spec.jvm_options, spec.profile, f"%BASE%/{spec.jar_name}",
                                                  spec.app_args)))
    add("workingdirectory", "%BASE%")
    add("logpath", f"%BASE%/{LOG_FOLDER}")
    log = add("log", mode="roll-by-size")
    ET.SubElement(log, "sizeThreshold").text = "10240"
    ET.SubElement(log, "keepFiles").text = "8"
    # Spring needs time to close its database: a killed integrasjonspunkt leaves the Liquibase lock set.
    add("stoptimeout", "60 sec")
    add("onfailure", action="restart", delay="30 sec")
    add("onfailure", action="restart", delay="30 sec")
    add("onfailure", action="none")
    add("resetfailure", "1 hour")
    if spec.account is not None and not spec.account.is_local_system:
        root.append(_account_element(spec.account))
    ET.indent(root, space="  ")
    return _serialize(root, crlf=True)


def _serialize(root: ET.Element, *, crlf: bool) -> bytes:
    text = _DECLARATION + "\n" + ET.tostring(root, encoding="unicode") + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


# --- read --------------------------------------------------------------------------------------------------


@dataclass
class JavaCommand:
    """An argument list read the way the Java launcher reads it."""

    jvm_options: list[str]  # before the jar, without `-jar`
    jar: str | None  # the jar argument as written
    app_args: list[str]  # after the jar


def parse_java_command(args: list[str]) -> JavaCommand:
    jvm: list[str] = []
    jar_mode = False
    i = 0
    while i < len(args):
        token = args[i]
        if token == "-jar":
            jar_mode = True
        elif token in _OPTIONS_WITH_VALUE and i + 1 < len(args):
            jvm += [token, args[i + 1]]
            i += 1
        elif token.startswith("-"):
            jvm.append(token)
        else:
            break
        i += 1
    if jar_mode and i < len(args):
        return JavaCommand(jvm, args[i], args[i + 1:])
    return JavaCommand(jvm, None, args[i:])


def looks_like_jvm_option(arg: str) -> bool:
    return arg in _JVM_FLAGS or arg.startswith(_JVM_PREFIXES)


def jar_version(jar_name: str) -> str | None:
    """The version tag in `integrasjonspunkt-<tag>.jar` (`2.28.1`, `v4.0.8`), else None."""
    match = _JAR_TAG.match(jar_name)
    return match.group(1) if match else None


@dataclass
class ServiceXml:
    path: Path
    root_tag: str
    service_id: str | None
    name: str | None
    description: str | None
    executable: str | None
    working_directory: str | None
    arguments: list[str]  # the whole argument list, `%VAR%` not expanded
    arguments_source: str  # "arguments", "argument" (repeated elements) or "" (none)
    jar: str | None  # the jar argument as written: "%BASE%/integrasjonspunkt-2.28.1.jar"
    jar_name: str | None  # "integrasjonspunkt-2.28.1.jar"
    version: str | None  # "2.28.1", "v4.0.8"
    profile: str | None  # the Spring profile in effect (an app argument wins over -D)
    jvm_options: list[str]  # before -jar, without the profile option
    misplaced_jvm_options: list[str]  # JVM options written after the jar, where Java does not read them
    app_args: list[str]  # after the jar, without the misplaced JVM options
    env: list[tuple[str, str]]
    account: ServiceAccount | None
    log_path: str | None
    log_mode: str | None
    stop_timeout: str | None
    failure_actions: list[tuple[str, str | None]]
    reset_failure: str | None
    other_elements: list[str]  # elements this module does not interpret (kept by update)
    problems: list[str] = field(default_factory=list)  # notes for the log: values WinSW would reject


_KNOWN = frozenset({
    "id", "name", "description", "executable", "workingdirectory", "arguments", "argument", "env",
    "serviceaccount", "logpath", "log", "logmode", "stoptimeout", "onfailure", "resetfailure",
})


def _parse(path: Path) -> tuple[ET.Element, bytes]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SetupError(ExitCode.PREREQUISITES, t("service.xml_missing", path=path)) from None
    except OSError as exc:
        raise SetupError(ExitCode.PREREQUISITES, t("service.xml_unreadable", path=path, reason=exc)) from None
    parser = SafeET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as exc:
        line, column = exc.position
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise SetupError(ExitCode.PREREQUISITES,
                         t("service.xml_malformed", path=path, line=line, column=column + 1, reason=reason)) from None
    except DefusedXmlException as exc:
        raise SetupError(ExitCode.PREREQUISITES, t("service.xml_forbidden", path=path, reason=exc)) from None
    return root, data


def _first(root: ET.Element, tag: str) -> ET.Element | None:
    # WinSW 2 finds an element anywhere in the file.
    return next(root.iter(tag), None)


def _text(root: ET.Element, tag: str) -> str | None:
    element = _first(root, tag)
    return None if element is None else (element.text or "").strip()


def _argument_element_token(text: str) -> str:
    # WinSW passes an already quoted <argument> through as it is; Java then drops the quotes.
    text = text.strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        parts = split_windows_args(text)
        return parts[0] if len(parts) == 1 else text
    return text


def _read_arguments(root: ET.Element) -> tuple[list[str], str]:
    repeated = list(root.iter("argument"))
    if repeated:
        return [_argument_element_token(e.text or "") for e in repeated], "argument"
    element = _first(root, "arguments")
    if element is None:
        return [], ""
    return arguments_text_to_args(element.text or ""), "arguments"


def _read_account(root: ET.Element) -> ServiceAccount | None:
    element = _first(root, "serviceaccount")
    if element is None:
        return None

    def part(tag: str) -> str | None:
        child = element.find(tag)
        return None if child is None else (child.text or "").strip()

    username = part("username")
    if not username:
        domain, user = part("domain"), part("user")
        if not user:
            return None
        username = f"{domain}\\{user}" if domain else user
    allow = (part("allowservicelogon") or "").lower() == "true"
    return ServiceAccount(username, part("password"), allow)


def _profile_of(jvm: list[str], app_args: list[str]) -> str | None:
    # Spring reads a command-line argument before a system property; the last of each kind wins.
    for arg in reversed(app_args):
        if arg.startswith(_PROFILE_ARG):
            return arg[len(_PROFILE_ARG):]
    for option in reversed(jvm):
        if option.startswith(_PROFILE_D):
            return option[len(_PROFILE_D):]
    return None


def _interpret(path: Path, root: ET.Element) -> ServiceXml:
    arguments, source = _read_arguments(root)
    command = parse_java_command(arguments)
    misplaced = [a for a in command.app_args if looks_like_jvm_option(a)] if command.jar else []
    app_args = [a for a in command.app_args if a not in misplaced]
    jar_name = jar_file_name(command.jar) if command.jar else None
    log_element = _first(root, "log")
    log_mode = _text(root, "logmode") or (log_element.get("mode") if log_element is not None else None)
    durations = [(tag, _text(root, tag)) for tag in _DURATION_ELEMENTS]
    durations += [("onfailure delay", e.get("delay")) for e in root.iter("onfailure")]
    problems = []
    for tag, value in durations:
        if value is not None:
            try:
                parse_duration(value)
            except ValueError:
                problems.append(t("service.xml_note_bad_duration", element=tag, value=value))
    return ServiceXml(
        path=path,
        root_tag=root.tag,
        service_id=_text(root, "id"),
        name=_text(root, "name"),
        description=_text(root, "description"),
        executable=_text(root, "executable"),
        working_directory=_text(root, "workingdirectory"),
        arguments=arguments,
        arguments_source=source,
        jar=command.jar,
        jar_name=jar_name,
        version=jar_version(jar_name) if jar_name else None,
        profile=_profile_of(command.jvm_options + misplaced, app_args),
        jvm_options=[o for o in command.jvm_options if not o.startswith(_PROFILE_D)],
        misplaced_jvm_options=misplaced,
        app_args=app_args,
        env=[(e.get("name", ""), e.get("value", "")) for e in root.iter("env")],
        account=_read_account(root),
        log_path=_text(root, "logpath"),
        log_mode=log_mode,
        stop_timeout=_text(root, "stoptimeout"),
        failure_actions=[(e.get("action", ""), e.get("delay")) for e in root.iter("onfailure")],
        reset_failure=_text(root, "resetfailure"),
        other_elements=[e.tag for e in root if isinstance(e.tag, str) and e.tag not in _KNOWN],
        problems=problems,
    )


def read(path: Path) -> ServiceXml:
    """An existing service XML, parsed with defusedxml; malformed -> SetupError(PREREQUISITES) naming the
    file and line."""
    root, _ = _parse(path)
    return _interpret(path, root)


# --- update ------------------------------------------------------------------------------------------------


def with_proxy(jvm: list[str], options: list[str]) -> list[str]:
    """The JVM options with the proxy ones (`proxy.JAVA_PROXY_KEYS`) replaced by `options`."""
    return [o for o in jvm if not o.startswith(JAVA_PROXY_KEYS)] + options


def _new_arguments(current: ServiceXml, jar: str, profile: str | None, jvm_options: list[str] | None,
                   notes: list[str], proxy: list[str] | None = None) -> list[str]:
    if jvm_options is not None:
        jvm = [o for o in jvm_options if not o.startswith(_PROFILE_D)]
        old = current.jvm_options + current.misplaced_jvm_options
        if jvm != [o for o in old if not o.startswith(_PROFILE_D)]:
            notes.append(t("service.xml_note_jvm_options", old=join_windows_args(old) or "-",
                           new=join_windows_args(jvm) or "-"))
    else:
        jvm = current.jvm_options + [o for o in current.misplaced_jvm_options if not o.startswith(_PROFILE_D)]
        if current.misplaced_jvm_options:
            notes.append(t("service.xml_note_moved", options=join_windows_args(current.misplaced_jvm_options)))
    if proxy is not None and with_proxy(jvm, proxy) != jvm:
        old = [o for o in jvm if o.startswith(JAVA_PROXY_KEYS)]
        jvm = with_proxy(jvm, proxy)
        notes.append(t("service.xml_note_proxy", old=join_windows_args(old) or "-",
                       new=join_windows_args(proxy) or "-"))
    command = parse_java_command(current.arguments)
    written = [o for o in command.jvm_options + current.misplaced_jvm_options if o.startswith(_PROFILE_D)]
    has_app_profile = any(a.startswith(_PROFILE_ARG) for a in current.app_args)
    app_args = list(current.app_args)
    d_profile = written[-1][len(_PROFILE_D):] if written else None
    if profile is not None:
        if profile != current.profile:
            notes.append(t("service.xml_note_profile", old=current.profile or "-", new=profile))
        app_args = [_PROFILE_ARG + profile if a.startswith(_PROFILE_ARG) else a for a in app_args]
        if written or not has_app_profile:
            d_profile = profile
    return java_arguments(jvm, d_profile, jar, app_args)


def _replace_argument_elements(root: ET.Element, text: str) -> int:
    """Put one `<arguments>` where the first `<argument>` was and drop the others (comments stay)."""
    parents = {child: parent for parent in root.iter() for child in parent}
    repeated = list(root.iter("argument"))
    first = repeated[0]
    first.tag, first.text = "arguments", text
    for element in repeated[1:]:
        parents[element].remove(element)
    return len(repeated)


def update(path: Path, *, jar_name: str, java: str | None = None, profile: str | None = None,
           jvm_options: list[str] | None = None, proxy: list[str] | None = None) -> tuple[bytes, list[str]]:
    """The XML at `path` for a new jar (and Java, profile or JVM options when given; `proxy`: the proxy
    options that replace the XML's, see `proxy.service_options`), and notes for the log.

    Only what must change changes; env, account, failure actions, description, log settings, other elements
    and comments stay. JVM options written after the jar move before `-jar`. The file itself is not written.
    """
    root, data = _parse(path)
    current = _interpret(path, root)
    if current.jar is None:
        raise SetupError(ExitCode.PREREQUISITES,
                         t("service.xml_no_jar", path=path, arguments=join_windows_args(current.arguments) or "-"))
    notes: list[str] = list(current.problems)
    if root.tag != "service":
        notes.append(t("service.xml_note_root", old=root.tag))
        root.tag = "service"
    new_jar = current.jar[: len(current.jar) - len(current.jar_name or "")] + jar_name
    if new_jar != current.jar:
        notes.append(t("service.xml_note_jar", old=current.jar, new=new_jar))
    arguments = _new_arguments(current, new_jar, profile, jvm_options, notes, proxy)
    if current.arguments_source == "argument":
        count = _replace_argument_elements(root, xml_arguments(arguments))
        notes.append(t("service.xml_note_converted", count=count))
    elif arguments != current.arguments:
        element = _first(root, "arguments")
        assert element is not None  # a jar was found, so the arguments exist
        element.text = xml_arguments(arguments)
    if java is not None and java != current.executable:
        element = _first(root, "executable")
        if element is None:
            element = ET.Element("executable")
            element.tail = "\n"
            root.insert(0, element)
        element.text = _checked(java)
        notes.append(t("service.xml_note_java", old=current.executable or "-", new=java))
    return _serialize(root, crlf=b"\r\n" in data), notes


# --- the account the service logs on as ---------------------------------------------------------------------


def _parse_bytes(data: bytes) -> ET.Element:
    parser = SafeET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    parser.feed(data)
    return parser.close()


def with_account(data: bytes, account: ServiceAccount) -> bytes:
    """`data` (an XML this program wrote or updated) with `<serviceaccount>` for `account`, replacing one there.
    WinSW reads the account when it registers the service; `without_password` takes the password out again."""
    root = _parse_bytes(data)
    for old in list(root.iter("serviceaccount")):
        for parent in root.iter():
            if old in list(parent):
                parent.remove(old)
    element = _account_element(account)
    element.tail = "\n"
    root.append(element)
    return _serialize(root, crlf=b"\r\n" in data)


def without_password(data: bytes) -> bytes:
    """`data` without any `<password>` under `<serviceaccount>`: the service manager keeps the password once
    the service is registered, so the file need not."""
    root = _parse_bytes(data)
    for account in root.iter("serviceaccount"):
        for password in list(account.iter("password")):
            account.remove(password)
    return _serialize(root, crlf=b"\r\n" in data)
