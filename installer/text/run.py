"""Messages of /run. (See installer/messages.py.)"""

EN: dict[str, str] = {
    # /run
    "run.service_runs": "The service {service_id} is running: stop it first (services.msc, or sc.exe stop "
    "{service_id}); /run starts the same version in this console.",
    "run.java_runs": "The installed version is already running ({process}): stop it first.",
    "run.no_java": "Cannot find the program the service runs ({executable}, named in {xml}).",
    "run.cannot_start": "Cannot start {program}: {error}.",
    "run.starting": "Starting integrasjonspunkt {version} in {folder} as the service would; Ctrl+C stops it.",
    "run.stopping": "Ctrl+C: integrasjonspunkt is shutting down, please wait.",
    "run.exited": "integrasjonspunkt {version} exited with code {code}.",
}

NB: dict[str, str] = {
    # /run
    "run.service_runs": "Tjenesten {service_id} kjører: stopp den først (services.msc, eller sc.exe stop "
    "{service_id}); /run starter samme versjon i dette vinduet.",
    "run.java_runs": "Den installerte versjonen kjører allerede ({process}): stopp den først.",
    "run.no_java": "Finner ikke programmet tjenesten kjører ({executable}, angitt i {xml}).",
    "run.cannot_start": "Kan ikke starte {program}: {error}.",
    "run.starting": "Starter integrasjonspunkt {version} i {folder} slik tjenesten gjør; Ctrl+C stopper den.",
    "run.stopping": "Ctrl+C: integrasjonspunkt avslutter, vent litt.",
    "run.exited": "integrasjonspunkt {version} avsluttet med kode {code}.",
}
