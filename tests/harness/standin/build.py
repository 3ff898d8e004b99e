"""Builds stand-in integrasjonspunkt jars: `build_standin("2.28.1", "healthy") -> .../integrasjonspunkt-2.28.1.jar`.

The Java source is compiled once per process (twice: `--release 8` for 2.x, `--release 17` for 3.x/4.x with the
class files' major version then raised to 65, so that Java 17 refuses them as it refuses the real 4.x jar). Each jar
is then packed with `zipfile`: the classes, a manifest with `Main-Class`, and `standin.properties` naming the
version, behaviour and parameters, so every (version, behaviour, parameters) gives distinct bytes, and the
release line's own configuration files in `BOOT-INF/classes/config/` (`jar_config.py`), where the real jar has them.
The same inputs give the same bytes (fixed zip time stamps).

Run `python -m tests.harness.standin.build 2.28.1 [behaviour] [--out DIR] [name=value ...]` to make one by hand.
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import logging
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Mapping
from pathlib import Path

from tests.harness import jdks
from tests.harness.standin.jar_config import CONFIG_DIR, config_files

log = logging.getLogger(__name__)

SOURCE_DIR = Path(__file__).resolve().parent
MAIN_CLASS = "Integrasjonspunkt"
BEHAVIOURS = frozenset(
    {"healthy", "exit_at_start", "never_healthy", "http_500", "slow_start", "crash_after", "wrong_version",
     "slow_stop"}
)  # fmt: skip
JAVA21_CLASS_MAJOR = 65
_ZIP_TIME = (2025, 1, 1, 0, 0, 0)

_lock = threading.Lock()
_work: Path | None = None
_classes: dict[int, Path] = {}  # javac --release -> folder of class files


def _work_dir() -> Path:
    global _work
    if _work is None:
        _work = Path(tempfile.mkdtemp(prefix="ipsetup-standin-"))
        atexit.register(shutil.rmtree, _work, True)
    return _work


def _major_of(tag: str) -> int:
    text = tag.removeprefix("v").split(".", 1)[0]
    if not text.isdigit():
        raise ValueError(f"not a version tag: {tag!r}")
    return int(text)


def _raise_class_version(folder: Path, major: int) -> None:
    """Rewrite the class-file major version (bytes 6-7 after the CAFEBABE magic)."""
    for class_file in folder.rglob("*.class"):
        data = bytearray(class_file.read_bytes())
        if data[:4] != b"\xca\xfe\xba\xbe":
            raise RuntimeError(f"not a class file: {class_file}")
        data[6:8] = major.to_bytes(2, "big")
        class_file.write_bytes(bytes(data))


def compiled_classes(release: int) -> Path:
    """The folder of stand-in classes for a javac `--release` (8 or 17), compiled on first use."""
    with _lock:
        if release in _classes:
            return _classes[release]
        out = _work_dir() / f"classes-{release}"
        out.mkdir(parents=True, exist_ok=True)
        sources = sorted(str(p) for p in SOURCE_DIR.glob("*.java"))
        cmd = [str(jdks.javac()), "--release", str(release), "-nowarn", "-encoding", "UTF-8", "-d", str(out), *sources]
        log.info("compiling the stand-in: %s", cmd)
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"javac failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        if release >= 17:
            _raise_class_version(out, JAVA21_CLASS_MAJOR)
        _classes[release] = out
        return out


def _properties(tag: str, behaviour: str, params: dict[str, object]) -> bytes:
    major = _major_of(tag)
    lines = [
        f"version={tag}",
        f"behaviour={behaviour}",
        f"wsdl={'true' if major < 3 else 'false'}",
        f"profile_required={'true' if major >= 3 else 'false'}",
    ]
    lines += [f"param.{name}={params[name]}" for name in sorted(params)]
    return ("\n".join(lines) + "\n").encode()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _pack(target: Path, classes: Path, properties: bytes, config: Mapping[str, str]) -> None:
    manifest = f"Manifest-Version: 1.0\r\nMain-Class: {MAIN_CLASS}\r\nCreated-By: ipsetup test harness\r\n\r\n"
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w") as jar:
        jar.writestr(_entry("META-INF/MANIFEST.MF"), manifest)
        for class_file in sorted(classes.rglob("*.class")):
            jar.writestr(_entry(class_file.relative_to(classes).as_posix()), class_file.read_bytes())
        jar.writestr(_entry("standin.properties"), properties)
        for name in sorted(config):
            jar.writestr(_entry(CONFIG_DIR + name), config[name].encode("iso-8859-1"))
    partial.replace(target)


def build_standin(
    version_tag: str,
    behaviour: str = "healthy",
    *,
    out_dir: Path | None = None,
    config: Mapping[str, Mapping[str, str | None]] | None = None,
    **params: object,
) -> Path:
    """A stand-in jar named as published (`integrasjonspunkt-<tag>.jar`).

    Parameters by behaviour: slow_start/slow_stop `delay` (seconds, default 5), crash_after `after` (seconds after
    becoming healthy, default 3), wrong_version `report_version` (default 0.0.1). `config` changes the jar's own
    configuration files: `{"application.properties": {"difi.ssl.enabled": "false"}}` (`None` removes a key).
    Without `out_dir` the jar is cached in a per-process folder (one sub-folder per variant): treat it as read-only.
    """
    if not set(behaviour.split("+")) <= BEHAVIOURS:
        raise ValueError(f"unknown stand-in behaviour {behaviour!r}; known: {sorted(BEHAVIOURS)}")
    release = 8 if _major_of(version_tag) < 3 else 17
    properties = _properties(version_tag, behaviour, params)
    files = config_files(version_tag, config)
    name = f"integrasjonspunkt-{version_tag}.jar"
    if out_dir is None:
        variant = hashlib.sha256(properties + repr(sorted(files.items())).encode()).hexdigest()[:16]
        out_dir = _work_dir() / "jars" / variant
        if (out_dir / name).is_file():
            return out_dir / name
    classes = compiled_classes(release)
    out_dir.mkdir(parents=True, exist_ok=True)
    _pack(out_dir / name, classes, properties, files)
    return out_dir / name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build one stand-in integrasjonspunkt jar.")
    parser.add_argument("tag", help="release tag as published, e.g. 2.28.1 or v4.0.8")
    parser.add_argument("behaviour", nargs="?", default="healthy", choices=sorted(BEHAVIOURS))
    parser.add_argument("params", nargs="*", help="name=value, e.g. delay=3")
    parser.add_argument("--out", type=Path, default=Path.cwd(), help="folder for the jar (default: here)")
    args = parser.parse_args(argv)
    params = dict(p.split("=", 1) for p in args.params)
    print(build_standin(args.tag, args.behaviour, out_dir=args.out, **params))


if __name__ == "__main__":
    main()
