"""What `netrawat serve` runs on: the same state, recap database, inventory and secrets as
the CLI, plus the console's own settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from netrawat.state import StateDir


@dataclass(frozen=True)
class WebSettings:
    """The console's settings (see `netrawat serve --help`)."""

    state: StateDir
    inventory: Path
    secrets: Path | None = None
    db_url: str | None = None
    idle_timeout: timedelta = timedelta(minutes=30)
    session_lifetime: timedelta = timedelta(hours=12)
    token_lifetime: timedelta = timedelta(hours=12)
    login_window: timedelta = timedelta(minutes=15)
    max_failures_per_user: int = 5
    max_failures_per_address: int = 20
    secure_cookies: bool | None = None
    """Secure cookies: None means when the request came over https."""
    run_worker: bool = True
    """Whether `netrawat serve` starts the worker process (tests start it themselves)."""
