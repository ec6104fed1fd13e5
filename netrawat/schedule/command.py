"""The command line a scheduled job runs: this Python, ``-m netrawat``, absolute paths baked in."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from netrawat.errors import InputError
from netrawat.schedule.jobs import Job


@dataclass(frozen=True)
class RunPaths:
    """Where a scheduled run finds its inventory, state and secrets (absolute)."""

    inventory: Path
    state: Path | None = None
    secrets: Path | None = None
    python: Path = Path(sys.executable)

    @classmethod
    def checked(cls, inventory: Path, state: Path | None, secrets: Path | None) -> RunPaths:
        """Absolute paths; the inventory and a given secrets file must exist, names must be
        safe to write into a unit file or a crontab line."""
        inv = inventory.expanduser().resolve()
        if not (inv / "hosts.yaml").is_file():
            raise InputError(
                f"{inv} holds no hosts.yaml",
                "pass --inventory DIR (the inventory the scheduled runs will use)",
            )
        sec = secrets.expanduser().resolve() if secrets else None
        if sec is not None and not sec.is_file():
            raise InputError(f"secrets file {sec} not found", "fix --secrets")
        paths = cls(inv, state.expanduser().resolve() if state else None, sec)
        for path in (paths.inventory, paths.state, paths.secrets, paths.python):
            if path is not None and any(ord(c) < 32 or c in '"\\%$`' for c in str(path)):
                raise InputError(
                    f"path {str(path)!r} holds a character that cannot go into a schedule line",
                    "move it to a plain path (letters, digits, / . - _ and spaces)",
                )
        return paths

    def environment(self) -> dict[str, str]:
        env = {"NETRAWAT_INVENTORY": str(self.inventory)}
        if self.state:
            env["NETRAWAT_STATE"] = str(self.state)
        if self.secrets:
            env["NETRAWAT_SECRETS"] = str(self.secrets)
        return env

    def argv(self, job: Job) -> list[str]:
        return [str(self.python), "-m", "netrawat", *job.args]
