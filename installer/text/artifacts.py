"""Messages of the artifacts area (see installer/messages.py)."""

EN: dict[str, str] = {}

NB: dict[str, str] = {}
