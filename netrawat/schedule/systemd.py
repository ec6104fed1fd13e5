"""systemd: one ``.service`` (oneshot) and one ``.timer`` per job, marked as written by netrawat."""

from __future__ import annotations

import re
from pathlib import Path

from netrawat.schedule.command import RunPaths
from netrawat.schedule.jobs import TIME_ZONE, Job

PREFIX = "netrawat-"
MARK = "# netrawat-schedule job="
"""First line of every file netrawat writes: `show` and `remove` touch no other file."""
_ON_CALENDAR = re.compile(r"^OnCalendar=(.*)$", re.MULTILINE)
_EXEC = re.compile(r"^ExecStart=(.*)$", re.MULTILINE)


def unit_names(job: str) -> tuple[str, str]:
    return f"{PREFIX}{job}.service", f"{PREFIX}{job}.timer"


def on_calendar(job: Job) -> str:
    """``*-*-* 02:00:00 Asia/Pontianak``, ``Mon *-*-* 03:00:00 Asia/Pontianak`` or (monthly)
    ``*-*-02 04:30:00 Asia/Pontianak``."""
    if job.monthday:
        return f"*-*-{job.monthday:02d} {job.time}:00 {TIME_ZONE}"
    day = f"{job.weekday} " if job.weekday else ""
    return f"{day}*-*-* {job.time}:00 {TIME_ZONE}"


def _quote(word: str) -> str:
    return f'"{word}"' if " " in word else word


def render_service(job: Job, paths: RunPaths) -> str:
    env = "\n".join(f'Environment="{k}={v}"' for k, v in paths.environment().items())
    return f"""{MARK}{job.name}
# Written by `netrawat schedule install`; remove with `netrawat schedule remove`.
[Unit]
Description=netrawat {job.name}: {job.description}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
{env}
ExecStart={" ".join(_quote(w) for w in paths.argv(job))}
Nice=10
TimeoutStartSec=3h
# Exit codes: 0 all good, 1 hosts failed/unhealthy (the unit shows as failed), 2 bad input,
# 3 could not run (e.g. the previous run still holds the lock). Log: <state>/logs/.
"""


def render_timer(job: Job) -> str:
    return f"""{MARK}{job.name}
# Written by `netrawat schedule install`; remove with `netrawat schedule remove`.
[Unit]
Description=netrawat {job.name} ({job.cadence()})

[Timer]
OnCalendar={on_calendar(job)}
Persistent=true
RandomizedDelaySec=120

[Install]
WantedBy=timers.target
"""


def render(job: Job, paths: RunPaths) -> dict[str, str]:
    """File name -> content for one job."""
    service, timer = unit_names(job.name)
    return {service: render_service(job, paths), timer: render_timer(job)}


def installed(directory: Path) -> dict[str, dict[str, str]]:
    """Jobs netrawat installed in ``directory``: name -> {schedule, command, files}."""
    found: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob(f"{PREFIX}*.timer")) if directory.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        if not text.startswith(MARK):
            continue
        job = text[len(MARK) :].partition("\n")[0]
        service = path.with_suffix(".service")
        service_text = service.read_text(encoding="utf-8") if service.is_file() else ""
        calendar = _ON_CALENDAR.search(text)
        command = _EXEC.search(service_text)
        found[job] = {
            "schedule": calendar.group(1) if calendar else "?",
            "command": command.group(1) if command else "(service file missing)",
            "files": f"{path.name}, {service.name}",
        }
    return found


def ours(path: Path) -> bool:
    """Whether ``path`` is a unit file netrawat wrote."""
    try:
        return path.read_text(encoding="utf-8").startswith(MARK)
    except (OSError, UnicodeDecodeError):
        return False
