"""Messages of /rollback. (See installer/messages.py.)"""

EN: dict[str, str] = {
    "rollback.nothing": "There is no earlier version to roll back to ({version} is the only one installed here).",
    "rollback.data_line": "{old} cannot read the data {new} wrote (the data format changed in {line}): give "
    "/restore-data to roll back with the data as it was before the upgrade.",
    "rollback.no_backup": "No backup taken before the upgrade from {version} was found in {folder}.",
    "rollback.target": "Rolling back integrasjonspunkt {old} -> {new} in {folder}.",
    "rollback.done": "Rolled back: integrasjonspunkt {new} runs and is healthy (was {old}).",
}

NB: dict[str, str] = {
    "rollback.nothing": "Det finnes ingen tidligere versjon å rulle tilbake til ({version} er den eneste som er "
    "installert her).",
    "rollback.data_line": "{old} kan ikke lese dataene {new} har skrevet (dataformatet endret seg i {line}): oppgi "
    "/restore-data for å rulle tilbake med dataene slik de var før oppgraderingen.",
    "rollback.no_backup": "Fant ingen sikkerhetskopi fra før oppgraderingen fra {version} i {folder}.",
    "rollback.target": "Ruller tilbake integrasjonspunkt {old} -> {new} i {folder}.",
    "rollback.done": "Rullet tilbake: integrasjonspunkt {new} kjører og er frisk (var {old}).",
}
