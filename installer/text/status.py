"""Messages of /status. (See installer/messages.py.)"""

EN: dict[str, str] = {
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
    "status.row_mode": "Runs as",
    "status.row_schedule": "Scheduled upgrade",
    "status.schedule": "/upgrade {spec} on {days} at {at}",
    "status.schedule_missing": "(its task is missing in Task Scheduler: run /schedule again)",
    "status.schedule_last": "- last run {at}: {result} (exit {code})",
}

NB: dict[str, str] = {
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
    "status.row_mode": "Kjøres som",
    "status.row_schedule": "Planlagt oppgradering",
    "status.schedule": "/upgrade {spec} på {days} kl. {at}",
    "status.schedule_missing": "(oppgaven mangler i Oppgaveplanlegging: kjør /schedule igjen)",
    "status.schedule_last": "- siste kjøring {at}: {result} (kode {code})",
}
