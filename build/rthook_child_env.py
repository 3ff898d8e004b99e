"""PyInstaller runtime hook: give the programs setup starts the machine's library path, not the bundle's.

On Linux the one-file bootloader puts its unpack folder first in LD_LIBRARY_PATH (and keeps the admin's
value in LD_LIBRARY_PATH_ORIG). This process has read it already; a child (java, WinSW, sc.exe, the service
itself) must not, or it loads the bundle's copies of libz, libssl or libpython in place of its own.
"""

import os
import sys

_original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
if _original is not None:
    os.environ["LD_LIBRARY_PATH"] = _original
elif "LD_LIBRARY_PATH" in os.environ:
    _kept = [
        p for p in os.environ["LD_LIBRARY_PATH"].split(os.pathsep) if p and p != getattr(sys, "_MEIPASS", "")
    ]
    if _kept:
        os.environ["LD_LIBRARY_PATH"] = os.pathsep.join(_kept)
    else:
        del os.environ["LD_LIBRARY_PATH"]
