"""Checks of the values people type into the recap: request numbers, dates, months, outcomes.

Request numbers are OPD letter numbers such as ``045/112/Diskes/XI/2026``: kept verbatim
(slashes and all), never used as a path, refused when empty or holding control characters.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from netrawat.errors import InputError

LOCAL_TZ = ZoneInfo("Asia/Pontianak")
"""Kota Pontianak keeps WIB (UTC+7): dates typed without a zone are local dates."""

MAX_NUMBER_LENGTH = 120
OUTCOMES = (
    "ok",
    "changed",
    "unchanged",
    "failed",
    "skipped",
    "not_checked",
    "unverified",
    "blocked",
)
"""``not_checked``: reached, but (some of) its health could not be checked (no grade given for
it); ``unverified``: a repair applied and verified by re-reading, whose checks could not run;
``blocked``: a repair not attempted because of an earlier grade (SOP step 4, no --force)."""
INCOMPLETE_OUTCOMES = frozenset({"not_checked", "unverified", "blocked"})
"""Host outcomes that keep a run from counting as *berhasil* (status ``incomplete``)."""
GRADES = ("ringan", "sedang", "berat")
CLOSE_RESULTS = ("restored", "escalated", "procurement", "unresolved", "cancelled")
_PREVENTIVE_ID = re.compile(r"^PM-\d{8}-\d{4}[A-Za-z0-9-]*$")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def _check_text(text: str, what: str) -> None:
    """Bytes that are not UTF-8 (the shell hands them on as lone surrogates) are refused: they
    could be neither stored nor printed."""
    if any(unicodedata.category(ch) == "Cs" for ch in text):
        raise InputError(
            f"{what} {text!r} is not valid UTF-8 text",
            "retype it; check the terminal's encoding (locale) is UTF-8",
        )


class RequestNumber(str):
    """A request (letter) number checked once by `request_number`: the letter's number
    verbatim. It travels typed from the command line to the recap; checking it again is free."""

    __slots__ = ()


def request_number(raw: str) -> RequestNumber:
    """A valid request number, verbatim but for surrounding spaces.

    >>> request_number(" 045/112/Diskes/XI/2026 ")
    '045/112/Diskes/XI/2026'
    """
    if isinstance(raw, RequestNumber):
        return raw
    number = raw.strip()
    if not number:
        raise InputError("request number is empty", "give the number on the OPD's letter")
    _check_text(number, "request number")
    if _has_control(number):
        raise InputError(
            f"request number {number!r} contains control characters",
            "type the number as printed on the letter, e.g. 045/112/Diskes/XI/2026",
        )
    if len(number) > MAX_NUMBER_LENGTH:
        raise InputError(
            f"request number is {len(number)} characters long (max {MAX_NUMBER_LENGTH})",
            "give only the letter number, not its subject",
        )
    return RequestNumber(number)


def preventive_id(raw: str) -> str:
    """A preventive run id such as ``PM-20261123-0200``."""
    value = raw.strip()
    if not _PREVENTIVE_ID.match(value):
        raise InputError(
            f"preventive id {raw!r} is malformed",
            "preventive ids look like PM-YYYYMMDD-HHMM",
        )
    return value


def short_text(raw: str, what: str, *, max_length: int = 2000) -> str:
    """Free text (a summary, a note): non-empty, no control characters but newlines/tabs."""
    text = raw.strip()
    if not text:
        raise InputError(f"{what} is empty", f"give a short {what}")
    _check_text(text, what)
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        raise InputError(f"{what} contains control characters", f"retype the {what}")
    if len(text) > max_length:
        raise InputError(f"{what} is longer than {max_length} characters", "shorten it")
    return text


def choice(raw: str, allowed: tuple[str, ...], what: str) -> str:
    """``raw`` if it is one of ``allowed``, else a clear error listing them."""
    value = raw.strip().lower()
    if value not in allowed:
        raise InputError(f"unknown {what} {raw!r}", f"use one of: {', '.join(allowed)}")
    return value


def moment(raw: str, what: str = "date") -> datetime:
    """A date or date-time typed by a person (local time unless it names a zone), as aware UTC.

    Accepts ``2026-11-23``, ``2026-11-23 08:15``, ``2026-11-23T08:15:00+07:00``.
    """
    text = raw.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"malformed {what} {raw!r}", "use YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (local time, WIB)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    _in_years(parsed.date(), raw, what)
    return parsed


YEARS = range(1970, 3000)
"""Years a recap period can name (beyond them the date arithmetic overflows: exit 2, not 4)."""


def _in_years(value: date, raw: str, what: str) -> date:
    if value.year not in YEARS:
        raise InputError(
            f"{what} {raw!r} is out of range", f"give a year from {YEARS[0]} to {YEARS[-1]}"
        )
    return value


def day(raw: str, what: str = "date") -> date:
    """A calendar date ``YYYY-MM-DD``."""
    try:
        parsed = date.fromisoformat(raw.strip())
    except ValueError:
        raise InputError(f"malformed {what} {raw!r}", "use YYYY-MM-DD") from None
    return _in_years(parsed, raw, what)


def month(raw: str) -> tuple[date, date]:
    """The first day of month ``YYYY-MM`` and the first day of the next month."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", raw.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"malformed month {raw!r}", "use YYYY-MM, e.g. 2026-11")
    first = _in_years(date(int(match.group(1)), int(match.group(2)), 1), raw, "month")
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


def local_midnight(value: date) -> datetime:
    """The start of a local calendar day as an aware datetime."""
    return datetime.combine(value, time(0), tzinfo=LOCAL_TZ)
