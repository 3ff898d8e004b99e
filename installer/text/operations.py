"""Messages of the operations area (see installer/messages.py)."""

EN: dict[str, str] = {}

NB: dict[str, str] = {}
