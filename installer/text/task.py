"""Messages of the Task Scheduler task that runs integrasjonspunkt in task mode. (See installer/messages.py.)"""

EN: dict[str, str] = {
    "task.schtasks_failed": "schtasks {verb} of the task {name} failed (exit {code}): {output}",
    "task.description": "Digdir integrasjonspunkt in {folder}, run at startup as Task Scheduler task (installed and "
    "upgraded with setup.exe).",
    "task.needs_password": "The task runs as {account}: give its password with /service-password (it is handed to "
    "Task Scheduler and kept nowhere).",
    "task.not_started": "The task {name} was run, but no Java process of the folder appeared within {seconds} s.",
}

NB: dict[str, str] = {
    "task.schtasks_failed": "schtasks {verb} av oppgaven {name} feilet (exit {code}): {output}",
    "task.description": "Digdir integrasjonspunkt i {folder}, startet ved oppstart som oppgave i Oppgaveplanlegging "
    "(installert og oppgradert med setup.exe).",
    "task.needs_password": "Oppgaven kjører som {account}: oppgi passordet med /service-password (det gis til "
    "Oppgaveplanlegging og lagres ingen steder).",
    "task.not_started": "Oppgaven {name} ble startet, men ingen Java-prosess for mappen kom i gang innen {seconds} s.",
}
