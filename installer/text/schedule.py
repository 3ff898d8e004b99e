"""Messages of /schedule and /unschedule. (See installer/messages.py.)"""

EN: dict[str, str] = {
    "schedule.bad_at": "{value} is no time of day: give HH:MM (24 hours, local time), e.g. 05:30",
    "schedule.bad_days": "{value} names no days: give MON-FRI, MON,WED,FRI, SAT-SUN or DAILY",
    "schedule.task_description": "Upgrades integrasjonspunkt in {folder} to {spec} (setup /schedule; removed by "
    "/unschedule and /uninstall).",
    "schedule.not_registered": "The scheduled upgrade could not be registered with Task Scheduler: {reason}",
    "schedule.done": "Scheduled: /upgrade {spec} at {at} on {days} (local time), as SYSTEM, task {task}; {major}. "
    "Each run first finishes an interrupted operation, skips versions that failed here and writes its result to "
    "the Application log and .setup\\last-run.json.",
    "schedule.major_allowed": "it may move to another major line (/allow-major)",
    "schedule.major_kept": "it stays on the installed major line",
    "schedule.none": "No upgrade is scheduled for this installation.",
    "schedule.removed": "The scheduled upgrade is removed.",
    "schedule.not_removed": "The scheduled task {task} could not be removed: {reason}",
}

NB: dict[str, str] = {
    "schedule.bad_at": "{value} er ikke et klokkeslett: oppgi TT:MM (24 timer, lokal tid), f.eks. 05:30",
    "schedule.bad_days": "{value} angir ingen dager: oppgi MON-FRI, MON,WED,FRI, SAT-SUN eller DAILY",
    "schedule.task_description": "Oppgraderer integrasjonspunkt i {folder} til {spec} (setup /schedule; fjernes "
    "med /unschedule og /uninstall).",
    "schedule.not_registered": "Den planlagte oppgraderingen kunne ikke registreres i Oppgaveplanlegging: {reason}",
    "schedule.done": "Planlagt: /upgrade {spec} kl. {at} på {days} (lokal tid), som SYSTEM, oppgave {task}; "
    "{major}. Hver kjøring fullfører først en avbrutt operasjon, hopper over versjoner som har feilet her og skriver "
    "resultatet til programloggen og .setup\\last-run.json.",
    "schedule.major_allowed": "den kan gå over til en annen hovedlinje (/allow-major)",
    "schedule.major_kept": "den blir på den installerte hovedlinjen",
    "schedule.none": "Ingen oppgradering er planlagt for denne installasjonen.",
    "schedule.removed": "Den planlagte oppgraderingen er fjernet.",
    "schedule.not_removed": "Den planlagte oppgaven {task} kunne ikke fjernes: {reason}",
}
