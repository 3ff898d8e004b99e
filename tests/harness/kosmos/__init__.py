"""A KOSMOS stand-in jar (`Kosmos.java`): what a take-over of Digdir's upgrader meets. `build_kosmos(out_dir)`."""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path

from tests.harness import jdks

SOURCE = Path(__file__).resolve().parent / "Kosmos.java"


def build_kosmos(out_dir: Path, version: str = "1.3.0") -> Path:
    """`kosmos-<version>.jar` in `out_dir`, compiled for Java 8 so that any JDK the tests use runs it."""
    with tempfile.TemporaryDirectory(prefix="ipsetup-kosmos-") as work:
        classes = Path(work)
        done = subprocess.run([str(jdks.javac()), "--release", "8", "-nowarn", "-d", str(classes), str(SOURCE)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"javac failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        jar = out_dir / f"kosmos-{version}.jar"
        with zipfile.ZipFile(jar, "w") as archive:
            archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nMain-Class: Kosmos\r\n\r\n")
            for class_file in classes.glob("*.class"):
                archive.writestr(class_file.name, class_file.read_bytes())
    return jar
