"""The lab's device clock for timers: how many real seconds one device minute lasts.

Device timers are minutes (IOS ``configure terminal revert timer 1-120``; RouterOS undoes a
lost safe-mode session once TCP gives up on it, about 9 minutes). Tests and rehearsals set
``NETRAWAT_LAB_MINUTE`` (seconds, default 60) in the lab's environment to make them short;
the product never reads it. Read at each use, so a running lab follows its environment; a
value that is not a number of seconds within `MINUTE_BOUNDS` (``inf``, ``nan``, ``-1``,
``1e9``) is refused when the lab starts (`check_minute`), as `faults.BOUNDS` refuses
absurd fault values.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

from netrawat_lab.errors import LabInputError

MINUTE_ENV = "NETRAWAT_LAB_MINUTE"
DEFAULT_MINUTE = 60.0
MINUTE_BOUNDS = (0.01, 3600.0)
"""A device minute of 10 ms to an hour: beyond that a timer either fires before a reply can
cross loopback or outlives any test (``1e9`` would hold an IOS revert for centuries)."""
MINUTE_HINT = f"seconds per device minute, e.g. {MINUTE_ENV}=0.5; unset for 60"


def parse_minute(text: str | None) -> float:
    """Real seconds per device minute from the variable's text (unset or empty: 60), checked.

    >>> parse_minute("0.5"), parse_minute(None)
    (0.5, 60.0)
    """
    if text is None or not text.strip():
        return DEFAULT_MINUTE
    shown = text if len(text) <= 20 else f"{text[:20]}..."
    try:
        value = float(text)
    except ValueError:
        raise LabInputError(f"{MINUTE_ENV}={shown}: not a number", hint=MINUTE_HINT) from None
    least, most = MINUTE_BOUNDS
    if not (math.isfinite(value) and least <= value <= most):
        raise LabInputError(
            f"{MINUTE_ENV}={shown}: seconds must be {least:g} to {most:g}", hint=MINUTE_HINT
        )
    return value


def check_minute(environ: Mapping[str, str]) -> float:
    """The device minute a lab started with ``environ`` would use; `LabInputError` if bad."""
    return parse_minute(environ.get(MINUTE_ENV))


def minute_seconds() -> float:
    """Real seconds per device minute (``NETRAWAT_LAB_MINUTE``, default 60)."""
    return check_minute(os.environ)


def device_minutes(minutes: float) -> float:
    """Real seconds that ``minutes`` device minutes last."""
    return minutes * minute_seconds()
