"""`netrawat backup`: keep every OPD device's configuration safe and reviewable in git.

No ``from __future__ import annotations`` here: `fleet_command` reads the command's signature
without evaluating string annotations, so typer would lose the ``Annotated`` option metadata.
"""

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.cli.recap_common import OpenRequestOpt, RequestOpt
from netrawat.configs.verify import DEFAULT_MIN_RATIO
from netrawat.fleet import open_fleet
from netrawat.playbooks.backup import BackupReport, BackupSettings, run_backup
from netrawat.recap.values import request_number

STATUS_STYLE = {"changed": "yellow", "unchanged": "green", "failed": "bold red"}


def print_report(report: BackupReport, console: Console) -> None:
    """The per-host summary on stderr: status, lines, what was ignored, why a host failed."""
    table = Table(title=f"backup {report.request or '(no request)'} — run {report.run_id}")
    for column in ("host", "opd", "status", "lines", "detail"):
        table.add_column(column)
    for host in report.hosts:
        style = STATUS_STYLE[host.status]
        detail = host.reason if host.status == "failed" else host.path
        table.add_row(
            host.host,
            host.opd,
            f"[{style}]{host.status}[/]",
            str(host.lines or ""),
            detail,
        )
    console.print(table)
    counts = {s: len(report.of(s)) for s in STATUS_STYLE}
    console.print(
        f"{counts['changed']} changed, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed; commit {report.commit or '(none: nothing changed)'}"
    )
    if report.ignored:
        ignored = ", ".join(f"{name} {n}" for name, n in report.ignored.items())
        console.print(f"volatile lines ignored: {ignored}")
    for host in report.of("failed"):
        if host.quarantine:
            console.print(
                f"{host.host}: previous backup kept, output quarantined in {host.quarantine}"
            )
    if report.recovered_lock:
        console.print(f"recovered a stale lock left by {report.recovered_lock.get('pid', '?')}")
    if report.pushed:
        console.print(f"pushed to {report.pushed}")
    if report.push_error:
        console.print(f"[bold red]push failed:[/] {report.push_error}")


@fleet_command
def backup(
    fleet: FleetOptions,
    *,
    request: RequestOpt = None,
    open_request: OpenRequestOpt = False,
    keep_private: Annotated[
        bool,
        typer.Option(
            "--keep-private",
            help="Also keep the full unsanitized config in <state>/private (mode 0600, not git).",
        ),
    ] = False,
    min_size_ratio: Annotated[
        float,
        typer.Option(
            "--min-size-ratio",
            min=0.0,
            max=1.0,
            help="Refuse a backup with fewer than this share of the previous one's lines "
            "(0 turns the check off).",
        ),
    ] = DEFAULT_MIN_RATIO,
    push: Annotated[
        str | None,
        typer.Option(
            "--push",
            envvar="NETRAWAT_BACKUP_PUSH",
            help="After the commit, push the config repository to this git remote (name or URL).",
        ),
    ] = None,
) -> int:
    """Fetch each device's configuration, verify it, drop volatile lines, remove secrets and
    store it as ONE git commit per run in <state>/configs (<opd>/<host>.rsc|cfg). A device
    whose output fails a check keeps its previous backup. Exit 0 when every host was backed
    up, 1 when any failed."""
    if request is not None:
        request_number(request)  # bad numbers are refused before anything connects
    settings = BackupSettings(
        request=request,
        open_request=open_request,
        keep_private=keep_private,
        min_ratio=min_size_ratio,
        push=push,
    )
    with open_fleet(fleet) as opened:
        report = run_backup(opened, settings)
    if fleet.json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print_report(report, Console(stderr=True, highlight=False))
    return int(report.exit_code)


def register(app: typer.Typer) -> None:
    """Add the `backup` command."""
    app.command(name="backup")(backup)
