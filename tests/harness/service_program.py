"""A small program the WinSW stand-in's tests run as a service (a Python process starts faster than a JVM).

Each start appends one JSON line to `--record` (pid, argv, working directory, a few environment variables);
it writes a line to stdout and one to stderr, optionally listens on `--port`, exits by itself after
`--exit-after` seconds with `--code`, and answers SIGTERM after `--term-delay` seconds (or never, with
`--ignore-term`). Unknown arguments are recorded and otherwise ignored.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import time

ENV_SHOWN = ("BASE", "SERVICE_ID", "GREETING", "WINSW_SERVICE_ID")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--record", default="runs.jsonl")
    parser.add_argument("--port", type=int)
    parser.add_argument("--exit-after", type=float)
    parser.add_argument("--code", type=int, default=1)
    parser.add_argument("--term-delay", type=float, default=0.0)
    parser.add_argument("--ignore-term", action="store_true")
    options, _ = parser.parse_known_args()
    with open(options.record, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"pid": os.getpid(), "argv": sys.argv[1:], "cwd": os.getcwd(),
                                 "env": {k: os.environ.get(k) for k in ENV_SHOWN}}) + "\n")
    print(f"service program {os.getpid()} started", flush=True)
    print("a line on stderr", file=sys.stderr, flush=True)
    listener = None
    if options.port:
        listener = socket.socket()
        listener.bind(("127.0.0.1", options.port))
        listener.listen(16)
    asked: list[float] = []
    if options.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *_: asked.append(time.monotonic()))
    started = time.monotonic()
    while True:
        now = time.monotonic()
        if asked and now - asked[0] >= options.term_delay:
            print("stopped on SIGTERM", flush=True)
            return 0
        if options.exit_after is not None and now - started >= options.exit_after:
            return options.code
        time.sleep(0.02)


if __name__ == "__main__":
    sys.exit(main())
