"""Install, show and remove the schedule: systemd units in a directory, or a crontab block.

    target = resolve_target("auto", None)     # systemd if the machine runs it, else cron
    written = install(target, select_jobs(None, None), RunPaths.checked(inv, state, secrets))

Install makes the schedule exactly the given jobs (netrawat's other job files, or its previous
crontab block, are replaced); files netrawat did not write are never touched. With ``--dir``
nothing else happens (a test folder); on the machine's own unit directory / crontab,
``systemctl`` is run only when asked (``--enable``), and always to disable timers on remove.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from netrawat.errors import CannotRunError, InputError
from netrawat.schedule import cron, systemd
from netrawat.schedule.command import RunPaths
from netrawat.schedule.jobs import Job

KINDS = ("auto", "systemd", "cron")
SYSTEM_UNITS = Path("/etc/systemd/system")
CRONTAB_FILE = "crontab"


@dataclass(frozen=True)
class Target:
    """Where the schedule lives."""

    kind: str
    """systemd | cron"""
    directory: Path | None
    """systemd: the unit directory; cron: the folder of a ``crontab`` file (None: the user's
    crontab through the ``crontab`` command)."""
    explicit: bool
    """``--dir`` given: only files are written, no systemctl/crontab command is run."""
    user: bool = True
    """systemd --user units (not root) or system units (root)."""

    @property
    def crontab_file(self) -> Path | None:
        return self.directory / CRONTAB_FILE if self.directory else None

    def describe(self) -> str:
        if self.kind == "systemd":
            return f"systemd {'user ' if self.user else ''}units in {self.directory}"
        return f"crontab {self.crontab_file or '(yours, via the crontab command)'}"


def systemd_running() -> bool:
    """The check sd_booted() makes."""
    return Path("/run/systemd/system").is_dir()


def default_unit_dir(root: bool) -> Path:
    if root:
        return SYSTEM_UNITS
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "systemd" / "user"


def resolve_target(kind: str, directory: Path | None) -> Target:
    """The target of ``--kind`` (auto: systemd when the machine runs it) and ``--dir``."""
    if kind not in KINDS:
        raise InputError(f"unknown schedule kind {kind!r}", f"use one of: {', '.join(KINDS)}")
    chosen = kind if kind != "auto" else ("systemd" if systemd_running() else "cron")
    root = os.geteuid() == 0
    explicit = directory is not None
    if chosen == "systemd":
        where = directory.expanduser().resolve() if directory else default_unit_dir(root)
        return Target("systemd", where, explicit, user=not root)
    return Target("cron", directory.expanduser().resolve() if directory else None, explicit)


# -- the machine's own tools -------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise CannotRunError(f"{name} not found on this machine", "use --dir to write the files")
    return found


def _run(argv: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False)


def systemctl(target: Target, *args: str) -> str:
    """Run systemctl for the target's scope; the error text (empty when it worked)."""
    argv = [_tool("systemctl"), *(["--user"] if target.user else []), *args]
    done = _run(argv)
    return "" if done.returncode == 0 else (done.stderr.strip() or f"exit {done.returncode}")


def read_crontab(target: Target) -> str:
    path = target.crontab_file
    if path is not None:
        return path.read_text(encoding="utf-8") if path.is_file() else ""
    done = _run([_tool("crontab"), "-l"])
    return done.stdout if done.returncode == 0 else ""  # "no crontab for user": empty


def write_crontab(target: Target, text: str) -> None:
    path = target.crontab_file
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    done = _run([_tool("crontab"), "-"], stdin=text)
    if done.returncode != 0:
        raise CannotRunError(f"crontab refused the schedule: {done.stderr.strip()}", "")


# -- install / show / remove -------------------------------------------------------------------


def _write_units(target: Target, jobs: list[Job], paths: RunPaths) -> list[str]:
    assert target.directory is not None
    target.directory.mkdir(parents=True, exist_ok=True)
    files = {name: text for job in jobs for name, text in systemd.render(job, paths).items()}
    for name in files:
        path = target.directory / name
        if path.exists() and not systemd.ours(path):
            raise InputError(
                f"{path} exists and was not written by netrawat", "move it away, then install"
            )
    for stale in set(systemd.installed(target.directory)) - {j.name for j in jobs}:
        _delete_job(target, stale)
    for name, text in files.items():
        tmp = target.directory / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.chmod(0o644)
        tmp.replace(target.directory / name)
    return [str(target.directory / name) for name in files]


def install(target: Target, jobs: list[Job], paths: RunPaths) -> list[str]:
    """Write the schedule; the files (or ``crontab``) written."""
    if target.kind == "systemd":
        return _write_units(target, jobs, paths)
    text = cron.replace_block(read_crontab(target), cron.render_block(jobs, paths))
    write_crontab(target, text)
    return [str(target.crontab_file or "crontab")]


def enable(target: Target, jobs: list[Job]) -> list[str]:
    """systemctl daemon-reload and enable --now the timers; errors as text."""
    timers = [systemd.unit_names(j.name)[1] for j in jobs]
    problems = [systemctl(target, "daemon-reload"), systemctl(target, "enable", "--now", *timers)]
    return [p for p in problems if p]


def show(target: Target) -> dict[str, dict[str, str]]:
    """The installed jobs: name -> {schedule, command, files}."""
    if target.kind == "systemd":
        assert target.directory is not None
        return systemd.installed(target.directory)
    return cron.installed(read_crontab(target))


def _delete_job(target: Target, job: str) -> list[str]:
    assert target.directory is not None
    removed = []
    for name in systemd.unit_names(job):
        path = target.directory / name
        if path.is_file() and systemd.ours(path):
            path.unlink()
            removed.append(str(path))
    return removed


def remove(target: Target) -> tuple[list[str], list[str]]:
    """Remove every netrawat job; (what was removed, systemctl problems)."""
    jobs = show(target)
    problems: list[str] = []
    if target.kind == "systemd":
        if jobs and not target.explicit and shutil.which("systemctl"):
            timers = [systemd.unit_names(j)[1] for j in jobs]
            problems.append(systemctl(target, "disable", "--now", *timers))
        removed = [p for job in jobs for p in _delete_job(target, job)]
        if removed and not target.explicit and shutil.which("systemctl"):
            problems.append(systemctl(target, "daemon-reload"))
        return removed, [p for p in problems if p]
    if jobs:
        write_crontab(target, cron.replace_block(read_crontab(target), ""))
    return ([f"crontab: {', '.join(jobs)}"] if jobs else []), []
