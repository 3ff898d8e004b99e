"""Messages of the operations: install, upgrade, rollback, recovery, status, uninstall, the lock, health."""

EN: dict[str, str] = {
    # the lock
    "operations.busy": "Another setup run holds this install folder ({holder}). Try again when it has finished.",
    "operations.lock_holder": "process {pid}, {verb}, since {since}",
    "operations.lock_holder_unknown": "a process that did not say what it does",
    # health
    "operations.health_no_answer": "no answer from {url}: {error}",
    "operations.health_no_answer_yet": "no answer yet",
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

NB: dict[str, str] = {}
