"""The lab's device clock for timers: how many real seconds one device minute lasts.

Device timers are minutes (IOS ``configure terminal revert timer 1-120``; RouterOS undoes a
lost safe-mode session once TCP gives up on it, about 9 minutes). Tests and rehearsals set
``NETRAWAT_LAB_MINUTE`` (seconds, default 60) in the lab's environment to make them short;
the product never reads it. Read at each use, so a running lab follows its environment.
"""

from __future__ import annotations

import os

MINUTE_ENV = "NETRAWAT_LAB_MINUTE"
DEFAULT_MINUTE = 60.0


def minute_seconds() -> float:
    """Real seconds per device minute (``NETRAWAT_LAB_MINUTE``, default 60; bad values: 60)."""
    try:
        value = float(os.environ.get(MINUTE_ENV, DEFAULT_MINUTE))
    except ValueError:
        return DEFAULT_MINUTE
    return value if value > 0 else DEFAULT_MINUTE


def device_minutes(minutes: float) -> float:
    """Real seconds that ``minutes`` device minutes last."""
    return minutes * minute_seconds()
