"""`netrawat repair`: repairs rendered from templates — dry run by default, ``--apply`` to push.

No ``from __future__ import annotations`` here: `fleet_command` reads the command's signature
without evaluating string annotations, so typer would lose the ``Annotated`` option metadata.

Heavy imports (Nornir, the playbook) happen inside the command: `netrawat --help` stays fast.
"""

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.cli.recap_common import OpenRequestOpt, RequestOpt
from netrawat.cli.report_output import counts_line, finish, print_diff, print_titled_lines
from netrawat.console import err_console, show_table
from netrawat.errors import InputError

if TYPE_CHECKING:
    from netrawat.repair.model import HostRepair, RepairReport

STATUS_STYLE = {
    "dry-run": "cyan",
    "no-change": "green",
    "repaired": "green",
    "unverified": "bold magenta",
    "rolled-back": "yellow",
    "rollback-failed": "bold red",
    "reverted-by-device": "yellow",
    "blocked": "magenta",
    "failed": "bold red",
}


def print_library(console: Console) -> None:
    """Every template per platform: what it does, its variables and its checks (one table per
    platform, so that it reads in 80 columns; tab-separated columns when piped)."""
    from netrawat.repair.library import all_templates

    templates = all_templates()
    for platform in sorted({t.platform for t in templates}):
        table = Table(title=f"repair templates: {platform}", title_justify="left")
        table.add_column("template", no_wrap=True)
        table.add_column("mode", no_wrap=True)
        table.add_column("what it does; variables; checks", overflow="fold")
        for t in (t for t in templates if t.platform == platform):
            variables = [f"{v.name}: {v.describe()}" for v in t.variables]
            checks = ", ".join(t.checks) or ("per feature" if t.feature_checks else "-")
            details = [t.description, *(f"  {v}" for v in variables), f"checks: {checks}"]
            table.add_row(t.name, t.mode, Text("\n".join(details)))
        show_table(console, table)


def _print_diff(console: Console, title: str, diff: str) -> None:
    if diff:
        console.print(f"  {title}:")
        print_diff(console, diff, indent="    ")


def _print_host(console: Console, host: "HostRepair") -> None:
    style = STATUS_STYLE.get(host.status, "")
    console.print(f"[bold]{host.host}[/] ({host.platform}): [{style}]{host.status}[/]")
    if host.reason:
        console.print(f"  {escape(host.reason)}")
    print_titled_lines(console, "commands", host.commands, "cyan")
    print_titled_lines(
        console, "not restored (hold a secret; set by hand)", host.not_restored, "red"
    )
    if host.commands and not host.modelled:
        console.print("  expected diff: not modelled for these commands (see the real diff)")
    _print_diff(console, "expected diff", host.expected_diff if host.status == "dry-run" else "")
    _print_diff(console, "diff (re-read from the device)", host.diff)
    for check in host.checks:
        console.print(f"  check {check['check']}: {check['status']} {escape(check['message'])}")
    if host.rollback is not None:
        proof = "verified" if host.rollback.verified else "NOT verified"
        console.print(f"  rollback ({proof}): {escape(host.rollback.reason)}")
        print_titled_lines(console, "rollback commands", host.rollback.sent, "yellow")
        _print_diff(console, "left after rollback", host.rollback.left)
    if host.safety is not None:
        console.print(f"  safety net: {host.safety.mechanism}: {escape(host.safety.note)}")
    if host.escalation:
        console.print(f"  [bold]{escape(host.escalation)}[/]")


def print_report(report: "RepairReport", console: Console) -> None:
    """Per host: status, commands, diffs, checks, rollback; then the totals."""
    mode = "APPLY" if report.apply else "dry run (nothing sent; add --apply --request NO)"
    console.print(f"repair {report.template} — {mode} — run {report.run_id}")
    for host in report.hosts:
        _print_host(console, host.public())
    if report.backup_before:
        console.print(f"backup before: {report.backup_before}")
    if report.backup_after:
        console.print(f"backup after:  {report.backup_after}")
    console.print(counts_line(report.counts()) or "no hosts")


@fleet_command
def repair(
    fleet: FleetOptions,
    *,
    template: Annotated[
        str | None, typer.Argument(help="The repair template (see --list).", show_default=False)
    ] = None,
    var: Annotated[
        list[str] | None,
        typer.Option("--var", help="A template variable NAME=VALUE (repeatable)."),
    ] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Push the repair (needs --request). Default: dry run.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Repair a device graded sedang/berat by its last health check (escalated).",
        ),
    ] = False,
    require_safe: Annotated[
        bool,
        typer.Option(
            "--require-safe",
            help="Refuse a device that cannot undo the change by itself (RouterOS Safe Mode, "
            "IOS revert timer with archive) instead of relying on the SSH rollback alone.",
        ),
    ] = False,
    list_templates: Annotated[
        bool, typer.Option("--list", help="List the repair templates and exit.")
    ] = False,
    request: RequestOpt = None,
    open_request: OpenRequestOpt = False,
) -> int:
    """Repair light damage from a template (SOP step 4). Dry run by default: shows the exact
    commands and the expected config diff, sends nothing. With --apply: backs up first, pushes
    line by line checking the device's errors, re-reads the config, runs the template's health
    checks and rolls back automatically if anything fails. Exit 0 when every host was repaired
    (or needed nothing), 1 when any failed, was rolled back or was blocked for escalation."""
    from netrawat.fleet import open_fleet
    from netrawat.playbooks.repair import RepairSettings, check_settings, preflight, run_repair
    from netrawat.repair.library import all_templates
    from netrawat.repair.variables import parse_assignments

    if list_templates:
        if fleet.json:
            typer.echo(json.dumps([t.to_json() for t in all_templates()], indent=2))
        else:
            print_library(err_console(highlight=False))
        return 0
    if template is None:
        raise InputError("which repair?", "give a TEMPLATE; `netrawat repair --list` shows them")
    settings = RepairSettings(
        template=template,
        variables=parse_assignments(var or []),
        apply=apply,
        request=request,
        open_request=open_request,
        force=force,
        require_safe=require_safe,
    )
    chosen = fleet.selection
    if apply and not (chosen.hosts or chosen.opds or chosen.roles or chosen.groups):
        raise InputError(
            "refusing to apply a repair to the whole fleet",
            "select the devices with --host/--opd/--role/--group",
        )
    check_settings(settings)  # the template and request first: nothing read before
    fleet.refuse_unknown_request()
    with open_fleet(fleet.spec, preflight=preflight(settings)) as opened:
        report = run_repair(opened, settings)
    return finish(report, fleet.json, lambda console: print_report(report, console))


def register(app: typer.Typer) -> None:
    """Add the `repair` command."""
    app.command(name="repair")(repair)
