"""Jars that carry integrasjonspunkt's own configuration files the way the real ones do (FACTS.md §1b: the keys
that matter to setup, as in config/application*.properties at tags 2.28.6 and v4.0.8), for tests of the
effective configuration. Written as real zip files; nothing else in them."""

from __future__ import annotations

import zipfile
from pathlib import Path

_COMMON = """\
server.ssl.enabled=${difi.ssl.enabled:false}
server.ssl.key-store-type=${difi.ssl.key-store-type:JKS}
server.ssl.key-store=${difi.ssl.key-store}
server.ssl.key-store-password=${difi.ssl.key-store-password}
server.ssl.key-alias=${difi.ssl.key-alias}
spring.security.user.name=${difi.security.user.name:#{null}}
spring.security.user.password=${difi.security.user.password:#{null}}
spring.datasource.url=${difi.datasource.url}
spring.activemq.broker-url=${difi.activemq.broker-url}
server.port=9093
management.endpoints.web.base-path=/manage
difi.move.dpo.systemName=${difi.move.org.number}_integrasjonspunkt
"""

V2 = {
    "application.properties": _COMMON + """\
difi.move.feature.enable-auth=${difi.security.enable:false}
difi.datasource.url=jdbc:h2:file:./integrasjonspunkt
difi.activemq.broker-url=vm://localhost
difi.move.org.keystore.type=jks
spring.profiles.active=production
""",
    "application-production.properties": "spring.config.import=optional:file:integrasjonspunkt-local.properties\n",
    "application-staging.properties": "spring.config.import=optional:file:integrasjonspunkt-local.properties\n",
}

_IMPORT_4 = ("spring.config.import=optional:file:integrasjonspunkt-local.properties,"
             "optional:file:integrasjonspunkt-local.yml,optional:file:integrasjonspunkt-local.yaml\n")
V4 = {
    "application.properties": "difi.ssl.enabled=true\n" + _COMMON + """\
difi.move.feature.enable-auth=${difi.security.enable:true}
difi.move.org.keystore.type=PKCS12
""",
    "application-production.properties": _IMPORT_4,
    "application-staging.properties": _IMPORT_4,
}

JKS_HEAD = b"\xfe\xed\xfe\xed\x00\x00\x00\x02"
PKCS12_HEAD = b"\x30\x82\x0a\x00\x02\x01\x03"


def make_jar(path: Path, files: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        for name, text in files.items():
            archive.writestr(f"BOOT-INF/classes/config/{name}", text)
    return path
