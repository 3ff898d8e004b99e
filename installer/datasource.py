"""Where integrasjonspunkt keeps its H2 database: wherever the datasource URL points (FACTS.md §1), relative to the
service's working directory. `jdbc:h2:file:./integrasjonspunkt` is `integrasjonspunkt.mv.db` in the folder."""

from __future__ import annotations

import re
from pathlib import Path

from installer.effective_config import EffectiveConfig

URL_KEY = "spring.datasource.url"
_REMOTE = ("mem:", "tcp:", "ssl:", "zip:")


def h2_file(url: str, folder: Path) -> Path | None:
    """The `.mv.db` file of an embedded H2 URL; None for another database, an in-memory or a server URL."""
    text = url.strip()
    if not text.lower().startswith("jdbc:h2:"):
        return None
    text = text[len("jdbc:h2:"):].split(";", 1)[0]
    if text.lower().startswith(_REMOTE):
        return None
    if text.lower().startswith("file:"):
        text = text[len("file:"):]
    if text.startswith("~") or not text:
        return None  # the service account's home: not a place setup can see
    path = Path(text)
    if not (path.is_absolute() or re.match(r"^[A-Za-z]:[\\/]", text)):
        path = folder / path
    return path.with_name(path.name + ".mv.db")


def database_files(config: EffectiveConfig, folder: Path) -> list[Path]:
    """The H2 file this configuration writes, as a list (empty when it uses no embedded H2 file)."""
    url = config.get_or(URL_KEY, "")
    found = h2_file(url, folder) if url else None
    return [found] if found is not None else []
