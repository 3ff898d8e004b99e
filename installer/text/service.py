"""Messages of the service: the service XML and the WinSW driver. (See installer/messages.py.)"""

EN: dict[str, str] = {
    # service XML
    "service.xml_name_other_id": "integrasjonspunkt ({service_id})",
    "service.xml_description": "Digdir integrasjonspunkt (eFormidling/eInnsyn), environment {env}. "
    "Installed and upgraded with setup.exe.",
    "service.xml_description_no_env": "Digdir integrasjonspunkt (eFormidling/eInnsyn). "
    "Installed and upgraded with setup.exe.",
    "service.xml_bad_char": "The value {value!r} for the service XML holds a character XML cannot store.",
    "service.xml_bad_char_secret": "The service account's password holds a character XML cannot store (a control "
    "character); WinSW cannot be given it.",
    "service.xml_missing": "The service XML {path} does not exist.",
    "service.xml_unreadable": "The service XML {path} cannot be read: {reason}",
    "service.xml_malformed": "The service XML {path} is not valid XML (line {line}, column {column}): {reason}. "
    "Nothing was changed; correct the file or restore it from a backup.",
    "service.xml_forbidden": "The service XML {path} uses a DTD or entity declarations, which setup does not "
    "accept: {reason}. Nothing was changed.",
    "service.xml_no_jar": "The service XML {path} does not run a jar with `-jar` (arguments: {arguments}); "
    "setup cannot tell which jar to replace. Nothing was changed.",
    "service.xml_note_root": "service XML: the root element <{old}> became <service> (WinSW 3 requires it)",
    "service.xml_note_converted": "service XML: {count} <argument> elements became one <arguments> element "
    "(WinSW 3 reads only <arguments>)",
    "service.xml_note_jar": "service XML: jar {old} -> {new}",
    "service.xml_note_java": "service XML: executable {old} -> {new}",
    "service.xml_note_profile": "service XML: Spring profile {old} -> {new}",
    "service.xml_note_moved": "service XML: JVM options found after the jar were moved before -jar, "
    "where Java reads them: {options}",
    "service.xml_note_jvm_options": "service XML: JVM options {old} -> {new}",
    "service.xml_note_proxy": "service XML: proxy options {old} -> {new}",
    "service.proxy_none": "/service-proxy is on, but no proxy is set (/proxy, WinHTTP or the environment): the"
                          " service XML's proxy options stay as they are.",
    "service.xml_note_bad_duration": "service XML: <{element}> value {value!r} is not a duration WinSW 2.12 "
    "reads (write e.g. \"60 sec\")",
    # driver
    "service.exe_failed": "Could not run {exe}: {reason}",
    "service.command_timeout": "{exe} {verb} did not finish within {seconds} s.",
    "service.status_unreadable": "Cannot read the state of service {service_id} from `{exe} status` "
    "(exit code {code}): {output}",
    "service.version_unreadable": "Cannot read the WinSW version from {exe}: {output}",
    "service.exists": "A service with the id {service_id} is already registered in Windows.",
    "service.still_marked": "The service {service_id} is still marked for deletion after {seconds} s "
    "(a process of the old service still runs, or a program such as services.msc holds it open).",
    "service.install_failed": "Registering the service {service_id} failed (exit code {code}): {output}",
    "service.not_installed": "The service {service_id} is not registered in Windows.",
    "service.start_failed": "Starting the service {service_id} failed (exit code {code}): {output}",
    "service.stopped_after_start": "The service {service_id} stopped right after it was started.",
    "service.start_timeout": "The service {service_id} was not Started within {seconds} s (last state: {state}).",
    "service.stop_failed": "Stopping the service {service_id} failed (exit code {code}): {output}",
    "service.stop_timeout_state": "The service {service_id} was not Stopped within {seconds} s "
    "(last state: {state}).",
    "service.stop_timeout_process": "The service {service_id} is Stopped, but its Java process is still "
    "running after {seconds} s: {processes}.",
    "service.stop_timeout_port": "The service {service_id} is Stopped, but port {port} is still in use after "
    "{seconds} s{holder}.",
    "service.port_holder": " (by {name}, pid {pid})",
    "service.uninstall_failed": "Removing the service {service_id} failed (exit code {code}): {output}",
    "service.uninstall_timeout": "The service {service_id} was still registered {seconds} s after it was "
    "removed (marked for deletion while a process of it runs?; last state: {state}).",
    "service.exe_locked": "{exe} was still locked {seconds} s after the service was removed.",
    "service.sc_failed": "`sc.exe qc {service_id}` failed (exit code {code}): {output}",
    "service.log_tail": "Last lines of {path}:",
    "service.marked_for_deletion": "The service {service_id} is marked for deletion: a program holds it open, and "
    "Windows removes it when that program lets go. Close the Services window (services.msc), Event Viewer and "
    "Task Manager, and stop monitoring agents that watch services; then run setup again.",
    "service.config_unreadable": "The service's registration cannot be read from {path}: {reason}",
    "service.config_failed": "`sc.exe {verb} {service_id}` failed (exit code {code}): {output}",
}

NB: dict[str, str] = {
    # service XML
    "service.xml_name_other_id": "integrasjonspunkt ({service_id})",
    "service.xml_description": "Digdir integrasjonspunkt (eFormidling/eInnsyn), miljø {env}. "
    "Installert og oppgradert med setup.exe.",
    "service.xml_description_no_env": "Digdir integrasjonspunkt (eFormidling/eInnsyn). "
    "Installert og oppgradert med setup.exe.",
    "service.xml_bad_char": "Verdien {value!r} til tjeneste-XML-en har et tegn XML ikke kan lagre.",
    "service.xml_bad_char_secret": "Passordet til tjenestekontoen har et tegn XML ikke kan lagre (et kontrolltegn); "
    "WinSW kan ikke få det.",
    "service.xml_missing": "Tjeneste-XML-en {path} finnes ikke.",
    "service.xml_unreadable": "Tjeneste-XML-en {path} kan ikke leses: {reason}",
    "service.xml_malformed": "Tjeneste-XML-en {path} er ikke gyldig XML (linje {line}, kolonne {column}): "
    "{reason}. Ingenting er endret; rett filen eller hent den fra en sikkerhetskopi.",
    "service.xml_forbidden": "Tjeneste-XML-en {path} bruker en DTD eller entitetsdeklarasjoner, som setup ikke "
    "godtar: {reason}. Ingenting er endret.",
    "service.xml_no_jar": "Tjeneste-XML-en {path} kjører ingen jar med `-jar` (argumenter: {arguments}); setup "
    "kan ikke vite hvilken jar som skal byttes. Ingenting er endret.",
    "service.xml_note_root": "tjeneste-XML: rotelementet <{old}> ble <service> (WinSW 3 krever det)",
    "service.xml_note_converted": "tjeneste-XML: {count} <argument>-elementer ble ett <arguments>-element "
    "(WinSW 3 leser bare <arguments>)",
    "service.xml_note_jar": "tjeneste-XML: jar {old} -> {new}",
    "service.xml_note_java": "tjeneste-XML: program {old} -> {new}",
    "service.xml_note_profile": "tjeneste-XML: Spring-profil {old} -> {new}",
    "service.xml_note_moved": "tjeneste-XML: JVM-valg som stod etter jar-filen, ble flyttet foran -jar, der Java "
    "leser dem: {options}",
    "service.xml_note_jvm_options": "tjeneste-XML: JVM-valg {old} -> {new}",
    "service.xml_note_proxy": "tjeneste-XML: proxy-valg {old} -> {new}",
    "service.proxy_none": "/service-proxy er på, men ingen proxy er satt (/proxy, WinHTTP eller miljøet):"
                          " proxy-valgene i tjeneste-XML-en blir stående som de er.",
    "service.xml_note_bad_duration": "tjeneste-XML: verdien {value!r} i <{element}> er ikke en varighet WinSW "
    "2.12 kan lese (skriv f.eks. \"60 sec\")",
    # driver
    "service.exe_failed": "Kunne ikke kjøre {exe}: {reason}",
    "service.command_timeout": "{exe} {verb} ble ikke ferdig innen {seconds} s.",
    "service.status_unreadable": "Kan ikke lese tilstanden til tjenesten {service_id} fra `{exe} status` "
    "(avslutningskode {code}): {output}",
    "service.version_unreadable": "Kan ikke lese WinSW-versjonen fra {exe}: {output}",
    "service.exists": "En tjeneste med id {service_id} er allerede registrert i Windows.",
    "service.still_marked": "Tjenesten {service_id} er fortsatt merket for sletting etter {seconds} s "
    "(en prosess fra den gamle tjenesten kjører fortsatt, eller et program som services.msc holder den åpen).",
    "service.install_failed": "Registreringen av tjenesten {service_id} feilet (avslutningskode {code}): {output}",
    "service.not_installed": "Tjenesten {service_id} er ikke registrert i Windows.",
    "service.start_failed": "Oppstarten av tjenesten {service_id} feilet (avslutningskode {code}): {output}",
    "service.stopped_after_start": "Tjenesten {service_id} stoppet rett etter at den ble startet.",
    "service.start_timeout": "Tjenesten {service_id} var ikke Started innen {seconds} s (siste tilstand: {state}).",
    "service.stop_failed": "Stoppingen av tjenesten {service_id} feilet (avslutningskode {code}): {output}",
    "service.stop_timeout_state": "Tjenesten {service_id} var ikke Stopped innen {seconds} s "
    "(siste tilstand: {state}).",
    "service.stop_timeout_process": "Tjenesten {service_id} er Stopped, men Java-prosessen kjører fortsatt "
    "etter {seconds} s: {processes}.",
    "service.stop_timeout_port": "Tjenesten {service_id} er Stopped, men port {port} er fortsatt i bruk etter "
    "{seconds} s{holder}.",
    "service.port_holder": " (av {name}, pid {pid})",
    "service.uninstall_failed": "Fjerningen av tjenesten {service_id} feilet (avslutningskode {code}): {output}",
    "service.uninstall_timeout": "Tjenesten {service_id} var fortsatt registrert {seconds} s etter at den ble "
    "fjernet (merket for sletting mens en prosess fra den kjører?; siste tilstand: {state}).",
    "service.exe_locked": "{exe} var fortsatt låst {seconds} s etter at tjenesten ble fjernet.",
    "service.sc_failed": "`sc.exe qc {service_id}` feilet (avslutningskode {code}): {output}",
    "service.log_tail": "Siste linjer i {path}:",
    "service.marked_for_deletion": "Tjenesten {service_id} er merket for sletting: et program holder den åpen, "
    "og Windows fjerner den når programmet slipper den. Lukk Tjenester-vinduet (services.msc), Loggboken og "
    "Oppgavebehandling, og stopp overvåkingsagenter som følger med på tjenester; kjør så setup på nytt.",
    "service.config_unreadable": "Tjenestens registrering kan ikke leses fra {path}: {reason}",
    "service.config_failed": "`sc.exe {verb} {service_id}` feilet (avslutningskode {code}): {output}",
}
