"""The documented cadence: which netrawat command runs when (local time of Kota Pontianak, WIB)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from netrawat.errors import InputError

TIME_ZONE = "Asia/Pontianak"
"""WIB, UTC+7, no daylight saving: every schedule time is meant in it."""
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Job:
    """One scheduled command."""

    name: str
    args: tuple[str, ...]
    """The netrawat subcommand and its options."""
    time: str
    """HH:MM, WIB."""
    weekday: str | None
    """None: every day; else one of `WEEKDAYS`."""
    description: str
    monthday: int | None = None
    """Once a month on this day (1-28) instead of daily/weekly."""

    @property
    def hour(self) -> int:
        return int(self.time[:2])

    @property
    def minute(self) -> int:
        return int(self.time[3:])

    def cadence(self) -> str:
        """``every day 02:00 WIB`` / ``every Mon 03:00 WIB`` / ``monthly on day 2 04:30 WIB``."""
        if self.monthday:
            return f"monthly on day {self.monthday} {self.time} WIB"
        return f"every {self.weekday or 'day'} {self.time} WIB"


CADENCE: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            "preventive",
            ("preventive",),
            "02:00",
            None,
            "nightly preventive maintenance: config drift, backup commit, health survey, summary",
        ),
        Job(
            "health",
            ("health",),
            "07:00",
            None,
            "morning health survey before office hours (alert on sedang/berat damage)",
        ),
        Job(
            "compliance",
            ("diff", "--against", "intended"),
            "03:00",
            "Mon",
            "weekly compliance check against the intended configuration (report files)",
        ),
        Job(
            "baseline",
            ("audit",),
            "03:30",
            "Mon",
            "weekly security baseline audit (MikroTik hardening, IOS basics), filed in the recap",
        ),
        Job(
            "drill",
            ("drill",),
            "04:30",
            None,
            "monthly restore drill: every latest backup restored onto a fresh lab device and "
            "compared, filed in the recap",
            monthday=2,
        ),
    )
}


def select_jobs(names: list[str] | None, times: list[str] | None) -> list[Job]:
    """The jobs to install (all by default), with ``JOB=HH:MM`` time overrides applied."""
    chosen = list(names or CADENCE)
    unknown = [n for n in chosen if n not in CADENCE]
    if unknown:
        raise InputError(f"unknown job {', '.join(unknown)}", f"use: {', '.join(CADENCE)}")
    jobs = {n: CADENCE[n] for n in dict.fromkeys(chosen)}
    for item in times or []:
        name, _, at = item.partition("=")
        if name not in jobs or not _TIME.match(at):
            raise InputError(
                f"--at {item!r}: expected JOB=HH:MM for a selected job",
                f"e.g. --at preventive=01:30 (jobs: {', '.join(jobs)})",
            )
        jobs[name] = replace(jobs[name], time=at)
    return list(jobs.values())
