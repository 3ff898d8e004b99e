"""Messages of /uninstall. (See installer/messages.py.)"""

EN: dict[str, str] = {
    # uninstall
    "uninstall.confirm_purge": "Also delete the data, the properties file and the keystore in {folder}? "
    "This cannot be undone. Anything outside the folder is kept.",
    "uninstall.kept_outside": "{path} lies outside {folder} and was kept.",
    "uninstall.purge_declined": "Uninstall cancelled: nothing was changed.",
    "uninstall.done": "integrasjonspunkt {version} is uninstalled; data, properties and keystore were kept in "
    "{folder}.",
    "uninstall.done_purged": "integrasjonspunkt {version} is uninstalled and its data deleted from {folder}.",
}

NB: dict[str, str] = {
    # uninstall
    "uninstall.confirm_purge": "Også slette dataene, properties-filen og nøkkellageret i {folder}? Det kan ikke "
    "angres. Det som ligger utenfor mappen, beholdes.",
    "uninstall.purge_declined": "Avinstallasjonen ble avbrutt: ingenting ble endret.",
    "uninstall.done": "integrasjonspunkt {version} er avinstallert; data, properties-fil og nøkkellager ble "
    "beholdt i {folder}.",
    "uninstall.done_purged": "integrasjonspunkt {version} er avinstallert og dataene slettet fra {folder}.",
    "uninstall.kept_outside": "{path} ligger utenfor {folder} og ble beholdt.",
}
