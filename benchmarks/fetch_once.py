"""`python -m benchmarks.fetch_once URL DEST [ALGORITHMS]`: one download with the installer's own code
(`download.fetch`, by default with the SHA-1 and MD5 a Maven jar is checked against; ALGORITHMS like `sha1`
or `sha1,md5`), in a process of its own as setup would run it. Prints `{"seconds": ..., "size": ...}`: the time
of the transfer alone, without Python's start-up."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from installer import download
from installer.ui import UI


def main(argv: list[str]) -> int:
    url, dest = argv[1], Path(argv[2])
    algorithms = tuple(argv[3].split(",")) if len(argv) > 3 else ("sha1", "md5")
    session = download.make_session()
    began = time.perf_counter()
    fetched = download.fetch(session, url, dest, UI(quiet=True), label=dest.name, algorithms=algorithms)
    seconds = time.perf_counter() - began
    download.promote(fetched, dest)
    print(json.dumps({"seconds": seconds, "size": fetched.size}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
