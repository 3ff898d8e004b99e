"""Which release to install: a version spec resolved against the version lists (CLI.md, "SPEC").

A range or `latest` skips versions that failed here and stays on the installed major line unless /allow-major;
an exact version is taken as named. Nothing here writes anything: a failure is exit 11 with nothing changed.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import replace

import requests
from packaging.version import Version

from installer import offline_index, sources
from installer.errors import ExitCode, SetupError
from installer.messages import t
from installer.releases import (
    RELEASE_LINES,
    Release,
    Spec,
    find_line,
    is_safe_tag,
    line_for,
    normalise,
    parse_spec,
    tag_for,
    try_version,
)
from installer.settings import Settings
from installer.state import State

log = logging.getLogger(__name__)

NEAREST = 4  # versions named when a spec matches nothing


class NothingToDo(Exception):
    """`latest` names a version that failed here before: nothing is done (exit 0), and the message says how to
    retry it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def open_source(settings: Settings, session: requests.Session | None) -> sources.Source:
    """Where the version lists come from: the offline folder, else the network."""
    if settings.offline is not None:
        return offline_index.OfflineSource(settings.offline)
    live = sources.session_for(settings, session)
    assert live is not None
    return sources.RemoteSource(sources.ListAddresses.of(settings), live)


# --- the spec -----------------------------------------------------------------------------------


def resolve_release(
    settings: Settings,
    spec_text: str | None,
    *,
    installed: str | None,
    failed: list[str],
    session: requests.Session | None = None,
) -> Release:
    """The release `spec_text` names (None: `latest` for the environment), by CLI.md's rules: a range or `latest`
    skips versions that failed here and stays on the installed major line unless /allow-major; an exact version
    is taken as named. No match: exit 11, naming the nearest versions."""
    spec = parse_spec(spec_text if spec_text is not None else "latest")
    source = open_source(settings, session)
    installed_version = try_version(installed) if installed else None
    failed_here = {normalise(tag) for tag in failed}
    if spec.kind == "exact":
        release = _resolve_exact(spec, source)
    elif spec.kind == "range":
        if find_line(spec.anchor) is None:
            # No release line has this major (99.x): nothing matches, whatever is installed.
            raise SetupError(ExitCode.ARTIFACT, t("artifacts.no_such_line", spec=spec.text, major=spec.anchor.major,
                                                  known=", ".join(line.name for line in RELEASE_LINES)))
        if installed_version is not None and spec.major != installed_version.major and not settings.allow_major:
            raise SetupError(ExitCode.ARTIFACT, t("artifacts.range_other_line", spec=spec.text,
                                                  installed=installed))
        release = _resolve_range(spec, source, failed_here)
    else:
        release = _resolve_channel(spec, source, settings, installed_version, failed_here)
    log.info("%s resolves to %s (%s line)", spec.text, release.tag, release.line.name)
    if release.note:
        log.warning(release.note)
    return release


def resolve_for(settings: Settings, spec_text: str | None, installed: State | None,
                session: requests.Session | None = None) -> Release:
    """`resolve_release` against an installation (None: a new one): its version and the versions that failed
    there."""
    return resolve_release(settings, spec_text, installed=installed.version if installed else None,
                           failed=installed.failed_versions if installed else [], session=session)


def _resolve_exact(spec: Spec, source: sources.Source) -> Release:
    assert spec.version is not None
    line = line_for(spec.version)
    listing = source.listing(line)
    for entry in listing.releases:
        if entry.version == spec.version:
            return Release(tag=entry.tag, version=entry.version, line=line)
    if listing.complete:
        raise _no_match(spec, listing)
    # The list was not available: try the tag as the line publishes it; a missing one fails at download.
    tag = tag_for(spec.text, line)
    log.warning("%s is not among the versions %s names; trying the tag %s", spec.text, listing.where, tag)
    return Release(tag=tag, version=spec.version, line=line)


def _resolve_range(spec: Spec, source: sources.Source, failed_here: set[str]) -> Release:
    line = line_for(spec.anchor)
    listing = source.listing(line)
    matching = [entry for entry in listing.releases if spec.matches(entry.version)]
    usable = [entry for entry in matching if normalise(entry.tag) not in failed_here]
    if usable:
        best = max(usable, key=lambda entry: entry.version)
        skipped = sorted((e for e in matching if e.version > best.version), key=lambda e: e.version)
        if skipped:
            log.info("skipping %s: failed here before", ", ".join(e.tag for e in skipped))
        return Release(tag=best.tag, version=best.version, line=line)
    if matching:
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.all_failed", spec=spec.text,
                                              failed=", ".join(e.tag for e in matching)))
    raise _no_match(spec, listing)


def _resolve_channel(
    spec: Spec, source: sources.Source, settings: Settings, installed: Version | None, failed_here: set[str]
) -> Release:
    named = source.channels().get(settings.env, {}).get(spec.kind)
    if not named:
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.no_channel", channel=spec.kind, env=settings.env))
    version = try_version(named)
    if version is None or not is_safe_tag(named):
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.bad_tag", tag=named))
    if installed is not None and version.major != installed.major and not settings.allow_major:
        # Another major line changes Java, profile rules and configuration: only on request.
        note = t("artifacts.channel_other_line", channel=spec.kind, env=settings.env, tag=named,
                 major=installed.major)
        same_line = Spec(text=f"{installed.major}.x", kind="range", prefix=(installed.major,))
        return replace(_resolve_range(same_line, source, failed_here), note=note)
    line = line_for(version)
    tag = tag_for(named, line)
    if normalise(tag) in failed_here:
        raise NothingToDo(t("artifacts.channel_failed", channel=spec.kind, env=settings.env, tag=tag))
    return Release(tag=tag, version=version, line=line)


def _no_match(spec: Spec, listing: sources.Listing) -> SetupError:
    versions = sorted({e.version: e for e in listing.releases if not e.prerelease or spec.kind == "exact"}.values(),
                      key=lambda e: e.version)
    where = listing.where if listing.complete else t("artifacts.only_named", where=listing.where,
                                                       problem=listing.problem)
    if not versions:
        return SetupError(ExitCode.ARTIFACT, t("artifacts.no_versions", spec=spec.text, where=where))
    ordered = [e.version for e in versions]
    at = bisect.bisect_left(ordered, spec.anchor)
    near = versions[max(0, at - NEAREST // 2): at + NEAREST // 2]
    return SetupError(ExitCode.ARTIFACT, t("artifacts.no_match", spec=spec.text, where=where,
                                           nearest=", ".join(e.tag for e in reversed(near))))


