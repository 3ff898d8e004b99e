"""Messages shared by the operations: the lock, health, what a changing verb says before and after.

See installer/messages.py."""

EN: dict[str, str] = {
    # the lock
    "operations.busy": "Another setup run holds this install folder ({holder}). Try again when it has finished.",
    "operations.lock_holder": "process {pid}, {verb}, since {since}",
    "operations.lock_holder_unknown": "a process that did not say what it does",
    # health
    "operations.health_no_answer": "no answer from {url}: {error}",
    "operations.health_no_answer_yet": "no answer yet",
    "operations.health_not_listening": "no answer from {url}: nothing listens on port {port}",
    "operations.health_status": "{url} answered HTTP {status}",
    "operations.health_not_wsdl": "{url} did not answer with a WSDL document",
    "operations.health_not_up": "{url} reports status {status}",
    "operations.health_wrong_version": "version {found} answers, not {expected}",
    "operations.health_deadline": "not healthy within {seconds} s ({reason})",
    "operations.health_process_exited": "the service's Java process exited (code {code})",
    "operations.health_process_gone": "the service's Java process is gone",
    "operations.health_restarted": "the service manager restarted the process (pid {old} -> {new})",
    "operations.health_service_stopped": "the service stopped",
    "operations.health_no_process": "the service's Java process did not appear within {seconds} s",
}

NB: dict[str, str] = {
    # the lock
    "operations.busy": "En annen kjøring av setup holder denne installasjonsmappen ({holder}). Prøv igjen når den "
    "er ferdig.",
    "operations.lock_holder": "prosess {pid}, {verb}, siden {since}",
    "operations.lock_holder_unknown": "en prosess som ikke sa hva den gjør",
    # health
    "operations.health_no_answer": "ikke noe svar fra {url}: {error}",
    "operations.health_no_answer_yet": "ikke noe svar ennå",
    "operations.health_not_listening": "ikke noe svar fra {url}: ingenting lytter på port {port}",
    "operations.health_status": "{url} svarte HTTP {status}",
    "operations.health_not_wsdl": "{url} svarte ikke med et WSDL-dokument",
    "operations.health_not_up": "{url} melder status {status}",
    "operations.health_wrong_version": "versjon {found} svarer, ikke {expected}",
    "operations.health_deadline": "ikke frisk innen {seconds} s ({reason})",
    "operations.health_process_exited": "tjenestens Java-prosess avsluttet (kode {code})",
    "operations.health_process_gone": "tjenestens Java-prosess er borte",
    "operations.health_restarted": "tjenestebehandleren startet prosessen på nytt (pid {old} -> {new})",
    "operations.health_service_stopped": "tjenesten stoppet",
    "operations.health_no_process": "tjenestens Java-prosess dukket ikke opp innen {seconds} s",
}
