"""Messages of the prereqs area (see installer/messages.py)."""

EN: dict[str, str] = {}

NB: dict[str, str] = {}
