"""Who runs netrawat: the SOP's executor, recorded with every request and run."""

from __future__ import annotations

import getpass
import os

OPERATOR_ENV = "NETRAWAT_OPERATOR"


def current_operator() -> str:
    """The OS user running netrawat (the SOP's executor); ``$NETRAWAT_OPERATOR`` names
    another one (the web console's worker runs commands for its logged-in user)."""
    named = os.environ.get(OPERATOR_ENV, "").strip()
    if named:
        return named[:64]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid{os.getuid()}"
