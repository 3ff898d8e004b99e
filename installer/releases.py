"""Release lines of integrasjonspunkt and the version specs an admin may name (CLI.md, "SPEC").

One row of `RELEASE_LINES` per line (FACTS.md section 1): a new line is a new row, not new code. Specs are parsed
here, before any of their text reaches a URL or a path; anything that is not a plain version form is a bad
command line (exit 1639).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from packaging.version import InvalidVersion, Version

from installer.errors import ExitCode, SetupError
from installer.messages import t


@dataclass(frozen=True)
class ReleaseLine:
    majors: tuple[int, ...]
    java_min: int
    java_preferred: int
    source: Literal["maven", "github"]
    health: Literal["wsdl", "manage"]
    profile_required: bool
    tag_prefix: Literal["", "v"]

    @property
    def name(self) -> str:
        return "/".join(f"{major}.x" for major in self.majors)


RELEASE_LINES: tuple[ReleaseLine, ...] = (
    # 2.2 – 2.28.x on Maven Central; Digdir supports Java 8 only (a newer Java gets a warning from prereqs).
    ReleaseLine(majors=(2,), java_min=8, java_preferred=8, source="maven", health="wsdl",
                profile_required=False, tag_prefix=""),
    # 3.x and 4.x on GitHub releases, tags with a `v`; no WSDL; no default Spring profile.
    ReleaseLine(majors=(3, 4), java_min=21, java_preferred=21, source="github", health="manage",
                profile_required=True, tag_prefix="v"),
)

# A published tag or version as it may reach a URL or a path: digits first, no separators, no `..`.
_SAFE_TAG = re.compile(r"^[vV]?[0-9]{1,6}(\.[0-9]{1,6}){1,3}([-.+_]?[A-Za-z0-9]{1,20}){0,4}$")
_EXACT = re.compile(r"^[vV]?[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}([-.+_]?[A-Za-z0-9]{1,20}){0,4}$")
_RANGE = re.compile(r"^[vV]?(?P<major>[0-9]{1,6})(\.(?P<minor>[0-9]{1,6}))?(\.[xX*])?$")
MAX_SPEC = 64


def try_version(text: str) -> Version | None:
    """The version of a tag or version text (`v4.0.8`, `2.28.6`, `4.1.0-RC1`), None when it is none."""
    try:
        return Version(text.strip().removeprefix("v").removeprefix("V"))
    except InvalidVersion:
        return None


def normalise(tag_or_version: str) -> str:
    """One spelling per version, so `v4.0.8` (a tag) and `4.0.8` (what /manage/info reports) compare equal."""
    version = try_version(tag_or_version)
    return str(version) if version is not None else tag_or_version.strip().removeprefix("v").removeprefix("V")


def same_version(a: str, b: str) -> bool:
    return normalise(a) == normalise(b)


def is_safe_tag(tag: str) -> bool:
    """True when `tag` may become part of a URL or a file name (lists from servers are checked too)."""
    return bool(_SAFE_TAG.fullmatch(tag)) and try_version(tag) is not None


def find_line(version: Version | str) -> ReleaseLine | None:
    parsed = version if isinstance(version, Version) else try_version(version)
    if parsed is None:
        return None
    for line in RELEASE_LINES:
        if parsed.major in line.majors:
            return line
    return None


def line_for(version: Version | str) -> ReleaseLine:
    """The release line of a version or tag; one this setup does not know is an artifact error (exit 11)."""
    line = find_line(version)
    if line is None:
        known = ", ".join(line.name for line in RELEASE_LINES)
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.unknown_line", version=version, known=known))
    return line


@dataclass(frozen=True)
class Release:
    tag: str  # as published: `2.28.6`, `v4.0.8`
    version: Version
    line: ReleaseLine
    # Something the admin should read about how this release was chosen (e.g. Digdir's latest is on another line).
    note: str | None = field(default=None, compare=False)

    @property
    def prerelease(self) -> bool:
        return self.version.is_prerelease


def release_for_tag(tag: str) -> Release:
    """The release of a tag as published (e.g. one recorded in the state file)."""
    version = try_version(tag)
    if version is None or not is_safe_tag(tag):
        raise SetupError(ExitCode.ARTIFACT, t("artifacts.bad_tag", tag=tag))
    return Release(tag=tag, version=version, line=line_for(version))


def tag_for(text: str, line: ReleaseLine) -> str:
    """The tag a version is published under when no list says otherwise (`4.0.8` -> `v4.0.8`, `v2.28.6` ->
    `2.28.6`); the text keeps its own spelling of a pre-release (`4.1.0-RC1`)."""
    return line.tag_prefix + text.strip().removeprefix("v").removeprefix("V")


SpecKind = Literal["exact", "range", "latest", "earlybird"]


@dataclass(frozen=True)
class Spec:
    text: str
    kind: SpecKind
    version: Version | None = None  # exact
    prefix: tuple[int, ...] = ()  # range: (major,) or (major, minor)

    @property
    def major(self) -> int | None:
        if self.version is not None:
            return self.version.major
        return self.prefix[0] if self.prefix else None

    def matches(self, version: Version) -> bool:
        """A range holds released versions only; an exact spec names one version (a pre-release too)."""
        if self.kind == "exact":
            return version == self.version
        if self.kind != "range" or version.is_prerelease:
            return False
        return version.release[: len(self.prefix)] == self.prefix

    @property
    def anchor(self) -> Version:
        """The point of the version line this spec stands for (for naming the nearest versions)."""
        if self.version is not None:
            return self.version
        return Version(".".join(str(n) for n in self.prefix))


def parse_spec(text: str) -> Spec:
    """`2.x`, `2.*`, `2`, `2.28`, `2.28.x`, `2.28.1`, `v4.0.8`, `4.0.8`, `4.x`, `latest`, `earlybird`;
    an exact version may carry a pre-release part (`4.1.0-RC1`). Anything else: exit 1639."""
    if not text or len(text) > MAX_SPEC:
        raise _bad_spec(text)
    lowered = text.lower()
    if lowered in ("latest", "earlybird"):
        return Spec(text=lowered, kind=lowered)  # type: ignore[arg-type]
    match = _RANGE.fullmatch(text)
    if match:
        prefix = (int(match["major"]),) if match["minor"] is None else (int(match["major"]), int(match["minor"]))
        return Spec(text=text, kind="range", prefix=prefix)
    if _EXACT.fullmatch(text):
        version = try_version(text)
        if version is not None:
            return Spec(text=text, kind="exact", version=version)
    raise _bad_spec(text)


def _bad_spec(text: str) -> SetupError:
    return SetupError(ExitCode.BAD_COMMAND_LINE, t("artifacts.bad_spec", spec=text))
