""".NET Framework on this machine, from the registry (FACTS.md section 3), and what a WinSW build needs of it."""

from __future__ import annotations

from dataclasses import dataclass

from installer.messages import t
from installer.windows import registry

_NDP = r"SOFTWARE\Microsoft\NET Framework Setup\NDP"
# Minimum `Release` DWORD of each 4.5+ version; compare with >= (newer builds of one version report higher).
RELEASES: tuple[tuple[int, str], ...] = (
    (533320, "4.8.1"),
    (528040, "4.8"),
    (461808, "4.7.2"),
    (461308, "4.7.1"),
    (460798, "4.7"),
    (394802, "4.6.2"),
    (394254, "4.6.1"),
    (393295, "4.6"),
    (379893, "4.5.2"),
    (378675, "4.5.1"),
    (378389, "4.5"),
)
NEEDS = ("none", "net2", "net4", "net461")
_NET461 = 394254
# What each `needs` value of the WinSW catalog asks for, as an admin would install it.
_NEED_LABELS = {"net2": "3.5", "net4": "4.0", "net461": "4.6.1"}


def version_for_release(release: int) -> str:
    for minimum, version in RELEASES:
        if release >= minimum:
            return version
    return "4.0"


@dataclass(frozen=True)
class DotNet:
    release: int | None  # NDP\v4\Full `Release`; None for 4.0 or when 4.x is absent
    v4: bool  # 4.0 or newer
    v35: bool  # 3.5, which carries the 2.0 runtime

    @property
    def version(self) -> str | None:
        """The newest 4.x version (`4.6.2`), or None without 4.x."""
        if self.release is not None:
            return version_for_release(self.release)
        return "4.0" if self.v4 else None

    def satisfies(self, need: str) -> bool:
        if need == "none":
            return True
        if need == "net461":
            return self.release is not None and self.release >= _NET461
        if need == "net4":
            return self.v4
        if need == "net2":
            return self.v35
        raise ValueError(f"unknown .NET need {need!r}")

    def describe(self) -> str:
        parts = []
        if self.version is not None:
            parts.append(t("prereqs.dotnet_v4", version=self.version, release=self.release)
                         if self.release is not None else t("prereqs.dotnet_v4_plain", version=self.version))
        if self.v35:
            parts.append(t("prereqs.dotnet_v35"))
        return ", ".join(parts) if parts else t("prereqs.dotnet_none")


def need_label(need: str) -> str:
    """`.NET Framework 4.6.1` for `net461`."""
    return t("prereqs.dotnet_need", version=_NEED_LABELS[need])


def read() -> DotNet:
    """What the registry (64-bit view) says is installed; nothing when there is no registry."""
    release = registry.read_value(_NDP + r"\v4\Full", "Release")
    full_install = registry.read_value(_NDP + r"\v4\Full", "Install")
    v35 = registry.read_value(_NDP + r"\v3.5", "Install")
    return DotNet(
        release=release if isinstance(release, int) else None,
        v4=isinstance(release, int) or full_install == 1,
        v35=v35 == 1,
    )
