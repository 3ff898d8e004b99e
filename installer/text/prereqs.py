"""Messages of the prerequisites: Java, .NET, WinSW, the machine, /check. (See installer/messages.py.)"""

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
    "prereqs.java_writable": "not run: other users can change it ({where})",
    "prereqs.java_path_only": "The only suitable Java was found through PATH ({path}); name the Java to use with "
    "/java.",
    "prereqs.java_path_only_quiet": "The only suitable Java, {version}, was found through PATH ({path}); a silent "
    "run does not pick a Java from PATH: name it with /java.",
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
    "prereqs.disk_backups": "; backups: {count} sets, {size}",
    "prereqs.disk_prune": "The backups in {folder} take {size}: delete the sets you no longer need (the README "
    "says which).",
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
    "prereqs.check_folder": "Install folder",
}

NB: dict[str, str] = {
    # names of the checks (table rows)
    "prereqs.check_java": "Java",
    "prereqs.check_winsw": "WinSW-bygg",
    "prereqs.check_dotnet": ".NET Framework",
    "prereqs.check_windows": "Operativsystem",
    "prereqs.check_admin": "Administratorrettigheter",
    "prereqs.check_disk": "Ledig disk",
    "prereqs.check_port": "Port",
    "prereqs.not_applicable": "gjelder ikke",
    "prereqs.unknown": "ukjent",
    "prereqs.detail_line": "{check}: fant {found}; trengs {needed}",
    # Java
    "prereqs.java_install": "Java {version} ({bits}{kind}) i {path}",
    "prereqs.java_origin_registry": "{vendor}, registeret HKLM\\{regkey}, {view}-biters visning",
    "prereqs.java_not_there": "ikke noe java-program der",
    "prereqs.java_timeout": "svarte ikke på 'java -version' innen {seconds} s",
    "prereqs.java_cannot_run": "kan ikke kjøres: {reason}",
    "prereqs.java_failed": "'java -version' feilet (avslutningskode {code}): {output}",
    "prereqs.java_no_version": "'java -version' oppga ingen versjon",
    "prereqs.java_needed_exact": "Java {major} (en nyere kjører med en advarsel)",
    "prereqs.java_needed_min": "Java {major} eller nyere",
    "prereqs.java_none_found": "ingen brukbar Java",
    "prereqs.java_seen": "Java {version} i {path} ({origin})",
    "prereqs.java_seen_broken": "{path} ({origin}): {reason}",
    "prereqs.java_writable": "ikke kjørt: andre brukere kan endre den ({where})",
    "prereqs.java_path_only": "Den eneste egnede Java-en ble funnet via PATH ({path}); oppgi Java-en som skal "
    "brukes med /java.",
    "prereqs.java_path_only_quiet": "Den eneste egnede Java-en, {version}, ble funnet via PATH ({path}); en stille "
    "kjøring velger ikke Java fra PATH: oppgi den med /java.",
    "prereqs.java_seen_none": "ingen Java i det hele tatt",
    "prereqs.java_none": "Ingen brukbar Java for denne versjonen: den trenger {needed}. Fant: {found}. {hint}",
    "prereqs.java_install_hint": "Installer en 64-biters Java {major} (for eksempel Eclipse Temurin {major} JRE "
    "fra https://adoptium.net) og kjør setup igjen, eller oppgi java.exe med /java STI.",
    "prereqs.java_given_broken": "Java-en som er oppgitt med /java ({path}), kan ikke brukes: {reason}.",
    "prereqs.java_given_too_old": "Java-en som er oppgitt med /java ({path}), er {version}; denne versjonen "
    "trenger {needed}. {hint}",
    "prereqs.java_not_exact": "Digdir støtter bare Java {major} for denne versjonen; den kommer til å kjøre på "
    "Java {version} ({path}). Installer Java {major} og oppgi den med /java for å følge Digdirs råd.",
    "prereqs.java_32bit": "{path} er en 32-biters Java: den kan ikke bruke mer enn omtrent 1,4 GB minne "
    "(Digdirs tjenestefil ber om -Xmx2048m). Bruk helst en 64-biters Java.",
    "prereqs.java_unusable": "Ikke brukbar: {listed}.",
    "prereqs.java_recorded_too_old": "Java-en denne installasjonen brukte ({path}, {version}), er for gammel for "
    "denne versjonen, som trenger {needed}; en annen ble funnet.",
    "prereqs.java_recorded_broken": "Java-en denne installasjonen brukte ({path}), kan ikke brukes lenger "
    "({reason}); en annen ble funnet.",
    # .NET
    "prereqs.dotnet_v4": ".NET Framework {version} (release {release})",
    "prereqs.dotnet_v4_plain": ".NET Framework {version}",
    "prereqs.dotnet_v35": ".NET Framework 3.5",
    "prereqs.dotnet_none": "ingen .NET Framework",
    "prereqs.dotnet_need": ".NET Framework {version} eller nyere",
    "prereqs.dotnet_not_needed": "ingen (selvstendig WinSW)",
    # WinSW build
    "prereqs.winsw_self_contained": "ingenting (selvstendig)",
    "prereqs.winsw_requested": "(/winsw)",
    "prereqs.winsw_none": "ingen passer",
    "prereqs.winsw_any": "et bygg fra katalogen som kjører her",
    # Windows, admin
    "prereqs.windows_found": "{name} ({version})",
    "prereqs.windows_any": "hvilken som helst",
    "prereqs.admin_needed": "ja",
    "prereqs.admin_yes": "ja",
    "prereqs.admin_no": "nei",
    "prereqs.admin_missing": "setup trenger administratorrettigheter for å installere og styre tjenesten: "
    "start den fra en administrator-ledetekst (høyreklikk, Kjør som administrator).",
    "prereqs.admin_unknown": "Fikk ikke avgjort om setup kjører med administratorrettigheter.",
    # disk
    "prereqs.disk_found": "{size} ledig ({folder})",
    "prereqs.disk_needed": "{size}",
    "prereqs.disk_backups": "; sikkerhetskopier: {count} sett, {size}",
    "prereqs.disk_prune": "Sikkerhetskopiene i {folder} tar {size}: slett settene du ikke lenger trenger "
    "(README sier hvilke).",
    "prereqs.disk_short": "Ikke nok ledig disk i {folder}: {needed} trengs (ny jar, sikkerhetskopi av data, "
    "logger), {free} er ledig. Frigjør plass og kjør setup igjen.",
    # port
    "prereqs.port_needed": "port {port} ledig",
    "prereqs.port_free": "ledig",
    "prereqs.port_ours": "port {port} holdes av denne installasjonens tjeneste (pid {pid}), som stoppes først",
    "prereqs.port_held": "port {port} brukes av {program} (pid {pid})",
    "prereqs.port_held_unknown": "port {port} er i bruk",
    "prereqs.port_busy": "Port {port} brukes av {program} (pid {pid}). Stopp det programmet, eller gi "
    "integrasjonspunkt en annen port med server.port i integrasjonspunkt-local.properties.",
    "prereqs.port_busy_unknown": "Port {port} brukes av et annet program. Stopp det, eller gi integrasjonspunkt "
    "en annen port med server.port i integrasjonspunkt-local.properties.",
    # /check
    "prereqs.table_title": "Forutsetninger for integrasjonspunkt {version}",
    "prereqs.table_title_plain": "Forutsetninger",
    "prereqs.column_check": "Sjekk",
    "prereqs.column_found": "Funnet",
    "prereqs.column_needed": "Trengs",
    "prereqs.column_verdict": "Vurdering",
    "prereqs.verdict_ok": "ok",
    "prereqs.verdict_warning": "advarsel",
    "prereqs.verdict_fail": "FEIL",
    "prereqs.all_met": "Alle forutsetninger for integrasjonspunkt {version} er oppfylt.",
    "prereqs.all_met_warnings": "Forutsetningene for integrasjonspunkt {version} er oppfylt, med {count} "
    "advarsel/advarsler.",
    "prereqs.not_met": "Forutsetningene for integrasjonspunkt {version} er ikke oppfylt: {reasons}",
    "prereqs.check_folder": "Installasjonsmappe",
}
