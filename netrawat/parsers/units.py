"""Turn the units devices print into numbers: sizes, durations, round-trip times, percents.

RouterOS prints sizes as ``165.6MiB``, durations as ``6w5d11h55m45s`` and v7 round-trip times
as ``1ms438us`` or ``783us``; IOS prints plain integers. Every function raises `ValueError`
on text it does not understand: a caller turns that into a parse error, never a silent zero.
"""

from __future__ import annotations

import re

_SIZE_UNITS = {"": 1, "B": 1, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3, "TIB": 1024**4}
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?i?B)?\s*$", re.IGNORECASE)
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(w|d|h|ms|us|m|s)")
_DURATION_SECONDS = {
    "w": 604800.0,
    "d": 86400.0,
    "h": 3600.0,
    "m": 60.0,
    "s": 1.0,
    "ms": 0.001,
    "us": 0.000001,
}
_CLOCK_RE = re.compile(r"^(?:(\d+)d)?\s*(\d{1,2}):(\d{2}):(\d{2})$")


def size_bytes(text: str) -> int:
    """Bytes in a RouterOS size.

    >>> size_bytes("165.6MiB")
    173644185
    >>> size_bytes("1196.0KiB")
    1224704
    >>> size_bytes("4096")
    4096
    """
    match = _SIZE_RE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r}")
    number, unit = match.groups()
    key = (unit or "").upper()
    if key in {"KB", "MB", "GB", "TB"}:  # RouterOS never prints these, but be lenient
        key = key[0] + "IB"
    return int(float(number) * _SIZE_UNITS[key])


def duration_seconds(text: str) -> float:
    """Seconds in a RouterOS duration (``6w5d11h55m45s``, ``1ms438us``) or ``1d02:03:04``.

    >>> duration_seconds("6w5d11h55m45s")
    4103745.0
    >>> duration_seconds("1ms438us")
    0.001438
    >>> duration_seconds("00:05:10")
    310.0
    """
    text = text.strip()
    clock = _CLOCK_RE.match(text)
    if clock:
        days, hours, minutes, seconds = (int(g or 0) for g in clock.groups())
        return float(days * 86400 + hours * 3600 + minutes * 60 + seconds)
    parts = _DURATION_PART.findall(text)
    if not text or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {text!r}")
    return round(sum(float(n) * _DURATION_SECONDS[u] for n, u in parts), 9)


def rtt_ms(text: str) -> float:
    """Milliseconds in a round-trip time (``783us`` → 0.783, ``1ms438us`` → 1.438, ``4`` → 4).

    >>> rtt_ms("1ms438us")
    1.438
    >>> rtt_ms("55ms")
    55.0
    """
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    return round(duration_seconds(text) * 1000, 6)


def percent(text: str) -> float:
    """The number in ``53%`` (or a bare number).

    >>> percent("53%")
    53.0
    """
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*%?\s*", text)
    if not match:
        raise ValueError(f"not a percentage: {text!r}")
    return float(match.group(1))


def plain_int(text: str) -> int:
    """An integer that RouterOS v7 may print with spaces as thousands separators.

    >>> plain_int("16 094 858 187")
    16094858187
    """
    cleaned = text.replace(" ", "").replace(",", "")
    if not re.fullmatch(r"-?\d+", cleaned):
        raise ValueError(f"not an integer: {text!r}")
    return int(cleaned)
