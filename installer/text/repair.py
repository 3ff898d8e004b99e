"""Messages of /repair. (See installer/messages.py.)"""

EN: dict[str, str] = {
    "repair.target": "Repairing integrasjonspunkt {version} in {folder}: XML, registration, start, health check.",
    "repair.fresh_xml": "The service XML is written anew ({reason}); the old file is kept in the backup.",
    "repair.done": "Repaired: integrasjonspunkt {new} runs and is healthy.",
}

NB: dict[str, str] = {
    "repair.target": "Reparerer integrasjonspunkt {version} i {folder}: XML, registrering, start, helsesjekk.",
    "repair.fresh_xml": "The service XML is written anew ({reason}); the old file is kept in the backup.",
    "repair.done": "Reparert: integrasjonspunkt {new} kjører og er frisk.",
}
