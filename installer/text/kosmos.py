"""Messages of KOSMOS: reading an installation KOSMOS made, and adopting it (/adopt /from-kosmos).

See installer/messages.py."""

EN: dict[str, str] = {
    "kosmos.found": "KOSMOS ({service_id}) runs integrasjonspunkt {version} here with the profile {env} (found from "
    "{source}), on {java}.",
    "kosmos.source_running": "the running process",
    "kosmos.source_allowlisted": "KOSMOS's allow-list file",
    "kosmos.source_jar": "the only integrasjonspunkt jar in the folder",
    "kosmos.env_differs": "KOSMOS runs integrasjonspunkt with the profile {found}; installing with /env {given} as "
    "given.",
    "kosmos.taken_over": "KOSMOS ({service_id}) is stopped and disabled, its files are kept. /schedule latest keeps "
    "integrasjonspunkt on Digdir's approved version as KOSMOS did, with a data backup and a rollback.",
    "kosmos.resumed": "KOSMOS ({service_id}) runs again as before.",
    "kosmos.not_found": "There is no KOSMOS service XML (service kosmossvc) in {folder}: nothing for /from-kosmos to "
    "take over.",
    "kosmos.several": "There is more than one KOSMOS service XML in {folder} ({files}); take over by hand.",
    "kosmos.no_exe": "KOSMOS's {xml} has no {exe} beside it, so the KOSMOS service cannot be stopped from here.",
    "kosmos.odd_profile": "KOSMOS starts integrasjonspunkt with the profile {profile} ({setting}); only production and "
    "staging can be taken over.",
    "kosmos.no_version": "Cannot tell which integrasjonspunkt KOSMOS runs in {folder}: none runs, there is no "
    "integrasjonspunkt-<version>.allowlisted and not exactly one integrasjonspunkt jar. Start KOSMOS and try again.",
    "kosmos.unknown_version": "KOSMOS runs integrasjonspunkt {version}, which belongs to no known release line.",
    "kosmos.not_disabled": "The KOSMOS service {service_id} could not be disabled (sc.exe config).",
    "kosmos.child_still_runs": "integrasjonspunkt still runs after KOSMOS was stopped (process {pids}); it did not "
    "shut down through its shutdown endpoint.",
}

NB: dict[str, str] = {
    "kosmos.found": "KOSMOS ({service_id}) kjører integrasjonspunkt {version} her med profilen {env} (funnet fra "
    "{source}), på {java}.",
    "kosmos.source_running": "prosessen som kjører",
    "kosmos.source_allowlisted": "KOSMOS' godkjenningsfil",
    "kosmos.source_jar": "den eneste integrasjonspunkt-jar-filen i mappen",
    "kosmos.env_differs": "KOSMOS kjører integrasjonspunkt med profilen {found}; installerer med /env {given} som "
    "oppgitt.",
    "kosmos.taken_over": "KOSMOS ({service_id}) er stoppet og deaktivert, filene er beholdt. /schedule latest holder "
    "integrasjonspunkt på versjonen Digdir har godkjent slik KOSMOS gjorde, med sikkerhetskopi av dataene og "
    "tilbakerulling.",
    "kosmos.resumed": "KOSMOS ({service_id}) kjører igjen som før.",
    "kosmos.not_found": "Det finnes ingen tjeneste-XML for KOSMOS (tjenesten kosmossvc) i {folder}: /from-kosmos har "
    "ingenting å ta over.",
    "kosmos.several": "Det finnes mer enn én tjeneste-XML for KOSMOS i {folder} ({files}); ta over for hånd.",
    "kosmos.no_exe": "KOSMOS' {xml} har ingen {exe} ved siden av seg, så KOSMOS-tjenesten kan ikke stoppes herfra.",
    "kosmos.odd_profile": "KOSMOS starter integrasjonspunkt med profilen {profile} ({setting}); bare production og "
    "staging kan tas over.",
    "kosmos.no_version": "Kan ikke se hvilket integrasjonspunkt KOSMOS kjører i {folder}: ingen kjører, det finnes "
    "ingen integrasjonspunkt-<versjon>.allowlisted og ikke nøyaktig én integrasjonspunkt-jar. Start KOSMOS og prøv "
    "igjen.",
    "kosmos.unknown_version": "KOSMOS kjører integrasjonspunkt {version}, som ikke hører til noen kjent "
    "versjonslinje.",
    "kosmos.not_disabled": "KOSMOS-tjenesten {service_id} kunne ikke deaktiveres (sc.exe config).",
    "kosmos.child_still_runs": "integrasjonspunkt kjører fortsatt etter at KOSMOS ble stoppet (prosess {pids}); den "
    "stoppet ikke via avslutningsendepunktet sitt.",
}
