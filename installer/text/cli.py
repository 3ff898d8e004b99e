"""Messages of the command line: grammar errors, help, settings. (See installer/messages.py.)"""

EN: dict[str, str] = {
    "cli.unexpected": "Unexpected argument '{token}'. Run 'setup /?' for the command line.",
    "cli.two_verbs": "Two actions given (/{first} and /{second}); give one.",
    "cli.verb_takes_no_value": "/{verb} takes no value.",
    "cli.flag_takes_no_value": "/{name} takes no value.",
    "cli.missing_value": "/{name} needs a value.",
    "cli.repeated_option": "/{name} is given twice with different values ('{first}' and '{second}'); give it once.",
    "cli.unknown_option": "Unknown option '{token}'. Run 'setup /?' for the command line.",
    "cli.option_needs_verb": "/{name} belongs with {verbs}.",
    "cli.download_needs_to": "/download needs /to DIR, the folder to fill.",
    "cli.bad_value": "/{name}: {reason}",
    "cli.bad_number": "must be a number of seconds, not '{value}'",
    "cli.bad_positive_int": "must be a whole number of 1 or more, not '{value}'",
    "cli.bad_choice": "must be one of {choices}, not '{value}'",
    "cli.bad_service_id": "'{value}' is not a valid service id (letters, digits, '.', '-' and '_', at most 80)",
    "cli.bad_bool": "must be true or false, not '{value}'",
    "cli.dir_required": "Give the install folder with /dir PATH (there is no default on this system).",
    "cli.bad_settings_file": "Cannot read {path}: {reason}",
    "cli.unknown_setting": "{path}: unknown setting '{name}'",
    "cli.setting_not_here": "{name} is ignored in {origin}: it is taken only from the command line "
    "or the install folder's setup.toml.",
    "cli.setting_not_here_dir": "{name} is ignored in {origin}: the folder was chosen by {by}, not by the "
    "command line.",
    "cli.password_on_command_line": "A password was given on the command line, where other users of this "
    "machine can see it; prefer '-' (standard input) or the {var} variable.",
    "cli.password_stdin_empty": "/{name} -: no password on standard input.",
    "cli.state_overrides": "Using {name} {value} recorded for this installation.",
    "cli.changed_from_state": "{name} changes from {old} to {new} (named on the command line).",
    "cli.shortened": "{head}… ({length} characters)",
    "cli.interrupted": "Cancelled.",
    "cli.log_unwritable": "Cannot write the log {file}: {reason}. Nothing was changed.",
    "cli.finishing_undo": "Ctrl+C: finishing the undo, please wait.",
    "cli.log_at": "Log: {path}",
    "cli.nothing_changed": "{message} Nothing was changed.",
    "cli.internal_error": "Internal error: {error}. Details are in the log{log}.",
    "cli.usage": """Usage: setup [VERB [VALUE]] [OPTION [VALUE]]...
Without a verb, setup opens the guided install.

Verbs:
  /install [SPEC]      install integrasjonspunkt (default: latest for the environment)
  /upgrade SPEC        upgrade; rolls back by itself when the new version is not healthy
  /rollback            go back to the previous version (/restore-data: also its data)
  /recover             finish or undo an interrupted operation
  /status              show what is installed and whether it is healthy (read-only)
  /uninstall           remove the service (/purge: also data, properties and keystore)
  /check [SPEC]        check the prerequisites only (read-only)
  /download SPEC /to DIR   fill a folder for an offline install
  /repair              rewrite XML and service registration and health-check
  /adopt               take over an installation made by hand (/from-kosmos: one KOSMOS runs)
  /run                 run the installed version in this console as the service would (Ctrl+C stops it;
                       the exit code is Java's)
  /schedule SPEC       upgrade to SPEC unattended, as a Task Scheduler task (/at HH:MM, default 05:30;
                       /days MON-FRI by default; /allow-major: also across major lines)
  /unschedule          remove the scheduled upgrade

SPEC: 2.x, 2.*, 2, 2.28, 2.28.x, 2.28.1, v4.0.8, 4.0.8, 4.x, latest, earlybird

Options:
  /dir PATH            install folder (Windows: C:\\integrasjonspunkt)
  /env staging|production
  /service-id ID       WinSW id (default integrasjonspunkt)
  /java PATH           the java executable for the service
  /winsw BUILD         e.g. 2.12.0/WinSW-x64.exe
  /health-timeout S    post-start check deadline (default 180)
  /health-stable S     how long the new version must answer well (default 5)
  /jvm-options "..."   JVM options for the service, e.g. "-Xmx2048m"
  /keep-jars N         jars to keep (default 3)
  /allow-major         let a range or latest cross to another major line
  /allow-downgrade     let /upgrade go to a lower version
  /secure-folder       take ownership of a folder other users can write to, and lock it down
  /allow-http          plain HTTP to a mirror that is not on loopback
  /allow-unsigned      accept a jar whose signature is missing (never one that fails)
  /trusted-key FILE    one more OpenPGP public key to accept
  /key-url URL         where a newer copy of a trusted key is published
  /offline DIR         take every file from this folder
  /maven-repo URL, /github-releases URL, /github-api URL, /versions-url URL,
  /winsw-releases URL, /winsw-catalog FILE   sources for an internal mirror
  /proxy URL           proxy for downloads (else the WinHTTP proxy, else the environment)
  /service-proxy on|off  that proxy also for the service (Java -Dhttps.proxyHost/Port); kept
  /service-password P  password of the service account ('-': standard input)
  /service-user NAME   (/install) the account the service runs as: LocalSystem (default), virtual
                       (NT SERVICE\\ID), .\\NAME, DOMAIN\\NAME, gMSA DOMAIN\\NAME$; upgrades keep it
  /create-user         (/install, with /service-user .\\NAME) create that local user with the least rights;
                       setup makes its password; /uninstall deletes it
  /mode service|task   (/install, /repair) a WinSW service (default), or a Task Scheduler task at
                       startup (Digdir's Alt 3; no WinSW); kept by upgrades; /repair /mode moves it
  /ignore-kosmos       go ahead although KOSMOS manages integrasjonspunkt here
  /norestart           accepted; setup never reboots
  /lang en|nb          language
  /quiet (/q, /qn)     no prompts or progress bars; log lines only
  /yes                 answer yes to confirmations
  /log FILE            also append the log here
  /json                print one JSON result document
  /?, /help            this text; --version prints the version of setup
  /properties FILE, /orgnr N, /keystore PATH, /keystore-alias A,
  /keystore-password P, /keystore-type JKS|PKCS12   (/install) the properties file
  /tls-keystore PATH, /tls-keystore-password P,
  /tls-keystore-alias A                             (/install) serve HTTPS with this keystore

Exit codes: 0 ok, 10 prerequisites, 11 version/download/verification, 12 install failed (undone),
13 upgrade failed (rolled back), 14 needs attention, 15 nothing installed, 1602 cancelled,
1618 another run holds the folder, 1638 another version is installed (use /upgrade), 1639 invalid command line.
Reference: docs/cli.md of the project.""",
}

NB: dict[str, str] = {
    "cli.unexpected": "Uventet argument '{token}'. Kjør 'setup /?' for å se kommandolinjen.",
    "cli.two_verbs": "To handlinger er oppgitt (/{first} og /{second}); oppgi én.",
    "cli.verb_takes_no_value": "/{verb} tar ingen verdi.",
    "cli.flag_takes_no_value": "/{name} tar ingen verdi.",
    "cli.missing_value": "/{name} trenger en verdi.",
    "cli.unknown_option": "Ukjent valg '{token}'. Kjør 'setup /?' for å se kommandolinjen.",
    "cli.option_needs_verb": "/{name} hører til {verbs}.",
    "cli.download_needs_to": "/download trenger /to MAPPE, mappen som skal fylles.",
    "cli.bad_value": "/{name}: {reason}",
    "cli.bad_number": "må være et antall sekunder, ikke '{value}'",
    "cli.bad_positive_int": "må være et heltall fra og med 1, ikke '{value}'",
    "cli.bad_choice": "må være en av {choices}, ikke '{value}'",
    "cli.bad_service_id": "'{value}' er ikke en gyldig tjeneste-id (bokstaver, sifre, '.', '-' og '_', høyst 80)",
    "cli.bad_bool": "må være true eller false, ikke '{value}'",
    "cli.dir_required": "Oppgi installasjonsmappen med /dir STI (på dette systemet finnes ingen standard).",
    "cli.bad_settings_file": "Kan ikke lese {path}: {reason}",
    "cli.unknown_setting": "{path}: ukjent innstilling '{name}'",
    "cli.setting_not_here_dir": "{name} ignoreres i {origin}: mappen ble valgt av {by}, ikke av kommandolinjen.",
    "cli.setting_not_here": "{name} ignoreres i {origin}: den tas bare fra kommandolinjen eller fra "
    "installasjonsmappens setup.toml.",
    "cli.password_on_command_line": "Et passord ble gitt på kommandolinjen, der andre brukere av maskinen kan se "
    "det; bruk heller '-' (standard inn) eller variabelen {var}.",
    "cli.password_stdin_empty": "/{name} -: ikke noe passord på standard inn.",
    "cli.state_overrides": "Bruker {name} {value} som er registrert for denne installasjonen.",
    "cli.changed_from_state": "{name} endres fra {old} til {new} (oppgitt på kommandolinjen).",
    "cli.shortened": "{head}… ({length} tegn)",
    "cli.repeated_option": "/{name} er oppgitt to ganger med ulike verdier ('{first}' og '{second}'); oppgi den én "
    "gang.",
    "cli.interrupted": "Avbrutt.",
    "cli.log_unwritable": "Kan ikke skrive loggen {file}: {reason}. Ingenting ble endret.",
    "cli.finishing_undo": "Ctrl+C: gjør ferdig angringen, vent litt.",
    "cli.log_at": "Logg: {path}",
    "cli.nothing_changed": "{message} Ingenting ble endret.",
    "cli.internal_error": "Intern feil: {error}. Detaljer står i loggen{log}.",
    "cli.usage": """Bruk: setup [HANDLING [VERDI]] [VALG [VERDI]]...
Uten handling åpner setup den veiledede installasjonen.

Handlinger:
  /install [SPEC]      installer integrasjonspunkt (standard: latest for miljøet)
  /upgrade SPEC        oppgrader; ruller tilbake av seg selv når den nye versjonen ikke er frisk
  /rollback            gå tilbake til forrige versjon (/restore-data: også dataene fra den gang)
  /recover             fullfør eller angre en avbrutt operasjon
  /status              vis hva som er installert og om det er friskt (bare lesing)
  /uninstall           fjern tjenesten (/purge: også data, properties-fil og nøkkellager)
  /check [SPEC]        sjekk bare forutsetningene (bare lesing)
  /download SPEC /to MAPPE   fyll en mappe for installasjon uten nett
  /repair              skriv XML og tjenesteregistrering på nytt, og helsesjekk
  /adopt               overta en installasjon som er gjort for hånd (/from-kosmos: en som KOSMOS kjører)
  /run                 kjør den installerte versjonen i dette vinduet slik tjenesten gjør (Ctrl+C stopper;
                       avslutningskoden er Javas)
  /schedule SPEC       oppgrader til SPEC uten tilsyn, som en oppgave i Oppgaveplanlegging (/at TT:MM,
                       standard 05:30; /days MON-FRI som standard; /allow-major: også til en annen hovedlinje)
  /unschedule          fjern den planlagte oppgraderingen

SPEC: 2.x, 2.*, 2, 2.28, 2.28.x, 2.28.1, v4.0.8, 4.x, latest, earlybird

Valg:
  /dir STI             installasjonsmappe (Windows: C:\\integrasjonspunkt)
  /env staging|production
  /service-id ID       WinSW-id (standard integrasjonspunkt)
  /java STI            java-programmet tjenesten skal bruke
  /winsw BUILD         f.eks. 2.12.0/WinSW-x64.exe
  /health-timeout S    frist for sjekken etter start (standard 180)
  /health-stable S     hvor lenge den nye versjonen må svare riktig (standard 5)
  /jvm-options "..."   JVM-valg for tjenesten, f.eks. "-Xmx2048m"
  /keep-jars N         antall jar-filer som beholdes (standard 3)
  /allow-major         la et område eller latest gå over til en annen hovedversjon
  /allow-downgrade     la /upgrade gå til en lavere versjon
  /secure-folder       ta eierskap til en mappe andre brukere kan skrive i, og lås den ned
  /allow-http          vanlig HTTP til et speil som ikke er på loopback
  /allow-unsigned      godta en jar som mangler signatur (aldri en som ikke stemmer)
  /trusted-key FIL     én OpenPGP-nøkkel til som godtas
  /key-url URL         hvor en nyere kopi av en betrodd nøkkel publiseres
  /offline MAPPE       hent alle filer fra denne mappen
  /maven-repo URL, /github-releases URL, /github-api URL, /versions-url URL,
  /winsw-releases URL, /winsw-catalog FIL   kilder for et internt speil
  /proxy URL           mellomtjener (proxy) for nedlastinger (ellers WinHTTP-ens, ellers miljøets)
  /service-proxy on|off  den proxyen også for tjenesten (Java -Dhttps.proxyHost/Port); huskes
  /service-password P  passordet til tjenestekontoen ('-': standard inn)
  /service-user NAVN   (/install) kontoen tjenesten kjører som: LocalSystem (standard), virtual
                       (NT SERVICE\\ID), .\\NAVN, DOMENE\\NAVN, gMSA DOMENE\\NAVN$; oppgraderinger beholder den
  /create-user         (/install, med /service-user .\\NAVN) opprett den lokale brukeren med minste
                       rettigheter; setup lager passordet; /uninstall sletter den
  /mode service|task   (/install, /repair) en WinSW-tjeneste (standard), eller en oppgave i
                       Oppgaveplanlegging ved oppstart (Digdirs alt. 3; uten WinSW); oppgraderinger
                       beholder den; /repair /mode flytter den
  /ignore-kosmos       fortsett selv om KOSMOS styrer integrasjonspunkt her
  /norestart           godtas; setup starter aldri maskinen på nytt
  /lang en|nb          språk
  /quiet (/q, /qn)     ingen spørsmål eller fremdriftsindikatorer; bare logglinjer
  /yes                 svar ja på bekreftelser
  /log FIL             skriv loggen også hit
  /json                skriv ut ett JSON-dokument med resultatet
  /?, /help            denne teksten; --version skriver ut versjonen av setup
  /properties FIL, /orgnr N, /keystore STI, /keystore-alias A,
  /keystore-password P, /keystore-type JKS|PKCS12   (/install) properties-filen
  /tls-keystore STI, /tls-keystore-password P,
  /tls-keystore-alias A                             (/install) bruk HTTPS med dette nøkkellageret

Avslutningskoder: 0 ok, 10 forutsetninger, 11 versjon/nedlasting/verifisering, 12 installasjonen feilet (angret),
13 oppgraderingen feilet (rullet tilbake), 14 trenger tilsyn, 15 ingenting installert, 1602 avbrutt,
1618 en annen kjøring holder mappen, 1638 en annen versjon er installert (bruk /upgrade),
1639 ugyldig kommandolinje. Referanse: docs/cli.md i prosjektet.""",
}
