"""Messages about the files setup keeps in `.setup/` and its log: damaged, from a newer setup, links, values.

See installer/messages.py."""

EN: dict[str, str] = {
    "files.damaged": "{file} cannot be used: {reason}. Nothing was changed. {remedy}",
    "files.not_json": "it is not a JSON document ({size} bytes; empty, cut short or overwritten)",
    "files.not_object": "it holds a JSON {kind}, not the object setup writes",
    "files.no_format": "it has no format number",
    "files.missing_field": "'{field}' is missing or of the wrong kind",
    "files.remedy_state": "Restore it from a copy, or move it aside: setup then finds an installation made by hand "
    "and /adopt takes it over again.",
    "files.remedy_journal": "The interrupted operation cannot be finished from it: check the service with /status, "
    "move the file aside, then run /repair (the data from before the operation is in backups/).",
    "files.newer": "{file} was written by setup {version}; this is setup {ours}. Use setup {version} or newer; "
    "the file was left as it is.",
    "files.newer_unknown": "{file} was written by a newer setup (file format {format}); this is setup {ours}. Use "
    "that newer setup; the file was left as it is.",
    "files.untrusted": "{file}: '{field}' is '{value}', which setup does not accept there (a name by its grammar, "
    "a path inside the install folder's .setup/ or backups/). Nothing was run. If nobody edited the file, "
    "someone else may have; check who can write to the folder.",
    "files.link": "{path} is a link or reparse point; setup does not follow links inside its own folders. "
    "Nothing was run. Remove the link and check who can write to the folder.",
    "files.lock_unwritable": "Cannot create or open the lock file {file}: {reason}. setup must be able to write "
    "in the install folder: run it as an administrator, or check the folder's permissions. Nothing was changed.",
    "files.folder_missing": "its folder does not exist",
}

NB: dict[str, str] = {
    "files.damaged": "{file} kan ikke brukes: {reason}. Ingenting ble endret. {remedy}",
    "files.not_json": "den er ikke et JSON-dokument ({size} byte; tom, avkortet eller overskrevet)",
    "files.not_object": "den inneholder en JSON-{kind}, ikke objektet setup skriver",
    "files.no_format": "den mangler formatnummer",
    "files.missing_field": "'{field}' mangler eller har feil type",
    "files.remedy_state": "Hent den tilbake fra en kopi, eller flytt den til side: da finner setup en manuelt laget "
    "installasjon, og /adopt tar den over igjen.",
    "files.remedy_journal": "Den avbrutte operasjonen kan ikke fullføres ut fra den: sjekk tjenesten med /status, "
    "flytt filen til side og kjør /repair (dataene fra før operasjonen ligger i backups/).",
    "files.newer": "{file} ble skrevet av setup {version}; dette er setup {ours}. Bruk setup {version} eller nyere; "
    "filen er latt være som den var.",
    "files.newer_unknown": "{file} ble skrevet av en nyere setup (filformat {format}); dette er setup {ours}. Bruk "
    "den nyere setup; filen er latt være som den var.",
    "files.untrusted": "{file}: '{field}' er '{value}', som setup ikke godtar der (et navn etter sin grammatikk, "
    "en sti inne i installasjonsmappens .setup/ eller backups/). Ingenting ble kjørt. Hvis ingen har endret filen, "
    "kan noen andre ha gjort det; sjekk hvem som kan skrive til mappen.",
    "files.link": "{path} er en lenke eller et reparasjonspunkt; setup følger ikke lenker i sine egne mapper. "
    "Ingenting ble kjørt. Fjern lenken og sjekk hvem som kan skrive til mappen.",
    "files.lock_unwritable": "Kan ikke opprette eller åpne låsefilen {file}: {reason}. setup må kunne skrive i "
    "installasjonsmappen: kjør den som administrator, eller sjekk rettighetene til mappen. Ingenting ble endret.",
    "files.folder_missing": "mappen finnes ikke",
}
