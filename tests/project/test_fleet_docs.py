"""The fleet examples in docs/fleet/ (Ansible, Intune, winget) are checked against setup itself: every command
line parses, every exit code they name is one setup has and means what they take it for, and the registry key and
values they detect are the ones setup writes. So they cannot rot."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from installer import apps_entry
from installer.cmdline import Invocation, parse
from installer.errors import ExitCode
from installer.layout import Layout
from installer.operations.install import ALREADY_INSTALLED
from installer.service_xml import DEFAULT_ID
from installer.windows_args import split_windows_args
from tests.paths import REPO_ROOT

FLEET = REPO_ROOT / "docs" / "fleet"
CODES = {int(c) for c in ExitCode} | {ALREADY_INSTALLED}


def setup_args(command: str) -> Invocation:
    """setup's own arguments in a Windows command line whose first word is setup.exe."""
    words = split_windows_args(command)
    assert words[0].lower().endswith("setup.exe"), command
    return parse(words[1:])


# --- Ansible ------------------------------------------------------------------------------------------------


def _ansible_task() -> dict[str, Any]:
    (play,) = yaml.safe_load((FLEET / "ansible-integrasjonspunkt.yml").read_text(encoding="utf-8"))
    (task,) = [t for t in play["tasks"] if "ansible.windows.win_command" in t]
    return {**task, "vars": play["vars"]}


def _condition(expression: str, rc: int, document: dict[str, Any]) -> bool:
    """An Ansible condition as Jinja evaluates it, for the forms the example uses: `x.rc`, `x.stdout | from_json`
    and Python's comparison and boolean operators."""
    python = re.sub(r"\((\w+)\.stdout \| from_json\)", r"from_json(\1.stdout)", expression)
    assert "|" not in python, expression
    registered = SimpleNamespace(rc=rc, stdout=json.dumps(document))
    name = expression.split(".")[0].strip("( ")
    return bool(eval(python, {"__builtins__": {}},
                     {name: registered, "from_json": lambda text: SimpleNamespace(**json.loads(text))}))


def test_the_ansible_task_runs_a_silent_upgrade_with_json() -> None:
    task = _ansible_task()
    argv = task["ansible.windows.win_command"]["argv"]
    rendered = [re.sub(r"\{\{ (\w+) \}\}", lambda m: str(task["vars"][m.group(1)]), a) for a in argv]
    invocation = parse(rendered[1:])
    assert invocation.verb == "upgrade" and invocation.value == "latest"
    assert invocation.flag("quiet") and invocation.flag("json")
    assert task["register"] in task["changed_when"] and task["register"] in task["failed_when"]


@pytest.mark.parametrize(("rc", "result", "changed", "failed"), [
    (0, "ok", True, False),
    (0, "nothing-to-do", False, False),
    (int(ExitCode.UPGRADE_FAILED), "rolled-back", False, True),
    (int(ExitCode.ARTIFACT), "failed", False, True),
    (int(ExitCode.ATTENTION), "failed", False, True),
    (int(ExitCode.CANCELLED), "cancelled", False, True),
])
def test_ansible_changed_and_failed_follow_the_exit_code(rc: int, result: str, changed: bool, failed: bool) -> None:
    task = _ansible_task()
    document = {"verb": "upgrade", "result": result, "exit_code": rc, "message": "m", "log": "l"}
    assert _condition(task["changed_when"], rc, document) is changed
    assert _condition(task["failed_when"], rc, document) is failed


def test_ansible_waits_for_another_run_and_only_for_that() -> None:
    task = _ansible_task()
    assert task["retries"] >= 1 and task["delay"] >= 10
    for rc in CODES:
        assert _condition(task["until"], rc, {}) is (rc != ExitCode.BUSY)


# --- Intune -------------------------------------------------------------------------------------------------


def _intune() -> dict[str, Any]:
    return json.loads((FLEET / "intune-win32-app.json").read_text(encoding="utf-8"))


def test_intune_return_codes_are_setups_and_mean_what_intune_is_told() -> None:
    codes = {entry["returnCode"]: entry["type"] for entry in _intune()["returnCodes"]}
    assert codes == {ExitCode.OK: "success", ExitCode.BUSY: "retry", ExitCode.CANCELLED: "failed",
                     ExitCode.UPGRADE_FAILED: "failed"}
    assert set(codes) <= CODES
    assert {entry["@odata.type"] for entry in _intune()["returnCodes"]} == {"#microsoft.graph.win32LobAppReturnCode"}


def test_intune_installs_and_upgrades_in_place_and_detects_setups_entry() -> None:
    app = _intune()
    # powershell -Command "...": the setup calls inside it, each a command line of its own.
    script = shlex.split(app["installCommandLine"], posix=True)[-1]
    calls = [setup_args(part.split("&", 1)[1].strip().rstrip(" }"))
             for part in script.split(";") if "setup.exe" in part]
    install, upgrade = calls
    assert install.verb == "install" and upgrade.verb == "upgrade" and install.value == upgrade.value
    assert all(c.flag("quiet") and c.flag("norestart") for c in calls)
    assert install.options["properties"] == r".\integrasjonspunkt-local.properties"
    assert f"-eq {ALREADY_INSTALLED}" in script and script.rstrip().endswith("exit $LASTEXITCODE")
    uninstall = setup_args(app["uninstallCommandLine"])
    assert uninstall.verb == "uninstall" and uninstall.flag("quiet") and not uninstall.flag("purge")
    (rule,) = app["rules"]
    assert rule["keyPath"] == "HKEY_LOCAL_MACHINE\\" + apps_entry.key_path(DEFAULT_ID)
    assert (rule["valueName"], rule["operationType"], rule["ruleType"]) == ("DisplayVersion", "version", "detection")
    assert rule["comparisonValue"] == apps_entry.display_version(install.value)
    assert rule["check32BitOn64System"] is False  # setup writes the 64-bit view


def test_intune_uninstall_is_the_quiet_uninstall_string_setup_writes() -> None:
    command = _intune()["uninstallCommandLine"]
    folder = setup_args(command).options["dir"]
    expected = split_windows_args(str(apps_entry.values(Layout(Path(folder)), "2.28.7")["QuietUninstallString"][1]))
    actual = split_windows_args(command)
    assert actual[0] == expected[0].replace("/", "\\") and actual[1:] == expected[1:]


# --- winget -------------------------------------------------------------------------------------------------

# From the winget manifest schema 1.9.0 (singleton): the required keys, the keys an installer may have, and the
# enumerations the example uses.
WINGET_REQUIRED = {"PackageIdentifier", "PackageVersion", "PackageLocale", "Publisher", "PackageName", "License",
                   "ShortDescription", "Installers", "ManifestType", "ManifestVersion"}
WINGET_INSTALLER_KEYS = {
    "InstallerLocale", "Platform", "MinimumOSVersion", "Architecture", "InstallerType", "NestedInstallerType",
    "NestedInstallerFiles", "Scope", "InstallerUrl", "InstallerSha256", "SignatureSha256", "InstallModes",
    "InstallerSwitches", "InstallerSuccessCodes", "ExpectedReturnCodes", "UpgradeBehavior", "Commands", "Protocols",
    "FileExtensions", "Dependencies", "PackageFamilyName", "ProductCode", "Capabilities", "RestrictedCapabilities",
    "Markets", "InstallerAbortsTerminal", "ReleaseDate", "InstallLocationRequired", "RequireExplicitUpgrade",
    "DisplayInstallWarnings", "UnsupportedOSArchitectures", "UnsupportedArguments", "AppsAndFeaturesEntries",
    "ElevationRequirement", "InstallationMetadata", "DownloadCommandProhibited", "RepairBehavior",
    "ArchiveBinariesDependOnPath"}
WINGET_SWITCHES = {"Silent", "SilentWithProgress", "Interactive", "InstallLocation", "Log", "Upgrade", "Custom",
                   "Repair"}
WINGET_RESPONSES = {"packageInUse", "packageInUseByApplication", "installInProgress", "fileInUse",
                    "missingDependency", "diskFull", "insufficientMemory", "invalidParameter", "noNetwork",
                    "contactSupport", "rebootRequiredToFinish", "rebootRequiredForInstall", "rebootInitiated",
                    "cancelledByUser", "alreadyInstalled", "downgrade", "blockedByPolicy", "systemNotSupported",
                    "custom"}
WINGET_UPGRADE = {"install", "uninstallPrevious", "deny"}


def _winget() -> dict[str, Any]:
    return yaml.safe_load((FLEET / "Digdir.Integrasjonspunkt.yaml").read_text(encoding="utf-8"))


def test_the_winget_manifest_has_the_schemas_fields() -> None:
    manifest = _winget()
    assert set(manifest) >= WINGET_REQUIRED
    assert (manifest["ManifestType"], manifest["ManifestVersion"]) == ("singleton", "1.9.0")
    assert re.fullmatch(r"[^.\s]{1,32}(\.[^.\s]{1,32}){1,7}", manifest["PackageIdentifier"])
    (installer,) = manifest["Installers"]
    assert set(installer) <= WINGET_INSTALLER_KEYS
    assert {"Architecture", "InstallerUrl", "InstallerSha256"} <= set(installer)
    assert re.fullmatch(r"[A-Fa-f0-9]{64}", installer["InstallerSha256"])
    assert installer["InstallerUrl"].startswith("https://")
    assert set(installer["InstallerSwitches"]) <= WINGET_SWITCHES
    assert installer["UpgradeBehavior"] in WINGET_UPGRADE
    assert installer["ElevationRequirement"] in {"elevationRequired", "elevationProhibited", "elevatesSelf"}


def test_winget_runs_setup_silently_and_knows_its_codes() -> None:
    manifest = _winget()
    (installer,) = manifest["Installers"]
    switches = installer["InstallerSwitches"]
    assert switches["Silent"] == "/quiet" == switches["SilentWithProgress"]
    # winget puts the silent switch, then the custom ones, after the installer's path.
    invocation = setup_args(f'setup.exe {switches["Silent"]} {switches["Custom"]}')
    assert invocation.verb == "install" and invocation.value == manifest["PackageVersion"]
    codes = {entry["InstallerReturnCode"]: entry["ReturnResponse"] for entry in installer["ExpectedReturnCodes"]}
    assert set(codes) <= CODES - {0}
    assert set(codes.values()) <= WINGET_RESPONSES
    assert codes[ExitCode.BUSY] == "installInProgress" and codes[ExitCode.CANCELLED] == "cancelledByUser"
    assert codes[ALREADY_INSTALLED] == "alreadyInstalled" and codes[ExitCode.BAD_COMMAND_LINE] == "invalidParameter"
    (entry,) = installer["AppsAndFeaturesEntries"]
    written = apps_entry.values(Layout(Path("C:/ip")), manifest["PackageVersion"])
    assert entry == {name: written[name][1] for name in ("DisplayName", "Publisher", "DisplayVersion")}
