"""`netrawat schedule install|show|remove`: the documented cadence as systemd timers or cron.

No ``from __future__ import annotations`` (typer reads the annotations).
"""

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from netrawat.cli.options import plain_command
from netrawat.console import err_console, show_table
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode
from netrawat.schedule.command import RunPaths
from netrawat.schedule.install import (
    KINDS,
    Target,
    enable,
    install,
    remove,
    resolve_target,
    show,
    systemctl,
)
from netrawat.schedule.jobs import CADENCE, Job, select_jobs
from netrawat.schedule.systemd import unit_names
from netrawat.state import parse_state_option
from netrawat.web.unit import UNIT_NAME, render_unit

KindOpt = Annotated[
    str,
    typer.Option(
        "--kind", help=f"{' | '.join(KINDS)} (auto: systemd when the machine runs it, else cron)."
    ),
]
DirOpt = Annotated[
    Path | None,
    typer.Option(
        "--dir",
        file_okay=False,  # a file there is a usage error (exit 2), not a crash
        help="Write into this folder instead of the machine's (systemd: unit files; cron: "
        "DIR/crontab). Nothing else is run.",
    ),
]
ConsoleOpt = Annotated[
    str | None,
    typer.Option(
        "--console",
        metavar="HOST:PORT",
        help="systemd: also write netrawat-web.service, the web console serving on HOST:PORT "
        "(e.g. 127.0.0.1:8080) with the same inventory, state and secrets.",
    ),
]
JOB_HELP = ", ".join(f"{j.name} ({j.cadence()})" for j in CADENCE.values())


def check_console_target(target: Target, listen: str) -> None:
    """The console runs as a service: systemd only, and a HOST:PORT it can serve on."""
    from netrawat.cli.serve import parse_listen

    parse_listen(listen)
    if target.kind != "systemd":
        raise InputError(
            "--console writes a systemd service; cron cannot keep a server running",
            "install with --kind systemd, or run `netrawat serve` under your service manager "
            "(`netrawat serve --systemd-unit` prints a unit)",
        )
    assert target.directory is not None
    path = target.directory / UNIT_NAME
    if path.exists() and not _console_unit_is_ours(path):
        raise InputError(f"{path} exists and was not written by netrawat", "move it away first")


def _console_unit_is_ours(path: Path) -> bool:
    try:
        return path.read_text(encoding="utf-8").startswith(f"# {UNIT_NAME}: written by")
    except (OSError, UnicodeDecodeError):
        return False


def write_console_unit(target: Target, paths: RunPaths, listen: str) -> str:
    """``netrawat-web.service`` beside the timers (same paths, this Python); its path."""
    assert target.directory is not None
    path = target.directory / UNIT_NAME
    tmp = target.directory / f".{UNIT_NAME}.tmp"
    tmp.write_text(render_unit(paths, listen), encoding="utf-8")
    tmp.chmod(0o644)
    tmp.replace(path)
    return str(path)


def remove_console_unit(target: Target) -> list[str]:
    """Remove the console's unit if netrawat wrote it (disabled first on this machine)."""
    if target.kind != "systemd" or target.directory is None:
        return []
    path = target.directory / UNIT_NAME
    if not (path.is_file() and _console_unit_is_ours(path)):
        return []
    if not target.explicit and shutil.which("systemctl"):
        systemctl(target, "disable", "--now", UNIT_NAME)
    path.unlink()
    return [str(path)]


def _err() -> Console:
    return err_console(highlight=False)


@plain_command
def install_cmd(
    *,
    inventory: Annotated[
        Path,
        typer.Option("--inventory", envvar="NETRAWAT_INVENTORY", help="Inventory the runs use."),
    ] = Path("inventory"),
    state: Annotated[
        Path | None,
        typer.Option(
            "--state",
            envvar="NETRAWAT_STATE",
            parser=parse_state_option,
            help="State directory the runs use.",
        ),
    ] = None,
    secrets: Annotated[
        Path | None,
        typer.Option("--secrets", envvar="NETRAWAT_SECRETS", help="Secrets file the runs use."),
    ] = None,
    job: Annotated[
        list[str] | None, typer.Option("--job", help=f"Only these jobs: {JOB_HELP}.")
    ] = None,
    at: Annotated[
        list[str] | None,
        typer.Option("--at", help="Another time for a job, WIB: JOB=HH:MM (repeatable)."),
    ] = None,
    kind: KindOpt = "auto",
    directory: DirOpt = None,
    enable_now: Annotated[
        bool,
        typer.Option("--enable", help="systemd: also daemon-reload and enable --now the timers."),
    ] = False,
    console_listen: ConsoleOpt = None,
) -> int:
    """Install the schedule (it becomes exactly the selected jobs; default all three)."""
    jobs = select_jobs(job, at)
    paths = RunPaths.checked(inventory, state, secrets)
    target = resolve_target(kind, directory)
    if console_listen is not None:
        check_console_target(target, console_listen)
    written = install(target, jobs, paths)
    if console_listen is not None:
        written.append(write_console_unit(target, paths, console_listen))
    console = _err()
    console.print(f"schedule installed: {escape(target.describe())}")
    for item in written:
        console.print(f"  wrote {escape(str(item))}")
    for each in jobs:
        console.print(f"  {each.name}: {each.cadence()} - {each.description}")
    if target.kind == "systemd" and not target.explicit:
        return _start_units(console, target, jobs, console_listen is not None, enable_now)
    return ExitCode.OK


def _start_units(
    console: Console, target: Target, jobs: list[Job], web: bool, enable_now: bool
) -> int:
    """systemd on this machine: enable the timers (and the console) now, or say how."""
    scope = "--user " if target.user else ""
    units = " ".join([*(unit_names(j.name)[1] for j in jobs), *([UNIT_NAME] if web else [])])
    if not enable_now:
        console.print(
            f"  next: systemctl {scope}daemon-reload && systemctl {scope}enable --now {units}"
        )
        return ExitCode.OK
    problems = enable(target, jobs)
    if web and not problems:
        problems = [p for p in [systemctl(target, "enable", "--now", UNIT_NAME)] if p]
    for problem in problems:
        console.print(f"[bold red]systemctl failed[/]: {escape(str(problem))}")
    if problems:
        return ExitCode.CANNOT_RUN
    console.print(f"  enabled: {units}")
    return ExitCode.OK


@plain_command
def show_cmd(
    kind: KindOpt = "auto",
    directory: DirOpt = None,
    json_output: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
) -> int:
    """Show the installed jobs: schedule and command."""
    target = resolve_target(kind, directory)
    jobs = show(target)
    if json_output:
        typer.echo(json.dumps({"target": target.describe(), "jobs": jobs}, indent=2))
        return ExitCode.OK
    console = _err()
    if not jobs:
        console.print(f"no netrawat schedule in {escape(target.describe())}")
        return ExitCode.OK
    table = Table(title=target.describe(), title_justify="left")
    for column in ("job", "schedule", "command", "files"):
        table.add_column(column)
    for name, info in sorted(jobs.items()):
        table.add_row(name, info["schedule"], info["command"], info["files"])
    show_table(console, table)
    return ExitCode.OK


@plain_command
def remove_cmd(kind: KindOpt = "auto", directory: DirOpt = None) -> int:
    """Remove every netrawat job (systemd timers are disabled first); other entries stay."""
    target = resolve_target(kind, directory)
    removed, problems = remove(target)
    removed += remove_console_unit(target)
    console = _err()
    if not removed:
        console.print(f"no netrawat schedule in {escape(target.describe())}")
    for item in removed:
        console.print(f"removed {escape(str(item))}")
    for problem in problems:
        console.print(f"[bold red]systemctl failed[/]: {escape(str(problem))}")
    return ExitCode.CANNOT_RUN if problems else ExitCode.OK


def register(app: typer.Typer) -> None:
    """Add the `schedule` command group."""
    group = typer.Typer(
        help="Scheduled runs: preventive every night, health every morning, compliance weekly.",
        no_args_is_help=True,
    )
    group.command(name="install")(install_cmd)
    group.command(name="show")(show_cmd)
    group.command(name="remove")(remove_cmd)
    app.add_typer(group, name="schedule")
