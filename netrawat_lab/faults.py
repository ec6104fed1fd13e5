"""Parsing and checking fault names and values (``FAULT[=VALUE]``, see `contract`)."""

from __future__ import annotations

import re

from netrawat_lab.contract import ALL_FAULTS
from netrawat_lab.errors import LabInputError

UNREACHABLE_MODES = ("refused", "drop")
SAFE_VALUE = re.compile(r"[A-Za-z0-9._/:-]{1,64}")
"""A fault value may end up in a device's configuration: no spaces, separators or controls."""
RELEASE = re.compile(r"[0-9]+\.[0-9A-Za-z.()]{1,30}")
"""An OS release for ``upgrade=``: ``7.16.1``, ``6.48.6``, ``15.9(3)M7``."""


def parse_fault(text: str) -> tuple[str, str | None]:
    """``"slow=300"`` -> ``("slow", "300")``; ``"hang"`` -> ``("hang", None)``, checked.

    >>> parse_fault("unreachable=drop")
    ('unreachable', 'drop')
    """
    name, sep, value = text.strip().partition("=")
    return check_fault(name.strip(), value.strip() if sep else None)


def check_fault(name: str, value: str | None) -> tuple[str, str | None]:
    """The fault, validated: a known name and a value of the right kind."""
    if name not in ALL_FAULTS:
        raise LabInputError(
            f"unknown lab fault {name!r}",
            hint=f"known faults: {', '.join(sorted(ALL_FAULTS))}",
        )
    if value == "":
        value = None
    if name == "unreachable" and value not in (None, *UNREACHABLE_MODES):
        raise LabInputError(
            f"unreachable={value} is not a mode", hint="use unreachable=refused or unreachable=drop"
        )
    numeric = {"slow", "high-cpu", "overheating", "wan-loss", "echo-wrap", "max-sessions"}
    if name in numeric and value is not None and not value.isdigit():
        raise LabInputError(f"{name}={value}: the value must be a whole number", hint=f"{name}=50")
    if name in {"high-cpu", "wan-loss"} and value is not None and int(value) > 100:
        raise LabInputError(f"{name}={value}: a percentage is at most 100", hint=f"{name}=97")
    if name == "slow" and value is None:
        raise LabInputError("slow needs a latency in milliseconds", hint="slow=500")
    if name == "upgrade":
        if value is None or not RELEASE.fullmatch(value):
            raise LabInputError(
                f"upgrade={value}: not an OS release", hint="upgrade=7.17 or upgrade=15.9(3)M7"
            )
        return name, value
    if value is not None and not SAFE_VALUE.fullmatch(value):
        raise LabInputError(
            f"{name}: the value {value!r} is not a plain word",
            hint="letters, digits and . _ / : - only (an interface name, a number)",
        )
    return name, value
