"""`python -m benchmarks.fetch_once URL DEST [ALGORITHMS]`: one download with the installer's own code
(`transfer.fetch`), in a process of its own as setup would run it. ALGORITHMS: `sha1` (the default: setup
checks `.md5` only where no `.sha1` is published), `sha1,md5`, or `none` for the transfer alone. Prints
`{"seconds": ..., "size": ...}`: the time of the transfer alone, without Python's start-up."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from installer import transfer
from installer.ui import UI


def main(argv: list[str]) -> int:
    url, dest = argv[1], Path(argv[2])
    wanted = argv[3] if len(argv) > 3 else "sha1"
    algorithms = () if wanted == "none" else tuple(wanted.split(","))
    session = transfer.make_session()
    began = time.perf_counter()
    fetched = transfer.fetch(session, url, dest, UI(quiet=True), label=dest.name, algorithms=algorithms)
    seconds = time.perf_counter() - began
    transfer.promote(fetched, dest)
    print(json.dumps({"seconds": seconds, "size": fetched.size}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
