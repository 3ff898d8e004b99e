"""The installation's entry in Apps & features (Programs and Features):
`HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\<service id>`.

Intune and Configuration Manager detect the installed version from `DisplayVersion`, so every commit (install,
upgrade, rollback, repair) writes it anew, and `/uninstall` removes the key. The uninstall commands run the
folder's own copy of setup (`.setup\\setup.exe`, kept by every changing run of the one-file program), so they
work after the file the admin ran is gone.
"""

from __future__ import annotations

import logging

from installer.layout import Layout
from installer.service_xml import DEFAULT_ID
from installer.windows import registry
from installer.windows_args import quote_windows_arg

log = logging.getLogger(__name__)

UNINSTALL = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
PRODUCT = "integrasjonspunkt"
PUBLISHER = "Digdir"


def key_path(service_id: str) -> str:
    return f"{UNINSTALL}\\{service_id}"


def display_version(tag: str) -> str:
    """`4.0.8` for the tag `v4.0.8`: detection rules compare dotted numbers, and both name one version."""
    return tag[1:] if tag[:1] in ("v", "V") else tag


def uninstall_command(layout: Layout, quiet: bool) -> str:
    setup = quote_windows_arg(str(layout.setup_copy), True)
    folder = quote_windows_arg(str(layout.root), True)
    return f"{setup} /uninstall /dir {folder}" + (" /quiet" if quiet else "")


def values(layout: Layout, tag: str) -> dict[str, tuple[str, str | int]]:
    name = PRODUCT if layout.service_id == DEFAULT_ID else f"{PRODUCT} ({layout.service_id})"
    return {
        "DisplayName": (registry.REG_SZ, name),
        "DisplayVersion": (registry.REG_SZ, display_version(tag)),
        "Publisher": (registry.REG_SZ, PUBLISHER),
        "InstallLocation": (registry.REG_SZ, str(layout.root)),
        "DisplayIcon": (registry.REG_SZ, str(layout.setup_copy)),
        "UninstallString": (registry.REG_SZ, uninstall_command(layout, quiet=False)),
        "QuietUninstallString": (registry.REG_SZ, uninstall_command(layout, quiet=True)),
        # setup has no modify or repair dialog for Apps & features to start: /repair is a command-line verb.
        "NoModify": (registry.REG_DWORD, 1),
        "NoRepair": (registry.REG_DWORD, 1),
    }


def write(layout: Layout, tag: str) -> None:
    """Write the entry for the version now installed. A failure is logged, never raised: the service runs and
    is healthy; only the entry is stale until the next run."""
    try:
        if registry.write_key(key_path(layout.service_id), values(layout, tag)):
            log.info("Apps & features: %s %s", key_path(layout.service_id), display_version(tag))
    except OSError as exc:
        log.warning("Apps & features entry %s not written: %s", key_path(layout.service_id), exc)


def remove(service_id: str) -> None:
    try:
        if registry.delete_key(key_path(service_id)):
            log.info("Apps & features: %s removed", key_path(service_id))
    except OSError as exc:
        log.warning("Apps & features entry %s not removed: %s", key_path(service_id), exc)
