"""`netrawat backup`: keep every OPD device's configuration safe and reviewable in git.

No ``from __future__ import annotations`` here: `fleet_command` reads the command's signature
without evaluating string annotations, so typer would lose the ``Annotated`` option metadata.

Heavy imports (Nornir, the playbook) happen inside the command: `netrawat --help` stays fast;
rich where the human view is printed (a --json run loads none).
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

import typer

from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.cli.recap_common import OpenRequestOpt, RequestOpt
from netrawat.cli.report_output import finish
from netrawat.configs.verify import DEFAULT_MIN_RATIO
from netrawat.errors import InputError

if TYPE_CHECKING:  # rich is imported where the human view is printed: --json loads none
    from rich.console import Console
    from rich.table import Table

    from netrawat.playbooks.backup import BackupReport

STATUS_STYLE = {"changed": "yellow", "unchanged": "green", "failed": "bold red"}


def _host_table(report: "BackupReport") -> "Table":
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"backup {escape(report.request or '(no request)')} — run {report.run_id}")
    for column in ("host", "opd", "status", "lines", "detail"):
        table.add_column(column)
    for host in report.hosts:
        style = STATUS_STYLE[host.status]
        detail = host.reason if host.status == "failed" else host.path
        table.add_row(
            host.host, host.opd, Text(host.status, style), str(host.lines or ""), Text(detail)
        )
    return table


def summary_line(report: "BackupReport") -> str:
    """``2 changed, 5 unchanged, 0 failed; commit abc123`` (or the dry-run note)."""
    counts = {s: len(report.of(s)) for s in STATUS_STYLE}
    if report.dry_run:
        stored = "dry run: nothing stored"
    else:
        stored = f"commit {report.commit or '(none: nothing changed)'}"
    return (
        f"{counts['changed']} changed, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed; {stored}"
    )


def _notes(report: "BackupReport") -> list[str]:
    """Lines after the summary: ignored volatile lines, quarantines, lock, push."""
    notes = []
    if report.ignored:
        notes.append(
            "volatile lines ignored: "
            + ", ".join(f"{name} {n}" for name, n in report.ignored.items())
        )
    notes += [
        f"{h.host}: previous backup kept, output quarantined in {h.quarantine}"
        for h in report.of("failed")
        if h.quarantine
    ]
    if report.upgrades:
        notes += [
            f"OS upgraded: {upgrade} (re-validated: {', '.join(h.revalidated) or '-'})"
            for upgrade, h in zip(
                report.upgrades, [h for h in report.hosts if h.upgraded_from], strict=False
            )
        ]
    if report.recovered_lock:
        notes.append(f"recovered a stale lock left by pid {report.recovered_lock.get('pid', '?')}")
    if report.pushed:
        notes.append(f"pushed to {report.pushed}")
    if report.push_error:
        notes.append(f"push failed: {report.push_error}")
    if report.unrecorded:
        notes.append(
            f"the backup is stored, but the recap could not record the run: {report.unrecorded}"
        )
    return notes


def print_report(report: "BackupReport", console: "Console") -> None:
    """The per-host summary on stderr: status, lines, what was ignored, why a host failed."""
    from netrawat.console import show_table

    show_table(console, _host_table(report))
    console.print(summary_line(report))
    for host in report.of("changed"):
        for line in host.diff:
            console.print(line, markup=False)
    for note in _notes(report):
        console.print(note, markup=False)


def check_accept_reset(names: "frozenset[str]", selected: "Mapping[str, object]") -> None:
    """``--accept-reset`` names selected hosts only (a typo must not pass silently)."""
    unknown = sorted(n for n in names if n not in selected)
    if unknown:
        raise InputError(
            f"--accept-reset names {', '.join(unknown)}, not a selected host",
            "give the inventory name of a host this run backs up",
        )


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
    accept_reset: Annotated[
        list[str] | None,
        typer.Option(
            "--accept-reset",
            metavar="HOST",
            help="This host was reset or replaced on purpose: store its configuration even "
            "though its identity, factory defaults or size differ from the last backup "
            "(repeatable; the commit message names it).",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Fetch and verify, show the diff each host would commit; store nothing.",
        ),
    ] = False,
) -> int:
    """Fetch each device's configuration, verify it, drop volatile lines, remove secrets and
    store it as ONE git commit per run in <state>/configs (<opd>/<host>.rsc|cfg). A device
    whose output fails a check keeps its previous backup. Exit 0 when every host was backed
    up, 1 when any failed."""
    from netrawat.fleet import open_fleet
    from netrawat.playbooks.backup import BackupSettings, run_backup

    settings = BackupSettings(
        accept_reset=frozenset(accept_reset or ()),
        request=request,
        open_request=open_request,
        keep_private=keep_private,
        min_ratio=min_size_ratio,
        push=push,
        dry_run=dry_run,
    )
    fleet.refuse_unknown_request()
    with open_fleet(fleet.spec, connections=("netmiko",)) as opened:  # no NAPALM import
        check_accept_reset(settings.accept_reset, opened.hosts)
        report = run_backup(opened, settings)
    return finish(report, fleet.json, lambda console: print_report(report, console))


def register(app: typer.Typer) -> None:
    """Add the `backup` command."""
    app.command(name="backup")(backup)
