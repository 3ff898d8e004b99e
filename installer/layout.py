"""The install folder: where each file lives (CLI.md, "Files in the install folder") and what counts as data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

PROPERTIES = "integrasjonspunkt-local.properties"
# The admin's data: never deleted, only backed up and restored (FACTS.md section 1). The keystore is
# added by name from the properties file (its path is the admin's choice).
DATA_FILES = (PROPERTIES, "integrasjonspunkt.mv.db", "receipts.mv.db")
DATA_DIRS = ("activemq-data", "messages")
JAR_PREFIX = "integrasjonspunkt-"


def jar_name(tag: str) -> str:
    """The jar's file name as published: 2.x `integrasjonspunkt-2.28.6.jar`, 4.x keeps its `v`."""
    return f"{JAR_PREFIX}{tag}.jar"


@dataclass(frozen=True)
class Layout:
    root: Path
    service_id: str = "integrasjonspunkt"
    # An adopted installation keeps its own exe/XML base name.
    service_base: str | None = None

    @property
    def base(self) -> str:
        return self.service_base or f"{self.service_id}-service"

    @property
    def exe(self) -> Path:
        return self.root / f"{self.base}.exe"

    @property
    def xml(self) -> Path:
        return self.root / f"{self.base}.xml"

    @property
    def properties(self) -> Path:
        return self.root / PROPERTIES

    def jar(self, tag: str) -> Path:
        return self.root / jar_name(tag)

    @property
    def service_logs(self) -> Path:
        return self.root / "integrasjonspunkt-logs"

    @property
    def setup_logs(self) -> Path:
        return self.root / "installer-logs"

    @property
    def setup_log(self) -> Path:
        return self.setup_logs / "setup.log"

    @property
    def private(self) -> Path:
        return self.root / ".setup"

    @property
    def state_file(self) -> Path:
        return self.private / "state.json"

    @property
    def journal_file(self) -> Path:
        return self.private / "journal.json"

    @property
    def lock_file(self) -> Path:
        return self.private / "lock"

    @property
    def cache(self) -> Path:
        return self.private / "cache"

    @property
    def folder_digest(self) -> str:
        """Names Windows keeps per install folder (tasks, RunOnce entries): two folders never share one."""
        return hashlib.sha256(str(self.root).lower().encode("utf-8")).hexdigest()[:12]

    @property
    def setup_copy(self) -> Path:
        return self.private / "setup.exe"

    @property
    def last_run(self) -> Path:
        return self.private / "last-run.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def data_paths(self) -> list[Path]:
        return [self.root / n for n in DATA_FILES] + [self.root / n for n in DATA_DIRS]
