"""Messages of the WinSW catalog (installer/winsw_catalog.py). (See installer/messages.py.)"""

EN: dict[str, str] = {
    # the WinSW catalog
    "catalog.bad": "WinSW catalog {path}: {reason}",
    "catalog.not_json": "not valid JSON (line {line}: {reason})",
    "catalog.no_builds": "it needs a non-empty list \"builds\"",
    "catalog.not_object": "{where} is not an object",
    "catalog.unknown_key": "{where} has an unknown key \"{field}\"",
    "catalog.bad_field": "{where}: \"{field}\" is missing or not valid ({value})",
    "catalog.bad_choice": "{where}: \"{field}\" must be one of {choices}, not {value}",
    "catalog.duplicate": "{spec} is listed twice",
    "catalog.unknown_build": "/winsw {requested}: the WinSW catalog has no such build; it has {specs}.",
    "catalog.prerelease_needs_version": "/winsw {asset}: only pre-release versions have this asset; name one "
    "with its version: {specs}.",
    "catalog.wrong_arch": "WinSW {spec} is built for {arch} and does not run on this {machine} machine.",
    "catalog.old_windows": "WinSW {spec} needs Windows {needed} or newer; this is {found}.",
    "catalog.missing_dotnet": "WinSW {spec} needs {needed}; this server has {found}.",
    "catalog.requested_unfit": "{reason} Builds that run here (/winsw): {alternatives}.",
    "catalog.no_alternatives": "none in the catalog",
    "catalog.none_fits": "No WinSW build in the catalog runs on this machine ({arch}, {dotnet}); the catalog has "
    "{builds}. Install .NET Framework 4.6.1 or newer, or add a build for this machine with /winsw-catalog.",
}

NB: dict[str, str] = {
    # the WinSW catalog
    "catalog.bad": "WinSW-katalogen {path}: {reason}",
    "catalog.not_json": "ikke gyldig JSON (linje {line}: {reason})",
    "catalog.no_builds": "den trenger en ikke-tom liste \"builds\"",
    "catalog.not_object": "{where} er ikke et objekt",
    "catalog.unknown_key": "{where} har en ukjent nøkkel \"{field}\"",
    "catalog.bad_field": "{where}: \"{field}\" mangler eller er ugyldig ({value})",
    "catalog.bad_choice": "{where}: \"{field}\" må være en av {choices}, ikke {value}",
    "catalog.duplicate": "{spec} står to ganger",
    "catalog.unknown_build": "/winsw {requested}: WinSW-katalogen har ikke noe slikt bygg; den har {specs}.",
    "catalog.prerelease_needs_version": "/winsw {asset}: bare forhåndsversjoner har denne filen; oppgi en av dem "
    "med versjon: {specs}.",
    "catalog.wrong_arch": "WinSW {spec} er bygget for {arch} og kjører ikke på denne {machine}-maskinen.",
    "catalog.old_windows": "WinSW {spec} trenger Windows {needed} eller nyere; dette er {found}.",
    "catalog.missing_dotnet": "WinSW {spec} trenger {needed}; denne serveren har {found}.",
    "catalog.requested_unfit": "{reason} Bygg som kjører her (/winsw): {alternatives}.",
    "catalog.no_alternatives": "ingen i katalogen",
    "catalog.none_fits": "Ingen WinSW-bygg i katalogen kjører på denne maskinen ({arch}, {dotnet}); katalogen har "
    "{builds}. Installer .NET Framework 4.6.1 eller nyere, eller legg til et bygg for denne maskinen med "
    "/winsw-catalog.",
}
