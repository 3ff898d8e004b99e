"""Messages of the artifacts: versions, downloads, verification, /download. (See installer/messages.py.)"""

EN: dict[str, str] = {
    # versions
    "artifacts.bad_spec": "'{spec}' is not a version spec. Use one of: 2.x, 2.28, 2.28.1, v4.0.8, 4.x, latest, "
    "earlybird.",
    "artifacts.bad_tag": "'{tag}' is not a plain version; setup will not use it in a URL or a file name.",
    "artifacts.unknown_line": "Version {version} is on a release line this setup does not know (it knows {known}); "
    "a newer setup is needed.",
    "artifacts.range_other_line": "{spec} is on another major line than the installed {installed}; a new major line "
    "changes Java, profile rules and configuration. Add /allow-major to go there, or name the version exactly.",
    "artifacts.all_failed": "Every version in {spec} failed here before ({failed}). Name one exactly to try it again.",
    "artifacts.no_match": "No version matches {spec} in {where}. Nearest: {nearest}.",
    "artifacts.no_such_line": "No version matches {spec}: integrasjonspunkt has no major version {major} (its "
    "release lines are {known}).",
    "artifacts.no_versions": "No version matches {spec}: {where} lists no versions of that line.",
    "artifacts.only_named": "the versions named in {where} (the full list was not available: {problem})",
    "artifacts.no_channel": "latest-versions.yml names no '{channel}' version for the environment {env}.",
    "artifacts.channel_other_line": "Digdir's {channel} version for {env} is {tag}, on another major line; staying "
    "on {major}.x. Use /allow-major to move to {tag}.",
    "artifacts.channel_failed": "The {channel} version for {env}, {tag}, failed here before; nothing done. To try "
    "it again, name it: /upgrade {tag}.",
    "artifacts.list_fallback": "The release list is not available ({problem}); using the versions named in "
    "latest-versions.yml.",
    "artifacts.no_list": "No version list: {problem}; and {fallback}",
    "artifacts.list_unreadable": "Cannot read the version list at {url}: {reason}",
    # sources
    "artifacts.url_refused": "/{option} {url}: only HTTPS is allowed (plain HTTP only on this machine, or with "
    "/allow-http).",
    "artifacts.redirect_refused": "{url} sent setup to {target}, which is not HTTPS; refused (plain HTTP only on "
    "this machine, or with /allow-http).",
    "artifacts.offline_no_folder": "/offline {path}: no such folder.",
    "artifacts.offline_missing": "{name} is not in the offline folder {path} (it holds: {held}). Fill it with "
    "/download on a machine with internet.",
    "artifacts.offline_winsw_missing": "WinSW {spec} is not in the offline folder ({path} is missing).",
    "artifacts.offline_no_channels": "The offline folder {path} does not record Digdir's latest versions; name a "
    "version (e.g. 2.x or v4.0.8).",
    "artifacts.index_unreadable": "Cannot read {path}: {reason}",
    "artifacts.nothing": "nothing",
    # downloads
    "artifacts.unreachable": "Cannot reach {url}: {reason}",
    "artifacts.silent": "{url} did not answer: not a byte in {seconds} s, over every try. Nothing was changed; check "
    "the server, the proxy or the firewall, or run setup again later.",
    "artifacts.waiting": "Waiting for {url}: no answer for {seconds} s (setup gives up after {limit} s).",
    "artifacts.http_status": "{url} answered HTTP {status}.",
    "artifacts.too_large": "{url} is larger than {limit} bytes; refused.",
    "artifacts.gave_up": "Download of {url} failed after {attempts} tries: {reason}. Run setup again to resume it.",
    "artifacts.bad_range": "the server did not resume at the right place",
    "artifacts.short_body": "the connection ended after {got} of {expected} bytes",
    "artifacts.write_failed": "Cannot write {path}: {reason}",
    "artifacts.copy_failed": "Cannot copy {source} to {path}: {reason}",
    "artifacts.folder_failed": "Cannot create the folder {path}: {reason}",
    # verification
    "artifacts.checksum_unreadable": "The published {algorithm} checksum of {name} is not a checksum.",
    "artifacts.checksum_mismatch": "{name}: the {algorithm} checksum does not match (published {expected}, "
    "downloaded {actual}); the file was discarded.",
    "artifacts.no_sha1": "No SHA-1 checksum is published for {name} ({where}); is that version published?",
    "artifacts.no_signature": "No signature (.asc) is published for {name}.",
    "artifacts.signature_unreadable": "The signature of {name} cannot be read: {reason}",
    "artifacts.signature_bad": "The signature of {name} is not good: {reason}",
    "artifacts.signature_required": "{problem} The file was discarded. (/allow-unsigned accepts it anyway.)",
    "artifacts.signature_refused": "{problem} The file was discarded: a signature that is present and does not "
    "verify means the file is not what was published (/allow-unsigned never accepts that).",
    "artifacts.unsigned_accepted": "WARNING: {problem} Going ahead because of /allow-unsigned: the file's origin is "
    "NOT proven.",
    "artifacts.sig_before_key": "it was made on {made}, before the key {fingerprint} existed ({created})",
    "artifacts.sig_after_expiry": "it was made on {made}, after the key {fingerprint} expired ({expired})",
    "artifacts.sig_does_not_match": "it does not match the file (key {fingerprint})",
    "artifacts.sig_unknown_key": "it was made by {issuer}, which is not a trusted key (trusted: {keys}); add a key "
    "with /trusted-key",
    "artifacts.pinned_key_unreadable": "The built-in signing key {path} cannot be used: {reason}",
    "artifacts.pinned_key_wrong": "it is not the key {fingerprint}",
    "artifacts.trusted_key_bad": "/trusted-key {path}: {reason}",
    "artifacts.no_key_in_file": "no OpenPGP public key in the file",
    # trusted keys refreshed from /key-url
    "artifacts.key_refresh_failed": "{problem} The trusted key {fingerprint} expired before the signature was made; "
    "its current copy from {url} cannot be taken: {reason}. Nothing was changed. Get the publisher's current key "
    "yourself, check its fingerprint, and give it with /trusted-key FILE.",
    "artifacts.key_unreadable": "the file is not a readable OpenPGP key ({reason})",
    "artifacts.key_other_fingerprint": "it holds another key ({found}), not {fingerprint}",
    "artifacts.no_key": "no key",
    "artifacts.key_revoked": "the key {fingerprint} is revoked in it",
    "artifacts.key_not_newer": "it gives the key {fingerprint} no later expiry (it expires {expires})",
    "artifacts.key_never": "never",
    "artifacts.key_not_fetched": "it could not be fetched: {reason}",
    "artifacts.key_offline": "under /offline nothing is fetched, and {folder} holds no newer copy of it (a /download "
    "run that needs the newer copy puts it there)",
    "artifacts.key_store_failed": "The refreshed key cannot be kept in {path}: {reason}",
    "artifacts.key_expired": "The trusted key {fingerprint} expired on {expires}: a release signed after that is "
    "checked against its current copy from /key-url.",
    "artifacts.key_expires_soon": "The trusted key {fingerprint} expires on {expires}: a release signed after that "
    "needs its current copy from /key-url (or /trusted-key).",
    # /download
    "artifacts.winsw_not_in_catalog": "/winsw {requested} is not in the WinSW catalog (it has: {specs}).",
    "artifacts.download_start": "Downloading {tag} to {to}",
    "artifacts.download_done": "{to} holds {tag} and WinSW {winsw}, verified. Install from it with /offline {to}.",
    "artifacts.encoded_refused": "{url} was sent compressed ({encoding}) although setup asked for it as it is; "
    "setup does not unpack downloads.",
}

NB: dict[str, str] = {
    # versions
    "artifacts.bad_spec": "'{spec}' er ikke en versjonsangivelse. Bruk en av: 2.x, 2.28, 2.28.1, v4.0.8, 4.x, "
    "latest, earlybird.",
    "artifacts.bad_tag": "'{tag}' er ikke en vanlig versjon; setup bruker den ikke i en URL eller et filnavn.",
    "artifacts.unknown_line": "Versjon {version} hører til en versjonsserie denne setup ikke kjenner (den kjenner "
    "{known}); det trengs en nyere setup.",
    "artifacts.range_other_line": "{spec} er på en annen hovedversjon enn installerte {installed}; en ny "
    "hovedversjon endrer Java, profilregler og konfigurasjon. Legg til /allow-major for å gå dit, eller oppgi "
    "versjonen nøyaktig.",
    "artifacts.all_failed": "Alle versjonene i {spec} har feilet her før ({failed}). Oppgi en av dem nøyaktig for å "
    "prøve den igjen.",
    "artifacts.no_match": "Ingen versjon passer med {spec} i {where}. Nærmeste: {nearest}.",
    "artifacts.no_such_line": "Ingen versjon passer med {spec}: integrasjonspunkt har ingen hovedversjon {major} "
    "(versjonsseriene er {known}).",
    "artifacts.no_versions": "Ingen versjon passer med {spec}: {where} har ingen versjoner i den serien.",
    "artifacts.only_named": "versjonene som er nevnt i {where} (hele listen var ikke tilgjengelig: {problem})",
    "artifacts.no_channel": "latest-versions.yml nevner ingen '{channel}'-versjon for miljøet {env}.",
    "artifacts.channel_other_line": "Digdirs {channel}-versjon for {env} er {tag}, på en annen hovedversjon; blir "
    "på {major}.x. Bruk /allow-major for å gå over til {tag}.",
    "artifacts.channel_failed": "{channel}-versjonen for {env}, {tag}, har feilet her før; ingenting ble gjort. "
    "For å prøve den igjen, oppgi den: /upgrade {tag}.",
    "artifacts.list_fallback": "Versjonslisten er ikke tilgjengelig ({problem}); bruker versjonene som er nevnt i "
    "latest-versions.yml.",
    "artifacts.no_list": "Ingen versjonsliste: {problem}; og {fallback}",
    "artifacts.list_unreadable": "Kan ikke lese versjonslisten på {url}: {reason}",
    # sources
    "artifacts.url_refused": "/{option} {url}: bare HTTPS er tillatt (vanlig HTTP bare på denne maskinen, eller "
    "med /allow-http).",
    "artifacts.redirect_refused": "{url} sendte setup videre til {target}, som ikke er HTTPS; avvist (vanlig HTTP "
    "bare på denne maskinen, eller med /allow-http).",
    "artifacts.offline_no_folder": "/offline {path}: mappen finnes ikke.",
    "artifacts.offline_missing": "{name} finnes ikke i offline-mappen {path} (den har: {held}). Fyll den med "
    "/download på en maskin med internett.",
    "artifacts.offline_winsw_missing": "WinSW {spec} finnes ikke i offline-mappen ({path} mangler).",
    "artifacts.offline_no_channels": "Offline-mappen {path} har ikke Digdirs nyeste versjoner registrert; oppgi en "
    "versjon (f.eks. 2.x eller v4.0.8).",
    "artifacts.index_unreadable": "Kan ikke lese {path}: {reason}",
    "artifacts.nothing": "ingenting",
    # downloads
    "artifacts.unreachable": "Får ikke kontakt med {url}: {reason}",
    "artifacts.silent": "{url} svarte ikke: ikke én byte på {seconds} s, over alle forsøk. Ingenting ble endret; "
    "sjekk serveren, proxyen eller brannmuren, eller kjør setup igjen senere.",
    "artifacts.waiting": "Venter på {url}: ikke noe svar på {seconds} s (setup gir opp etter {limit} s).",
    "artifacts.http_status": "{url} svarte HTTP {status}.",
    "artifacts.too_large": "{url} er større enn {limit} byte; avvist.",
    "artifacts.gave_up": "Nedlastingen av {url} feilet etter {attempts} forsøk: {reason}. Kjør setup igjen for å "
    "fortsette den.",
    "artifacts.bad_range": "serveren fortsatte ikke på riktig sted",
    "artifacts.short_body": "forbindelsen ble brutt etter {got} av {expected} byte",
    "artifacts.write_failed": "Kan ikke skrive {path}: {reason}",
    "artifacts.copy_failed": "Kan ikke kopiere {source} til {path}: {reason}",
    "artifacts.folder_failed": "Kan ikke opprette mappen {path}: {reason}",
    # verification
    "artifacts.checksum_unreadable": "Den publiserte {algorithm}-sjekksummen for {name} er ikke en sjekksum.",
    "artifacts.checksum_mismatch": "{name}: {algorithm}-sjekksummen stemmer ikke (publisert {expected}, "
    "nedlastet {actual}); filen ble forkastet.",
    "artifacts.no_sha1": "Ingen SHA-1-sjekksum er publisert for {name} ({where}); er den versjonen publisert?",
    "artifacts.no_signature": "Ingen signatur (.asc) er publisert for {name}.",
    "artifacts.signature_unreadable": "Signaturen til {name} kan ikke leses: {reason}",
    "artifacts.signature_bad": "Signaturen til {name} er ikke gyldig: {reason}",
    "artifacts.signature_required": "{problem} Filen ble forkastet. (/allow-unsigned godtar den likevel.)",
    "artifacts.signature_refused": "{problem} Filen ble forkastet: en signatur som finnes, men ikke stemmer, betyr at "
    "filen ikke er den som ble publisert (/allow-unsigned godtar aldri det).",
    "artifacts.unsigned_accepted": "ADVARSEL: {problem} Fortsetter på grunn av /allow-unsigned: filens opphav er "
    "IKKE bevist.",
    "artifacts.sig_before_key": "den ble laget {made}, før nøkkelen {fingerprint} fantes ({created})",
    "artifacts.sig_after_expiry": "den ble laget {made}, etter at nøkkelen {fingerprint} gikk ut ({expired})",
    "artifacts.sig_does_not_match": "den passer ikke med filen (nøkkel {fingerprint})",
    "artifacts.sig_unknown_key": "den ble laget av {issuer}, som ikke er en betrodd nøkkel (betrodde: {keys}); legg "
    "til en nøkkel med /trusted-key",
    "artifacts.pinned_key_unreadable": "Den innebygde signeringsnøkkelen {path} kan ikke brukes: {reason}",
    "artifacts.pinned_key_wrong": "det er ikke nøkkelen {fingerprint}",
    "artifacts.trusted_key_bad": "/trusted-key {path}: {reason}",
    "artifacts.no_key_in_file": "ingen offentlig OpenPGP-nøkkel i filen",
    # trusted keys refreshed from /key-url
    "artifacts.key_refresh_failed": "{problem} Den betrodde nøkkelen {fingerprint} gikk ut før signaturen ble laget; "
    "den gjeldende kopien fra {url} kan ikke tas i bruk: {reason}. Ingenting ble endret. Hent utgiverens gjeldende "
    "nøkkel selv, kontroller fingeravtrykket, og oppgi den med /trusted-key FIL.",
    "artifacts.key_unreadable": "filen er ikke en lesbar OpenPGP-nøkkel ({reason})",
    "artifacts.key_other_fingerprint": "den inneholder en annen nøkkel ({found}), ikke {fingerprint}",
    "artifacts.no_key": "ingen nøkkel",
    "artifacts.key_revoked": "nøkkelen {fingerprint} er tilbakekalt i den",
    "artifacts.key_not_newer": "den gir ikke nøkkelen {fingerprint} en senere utløpsdato (den går ut {expires})",
    "artifacts.key_never": "aldri",
    "artifacts.key_not_fetched": "den kunne ikke hentes: {reason}",
    "artifacts.key_offline": "med /offline hentes ingenting, og {folder} har ingen nyere kopi av den (en "
    "/download-kjøring som trenger den nyere kopien, legger den der)",
    "artifacts.key_store_failed": "Den oppdaterte nøkkelen kan ikke lagres i {path}: {reason}",
    "artifacts.key_expired": "Den betrodde nøkkelen {fingerprint} gikk ut {expires}: en versjon som er signert etter "
    "det, kontrolleres mot den gjeldende kopien fra /key-url.",
    "artifacts.key_expires_soon": "Den betrodde nøkkelen {fingerprint} går ut {expires}: en versjon som er signert "
    "etter det, trenger den gjeldende kopien fra /key-url (eller /trusted-key).",
    # /download
    "artifacts.winsw_not_in_catalog": "/winsw {requested} finnes ikke i WinSW-katalogen (den har: {specs}).",
    "artifacts.download_start": "Laster ned {tag} til {to}",
    "artifacts.download_done": "{to} har {tag} og WinSW {winsw}, verifisert. Installer derfra med /offline {to}.",
    "artifacts.encoded_refused": "{url} ble sendt komprimert ({encoding}) selv om setup ba om den som den er; "
    "setup pakker ikke ut nedlastinger.",
}
