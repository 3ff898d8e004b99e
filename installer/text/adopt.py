"""Messages of adoption: taking over an integrasjonspunkt installed by hand (/adopt, and before other verbs).

See installer/messages.py."""

EN: dict[str, str] = {
    # what discovery finds
    "adopt.candidate": "{base}.exe/{base}.xml (service {service_id}, version {version}, {service})",
    "adopt.registered_elsewhere": "the service id {service_id} is registered for another exe, {other}: that "
    "installation is the service, this folder holds a copy.",
    "adopt.winsw_unreadable": "{exe} did not tell its WinSW version: {reason}",
    "adopt.not_registered": "The service {service_id} is not registered in Windows; /repair registers it.",
    "adopt.jar_missing": "The jar the service runs, {jar}, is not there: the service cannot start until an "
    "/upgrade or /repair puts a jar in place.",
    "adopt.version_differs": "The jar's name says {jar}, but the running service reports version {running}; the "
    "jar's name is taken.",
    "adopt.no_version": "its version is unknown: the jar's name ({jar}) holds none and the service does not answer "
    "/manage/info. Start the service, or rename the jar integrasjonspunkt-<version>.jar, and try again.",
    "adopt.unknown_line": "its version {version} is on a release line this setup does not manage.",
    "adopt.java_not_found": "The Java the service runs ({executable}) was not found where the service would look "
    "for it; the next change chooses a Java by discovery, or give /java PATH.",
    "adopt.java_broken": "The Java the service runs, {path}, does not answer `java -version`.",
    "adopt.kosmos_xml": "{file} (service {service_id})",
    "adopt.other_service": "{file} is the service {service_id}, which does not run integrasjonspunkt.",
    "adopt.no_exe": "{file} has no {exe} beside it (WinSW reads the XML of its own name).",
    # the verb
    "adopt.already": "setup already manages integrasjonspunkt {version} in {folder}: nothing to adopt.",
    "adopt.nothing": "No integrasjonspunkt service was found in {folder} (a WinSW exe and an XML of the same name "
    "that run an integrasjonspunkt jar): nothing to adopt.",
    "adopt.title": "Adopted from {folder}",
    "adopt.done": "Adopted integrasjonspunkt {version} ({env}) in {folder}: service {service_id}, {base}.exe and "
    "{base}.xml. Nothing else was changed; /upgrade, /rollback, /repair and /status work from now on.",
    "adopt.automatic": "{folder} holds integrasjonspunkt {version} installed by hand ({base}.exe): adopting it "
    "before {verb}. Its file names and XML settings are kept.",
    "adopt.kosmos": "KOSMOS manages integrasjonspunkt in {folder} ({signs}). KOSMOS upgrades integrasjonspunkt on "
    "its own: with setup as well, two upgraders would fight over the same service. Nothing was changed. Remove "
    "KOSMOS first, or give /ignore-kosmos to go ahead anyway.",
    "adopt.kosmos_ignored": "KOSMOS is here too ({signs}); going ahead because of /ignore-kosmos. Stop KOSMOS, or "
    "it may change integrasjonspunkt behind setup's back.",
    "adopt.several": "{folder} holds more than one integrasjonspunkt service: {candidates}. Name the one to take "
    "over with /service-id ID, or remove the others. Nothing was changed.",
    "adopt.unregistered_copy": "{file} is not the registered service; adopting {chosen}.",
    "adopt.cannot": "The integrasjonspunkt service in {folder} cannot be adopted. {reasons} Nothing was changed.",
    "adopt.no_such_id": "{folder} holds no integrasjonspunkt service with the id {service_id}; it holds "
    "{candidates}. Nothing was changed.",
    "adopt.left_alone": "{file} is left alone: {reasons}",
    "adopt.task": "integrasjonspunkt in {folder} is run by the scheduled task {tasks}, not by a Windows service: "
    "take the task over with setup /adopt (it stays a task), or disable it and install the service with setup "
    "/install. Nothing was changed.",
    "adopt.task_too": "The scheduled task {tasks} also runs integrasjonspunkt from this folder: disable it, or the "
    "task and the service will both try to take the same port.",
    "adopt.by_hand": "integrasjonspunkt runs from {folder} outside any service ({processes}): started from a "
    "command window or by a task. Stop it and install the service with setup /install. Nothing was changed.",
    "adopt.no_profile": "The service's arguments give no Spring profile, which {version} needs; the environment "
    "{env} (/env) is recorded and written into the XML at the next change.",
    "adopt.env_differs": "The service runs with the Spring profile {found}, and that is recorded; /env {given} "
    "takes effect only when a run rewrites the XML with it.",
    "adopt.task_unreadable": "The definition of the scheduled task {name} cannot be read (schtasks /query /xml).",
    "adopt.task_logon": "The scheduled task {name} logs on by {logon}: setup takes over a task that runs as SYSTEM "
    "or as a user with a password.",
    "adopt.task_no_jar": "The scheduled task {name} does not run a jar with -jar.",
    "adopt.task_jar_elsewhere": "The scheduled task {name} runs {jar}, outside this folder.",
    "adopt.task_profile": "The scheduled task {name} runs the profile {profile}: setup knows staging and production.",
    "adopt.task_java": "The Java of the scheduled task {name} is not found: {java}",
    "adopt.task_done": "integrasjonspunkt {version} ({env}) in {folder} is this setup's installation now, run by the "
    "task {task} (was {name}). Nothing else changed: it went on running.",
    "adopt.task_candidate": "the scheduled task {name} ({command})",
}

NB: dict[str, str] = {
    "adopt.candidate": "{base}.exe/{base}.xml (tjeneste {service_id}, versjon {version}, {service})",
    "adopt.registered_elsewhere": "tjeneste-id-en {service_id} er registrert for en annen exe, {other}: den "
    "installasjonen er tjenesten, denne mappen har en kopi.",
    "adopt.winsw_unreadable": "{exe} oppga ikke WinSW-versjonen sin: {reason}",
    "adopt.not_registered": "Tjenesten {service_id} er ikke registrert i Windows; /repair registrerer den.",
    "adopt.jar_missing": "Jar-filen tjenesten kjører, {jar}, finnes ikke: tjenesten kan ikke starte før /upgrade "
    "eller /repair har lagt en jar-fil på plass.",
    "adopt.version_differs": "Navnet på jar-filen sier {jar}, men tjenesten som kjører oppgir versjon {running}; "
    "navnet på jar-filen brukes.",
    "adopt.no_version": "versjonen er ukjent: navnet på jar-filen ({jar}) har ingen, og tjenesten svarer ikke på "
    "/manage/info. Start tjenesten, eller gi jar-filen navnet integrasjonspunkt-<versjon>.jar, og prøv igjen.",
    "adopt.unknown_line": "versjonen {version} hører til en versjonslinje dette oppsettet ikke håndterer.",
    "adopt.java_not_found": "Java-en tjenesten kjører ({executable}) ble ikke funnet der tjenesten ville lete; "
    "neste endring velger Java ved søk, eller oppgi /java STI.",
    "adopt.java_broken": "Java-en tjenesten kjører, {path}, svarer ikke på `java -version`.",
    "adopt.kosmos_xml": "{file} (tjeneste {service_id})",
    "adopt.other_service": "{file} er tjenesten {service_id}, som ikke kjører integrasjonspunktet.",
    "adopt.no_exe": "{file} har ingen {exe} ved siden av seg (WinSW leser XML-filen med sitt eget navn).",
    "adopt.already": "setup styrer allerede integrasjonspunkt {version} i {folder}: ingenting å overta.",
    "adopt.nothing": "Fant ingen integrasjonspunkt-tjeneste i {folder} (en WinSW-exe og en XML med samme navn som "
    "kjører en integrasjonspunkt-jar): ingenting å overta.",
    "adopt.title": "Overtatt fra {folder}",
    "adopt.done": "Overtok integrasjonspunkt {version} ({env}) i {folder}: tjeneste {service_id}, {base}.exe og "
    "{base}.xml. Ingenting annet er endret; /upgrade, /rollback, /repair og /status virker fra nå av.",
    "adopt.automatic": "{folder} har integrasjonspunkt {version} installert for hånd ({base}.exe): overtar den "
    "før {verb}. Filnavnene og innstillingene i XML-filen beholdes.",
    "adopt.kosmos": "KOSMOS styrer integrasjonspunktet i {folder} ({signs}). KOSMOS oppgraderer "
    "integrasjonspunktet selv: med setup i tillegg ville to oppgraderere slåss om samme tjeneste. Ingenting er "
    "endret. Fjern KOSMOS først, eller oppgi /ignore-kosmos for å fortsette likevel.",
    "adopt.kosmos_ignored": "KOSMOS finnes også her ({signs}); fortsetter på grunn av /ignore-kosmos. Stopp "
    "KOSMOS, ellers kan den endre integrasjonspunktet uten at setup vet det.",
    "adopt.several": "{folder} har mer enn én integrasjonspunkt-tjeneste: {candidates}. Oppgi den som skal "
    "overtas med /service-id ID, eller fjern de andre. Ingenting er endret.",
    "adopt.unregistered_copy": "{file} er ikke den registrerte tjenesten; overtar {chosen}.",
    "adopt.cannot": "Integrasjonspunkt-tjenesten i {folder} kan ikke overtas. {reasons} Ingenting er endret.",
    "adopt.no_such_id": "{folder} har ingen integrasjonspunkt-tjeneste med id-en {service_id}; den har "
    "{candidates}. Ingenting er endret.",
    "adopt.left_alone": "{file} blir ikke rørt: {reasons}",
    "adopt.task": "Integrasjonspunktet i {folder} kjøres av den planlagte oppgaven {tasks}, ikke av en "
    "Windows-tjeneste: ta over oppgaven med setup /adopt (den forblir en oppgave), eller slå den av og installer "
    "tjenesten med setup /install. Ingenting er endret.",
    "adopt.task_too": "Den planlagte oppgaven {tasks} kjører også integrasjonspunktet fra denne mappen: slå den "
    "av, ellers vil oppgaven og tjenesten begge prøve å bruke samme port.",
    "adopt.by_hand": "Integrasjonspunktet kjører fra {folder} utenfor en tjeneste ({processes}): startet fra et "
    "kommandovindu eller av en oppgave. Stopp det og installer tjenesten med setup /install. Ingenting er endret.",
    "adopt.no_profile": "Argumentene til tjenesten gir ingen Spring-profil, som {version} trenger; miljøet {env} "
    "(/env) registreres og skrives inn i XML-filen ved neste endring.",
    "adopt.env_differs": "Tjenesten kjører med Spring-profilen {found}, og den registreres; /env {given} får "
    "virkning først når en kjøring skriver XML-filen med den.",
    "adopt.task_unreadable": "Definisjonen av den planlagte oppgaven {name} kan ikke leses (schtasks /query /xml).",
    "adopt.task_logon": "Den planlagte oppgaven {name} logger på med {logon}: setup tar over en oppgave som kjører "
    "som SYSTEM eller som en bruker med passord.",
    "adopt.task_no_jar": "Den planlagte oppgaven {name} kjører ingen jar med -jar.",
    "adopt.task_jar_elsewhere": "Den planlagte oppgaven {name} kjører {jar}, utenfor denne mappen.",
    "adopt.task_profile": "Den planlagte oppgaven {name} kjører profilen {profile}: setup kjenner staging og "
    "production.",
    "adopt.task_java": "Javaen til den planlagte oppgaven {name} finnes ikke: {java}",
    "adopt.task_done": "integrasjonspunkt {version} ({env}) i {folder} er nå denne setupens installasjon, kjørt av "
    "oppgaven {task} (var {name}). Ingenting annet er endret: den kjørte videre.",
    "adopt.task_candidate": "den planlagte oppgaven {name} ({command})",
}
