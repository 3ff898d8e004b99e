"""Messages of the prerequisites: Java, .NET, the WinSW catalog and build, the machine, /check."""

EN: dict[str, str] = {
    # names of the checks (table rows)
    "prereqs.check_java": "Java",
    "prereqs.check_winsw": "WinSW build",
    "prereqs.check_dotnet": ".NET Framework",
    "prereqs.check_windows": "Operating system",
    "prereqs.check_admin": "Administrator rights",
    "prereqs.check_disk": "Free disk",
    "prereqs.check_port": "Port",
    "prereqs.not_applicable": "not applicable",
    "prereqs.unknown": "unknown",
    "prereqs.detail_line": "{check}: found {found}; needed {needed}",
    # Java
    "prereqs.java_install": "Java {version} ({bits}{kind}) at {path}",
    "prereqs.java_origin_registry": "{vendor}, registry HKLM\\{regkey}, {view}-bit view",
    "prereqs.java_not_there": "no java executable there",
    "prereqs.java_timeout": "did not answer 'java -version' within {seconds} s",
    "prereqs.java_cannot_run": "cannot be run: {reason}",
    "prereqs.java_failed": "'java -version' failed (exit {code}): {output}",
    "prereqs.java_no_version": "'java -version' named no version",
    "prereqs.java_needed_exact": "Java {major} (a newer one runs with a warning)",
    "prereqs.java_needed_min": "Java {major} or newer",
    "prereqs.java_none_found": "no usable Java",
    "prereqs.java_seen": "Java {version} at {path} ({origin})",
    "prereqs.java_seen_broken": "{path} ({origin}): {reason}",
    "prereqs.java_seen_none": "no Java at all",
    "prereqs.java_none": "No usable Java for this version: it needs {needed}. Found: {found}. {hint}",
    "prereqs.java_install_hint": "Install a 64-bit Java {major} (for example Eclipse Temurin {major} JRE from "
    "https://adoptium.net) and run setup again, or give its java.exe with /java PATH.",
    "prereqs.java_given_broken": "The Java given with /java ({path}) cannot be used: {reason}.",
    "prereqs.java_given_too_old": "The Java given with /java ({path}) is {version}; this version needs {needed}. "
    "{hint}",
    "prereqs.java_not_exact": "Digdir supports only Java {major} for this version; it will run on Java {version} "
    "({path}). Install Java {major} and give it with /java to follow Digdir's advice.",
    "prereqs.java_32bit": "{path} is a 32-bit Java: it cannot use more than about 1.4 GB of memory "
    "(Digdir's service file asks for -Xmx2048m). Prefer a 64-bit Java.",
    "prereqs.java_unusable": "Not usable: {listed}.",
    "prereqs.java_recorded_too_old": "The Java this installation used ({path}, {version}) is too old for this "
    "version, which needs {needed}; another one was found.",
    "prereqs.java_recorded_broken": "The Java this installation used ({path}) cannot be used any more ({reason}); "
    "another one was found.",
    # .NET
    "prereqs.dotnet_v4": ".NET Framework {version} (release {release})",
    "prereqs.dotnet_v4_plain": ".NET Framework {version}",
    "prereqs.dotnet_v35": ".NET Framework 3.5",
    "prereqs.dotnet_none": "no .NET Framework",
    "prereqs.dotnet_need": ".NET Framework {version} or newer",
    "prereqs.dotnet_not_needed": "none (self-contained WinSW)",
    # WinSW build
    "prereqs.winsw_self_contained": "nothing (self-contained)",
    "prereqs.winsw_requested": "(/winsw)",
    "prereqs.winsw_none": "none fits",
    "prereqs.winsw_any": "a build from the catalog that runs here",
    # Windows, admin
    "prereqs.windows_found": "{name} ({version})",
    "prereqs.windows_any": "any",
    "prereqs.admin_needed": "yes",
    "prereqs.admin_yes": "yes",
    "prereqs.admin_no": "no",
    "prereqs.admin_missing": "setup needs administrator rights to install and control the service: "
    "start it from an administrator prompt (right-click, Run as administrator).",
    "prereqs.admin_unknown": "Could not tell whether setup runs with administrator rights.",
    # disk
    "prereqs.disk_found": "{size} free ({folder})",
    "prereqs.disk_needed": "{size}",
    "prereqs.disk_short": "Not enough free disk in {folder}: {needed} needed (new jar, data backup, logs), "
    "{free} free. Free some space and run setup again.",
    # port
    "prereqs.port_needed": "port {port} free",
    "prereqs.port_free": "free",
    "prereqs.port_ours": "port {port} held by this installation's service (pid {pid}), which is stopped first",
    "prereqs.port_held": "port {port} in use by {program} (pid {pid})",
    "prereqs.port_held_unknown": "port {port} in use",
    "prereqs.port_busy": "Port {port} is in use by {program} (pid {pid}). Stop that program, or give "
    "integrasjonspunkt another port with server.port in integrasjonspunkt-local.properties.",
    "prereqs.port_busy_unknown": "Port {port} is in use by another program. Stop it, or give integrasjonspunkt "
    "another port with server.port in integrasjonspunkt-local.properties.",
    # /check
    "prereqs.table_title": "Prerequisites for integrasjonspunkt {version}",
    "prereqs.table_title_plain": "Prerequisites",
    "prereqs.column_check": "Check",
    "prereqs.column_found": "Found",
    "prereqs.column_needed": "Needed",
    "prereqs.column_verdict": "Verdict",
    "prereqs.verdict_ok": "ok",
    "prereqs.verdict_warning": "warning",
    "prereqs.verdict_fail": "FAIL",
    "prereqs.all_met": "All prerequisites for integrasjonspunkt {version} are met.",
    "prereqs.all_met_warnings": "The prerequisites for integrasjonspunkt {version} are met, with {count} "
    "warning(s).",
    "prereqs.not_met": "Prerequisites for integrasjonspunkt {version} are not met: {reasons}",
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

NB: dict[str, str] = {}
