"""Messages of the operations: install, upgrade, rollback, recovery, status, uninstall, the lock, health."""

EN: dict[str, str] = {
    # the lock
    "operations.busy": "Another setup run holds this install folder ({holder}). Try again when it has finished.",
    "operations.lock_holder": "process {pid}, {verb}, since {since}",
    "operations.lock_holder_unknown": "a process that did not say what it does",
    # health
    "operations.health_no_answer": "no answer from {url}: {error}",
    "operations.health_no_answer_yet": "no answer yet",
    "operations.health_not_listening": "no answer from {url}: nothing listens on port {port}",
    "operations.health_status": "{url} answered HTTP {status}",
    "operations.health_not_wsdl": "{url} did not answer with a WSDL document",
    "operations.health_not_up": "{url} reports status {status}",
    "operations.health_wrong_version": "version {found} answers, not {expected}",
    "operations.health_deadline": "not healthy within {seconds} s ({reason})",
    "operations.health_process_exited": "the service's Java process exited (code {code})",
    "operations.health_process_gone": "the service's Java process is gone",
    "operations.health_restarted": "the service manager restarted the process (pid {old} -> {new})",
    "operations.health_service_stopped": "the service stopped",
    "operations.health_no_process": "the service's Java process did not appear within {seconds} s",
    # install
    "install.properties_needed": "{path} does not exist: give /properties FILE, or /orgnr, /keystore, "
    "/keystore-alias and /keystore-password, so setup can write it.",
    "install.properties_unreadable": "Cannot read the properties file {path}: {error}",
    "install.properties_missing": "To write the properties file setup also needs {names}.",
    "install.bad_orgnr": "'{value}' is not a valid organisation number (9 digits with a mod-11 check digit).",
    "install.no_keystore": "The keystore {path} does not exist.",
    "install.target": "Installing integrasjonspunkt {version} ({env}) in {folder}.",
    "install.done": "integrasjonspunkt {version} is installed, running and healthy: {url}",
    "install.nothing_to_do": "integrasjonspunkt {version} is installed already: nothing to do.",
    "install.use_upgrade": "integrasjonspunkt {version} is installed here; use /upgrade {spec} to change version.",
    "install.cancelled": "Install cancelled; everything it did was undone.",
    "install.failed": "Install of {version} failed at step {step}: {reason}. Everything was undone.",
    "install.failed_undo_failed": "Install of {version} failed at step {step}: {reason}. Undoing {undo} failed "
    "too: see the log.",
    # status
    "status.not_installed": "Nothing is installed in {folder}.",
    "status.interrupted": "An interrupted {operation} awaits: run setup /recover /dir \"{folder}\".",
    "status.healthy": "integrasjonspunkt {version} is running and healthy: {url}",
    "status.unhealthy": "integrasjonspunkt {version} needs attention: the service is {service}, {url} does not "
    "answer well.",
    "status.java_missing": "integrasjonspunkt {version} cannot start: the Java its service runs, {java}, is gone "
    "(a Java update removes the old version's folder). The service is {service}. Run setup /repair /dir "
    "\"{folder}\": it picks an installed Java of the same line.",
    "status.row_version": "Version",
    "status.row_env": "Environment",
    "status.row_service_id": "Service id",
    "status.row_service": "Service",
    "status.row_account": "Logs on as",
    "status.row_healthy": "Healthy",
    "status.row_health_url": "Health URL",
    "status.row_java": "Java",
    "status.row_winsw": "WinSW",
    "status.row_previous_versions": "Previous versions",
    "status.row_failed_versions": "Failed versions",
    "status.row_last_operation": "Last operation",
    "status.row_interrupted": "Interrupted operation",
    "status.row_last_recovery": "Last recovery",
    "status.row_key_expires": "Trusted key expires",
    "status.adoptable": "{folder} holds an installation made by hand ({what}): run setup /adopt /dir "
    "\"{folder}\" to manage it.",
    "recover.undone_install": "The interrupted install was undone: nothing is installed.",
    "status.title": "integrasjonspunkt in {folder}",
    "status.what": "what",
    "status.value": "value",
    "status.yes": "yes",
    "status.row_backups": "Backups",
    "status.backups": "{count} sets, {size} ({failed} of a failed version, kept until you delete them)",
    "status.service_running": "running",
    "status.service_stopped": "stopped",
    "status.service_absent": "not registered",
    "status.no": "no",
    # uninstall
    "uninstall.confirm_purge": "Also delete the data, the properties file and the keystore in {folder}? "
    "This cannot be undone. Anything outside the folder is kept.",
    "uninstall.kept_outside": "{path} lies outside {folder} and was kept.",
    "uninstall.purge_declined": "Uninstall cancelled: nothing was changed.",
    "uninstall.done": "integrasjonspunkt {version} is uninstalled; data, properties and keystore were kept in "
    "{folder}.",
    "uninstall.done_purged": "integrasjonspunkt {version} is uninstalled and its data deleted from {folder}.",
    # recovery
    "recover.found": "An interrupted {operation} ({old} -> {new}) was found; finishing it before {verb}.",
    "recover.finishing_own": "Finishing the undo of the cancelled {operation} ({old} -> {new}).",
    "recover.unknown_operation": "The journal names an operation this setup does not know: {operation}.",
    "recover.undo_failed": "Recovery of the interrupted {operation} could not undo {steps}: see the log; "
    "the journal stays for the next /recover.",
    "recover.failed": "Recovery failed: {error}. The journal stays for the next /recover.",
    "recover.completed": "The interrupted {operation} was completed: {version} runs.",
    "recover.undone": "The interrupted {operation} was undone: back to {version}.",
    "recover.nothing": "Nothing to recover.",
    # upgrade and rollback
    "upgrade.links_left_out": "{count} link(s) in the data folders were left out of the backup, never followed: "
                              "{links}",
    "upgrade.nothing_installed": "Nothing is installed in {folder}: use /install.",
    "steps.changed_after_verification": "{path} changed after it was verified ({algorithm} {actual}, verified "
    "{expected}); it was not used.",
    "upgrade.already": "integrasjonspunkt {version} is installed already: nothing to do.",
    "upgrade.downgrade": "{version} is lower than the installed {installed}: give /allow-downgrade to go down.",
    "upgrade.target": "Upgrading integrasjonspunkt {old} -> {new} in {folder}.",
    "upgrade.keeps_account": "The service logs on as {account}: setup keeps its registration (stop, rewrite, "
    "start) so the account is not reset to LocalSystem. Give /service-password to re-register it instead.",
    "upgrade.account_into_xml": "The service logs on as {account}: it is re-registered with that account "
    "(/service-password); the password is taken out of the XML once the service is registered.",
    "upgrade.checking_old": "Checking that {version} answers again at {url}.",
    "upgrade.done": "integrasjonspunkt {new} runs and is healthy (was {old}).",
    "upgrade.rolled_back": "Upgrade to {new} failed at {step}: {reason}. Rolled back: {old} runs and is healthy.",
    "upgrade.old_unhealthy": "Upgrade to {new} failed ({reason}), and {old} did not come back healthy either "
    "({old_reason}). Its files and registration are restored; the service needs attention.",
    "upgrade.undo_failed": "Upgrade to {new} failed ({reason}) and undoing {steps} failed: see the log. The "
    "service needs attention.",
    "upgrade.cancelled": "Upgrade cancelled; {old} runs again.",
    "rollback.nothing": "There is no earlier version to roll back to ({version} is the only one installed here).",
    "rollback.data_line": "{old} cannot read the data {new} wrote (the data format changed in {line}): give "
    "/restore-data to roll back with the data as it was before the upgrade.",
    "upgrade.data_line": "{new} stores its data in another format than {old} (H2 2.2 and ActiveMQ 5.16.7 since "
    "{line}): Digdir requires removing activemq-data and both .mv.db files before the first start, or exporting the "
    "H2 database and importing it into the new version. The data as it is now is kept in {backups}; a /rollback "
    "/restore-data brings it back.",
    "rollback.no_backup": "No backup taken before the upgrade from {version} was found in {folder}.",
    "rollback.target": "Rolling back integrasjonspunkt {old} -> {new} in {folder}.",
    "repair.target": "Repairing integrasjonspunkt {version} in {folder}: XML, registration, start, health check.",
    "repair.fresh_xml": "The service XML is written anew ({reason}); the old file is kept in the backup.",
    "repair.done": "Repaired: integrasjonspunkt {new} runs and is healthy.",
    "rollback.done": "Rolled back: integrasjonspunkt {new} runs and is healthy (was {old}).",
    # /run
    "run.service_runs": "The service {service_id} is running: stop it first (services.msc, or sc.exe stop "
    "{service_id}); /run starts the same version in this console.",
    "run.java_runs": "The installed version is already running ({process}): stop it first.",
    "run.no_java": "Cannot find the program the service runs ({executable}, named in {xml}).",
    "run.cannot_start": "Cannot start {program}: {error}.",
    "run.starting": "Starting integrasjonspunkt {version} in {folder} as the service would; Ctrl+C stops it.",
    "run.stopping": "Ctrl+C: integrasjonspunkt is shutting down, please wait.",
    "run.exited": "integrasjonspunkt {version} exited with code {code}.",
    "status.row_mode": "Runs as",
    "schedule.bad_at": "{value} is no time of day: give HH:MM (24 hours, local time), e.g. 05:30",
    "schedule.bad_days": "{value} names no days: give MON-FRI, MON,WED,FRI, SAT-SUN or DAILY",
    "schedule.task_description": "Upgrades integrasjonspunkt in {folder} to {spec} (setup /schedule; removed by "
    "/unschedule and /uninstall).",
    "schedule.not_registered": "The scheduled upgrade could not be registered with Task Scheduler: {reason}",
    "schedule.done": "Scheduled: /upgrade {spec} at {at} on {days} (local time), as SYSTEM, task {task}; {major}. "
    "Each run first finishes an interrupted operation, skips versions that failed here and writes its result to "
    "the Application log and .setup\\last-run.json.",
    "schedule.major_allowed": "it may move to another major line (/allow-major)",
    "schedule.major_kept": "it stays on the installed major line",
    "schedule.none": "No upgrade is scheduled for this installation.",
    "schedule.removed": "The scheduled upgrade is removed.",
    "schedule.not_removed": "The scheduled task {task} could not be removed: {reason}",
    "status.row_schedule": "Scheduled upgrade",
    "status.schedule": "/upgrade {spec} on {days} at {at}",
    "status.schedule_missing": "(its task is missing in Task Scheduler: run /schedule again)",
    "status.schedule_last": "- last run {at}: {result} (exit {code})",
    "upgrade.heals_java": "{reason} But the Java the service runs, {java}, is gone (a Java update removes the old "
    "version's folder): repairing the service with an installed Java of its line.",
}

NB: dict[str, str] = {
    # the lock
    "operations.busy": "En annen kjøring av setup holder denne installasjonsmappen ({holder}). Prøv igjen når den "
    "er ferdig.",
    "operations.lock_holder": "prosess {pid}, {verb}, siden {since}",
    "operations.lock_holder_unknown": "en prosess som ikke sa hva den gjør",
    # health
    "operations.health_no_answer": "ikke noe svar fra {url}: {error}",
    "operations.health_no_answer_yet": "ikke noe svar ennå",
    "operations.health_not_listening": "ikke noe svar fra {url}: ingenting lytter på port {port}",
    "operations.health_status": "{url} svarte HTTP {status}",
    "operations.health_not_wsdl": "{url} svarte ikke med et WSDL-dokument",
    "operations.health_not_up": "{url} melder status {status}",
    "operations.health_wrong_version": "versjon {found} svarer, ikke {expected}",
    "operations.health_deadline": "ikke frisk innen {seconds} s ({reason})",
    "operations.health_process_exited": "tjenestens Java-prosess avsluttet (kode {code})",
    "operations.health_process_gone": "tjenestens Java-prosess er borte",
    "operations.health_restarted": "tjenestebehandleren startet prosessen på nytt (pid {old} -> {new})",
    "operations.health_service_stopped": "tjenesten stoppet",
    "operations.health_no_process": "tjenestens Java-prosess dukket ikke opp innen {seconds} s",
    # install
    "install.properties_needed": "{path} finnes ikke: oppgi /properties FIL, eller /orgnr, /keystore, "
    "/keystore-alias og /keystore-password, så setup kan skrive den.",
    "install.properties_unreadable": "Kan ikke lese properties-filen {path}: {error}",
    "install.properties_missing": "For å skrive properties-filen trenger setup også {names}.",
    "install.bad_orgnr": "'{value}' er ikke et gyldig organisasjonsnummer (9 sifre med et kontrollsiffer etter "
    "modulus 11).",
    "install.no_keystore": "Nøkkellageret {path} finnes ikke.",
    "install.target": "Installerer integrasjonspunkt {version} ({env}) i {folder}.",
    "install.done": "integrasjonspunkt {version} er installert, kjører og er frisk: {url}",
    "install.nothing_to_do": "integrasjonspunkt {version} er allerede installert: ingenting å gjøre.",
    "install.use_upgrade": "integrasjonspunkt {version} er installert her; bruk /upgrade {spec} for å bytte "
    "versjon.",
    "install.cancelled": "Installasjonen ble avbrutt; alt den hadde gjort, ble angret.",
    "install.failed": "Installasjonen av {version} feilet i steget {step}: {reason}. Alt ble angret.",
    "install.failed_undo_failed": "Installasjonen av {version} feilet i steget {step}: {reason}. Å angre {undo} "
    "feilet også: se loggen.",
    # status
    "status.not_installed": "Ingenting er installert i {folder}.",
    "status.interrupted": "En avbrutt {operation} venter: kjør setup /recover /dir \"{folder}\".",
    "status.healthy": "integrasjonspunkt {version} kjører og er frisk: {url}",
    "status.unhealthy": "integrasjonspunkt {version} trenger tilsyn: tjenesten er {service}, {url} svarer ikke "
    "som den skal.",
    "status.java_missing": "integrasjonspunkt {version} kan ikke starte: Javaen tjenesten kjører, {java}, finnes "
    "ikke lenger (en Java-oppdatering fjerner mappen til den gamle versjonen). Tjenesten er {service}. Kjør setup "
    "/repair /dir \"{folder}\": den velger en installert Java fra samme linje.",
    "status.row_version": "Versjon",
    "status.row_env": "Miljø",
    "status.row_service_id": "Tjeneste-id",
    "status.row_service": "Tjeneste",
    "status.row_account": "Logger på som",
    "status.row_healthy": "Frisk",
    "status.row_health_url": "Helse-URL",
    "status.row_java": "Java",
    "status.row_winsw": "WinSW",
    "status.row_previous_versions": "Tidligere versjoner",
    "status.row_failed_versions": "Mislykkede versjoner",
    "status.row_last_operation": "Siste operasjon",
    "status.row_interrupted": "Avbrutt operasjon",
    "status.row_last_recovery": "Siste gjenoppretting",
    "status.row_key_expires": "Betrodd nøkkel går ut",
    "status.adoptable": "{folder} har en installasjon gjort for hånd ({what}): kjør setup /adopt /dir "
    "\"{folder}\" for å styre den.",
    "recover.undone_install": "Den avbrutte installasjonen ble angret: ingenting er installert.",
    "status.title": "integrasjonspunkt i {folder}",
    "status.what": "hva",
    "status.value": "verdi",
    "status.yes": "ja",
    "status.row_backups": "Sikkerhetskopier",
    "status.backups": "{count} sett, {size} ({failed} fra en mislykket versjon, beholdes til du sletter dem)",
    "status.service_running": "kjører",
    "status.service_stopped": "stoppet",
    "status.service_absent": "ikke registrert",
    "status.no": "nei",
    # uninstall
    "uninstall.confirm_purge": "Også slette dataene, properties-filen og nøkkellageret i {folder}? Det kan ikke "
    "angres. Det som ligger utenfor mappen, beholdes.",
    "uninstall.purge_declined": "Avinstallasjonen ble avbrutt: ingenting ble endret.",
    "uninstall.done": "integrasjonspunkt {version} er avinstallert; data, properties-fil og nøkkellager ble "
    "beholdt i {folder}.",
    "uninstall.done_purged": "integrasjonspunkt {version} er avinstallert og dataene slettet fra {folder}.",
    "uninstall.kept_outside": "{path} ligger utenfor {folder} og ble beholdt.",
    # recovery
    "recover.found": "Fant en avbrutt {operation} ({old} -> {new}); fullfører den før {verb}.",
    "recover.finishing_own": "Gjør ferdig angringen av den avbrutte {operation} ({old} -> {new}).",
    "recover.unknown_operation": "Journalen nevner en operasjon denne setup ikke kjenner: {operation}.",
    "recover.undo_failed": "Gjenopprettingen av den avbrutte {operation} fikk ikke angret {steps}: se loggen; "
    "journalen blir liggende til neste /recover.",
    "recover.failed": "Gjenopprettingen feilet: {error}. Journalen blir liggende til neste /recover.",
    "recover.completed": "Den avbrutte {operation} ble fullført: {version} kjører.",
    "recover.undone": "Den avbrutte {operation} ble angret: tilbake til {version}.",
    "recover.nothing": "Ingenting å gjenopprette.",
    # upgrade and rollback
    "upgrade.links_left_out": "{count} lenke(r) i datamappene ble utelatt fra sikkerhetskopien og aldri fulgt: "
                              "{links}",
    "upgrade.nothing_installed": "Ingenting er installert i {folder}: bruk /install.",
    "steps.changed_after_verification": "{path} ble endret etter at den ble kontrollert ({algorithm} {actual}, "
    "kontrollert {expected}); den ble ikke brukt.",
    "upgrade.already": "integrasjonspunkt {version} er allerede installert: ingenting å gjøre.",
    "upgrade.downgrade": "{version} er lavere enn installerte {installed}: oppgi /allow-downgrade for å gå ned.",
    "upgrade.target": "Oppgraderer integrasjonspunkt {old} -> {new} i {folder}.",
    "upgrade.keeps_account": "Tjenesten logger på som {account}: setup beholder registreringen (stopp, skriv på "
    "nytt, start) så kontoen ikke blir satt tilbake til LocalSystem. Oppgi /service-password for å registrere "
    "den på nytt i stedet.",
    "upgrade.account_into_xml": "Tjenesten logger på som {account}: den registreres på nytt med den kontoen "
    "(/service-password); passordet tas ut av XML-filen når tjenesten er registrert.",
    "upgrade.checking_old": "Sjekker at {version} svarer igjen på {url}.",
    "upgrade.done": "integrasjonspunkt {new} kjører og er frisk (var {old}).",
    "upgrade.rolled_back": "Oppgraderingen til {new} feilet i {step}: {reason}. Rullet tilbake: {old} kjører og "
    "er frisk.",
    "upgrade.old_unhealthy": "Oppgraderingen til {new} feilet ({reason}), og {old} ble ikke frisk igjen heller "
    "({old_reason}). Filene og registreringen er satt tilbake; tjenesten trenger tilsyn.",
    "upgrade.undo_failed": "Oppgraderingen til {new} feilet ({reason}), og å angre {steps} feilet: se loggen. "
    "Tjenesten trenger tilsyn.",
    "upgrade.cancelled": "Oppgraderingen ble avbrutt; {old} kjører igjen.",
    "rollback.nothing": "Det finnes ingen tidligere versjon å rulle tilbake til ({version} er den eneste som er "
    "installert her).",
    "rollback.data_line": "{old} kan ikke lese dataene {new} har skrevet (dataformatet endret seg i {line}): oppgi "
    "/restore-data for å rulle tilbake med dataene slik de var før oppgraderingen.",
    "upgrade.data_line": "{new} lagrer dataene i et annet format enn {old} (H2 2.2 og ActiveMQ 5.16.7 fra og med "
    "{line}): Digdir krever at activemq-data og begge .mv.db-filene fjernes før første oppstart, eller at "
    "H2-databasen eksporteres og importeres i den nye versjonen. Dataene slik de er nå, tas vare på i {backups}; "
    "/rollback /restore-data henter dem tilbake.",
    "rollback.no_backup": "Fant ingen sikkerhetskopi fra før oppgraderingen fra {version} i {folder}.",
    "rollback.target": "Ruller tilbake integrasjonspunkt {old} -> {new} i {folder}.",
    "repair.target": "Reparerer integrasjonspunkt {version} i {folder}: XML, registrering, start, helsesjekk.",
    "repair.fresh_xml": "The service XML is written anew ({reason}); the old file is kept in the backup.",
    "repair.done": "Reparert: integrasjonspunkt {new} kjører og er frisk.",
    "rollback.done": "Rullet tilbake: integrasjonspunkt {new} kjører og er frisk (var {old}).",
    # /run
    "run.service_runs": "Tjenesten {service_id} kjører: stopp den først (services.msc, eller sc.exe stop "
    "{service_id}); /run starter samme versjon i dette vinduet.",
    "run.java_runs": "Den installerte versjonen kjører allerede ({process}): stopp den først.",
    "run.no_java": "Finner ikke programmet tjenesten kjører ({executable}, angitt i {xml}).",
    "run.cannot_start": "Kan ikke starte {program}: {error}.",
    "run.starting": "Starter integrasjonspunkt {version} i {folder} slik tjenesten gjør; Ctrl+C stopper den.",
    "run.stopping": "Ctrl+C: integrasjonspunkt avslutter, vent litt.",
    "run.exited": "integrasjonspunkt {version} avsluttet med kode {code}.",
    "status.row_mode": "Kjøres som",
    "schedule.bad_at": "{value} er ikke et klokkeslett: oppgi TT:MM (24 timer, lokal tid), f.eks. 05:30",
    "schedule.bad_days": "{value} angir ingen dager: oppgi MON-FRI, MON,WED,FRI, SAT-SUN eller DAILY",
    "schedule.task_description": "Oppgraderer integrasjonspunkt i {folder} til {spec} (setup /schedule; fjernes "
    "med /unschedule og /uninstall).",
    "schedule.not_registered": "Den planlagte oppgraderingen kunne ikke registreres i Oppgaveplanlegging: {reason}",
    "schedule.done": "Planlagt: /upgrade {spec} kl. {at} på {days} (lokal tid), som SYSTEM, oppgave {task}; "
    "{major}. Hver kjøring fullfører først en avbrutt operasjon, hopper over versjoner som har feilet her og skriver "
    "resultatet til programloggen og .setup\\last-run.json.",
    "schedule.major_allowed": "den kan gå over til en annen hovedlinje (/allow-major)",
    "schedule.major_kept": "den blir på den installerte hovedlinjen",
    "schedule.none": "Ingen oppgradering er planlagt for denne installasjonen.",
    "schedule.removed": "Den planlagte oppgraderingen er fjernet.",
    "schedule.not_removed": "Den planlagte oppgaven {task} kunne ikke fjernes: {reason}",
    "status.row_schedule": "Planlagt oppgradering",
    "status.schedule": "/upgrade {spec} på {days} kl. {at}",
    "status.schedule_missing": "(oppgaven mangler i Oppgaveplanlegging: kjør /schedule igjen)",
    "status.schedule_last": "- siste kjøring {at}: {result} (kode {code})",
    "upgrade.heals_java": "{reason} Men Javaen tjenesten kjører, {java}, finnes ikke lenger (en Java-oppdatering "
    "fjerner mappen til den gamle versjonen): reparerer tjenesten med en installert Java fra samme linje.",
}
