"""A playground: `python -m tests.harness.sandbox` serves stand-in releases and prints setup command lines to try.

It starts the artifact server on 127.0.0.1, publishes stand-ins (2.27.0, 2.28.0 and 2.28.1 healthy, 2.28.2 never
healthy, v4.0.8 healthy) signed with a throwaway key, the WinSW stand-in as WinSW 2.12.0 `WinSW-x64.exe` with a
catalog that pins it, a properties file and a keystore, and prints the `python -m installer` lines that install
2.28.0, upgrade to 2.28.1, upgrade to 2.28.2 (fails and rolls back) and show the status. It serves until Ctrl+C.

End-to-end tests reuse the pieces: `publish_versions`, `publish_winsw_standin`, `write_properties`,
`sandbox_args`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shlex
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from tests.harness import jdks
from tests.harness.artifact_server import ArtifactServer
from tests.harness.keystores import make_keystore
from tests.harness.ports import free_port
from tests.harness.signing import SigningKey
from tests.harness.standin.build import build_standin

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
ORG_NUMBER = "910076787"  # 9 digits, mod-11 check digit right
KEYSTORE_PASSWORD = "changeit"
WINSW_VERSION = "2.12.0"
WINSW_ASSET = "WinSW-x64.exe"
# (tag, behaviour) of the sandbox's releases.
DEFAULT_VERSIONS: tuple[tuple[str, str], ...] = (
    ("2.27.0", "healthy"),
    ("2.28.0", "healthy"),
    ("2.28.1", "healthy"),
    ("2.28.2", "never_healthy"),
    ("v4.0.8", "healthy"),
)


def publish_versions(
    server: ArtifactServer,
    key: SigningKey,
    jar_dir: Path,
    versions: tuple[tuple[str, str], ...] = DEFAULT_VERSIONS,
) -> dict[str, Path]:
    """Build, sign and publish stand-in jars; latest-versions.yml names the newest 'v' tag. Returns tag → jar."""
    jars: dict[str, Path] = {}
    for tag, behaviour in versions:
        jar = build_standin(tag, behaviour, out_dir=jar_dir / f"{tag}-{behaviour}")
        server.publish_jar(tag, jar, asc=key.sign(jar))
        jars[tag] = jar
    newest = [tag for tag, _ in versions if tag.startswith("v")]
    if newest:
        latest = {"latest": newest[-1], "earlybird": newest[-1]}
        server.set_latest_versions({env: dict(latest) for env in ("dev", "itest", "staging", "production")})
    return jars


def winsw_standin_bytes() -> bytes | None:
    """The WinSW stand-in executable's bytes, or None while `tests.harness.winsw_standin` does not exist."""
    try:
        from tests.harness import winsw_standin
    except ImportError:
        return None
    return winsw_standin.standin_bytes()


def publish_winsw_standin(server: ArtifactServer, directory: Path) -> Path | None:
    """Publish the WinSW stand-in as WinSW 2.12.0 WinSW-x64.exe; returns a catalog file pinning it (or None)."""
    data = winsw_standin_bytes()
    if data is None:
        return None
    server.publish_winsw(WINSW_VERSION, WINSW_ASSET, data)
    catalog = directory / "winsw-catalog.json"
    build = {
        "version": WINSW_VERSION,
        "asset": WINSW_ASSET,
        "sha256": hashlib.sha256(data).hexdigest(),
        "needs": "none",
        "arch": "any",
    }
    catalog.write_text(json.dumps({"builds": [build]}, indent=2) + "\n", encoding="utf-8")
    return catalog


def write_properties(directory: Path, port: int) -> Path:
    """An `integrasjonspunkt-local.properties` and its PKCS12 keystore (2.x-style: org number and keystore only).

    The clock check is off, as on a server without a reachable time host: the stand-in asks no clock, so the
    product's post-start window for it (health.NTP_WINDOW, tested in tests/unit/test_health_config.py) would only add
    seconds to every health check of the end-to-end tests."""
    directory.mkdir(parents=True, exist_ok=True)
    keystore = make_keystore(directory / "keystore.p12", alias="sandbox", password=KEYSTORE_PASSWORD,
                             subject=f"CN=sandbox, O={ORG_NUMBER}")
    properties = directory / "integrasjonspunkt-local.properties"
    properties.write_text(
        f"difi.move.org.number={ORG_NUMBER}\n"
        "difi.move.org.keystore.alias=sandbox\n"
        f"difi.move.org.keystore.password={KEYSTORE_PASSWORD}\n"
        f"difi.move.org.keystore.path={keystore.as_posix()}\n"
        "difi.move.org.keystore.type=PKCS12\n"
        "difi.move.ntp.disable=true\n"
        f"server.port={port}\n",
        encoding="utf-8",
    )
    return properties


def sandbox_args(
    server: ArtifactServer, *, folder: Path, trusted_key: Path, winsw_catalog: Path | None = None
) -> list[str]:
    """The per-run options that point setup at the sandbox: sources, WinSW catalog, trusted key, folder."""
    args = [
        "/maven-repo", server.maven_repo,
        "/github-releases", server.github_releases,
        "/github-api", server.github_api,
        "/versions-url", server.versions_url,
        "/winsw-releases", server.winsw_releases,
        "/key-url", server.key_url,
    ]  # fmt: skip
    if winsw_catalog is not None:
        args += ["/winsw-catalog", str(winsw_catalog)]
    return [*args, "/trusted-key", str(trusted_key), "/dir", str(folder)]


@dataclass
class Sandbox:
    root: Path
    server: ArtifactServer
    key: SigningKey
    folder: Path
    properties: Path
    catalog: Path | None
    registry: Path
    java: Path | None

    @property
    def environment(self) -> dict[str, str]:
        """Variables the command lines need: the WinSW stand-in's registry, UTF-8 for the JVM."""
        return {"WINSW_STANDIN_REGISTRY": str(self.registry), "LANG": "C.UTF-8"}

    def args(self) -> list[str]:
        return sandbox_args(self.server, folder=self.folder, trusted_key=self.key.public_key_path,
                            winsw_catalog=self.catalog)  # fmt: skip

    def command_lines(self) -> list[tuple[str, list[str]]]:
        """(what it shows, argv) for each step to try, in order."""
        setup = [sys.executable, "-m", "installer"]
        quick = ["/quiet", "/health-timeout", "30", "/health-stable", "2"]
        java = ["/java", str(self.java)] if self.java else []
        return [
            ("install 2.28.0", [*setup, "/install", "2.28.0", *quick, *java, "/properties", str(self.properties),
                                *self.args()]),
            ("upgrade to 2.28.1", [*setup, "/upgrade", "2.28.1", *quick, *self.args()]),
            ("upgrade to 2.28.2: never healthy, rolls back to 2.28.1 (exit 13)",
             [*setup, "/upgrade", "2.28.2", *quick, *self.args()]),
            ("status", [*setup, "/status", *self.args()]),
            ("uninstall (when done)", [*setup, "/uninstall", "/quiet", *self.args()]),
        ]  # fmt: skip


def create(root: Path, server: ArtifactServer) -> Sandbox:
    """Fill a started server and a root folder with everything the sandbox's command lines use."""
    key = SigningKey.create(root)
    publish_versions(server, key, root / "jars")
    catalog = publish_winsw_standin(server, root)
    properties = write_properties(root / "admin", free_port())
    registry = root / "winsw-registry"
    registry.mkdir(exist_ok=True)
    return Sandbox(root, server, key, root / "integrasjonspunkt", properties, catalog, registry, jdks.java17())


def _print(sandbox: Sandbox) -> None:
    print(f"Artifact server: {sandbox.server.url}")
    print(f"  Maven {sandbox.server.maven_repo}\n  GitHub {sandbox.server.github_releases}")
    print(f"Trusted test key: {sandbox.key.public_key_path} ({sandbox.key.fingerprint})")
    if sandbox.catalog is None:
        print("WinSW stand-in: tests/harness/winsw_standin.py is not there yet, so no WinSW asset is served;")
        print("  the install lines below need it.")
    else:
        print(f"WinSW stand-in: {WINSW_VERSION}/{WINSW_ASSET}, catalog {sandbox.catalog}")
    if sandbox.java is None:
        print("No Java 17 found: add /java PATH to the install line.")
    print(f"Install folder: {sandbox.folder}\n")
    print("In another shell:")
    print(f"  cd {shlex.quote(str(REPO_ROOT))}")
    for name, value in sandbox.environment.items():
        print(f"  export {name}={shlex.quote(value)}")
    for title, argv in sandbox.command_lines():
        print(f"\n# {title}\n{shlex.join(argv)}")
    print("\nServing until Ctrl+C.", flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.harness.sandbox", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="folder for the sandbox (default: a new temporary folder)")
    parser.add_argument(
        "--clean", action="store_true", help="delete the root folder after Ctrl+C (uninstall what you installed first)"
    )
    parser.add_argument("--no-wait", action="store_true", help="print the command lines and stop at once")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    root = args.root or Path(tempfile.mkdtemp(prefix="ipsetup-sandbox-"))
    root.mkdir(parents=True, exist_ok=True)
    # `kill PID` ends it as cleanly as Ctrl+C does.
    signal.signal(signal.SIGTERM, _interrupt)
    with ArtifactServer() as server:
        sandbox = create(root, server)
        _print(sandbox)
        try:
            if not args.no_wait:
                threading.Event().wait()
        except KeyboardInterrupt:
            print("\nStopped.")
        finally:
            sandbox.key.close()
    if args.clean:
        print(f"Removing {root}")
        shutil.rmtree(root, ignore_errors=True)
    else:
        # Services installed from it may still run from its folder: it stays until removed by hand.
        print(f"The sandbox stays in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
