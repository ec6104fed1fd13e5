"""`netrawat diff`: drift since the last backup, or compliance against the intended config.

No ``from __future__ import annotations`` here: `fleet_command` reads the command's signature
without evaluating string annotations, so typer would lose the ``Annotated`` option metadata.

Heavy imports (Nornir, the playbook) happen inside the command: `netrawat --help` stays fast.
"""

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.cli.recap_common import OpenRequestOpt, RequestOpt
from netrawat.cli.report_output import counts_line, finish, print_diff, print_titled_lines
from netrawat.console import show_table
from netrawat.errors import InputError

if TYPE_CHECKING:
    from netrawat.playbooks.diff import DiffReport, HostDiff

STATUS_STYLE = {
    "no-drift": "green",
    "compliant": "green",
    "drift": "yellow",
    "non-compliant": "yellow",
    "no-backup": "magenta",
    "failed": "bold red",
}


def _detail(host: "HostDiff") -> str:
    if host.status in ("failed", "no-backup"):
        return host.reason
    if host.features:
        checked = [f for f in host.features if f.status != "skipped"]
        bad = [f.feature for f in host.non_compliant]
        if bad:
            return f"non-compliant: {', '.join(bad)} ({len(checked) - len(bad)} compliant)"
        if not checked:
            skipped = "; ".join(f"{f.feature}: {f.reason}" for f in host.features)
            return f"no feature checked ({skipped})"
        return f"{len(checked)} features compliant"
    return f"+{host.added} -{host.removed} lines" if host.diff else ""


def _print_features(console: Console, host: "HostDiff") -> None:
    for feature in host.non_compliant:
        console.print(f"[bold]{host.host} {feature.feature}[/]: non-compliant")
        for title, lines, style in (
            ("missing", feature.missing, "green"),
            ("extra", feature.extra, "red"),
            ("remediation", feature.remediation, "cyan"),
        ):
            print_titled_lines(console, title, lines, style)


def print_report(report: "DiffReport", console: Console, details: bool) -> None:
    """The table, then the diffs / non-compliant features, on stderr."""
    table = Table(title=f"diff against {report.against} — run {report.run_id}")
    for column in ("host", "opd", "platform", "status", "detail"):
        table.add_column(column)
    for host in report.hosts:
        style = STATUS_STYLE.get(host.status, "")
        table.add_row(
            host.host, host.opd, host.platform, f"[{style}]{host.status}[/]", escape(_detail(host))
        )
    show_table(console, table)
    features = report.by_feature()
    if features:
        summary = Table(title="features")
        for column in ("feature", "compliant", "non-compliant", "skipped"):
            summary.add_column(column)
        for name, row in features.items():
            bad = row["non-compliant"]
            summary.add_row(
                name,
                str(row["compliant"]),
                f"[yellow]{bad}[/]" if bad else "0",
                str(row["skipped"]),
            )
        show_table(console, summary)
    if details:
        for host in report.hosts:
            print_diff(console, host.diff)
            _print_features(console, host)
    console.print(counts_line(report.counts()))
    for path in report.reports:
        console.print(f"report: {escape(str(path))}")


@fleet_command
def diff(
    fleet: FleetOptions,
    *,
    against: Annotated[
        str,
        typer.Option(
            "--against",
            help="backup: live config vs the last committed backup (drift); "
            "intended: live config vs the config rendered from templates (compliance).",
        ),
    ] = "backup",
    feature: Annotated[
        list[str] | None,
        typer.Option("--feature", help="Only this compliance feature (repeatable)."),
    ] = None,
    request: RequestOpt = None,
    open_request: OpenRequestOpt = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="Only the table: no diffs or remediation lines.")
    ] = False,
    report: Annotated[
        bool,
        typer.Option("--report/--no-report", help="Write the Markdown+HTML report file."),
    ] = True,
    context: Annotated[
        int,
        typer.Option("--context", "-U", min=0, max=1000, help="Context lines of unified diffs."),
    ] = 3,
) -> int:
    """Show how each device's configuration differs from its last backup (drift) or from its
    intended configuration (compliance per feature, with the remediation that would fix it).
    Nothing is changed on the devices or committed. Exit 0 when nothing differs, 1 when any
    device drifted, is non-compliant, has no backup yet or could not be read."""
    from netrawat.compliance.features import all_feature_names
    from netrawat.fleet import open_fleet
    from netrawat.playbooks.diff import AGAINST, DiffSettings, run_diff

    if against not in AGAINST:
        raise InputError(f"--against {against!r} is not known", "use --against backup|intended")
    features = tuple(feature or ())
    known = all_feature_names()
    for name in features:
        if name not in known:
            raise InputError(f"--feature {name!r} is not known", f"use one of: {', '.join(known)}")
    if features and against != "intended":
        raise InputError("--feature applies to --against intended", "add --against intended")
    settings = DiffSettings(
        against=against,
        features=features,
        request=request,
        open_request=open_request,
        write_report=report,
        context=context,
    )
    fleet.refuse_unknown_request()
    with open_fleet(fleet.spec) as opened:
        result = run_diff(opened, settings)
    return finish(result, fleet.json, lambda console: print_report(result, console, not summary))


def register(app: typer.Typer) -> None:
    """Add the `diff` command."""
    app.command(name="diff")(diff)
