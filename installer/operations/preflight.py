"""Everything an install or upgrade does before it changes anything: resolve, download, verify, check.

A failure here leaves the running service untouched and nothing outside `.setup/` changed (exit 10 or 11).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from installer import (
    artifacts,
    backup,
    config_check,
    config_keep,
    effective_config,
    keystore_alias,
    prereqs,
    proxy,
    resolution,
    service_xml,
    sources,
    transfer,
    verified_files,
    verify,
    windows_args,
)
from installer import properties as props_mod
from installer.effective_config import EffectiveConfig
from installer.errors import ExitCode, SetupError
from installer.java import JavaInstall
from installer.layout import Layout
from installer.messages import t
from installer.releases import Release
from installer.settings import Settings
from installer.state import State
from installer.ui import UI
from installer.verify import VerificationError
from installer.winsw_catalog import WinswBuild

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    release: Release
    jar: Path | None  # verified, in the cache; None when the folder has this version's jar (a rollback)
    java: JavaInstall
    winsw: WinswBuild
    winsw_exe: Path | None  # verified, in the cache; None when the installed build stays
    config: EffectiveConfig  # the target's effective configuration, with `config_keys` written
    config_keys: dict[str, str]  # keys to add to integrasjonspunkt-local.properties before the target starts
    # ["sha1", hex] of the verified jar: placing it checks the copy against this (the journal keeps it).
    jar_digest: list[str] | None = None


def resolve(settings: Settings, installed: State | None, ui: UI) -> Release:
    release = resolution.resolve_for(settings, settings.spec, installed)
    if release.note:
        ui.warn(release.note)  # e.g. Digdir's approved version is on another major line
    return release


def prepare(settings: Settings, layout: Layout, ui: UI, release: Release, installed: State | None,
            *, reuse_jar: bool = False, properties: dict[str, str] | None = None,
            ports_ours: bool = False) -> Prepared:
    """`reuse_jar`: a rollback takes the jar the folder kept, when it is there. `properties`: the settings of a
    properties file about to be written (an install), else the folder's file is read. `ports_ours`: the
    folder's own integrasjonspunkt may hold the port (it is stopped first)."""
    kept = layout.jar(release.tag)
    reuse = reuse_jar and kept.is_file() and _still_verified(kept, layout, release)
    jar = None if reuse else artifacts.obtain_cached_jar(release, settings, layout, ui)
    jar_digest = _verified_sha1(jar) if jar else None
    props = properties if properties is not None else props_mod.read(layout.properties)
    target, config_keys = configuration(settings, layout, ui, release, installed, jar or kept, props)
    config = target({**props, **config_keys})
    configured_java = settings.java
    if installed and configured_java and not settings.named_on_command_line("java"):
        # The recorded Java serves the recorded line; another line may need another Java (found by discovery).
        configured_java = configured_java if _line_of(installed.version) == release.line else None
    report = prereqs.check_release(
        settings,
        release.line,
        layout,
        port=props_mod.server_port({"server.port": config.get_or("server.port", "")}),
        own_service_ports_ok=installed is not None or ports_ours,
        # The jar in the cache and in the folder; an upgrade also copies the data into a new backup set.
        needed_bytes=(jar or kept).stat().st_size * 2 + (data_bytes(layout) if installed else 0),
        configured_java=configured_java,
    )
    prereqs.show(report, ui)
    prereqs.raise_if_failed(report)
    assert report.java is not None and report.winsw is not None
    if config_keys.get("difi.ssl.key-store") and "difi.ssl.key-alias" not in config_keys:
        config_keys["difi.ssl.key-alias"] = _tls_alias(settings, report.java.path)
        config = target({**props, **config_keys})
    config_check.refuse(release.tag, config_check.problems(config, layout.root, release.version.release[0]))
    keep_build = (installed is not None and installed.winsw == report.winsw.spec and layout.exe.is_file()
                  and _sha256(layout.exe) == report.winsw.sha256.lower())
    if installed is not None and installed.winsw == report.winsw.spec and layout.exe.is_file() and not keep_build:
        log.warning("%s does not match the pinned SHA-256 of %s: placing a verified copy", layout.exe,
                    report.winsw.spec)
    # A Task Scheduler task needs no WinSW: none is downloaded or placed.
    task_mode = mode_of(settings, installed) == "task"
    winsw_exe = None if keep_build or task_mode else artifacts.obtain_cached_winsw(report.winsw, settings, layout, ui)
    return Prepared(release=release, jar=jar, java=report.java, winsw=report.winsw, winsw_exe=winsw_exe,
                    config=config, config_keys=config_keys, jar_digest=jar_digest)


def mode_of(settings: Settings, installed: State | None) -> str:
    """The way integrasjonspunkt is to run after this run: the installation's, unless the command line asks for
    another (`/install /mode`, `/repair /mode`)."""
    if installed is None or settings.named_on_command_line("mode"):
        return settings.mode
    return installed.mode


def _sha256(path: Path) -> str:
    return transfer.hash_file(path, ("sha256",))["sha256"]


def _published_sha1(jar: Path) -> str | None:
    """The SHA-1 the jar was verified against: the `.sha1` written beside it in the cache after verification."""
    try:
        return verify.parse_checksum(jar.with_name(jar.name + ".sha1").read_bytes(), "sha1", jar.name)
    except (OSError, VerificationError):
        return None


def _verified_sha1(jar: Path) -> list[str]:
    """["sha1", hex] of the jar just verified, checked again now: from here on the copy into the folder is
    hashed as it is written and compared with this."""
    published = _published_sha1(jar)
    actual = transfer.hash_file(jar, ("sha1",))["sha1"]
    verify.check_digest("sha1", published or "", actual, jar.name)
    return ["sha1", actual]


def _still_verified(kept: Path, layout: Layout, release: Release) -> bool:
    """A jar the folder kept, reused by a rollback or repair: it must still match the digest it was placed with
    (or, for a jar placed before setup recorded that, the SHA-1 its cached copy was verified against); else a
    verified copy is fetched."""
    expected = verified_files.recorded(layout.private, kept.name)
    if expected is None:
        published = _published_sha1(sources.cached_jar(layout.cache, release))
        expected = ("sha1", published) if published else None
    if expected is None:
        log.info("%s: no verified digest recorded; reusing the kept jar", kept)
        return True
    if transfer.hash_file(kept, (expected[0],))[expected[0]] == expected[1]:
        return True
    log.warning("%s does not match its verified %s %s: fetching a verified copy", kept, expected[0].upper(),
                expected[1])
    return False


def data_bytes(layout: Layout) -> int:
    return sum(backup.tree_bytes(p) for p in layout.data_paths() if p.exists())


def configuration(settings: Settings, layout: Layout, ui: UI, release: Release, installed: State | None,
                  jar: Path, local: dict[str, str]) -> tuple[config_keep.Loader, dict[str, str]]:
    """The target's configuration (as a function of the local properties) and the keys setup must write for it.
    Warns about a version known to fail against Digdir's services today."""
    warning = config_check.known_to_fail(release.version.release, release.tag)
    if warning:
        ui.warn(warning)
    # The XML the target will run with: the installed one (jar, Java, profile change), or a new one.
    xml = layout.xml if installed is not None else None
    named = installed is None or settings.named_on_command_line("jvm-options")
    jvm = windows_args.split_windows_args(settings.jvm_options or "") if named else None

    def target(with_local: dict[str, str]) -> EffectiveConfig:
        return effective_config.for_installation(layout.root, jar, xml, profile=settings.env, jvm_options=jvm,
                                                 local_override=with_local)

    if installed is None:
        keys = config_keep.fresh_defaults(target, local, _tls_keystore(settings), settings.tls_keystore_password) \
            if release.line.profile_required or settings.tls_keystore else {}
    else:
        running = effective_config.for_installation(layout.root, layout.jar(installed.version), layout.xml)
        keys = config_keep.keep_running(running, target, local)
    return target, keys


def _tls_alias(settings: Settings, java: Path) -> str:
    """The alias of the key in the /tls-keystore: given, or the keystore's only key entry."""
    if settings.tls_keystore_alias:
        return settings.tls_keystore_alias
    assert settings.tls_keystore is not None
    keystore = Path(settings.tls_keystore).absolute()
    aliases = keystore_alias.key_aliases(java, keystore, settings.tls_keystore_password or "")
    if aliases is None:
        raise SetupError(ExitCode.PREREQUISITES, t("config.tls_keystore_unreadable", path=keystore))
    if len(aliases) != 1:
        raise SetupError(ExitCode.PREREQUISITES, t("config.tls_alias_needed", path=keystore, count=len(aliases),
                                                   aliases=", ".join(aliases) or "-"))
    return aliases[0]


def _tls_keystore(settings: Settings) -> Path | None:
    if not settings.tls_keystore:
        return None
    path = Path(settings.tls_keystore).absolute()
    if not path.is_file():
        raise SetupError(ExitCode.PREREQUISITES, t("config.tls_keystore_not_found", path=path))
    if not settings.tls_keystore_password:
        raise SetupError(ExitCode.BAD_COMMAND_LINE, t("config.tls_password_needed"))
    return path


def _line_of(tag: str) -> object:
    from installer.releases import line_for

    return line_for(tag)


def service_proxy(settings: Settings, ui: UI) -> list[str] | None:
    """The proxy options for the service XML (`proxy.service_options`); says so when asked for and none is set."""
    options = proxy.service_options(settings.service_proxy, settings.named_on_command_line("service-proxy"),
                                    settings.proxy, os.environ)
    if settings.service_proxy and options is None:
        ui.warn(t("service.proxy_none"))
    return options


def fresh_jvm_options(settings: Settings, ui: UI) -> list[str]:
    """The JVM options of a newly written XML: `/jvm-options`, with the proxy's when `/service-proxy on`."""
    jvm = windows_args.split_windows_args(settings.jvm_options or "")
    extra = service_proxy(settings, ui)
    return service_xml.with_proxy(jvm, extra) if extra else jvm
