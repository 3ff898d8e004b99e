"""Messages about integrasjonspunkt's own configuration: the preflight, the keys setup writes, known-bad versions.

See installer/messages.py."""

EN: dict[str, str] = {
    "config.cannot_start": "integrasjonspunkt {version} would not start with this configuration: {problems}. "
    "Nothing changed.",
    "config.unresolvable": "{name} needs '{placeholder}', which is set nowhere (from {source}; set it in "
    "integrasjonspunkt-local.properties)",
    "config.bad_port": "{name}={value} (from {source}) is not a port number from 1 to 65535",
    "config.no_profile": "no Spring profile (spring.profiles.active): 3.x and 4.x read "
    "integrasjonspunkt-local.properties only through a profile; give /env staging or /env production",
    "config.tls_keystore_missing": "{name}: TLS is on, but the keystore {path} does not exist (give /tls-keystore "
    "PATH, or set difi.ssl.enabled=false)",
    "config.keystore_type": "{name} is {declared}, but {path} is a {actual} file",
    "config.not_a_keystore": "{name}: {path} is neither a JKS nor a PKCS12 keystore",
    "config.known_to_fail_eureka": "integrasjonspunkt {version} is known not to start against Digdir's services "
    "today: versions before {first} look for retired Eureka hosts. Choose {first} or newer.",
    "config.known_to_fail_dpi": "integrasjonspunkt {version} is known to fail against Digdir's services today: "
    "versions before {first} use the old DPI endpoint. Choose {first} or newer.",
    "config.wrote_keys": "Wrote into {file} (a copy is in the backup): {keys}.",
    "config.kept_keys": "{new} changes defaults that {old} used; to keep how the service listens, authenticates and "
    "where it keeps its data, setup wrote these keys with the values {old} used: {keys}. To take {new}'s default "
    "later, remove the key from {file} and restart the service.",
    "config.fresh_keys": "Wrote Digdir's local defaults for {version} into {file}: {keys}. Change them there "
    "when you move to another database, broker or TLS setup.",
    "config.keys_comment": "Written by setup for integrasjonspunkt {version}: Digdir's local defaults, or the values "
    "the version before used. A later key wins; remove one to take the version's own default.",
    "config.tls_keystore_unreadable": "keytool could not read the TLS keystore {path} with the password given "
    "(/tls-keystore-password). Nothing changed.",
    "config.tls_alias_needed": "The TLS keystore {path} holds {count} keys ({aliases}): name the one to serve with "
    "/tls-keystore-alias. Nothing changed.",
    "config.tls_password_needed": "/tls-keystore needs /tls-keystore-password (or IPSETUP_TLS_KEYSTORE_PASSWORD).",
    "config.tls_keystore_not_found": "The TLS keystore {path} given with /tls-keystore does not exist.",
}

NB: dict[str, str] = {
    "config.cannot_start": "integrasjonspunkt {version} ville ikke starte med denne konfigurasjonen: {problems}. "
    "Ingenting er endret.",
    "config.unresolvable": "{name} trenger '{placeholder}', som ikke er satt noe sted (fra {source}; sett den i "
    "integrasjonspunkt-local.properties)",
    "config.bad_port": "{name}={value} (fra {source}) er ikke et portnummer fra 1 til 65535",
    "config.no_profile": "ingen Spring-profil (spring.profiles.active): 3.x og 4.x leser "
    "integrasjonspunkt-local.properties bare gjennom en profil; oppgi /env staging eller /env production",
    "config.tls_keystore_missing": "{name}: TLS er på, men nøkkellageret {path} finnes ikke (oppgi /tls-keystore "
    "STI, eller sett difi.ssl.enabled=false)",
    "config.keystore_type": "{name} er {declared}, men {path} er en {actual}-fil",
    "config.not_a_keystore": "{name}: {path} er verken et JKS- eller et PKCS12-nøkkellager",
    "config.known_to_fail_eureka": "integrasjonspunkt {version} starter ikke mot Digdirs tjenester i dag: "
    "versjoner før {first} leter etter Eureka-verter som er lagt ned. Velg {first} eller nyere.",
    "config.known_to_fail_dpi": "integrasjonspunkt {version} feiler mot Digdirs tjenester i dag: versjoner før "
    "{first} bruker det gamle DPI-endepunktet. Velg {first} eller nyere.",
    "config.wrote_keys": "Skrev i {file} (en kopi ligger i sikkerhetskopien): {keys}.",
    "config.kept_keys": "{new} endrer standardverdier som {old} brukte; for at tjenesten skal lytte, autentisere "
    "og lagre data som før, skrev setup disse nøklene med verdiene {old} brukte: {keys}. Vil du ta i bruk "
    "standardverdien i {new} senere, fjerner du nøkkelen fra {file} og starter tjenesten på nytt.",
    "config.fresh_keys": "Skrev Digdirs lokale standardverdier for {version} i {file}: {keys}. Endre dem der "
    "når du går over til en annen database, meldingsmegler eller TLS-oppsett.",
    "config.keys_comment": "Skrevet av setup for integrasjonspunkt {version}: Digdirs lokale standardverdier, eller "
    "verdiene versjonen før brukte. En senere nøkkel vinner; fjern en for å bruke versjonens egen standardverdi.",
    "config.tls_keystore_unreadable": "keytool kunne ikke lese TLS-nøkkellageret {path} med passordet som ble "
    "oppgitt (/tls-keystore-password). Ingenting er endret.",
    "config.tls_alias_needed": "TLS-nøkkellageret {path} har {count} nøkler ({aliases}): oppgi hvilken som skal "
    "brukes, med /tls-keystore-alias. Ingenting er endret.",
    "config.tls_password_needed": "/tls-keystore trenger /tls-keystore-password (eller "
    "IPSETUP_TLS_KEYSTORE_PASSWORD).",
    "config.tls_keystore_not_found": "TLS-nøkkellageret {path} som ble oppgitt med /tls-keystore, finnes ikke.",
}
