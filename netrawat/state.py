"""The state directory: everything a run keeps between runs.

Layout (created on first use, owner-only permissions)::

    <state>/
      configs/          git repository of sanitized backups, <opd>/<hostname>.<ext>
      private/          optional unsanitized copies (mode 0700, never in git)
      quarantine/       outputs that failed verification, per run
      recap.sqlite      the recap database (default; a PostgreSQL URL may replace it)
      known_hosts       pinned SSH host keys (OpenSSH format)
      health/           last health results per host (for counter growth)
      logs/             one log file per run
      locks/            run locks
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from netrawat.errors import CannotRunError
from netrawat.paths import default_state_dir


@dataclass(frozen=True)
class StateDir:
    """Paths inside one state directory."""

    root: Path

    @classmethod
    def resolve(cls, path: Path | None) -> StateDir:
        """The state directory named on the command line, or the default; created if missing."""
        state = cls((path or default_state_dir()).expanduser().resolve())
        state.ensure()
        return state

    def ensure(self) -> None:
        """Create the directory tree, or fail with a hint if it cannot be written."""
        try:
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            for sub in (self.logs, self.locks, self.quarantine, self.health):
                sub.mkdir(exist_ok=True, mode=0o700)
        except OSError as exc:
            raise CannotRunError(
                f"state directory {self.root} is unusable: {exc.strerror}",
                "pass --state DIR (or set NETRAWAT_STATE) to a writable directory",
            ) from exc

    @property
    def configs(self) -> Path:
        return self.root / "configs"

    @property
    def private(self) -> Path:
        return self.root / "private"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    @property
    def recap_db(self) -> Path:
        return self.root / "recap.sqlite"

    @property
    def known_hosts(self) -> Path:
        return self.root / "known_hosts"

    @property
    def health(self) -> Path:
        return self.root / "health"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def locks(self) -> Path:
        return self.root / "locks"
