"""cron, where systemd is absent: a marked block in a crontab, converted to the machine's time.

Classic cron has no time-zone field, so each WIB time is converted to the machine's local time
when the block is written (Asia/Pontianak has no daylight saving; a machine zone that has it
needs a re-install after the change, which the block's comment says).
"""

from __future__ import annotations

import itertools
import shlex
from datetime import date, datetime
from zoneinfo import ZoneInfo

from netrawat.schedule.command import RunPaths
from netrawat.schedule.jobs import TIME_ZONE, WEEKDAYS, Job

BEGIN = "# BEGIN netrawat schedule (managed by `netrawat schedule install/remove`)"
END = "# END netrawat schedule"
CRON_DAYS = ("1", "2", "3", "4", "5", "6", "0")
"""cron day-of-week numbers of `WEEKDAYS` (Mon..Sun)."""


def local_fields(job: Job, today: date | None = None) -> tuple[int, int, str]:
    """(minute, hour, day-of-week field) of the job in the machine's local time."""
    day = today or date.today()
    wib = datetime(day.year, day.month, day.day, job.hour, job.minute, tzinfo=ZoneInfo(TIME_ZONE))
    local = wib.astimezone()
    if job.weekday is None:
        return local.minute, local.hour, "*"
    shift = (local.date() - wib.date()).days
    index = (WEEKDAYS.index(job.weekday) + shift) % 7
    return local.minute, local.hour, CRON_DAYS[index]


def local_monthday(job: Job, today: date | None = None) -> str:
    """The day-of-month field of a monthly job in the machine's local time (``*`` for the
    others): days 1-28 exist every month; a time-zone shift moves it by one day."""
    if not job.monthday:
        return "*"
    day = today or date.today()
    wib = datetime(day.year, day.month, day.day, job.hour, job.minute, tzinfo=ZoneInfo(TIME_ZONE))
    return str(job.monthday + (wib.astimezone().date() - wib.date()).days)


def cron_line(job: Job, paths: RunPaths, today: date | None = None) -> str:
    minute, hour, weekday = local_fields(job, today)
    monthday = local_monthday(job, today)
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in paths.environment().items())
    command = " ".join(shlex.quote(w) for w in paths.argv(job))
    return f"{minute} {hour} {monthday} * {weekday} {env} {command}"


def render_block(jobs: list[Job], paths: RunPaths, today: date | None = None) -> str:
    offset = datetime.now().astimezone().strftime("%z")
    lines = [
        BEGIN,
        f"# times converted from WIB to this machine's zone (UTC{offset}); re-run install after "
        "a time-zone change",
    ]
    for job in jobs:
        lines.append(f"# {job.name}: {job.cadence()} - {job.description}")
        lines.append(cron_line(job, paths, today))
    lines.append(END)
    return "\n".join(lines) + "\n"


def split_block(crontab: str) -> tuple[str, str, str]:
    """(before, netrawat block, after) of a crontab text; the block is empty if absent."""
    if BEGIN not in crontab:
        return crontab, "", ""
    before, _, rest = crontab.partition(BEGIN)
    block, _, after = rest.partition(END)
    return before, BEGIN + block + END + "\n", after.lstrip("\n")


def replace_block(crontab: str, block: str) -> str:
    """The crontab with netrawat's block replaced by ``block`` (removed when empty); every
    other line is kept as it was."""
    before, _, after = split_block(crontab)
    if before and not before.endswith("\n"):
        before += "\n"
    return before + block + after


def installed(crontab: str) -> dict[str, dict[str, str]]:
    """Jobs in netrawat's block: name -> {schedule, command}."""
    _, block, _ = split_block(crontab)
    found: dict[str, dict[str, str]] = {}
    lines = block.splitlines()
    for comment, line in itertools.pairwise(lines):
        if comment.startswith("# ") and ": every " in comment and not line.startswith("#"):
            name, _, rest = comment[2:].partition(": ")
            fields = line.split(" ", 5)
            found[name] = {
                "schedule": " ".join(fields[:5]) + f" ({rest.partition(' - ')[0]})",
                "command": fields[5] if len(fields) > 5 else "",
                "files": "crontab",
            }
    return found
