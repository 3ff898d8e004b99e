"""Messages of /recover: finishing an operation a crash interrupted (also before every changing verb).

See installer/messages.py."""

EN: dict[str, str] = {
    "recover.undone_install": "The interrupted install was undone: nothing is installed.",
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
}

NB: dict[str, str] = {
    "recover.undone_install": "Den avbrutte installasjonen ble angret: ingenting er installert.",
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
}
