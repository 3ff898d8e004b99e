"""Messages of /install. (See installer/messages.py.)"""

EN: dict[str, str] = {
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
}

NB: dict[str, str] = {
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
}
