"""Download a real integrasjonspunkt 2.28.x jar from Maven Central and verify it as setup does: its SHA-1
against the published `.sha1`, its detached `.asc` against Digdir's pinned code-signing key
(installer.verify).

    python build/verify_real_jar.py                    # the newest 2.28.x on Maven Central
    python build/verify_real_jar.py --version 2.28.6
    python build/verify_real_jar.py --maven-repo URL --trusted-key FILE   # a mirror, one more trusted key

Exit 0 with the signer's fingerprint printed when the jar is genuine; 11 (setup's code for a download or
verification failure) otherwise.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import defusedxml.ElementTree as ElementTree  # noqa: E402
import requests  # noqa: E402
from packaging.version import InvalidVersion, Version  # noqa: E402

from installer import transfer, verify  # noqa: E402
from installer.errors import ExitCode, SetupError  # noqa: E402
from installer.ui import UI  # noqa: E402

MAVEN_CENTRAL = "https://repo1.maven.org/maven2"
ARTIFACT_PATH = "no/difi/meldingsutveksling/integrasjonspunkt"
LINE = "2.28"


def newest_of_line(metadata: bytes, line: str = LINE) -> str:
    """The newest final version `line.N` listed in a maven-metadata.xml."""
    versions = []
    for element in ElementTree.fromstring(metadata).iter("version"):
        try:
            version = Version((element.text or "").strip())
        except InvalidVersion:
            continue
        if f"{version.major}.{version.minor}" == line and not version.is_prerelease:
            versions.append(version)
    if not versions:
        raise SetupError(ExitCode.ARTIFACT, f"maven-metadata.xml lists no {line}.x version")
    return str(max(versions))


def _get(session: requests.Session, url: str) -> bytes:
    document = transfer.get_document(session, url)
    if document is None:  # only a call with missing_ok answers None
        raise SetupError(ExitCode.ARTIFACT, f"{url}: not found")
    return document.data


def verify_jar(
    repo: str, version: str | None, trusted_key: Path | None, folder: Path
) -> verify.GoodSignature:
    session = transfer.make_session()
    base = f"{repo.rstrip('/')}/{ARTIFACT_PATH}"
    if version is None:
        version = newest_of_line(_get(session, f"{base}/maven-metadata.xml"))
    name = f"integrasjonspunkt-{version}.jar"
    url = f"{base}/{version}/{name}"
    print(f"Jar: {url}", flush=True)
    fetched = transfer.fetch(session, url, folder / name, UI(quiet=True), label=name, algorithms=("sha1",))
    print(f"  {fetched.size:,} bytes, SHA-1 {fetched.digests['sha1']}")
    published = verify.parse_checksum(_get(session, f"{url}.sha1"), "sha1", f"{name}.sha1")
    verify.check_digest("sha1", published, fetched.digests["sha1"], name)
    print("  SHA-1 matches the published .sha1")
    asc = _get(session, f"{url}.asc")
    return verify.verify_signature(fetched.part, asc, verify.trusted_keys(trusted_key), name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python build/verify_real_jar.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--version", help=f"the version to check (default: the newest {LINE}.x)")
    parser.add_argument(
        "--maven-repo", default=MAVEN_CENTRAL, help=f"repository root (default {MAVEN_CENTRAL})"
    )
    parser.add_argument("--trusted-key", type=Path, help="one more armored OpenPGP key to accept")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="  %(message)s")
    with tempfile.TemporaryDirectory(prefix="ipsetup-realjar-") as folder:
        try:
            good = verify_jar(args.maven_repo, args.version, args.trusted_key, Path(folder))
        except SetupError as exc:
            print(f"NOT verified: {exc.message}", file=sys.stderr)
            return int(exc.code)
    made = f"{good.made:%Y-%m-%d}" if good.made else "an unknown date"
    expires = f"{good.key_expires:%Y-%m-%d}" if good.key_expires else "never"
    print(f"  good signature by {good.key}, made {made}; the key expires {expires}")
    if good.key == verify.PINNED_FINGERPRINT:
        print("  (Digdir's code-signing key, pinned in installer/verify.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
