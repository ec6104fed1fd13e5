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
BOUNDS: dict[str, tuple[int, int, str, str]] = {
    "slow": (0, 60_000, "milliseconds", "slow=500; for a device that stops answering use hang"),
    "high-cpu": (0, 100, "percent", "high-cpu=97"),
    "wan-loss": (0, 100, "percent", "wan-loss=40"),
    "overheating": (0, 150, "degrees Celsius", "overheating=88"),
    "echo-wrap": (20, 1000, "columns", "echo-wrap=80"),
    "max-sessions": (0, 1000, "shells", "max-sessions=1"),
}
"""Numeric faults: (least, most, unit, an example). A value beyond them is a typo, not a test:
``slow=99999999999999`` would hold every reply of the device for three thousand years."""


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
    if name in BOUNDS and value is not None:
        _check_number(name, value)
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


def _check_number(name: str, value: str) -> None:
    """A whole number within the fault's `BOUNDS`, else `LabInputError` (ASCII digits only:
    ``str.isdigit`` alone takes ``²``, which ``int`` then refuses)."""
    least, most, unit, example = BOUNDS[name]
    shown = value if len(value) <= 20 else f"{value[:20]}..."
    if not (value.isascii() and value.isdigit()):
        raise LabInputError(f"{name}={shown}: the value must be a whole number", hint=example)
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(most)) or not least <= int(digits) <= most:
        raise LabInputError(f"{name}={shown}: {unit} must be {least} to {most}", hint=example)
