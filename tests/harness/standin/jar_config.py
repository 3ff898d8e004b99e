"""The configuration files a stand-in jar carries in `BOOT-INF/classes/config/`, per release line.

The keys and values are those of integrasjonspunkt's own `src/main/resources/config/application.properties` and
`application-<profile>.properties` (felleslosninger/efm-integrasjonspunkt at tags 2.28.6, v3.0.0, v3.0.1 and v4.0.8;
FACTS.md section 1b), limited to what decides whether and how the application starts: TLS, basic auth, datasource,
broker, the organisation keystore, port, actuator base path, profile, and the import of the local file. Setup reads
these files from the jar it will start, so a test can change them per jar (`overrides`) to stand for a version whose
defaults nobody has seen yet.
"""

from __future__ import annotations

from collections.abc import Mapping

CONFIG_DIR = "BOOT-INF/classes/config/"
PROFILES = ("production", "staging", "dev")

# Lines present in every release line's application.properties (2.28.6, v3.0.x, v4.0.8 alike).
_COMMON = """\
server.ssl.enabled=${difi.ssl.enabled:false}
server.ssl.key-store-type=${difi.ssl.key-store-type:JKS}
server.ssl.key-store=${difi.ssl.key-store}
server.ssl.key-store-password=${difi.ssl.key-store-password}
server.ssl.key-alias=${difi.ssl.key-alias}
spring.security.user.name=${difi.security.user.name:#{null}}
spring.security.user.password=${difi.security.user.password:#{null}}
spring.datasource.url=${difi.datasource.url}
spring.datasource.username=${difi.datasource.username:sa}
spring.datasource.password=${difi.datasource.password:}
spring.activemq.broker-url=${difi.activemq.broker-url}
difi.move.org.keystore.lockProvider=false
server.port=9093
management.endpoints.web.base-path=/manage
difi.move.ntp.disable=false
difi.move.ntp.host=time.google.com
"""

_LINE_2 = """\
#difi.ssl.enabled=false
difi.move.feature.enable-auth=${difi.security.enable:false}
difi.datasource.url=jdbc:h2:file:./integrasjonspunkt
difi.activemq.broker-url=vm://localhost
difi.move.org.keystore.type=jks
spring.profiles.active=production
"""

_LINE_3_0_0 = """\
difi.ssl.enabled=true
difi.move.feature.enable-auth=${difi.security.enable:true}
difi.move.org.keystore.type=PKCS12
"""

# v3.0.1 and v3.0.2 brought the broker default back; v4.0.8 has none again.
_LINE_3 = _LINE_3_0_0 + "difi.activemq.broker-url=vm://localhost\n"
_LINE_4 = _LINE_3_0_0

_IMPORT_PROPERTIES = "spring.config.import=optional:file:integrasjonspunkt-local.properties\n"
_IMPORT_ALL = ("spring.config.import=optional:file:integrasjonspunkt-local.properties,"
               "optional:file:integrasjonspunkt-local.yml,optional:file:integrasjonspunkt-local.yaml\n")


def _major(tag: str) -> int:
    return int(tag.removeprefix("v").split(".", 1)[0])


def _apply(text: str, changes: Mapping[str, str | None]) -> str:
    """Replace, add (at the end) or remove (`None`) keys of a properties text, keeping the other lines."""
    lines = text.splitlines()
    for key, value in changes.items():
        at = [i for i, line in enumerate(lines) if line.split("=", 1)[0].strip() == key]
        for i in reversed(at):
            del lines[i]
        if value is not None:
            lines.insert(at[0] if at else len(lines), f"{key}={value}")
    return "\n".join(lines) + "\n"


def config_files(tag: str, overrides: Mapping[str, Mapping[str, str | None]] | None = None) -> dict[str, str]:
    """File name (`application.properties`, `application-<profile>.properties`) → text, for a release tag.

    `overrides` maps a file name to key changes (`None` removes the key); a file not there yet is created."""
    major = _major(tag)
    if major < 3:
        line, imports = _LINE_2, _IMPORT_PROPERTIES
    elif tag == "v3.0.0":
        line, imports = _LINE_3_0_0, _IMPORT_ALL
    else:
        line, imports = (_LINE_3 if major == 3 else _LINE_4), _IMPORT_ALL
    files = {"application.properties": f"### integrasjonspunkt {tag} (stand-in) ###\n{line}{_COMMON}"}
    for profile in PROFILES:
        files[f"application-{profile}.properties"] = f"### profile {profile} ###\n{imports}"
    for name, changes in (overrides or {}).items():
        files[name] = _apply(files.get(name, ""), changes)
    return files
