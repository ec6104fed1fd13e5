"""Where netrawat finds its own files and, by default, the user's."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout: holds inventory/, templates/, playbooks/, tasks/."""

EXAMPLE_INVENTORY = PROJECT_ROOT / "inventory"
TEMPLATES = PROJECT_ROOT / "templates"

RECAP_DB_ENV = "NETRAWAT_RECAP_DB"
"""The environment variable naming the recap database URL (else SQLite in the state dir)."""


def default_state_dir() -> Path:
    """``$NETRAWAT_STATE``, else ``$XDG_STATE_HOME/netrawat``, else ``~/.local/state/netrawat``."""
    env = os.environ.get("NETRAWAT_STATE")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_STATE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "state"
    return base / "netrawat"
