"""Figure 4: the programs started inside the downtime window, seen by strace (every `execve` in setup's process
tree, with its wall-clock time). On Windows each WinSW command is a .NET start; the target is none besides the
service's own stop and start.

The service's own processes (WinSW running as the service, and the Java it starts) are what the service
manager starts on Windows: they are listed apart. `sc.exe query` is how setup reads the service manager's state
off Windows; on Windows it is a QueryServiceStatusEx call (installer/windows/services.py) and starts no program."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.harness.standin_supervisor import SERVICE_MODE

_EXECVE = re.compile(r'^(\d+)\s+(\d+\.\d+) execve\("(?:[^"\\]|\\.)*", \[(.*?)\](?:, 0x[0-9a-f]+(?: /\* \d+ vars \*/)?)?'
                     r'\) = 0$')
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
NATIVE_ON_WINDOWS = ("sc.exe query",)
SERVICE_OWN = "the service's own process (WinSW as the service, its Java)"


def available() -> bool:
    return shutil.which("strace") is not None


def run_traced(command: list[str], log: Path, timeout: float, cwd: Path) -> int:
    """Run `command` under strace, following forks, logging successful program starts; returns its exit code.
    The service it starts lives on, traced too, so strace would not end: it is stopped (and so lets go of the
    service) once the command itself has exited."""
    log.unlink(missing_ok=True)
    strace = subprocess.Popen(["strace", "-f", "-q", "--seccomp-bpf", "-e", "trace=execve", "-e", "signal=none",
                               "-z", "-ttt", "-s", "512", "-o", str(log), *command], cwd=cwd,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            first = re.match(r"^(\d+) ", text)
            if first:
                ended = re.search(rf"^{first[1]}\s+\d+\.\d+ \+\+\+ exited with (\d+) \+\+\+$", text, re.MULTILINE)
                if ended:
                    return int(ended[1])
            if strace.poll() is not None:
                raise ChildProcessError(f"strace ended ({strace.returncode}) before the command did")
            time.sleep(0.2)
        raise TimeoutError(f"{' '.join(command[:4])} did not end within {timeout:g} s")
    finally:
        strace.terminate()
        try:
            strace.wait(2)
        except subprocess.TimeoutExpired:
            strace.kill()  # the kernel lets go of its tracees
            strace.wait()


@dataclass(frozen=True)
class Started:
    at: float
    argv: list[str]

    @property
    def program(self) -> str:
        """What it is, in the table's words: `WinSW stop`, `sc.exe query`, `java -version`, the service's own."""
        argv = self.argv
        names = [Path(a.replace("\\", "/")).name for a in argv[:2]]
        if SERVICE_MODE in argv or ("-jar" in argv and "-version" not in argv):
            return SERVICE_OWN
        for i, name in enumerate(names):
            if name.endswith("-service.exe"):
                return f"WinSW {argv[i + 1] if len(argv) > i + 1 else ''}".strip()
            if name.lower() == "sc.exe":
                return f"sc.exe {argv[i + 1] if len(argv) > i + 1 else ''}".strip()
        return " ".join(names[:1] + [a for a in argv[1:2] if a.startswith("-")])


def parse(text: str) -> list[Started]:
    found = []
    for raw in text.splitlines():
        match = _EXECVE.match(raw)
        if match:
            argv = [bytes(s, "utf-8").decode("unicode_escape") for s in _STRING.findall(match[3])]
            found.append(Started(float(match[2]), argv))
    return found


def inside(started: list[Started], start: float, end: float) -> dict[str, int]:
    """Program -> how many started between two moments."""
    counts: dict[str, int] = {}
    for one in started:
        if start <= one.at <= end:
            counts[one.program] = counts.get(one.program, 0) + 1
    return counts


def beyond_target(counts: dict[str, int], allowed: dict[str, int]) -> int:
    """Programs started beyond the service's own stop and start (`allowed`: their WinSW commands and how many),
    counted as on Windows: the service manager's own processes and native queries are no program setup starts."""
    extra = 0
    for program, n in counts.items():
        if program == SERVICE_OWN or program in NATIVE_ON_WINDOWS:
            continue
        extra += max(0, n - allowed.get(program, 0))
    return extra
