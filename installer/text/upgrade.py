"""Messages of /upgrade. (See installer/messages.py.)"""

EN: dict[str, str] = {
    # upgrade and rollback
    "upgrade.links_left_out": "{count} link(s) in the data folders were left out of the backup, never followed: "
                              "{links}",
    "upgrade.nothing_installed": "Nothing is installed in {folder}: use /install.",
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
    "upgrade.data_line": "{new} stores its data in another format than {old} (H2 2.2 and ActiveMQ 5.16.7 since "
    "{line}): Digdir requires removing activemq-data and both .mv.db files before the first start, or exporting the "
    "H2 database and importing it into the new version. The data as it is now is kept in {backups}; a /rollback "
    "/restore-data brings it back.",
    "upgrade.heals_java": "{reason} But the Java the service runs, {java}, is gone (a Java update removes the old "
    "version's folder): repairing the service with an installed Java of its line.",
}

NB: dict[str, str] = {
    # upgrade and rollback
    "upgrade.links_left_out": "{count} lenke(r) i datamappene ble utelatt fra sikkerhetskopien og aldri fulgt: "
                              "{links}",
    "upgrade.nothing_installed": "Ingenting er installert i {folder}: bruk /install.",
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
    "upgrade.data_line": "{new} lagrer dataene i et annet format enn {old} (H2 2.2 og ActiveMQ 5.16.7 fra og med "
    "{line}): Digdir krever at activemq-data og begge .mv.db-filene fjernes før første oppstart, eller at "
    "H2-databasen eksporteres og importeres i den nye versjonen. Dataene slik de er nå, tas vare på i {backups}; "
    "/rollback /restore-data henter dem tilbake.",
    "upgrade.heals_java": "{reason} Men Javaen tjenesten kjører, {java}, finnes ikke lenger (en Java-oppdatering "
    "fjerner mappen til den gamle versjonen): reparerer tjenesten med en installert Java fra samme linje.",
}
