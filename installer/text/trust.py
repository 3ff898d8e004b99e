"""Messages of the trust boundary: an install folder other users can write to, and secrets."""

EN: dict[str, str] = {
    "trust.untrusted": "The install folder is not safe to use: {path} {reason}. Other users could make setup "
    "(which runs as administrator) run their programs. Check the folder's contents, then run: {fix}",
    "trust.owner": "is owned by {owner}, not by Administrators or SYSTEM",
    "trust.writable": "can be changed by another account ({who})",
    "trust.link": "is a link (setup follows no links inside the folder)",
    "trust.unreadable": "has permissions setup cannot read",
    "trust.secured": "Took ownership of {folder} and locked it down (Administrators and SYSTEM only).",
    "trust.status_untrusted": "Nothing was read or run from {folder}: {reason}",
    "trust.secure_failed": "Could not lock down {folder}: {error}",
    "trust.needed": "owned by Administrators/SYSTEM, writable by no other account",
}

NB: dict[str, str] = {
    "trust.untrusted": "Installasjonsmappen er ikke trygg å bruke: {path} {reason}. Andre brukere kan få setup "
    "(som kjører som administrator) til å kjøre sine programmer. Sjekk innholdet i mappen, og kjør så: {fix}",
    "trust.owner": "eies av {owner}, ikke av Administratorer eller SYSTEM",
    "trust.writable": "kan endres av en annen konto ({who})",
    "trust.link": "er en lenke (setup følger ingen lenker inne i mappen)",
    "trust.unreadable": "har tilganger setup ikke kan lese",
    "trust.secured": "Tok eierskap til {folder} og låste den ned (bare Administratorer og SYSTEM).",
    "trust.status_untrusted": "Ingenting ble lest eller kjørt fra {folder}: {reason}",
    "trust.secure_failed": "Kunne ikke låse ned {folder}: {error}",
    "trust.needed": "eies av Administratorer/SYSTEM, skrivbar for ingen annen konto",
}
