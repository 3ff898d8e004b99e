"""Messages of the account the service logs on as: /service-user, /create-user, its password."""

EN: dict[str, str] = {
    "account.bad_user": "'{value}' is not an account: give LocalSystem, virtual, .\\NAME, DOMAIN\\NAME or a "
    "gMSA DOMAIN\\NAME$",
    "account.needs_password": "{value} needs its password: give /service-password (- reads it from standard "
    "input).",
    "account.no_password_here": "{value} has no password to give (Windows manages it): leave out /service-password.",
    "account.create_exists": "The user {name} exists already: setup creates only a new user. Delete it, or give "
    "it with /service-user .\\{name} /service-password instead of /create-user.",
    "account.create_failed": "The user {name} cannot be created here: {reason}",
    "account.create_needs_local": "/create-user creates a local user: give /service-user .\\NAME with it.",
    "account.create_no_password": "/create-user makes the password itself: leave out /service-password.",
    "account.removed": "The user {name} that setup created is deleted, with its rights.",
    "account.not_removed": "The user {name} that setup created could not be deleted ({reason}): delete it in "
    "Computer Management (lusrmgr.msc).",
    "account.created_no_service": "{name} was created by setup and nobody knows its password, so a service cannot "
    "be registered for it: /uninstall and /install again with /create-user (the data stays).",
    "account.not_for_task": "Task Scheduler cannot run a task as {value}: give /service-user LocalSystem, .\\user "
    "or DOMAIN\\user with /mode task.",
}

NB: dict[str, str] = {
    "account.bad_user": "'{value}' er ingen konto: oppgi LocalSystem, virtual, .\\NAVN, DOMENE\\NAVN eller en "
    "gMSA DOMENE\\NAVN$",
    "account.needs_password": "{value} trenger passordet sitt: oppgi /service-password (- leser det fra standard "
    "inn).",
    "account.no_password_here": "{value} har ikke noe passord å oppgi (Windows styrer det): utelat /service-password.",
    "account.create_exists": "Brukeren {name} finnes allerede: setup oppretter bare en ny bruker. Slett den, eller "
    "oppgi den med /service-user .\\{name} /service-password i stedet for /create-user.",
    "account.create_failed": "Brukeren {name} kan ikke opprettes her: {reason}",
    "account.create_needs_local": "/create-user oppretter en lokal bruker: oppgi /service-user .\\NAVN sammen med den.",
    "account.create_no_password": "/create-user lager passordet selv: utelat /service-password.",
    "account.removed": "Brukeren {name} som setup opprettet, er slettet sammen med rettighetene sine.",
    "account.not_removed": "Brukeren {name} som setup opprettet, kunne ikke slettes ({reason}): slett den i "
    "Datamaskinbehandling (lusrmgr.msc).",
    "account.created_no_service": "{name} ble opprettet av setup, og ingen kjenner passordet, så en tjeneste kan "
    "ikke registreres for den: kjør /uninstall og /install på nytt med /create-user (dataene blir).",
    "account.not_for_task": "Oppgaveplanlegging kan ikke kjøre en oppgave som {value}: oppgi /service-user "
    "LocalSystem, .\\bruker eller DOMENE\\bruker med /mode task.",
}
