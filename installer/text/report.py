"""Messages of the report a silent run leaves: the Event Log entry and the e-mail. (See installer/messages.py.)"""

EN: dict[str, str] = {
    "report.event": "{message}\n\nsetup {setup_version} /{verb} in {folder}: exit code {code} ({result}).\nLog: {log}",
    "report.no_log": "(no log file)",
    "report.mail_subject": "integrasjonspunkt setup on {host}: /{verb} {result} (exit code {code})",
}

NB: dict[str, str] = {
    "report.event": "{message}\n\nsetup {setup_version} /{verb} i {folder}: avslutningskode {code} ({result}).\n"
    "Logg: {log}",
    "report.no_log": "(ingen loggfil)",
    "report.mail_subject": "integrasjonspunkt setup på {host}: /{verb} {result} (avslutningskode {code})",
}
