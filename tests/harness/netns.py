"""Windows' closed loopback ports, on Linux: a network namespace whose loopback drops TCP resets.

On Windows a connect to a loopback port nobody listens on is refused only after about 2 s (FACTS.md W1); Linux
refuses it at once with a reset. In a fresh network namespace (`unshare --net`) with loopback up and the nftables
rule `oifname lo tcp flags & rst == rst drop`, no reset arrives and the connect runs into its timeout, as on
Windows. `python -m tests.harness.netns COMMAND...` sets the namespace up, checks that a closed port times out
there, and runs COMMAND in it (a pytest run of the tests marked `windows_tcp`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

RULESET = """table inet windows_tcp {
    chain output {
        type filter hook output priority 0; policy accept;
        oifname "lo" tcp flags & rst == rst drop
    }
}
"""
MARKER = "windows_tcp"


def unavailable() -> str | None:
    """Why the namespace cannot be made here (a reason to skip with), or None."""
    for tool in ("unshare", "ip", "nft"):
        if shutil.which(tool) is None:
            return f"no `{tool}` on this machine (.ci/run installs util-linux, iproute2 and nftables)"
    try:
        done = subprocess.run(["unshare", "--net", sys.executable, "-m", "tests.harness.netns", "--check"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"network namespaces cannot be tried here: {exc}"
    if done.returncode != 0:
        return f"no network namespace with loopback resets dropped here: {(done.stderr or done.stdout).strip()}"
    return None


def command(argv: list[str]) -> list[str]:
    """The command line that runs `argv` inside a fresh namespace set up by this module."""
    return ["unshare", "--net", sys.executable, "-m", "tests.harness.netns", *argv]


def _set_up() -> None:
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["nft", "-f", "-"], input=RULESET, text=True, check=True)


def closed_port_times_out(timeout: float = 0.5) -> bool:
    """Whether a connect to a port nobody listens on runs into its timeout rather than being refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: closed
        with socket.socket() as client:
            client.settimeout(timeout)
            try:
                client.connect(("127.0.0.1", port))
            except TimeoutError:
                return True
            except OSError:
                return False
    return False


def main(argv: list[str]) -> int:
    try:
        _set_up()
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"cannot set up the namespace: {exc}", file=sys.stderr)
        return 2
    if not closed_port_times_out():
        print("a closed loopback port is still refused at once", file=sys.stderr)
        return 2
    if argv == ["--check"]:
        return 0
    os.execvp(argv[0], argv)
    return 2  # not reached


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
