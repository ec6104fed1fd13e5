"""`netrawat preventive`: the unattended preventive run (drift + backup + health + notification).

Cron-safe: no TTY needed (no prompt, no progress bar without a terminal), the ``preventive``
lock against overlapping runs, a log file per run in ``<state>/logs``, the documented exit
codes. No ``from __future__ import annotations`` (typer reads the annotations).

Heavy imports (Nornir, the playbooks) happen inside the command: `netrawat --help` stays fast.
"""

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from netrawat.cli.backup import summary_line
from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.cli.report_output import finish
from netrawat.errors import InputError
from netrawat.notify.messages import ALL_STEPS, STEPS

if TYPE_CHECKING:
    from netrawat.playbooks.preventive import PreventiveReport

STATUS_STYLE = {"ok": "green", "problems": "yellow", "error": "bold red", "skipped": "dim"}


def _step_text(report: "PreventiveReport", name: str) -> tuple[str, str]:
    """(style key, text) of one step for the human summary."""
    if name in report.step_errors:
        return "error", f"did not run: {report.step_errors[name].one_line()}"
    if name in report.skipped:
        return "skipped", f"skipped: {report.skipped[name]}"
    if name == "drift" and report.drift is not None:
        counts = ", ".join(f"{n} {s}" for s, n in report.drift.counts().items() if n)
        drifted = [h.host for h in report.drift.of("drift")]
        detail = f" ({', '.join(drifted)}; report {report.drift.reports[0]})" if drifted else ""
        return ("problems" if report.drift_code() else "ok"), counts + detail
    if name == "backup" and report.backup is not None:
        return ("problems" if report.backup.exit_code else "ok"), summary_line(report.backup)
    if name == "health" and report.health is not None:
        h = report.health
        return ("problems" if h.exit_code else "ok"), f"worst grade {h.worst.label}"
    if name == "audit" and report.audit is not None:
        from netrawat.audit.report import summary_line as audit_summary

        new = len(report.audit.new_findings)
        return ("problems" if report.audit_code() else "ok"), (
            f"{audit_summary(report.audit)}; {new} new finding(s)"
        )
    return "skipped", "-"


def print_summary(report: "PreventiveReport", console: Console) -> None:
    """The run on stderr: the health table, one line per step, notifications, the log."""
    from netrawat.health.report import print_report as print_health
    from netrawat.playbooks.preventive import step_lines

    if report.health is not None:
        print_health(report.health, console)
    console.print(f"[bold]preventive {report.preventive_id}[/] (run {report.run_id})")
    named = {line.step: line.hosts for line in step_lines(report)}
    for name in ALL_STEPS:
        ran = getattr(report, name) is not None or name in report.step_errors
        if name not in STEPS and not ran:
            continue  # an optional step not asked for
        style, text = _step_text(report, name)
        console.print(f"  [{STATUS_STYLE[style]}]{name:<7}[/] {escape(text)}", soft_wrap=True)
        for host in named.get(name, ()):
            console.print(f"          {host}", soft_wrap=True, markup=False)
    for delivery in report.deliveries:
        result = "sent" if delivery.ok else f"[bold red]FAILED[/]: {escape(str(delivery.error))}"
        console.print(f"  notify  {delivery.notifier}: {result}", soft_wrap=True)
    if report.notify_note:
        console.print(f"  notify  {escape(str(report.notify_note))}", soft_wrap=True)
    if report.log_path:
        console.print(f"  log     {escape(str(report.log_path))}", soft_wrap=True)


@fleet_command
def preventive(
    fleet: FleetOptions,
    step: Annotated[
        list[str] | None,
        typer.Option(
            "--step",
            help=f"Only these steps (repeatable): {', '.join(ALL_STEPS)}. "
            f"Default: {', '.join(STEPS)}.",
        ),
    ] = None,
    via: Annotated[
        str,
        typer.Option("--via", help="Health collection path on RouterOS: auto, cli, api."),
    ] = "auto",
    notify: Annotated[
        bool,
        typer.Option(
            "--notify/--no-notify", help="Send the summary through the configured notifiers."
        ),
    ] = True,
    audit: Annotated[
        bool,
        typer.Option(
            "--audit",
            help="Also check the security baseline (netrawat audit); new findings since the "
            "last audit are named in the notification.",
        ),
    ] = False,
) -> int:
    """Preventive maintenance of the selected fleet in one unattended run: config drift since the
    last backup, a backup commit, a graded health survey, all filed in the recap under an
    automatic preventive id (PM-YYYYMMDD-HHMM), then a summary by e-mail/Telegram. Exit 0 when
    everything is clean, 1 when a host failed, drifted or is damaged (or a notification
    failed), 2 bad input, 3 cannot run (another preventive run holds the lock)."""
    steps = tuple(step or STEPS) + (("audit",) if audit else ())
    unknown = sorted(set(steps) - set(ALL_STEPS))
    if unknown:
        raise InputError(f"unknown step {', '.join(unknown)}", f"use: {', '.join(ALL_STEPS)}")
    from netrawat.fleet import open_fleet
    from netrawat.playbooks.preventive import PreventiveSettings, run_preventive

    settings = PreventiveSettings(steps=steps, via=via, notify=notify)
    with open_fleet(fleet.spec) as opened:
        report = run_preventive(opened, settings)
    return finish(report, fleet.json, lambda console: print_summary(report, console))


def register(app: typer.Typer) -> None:
    """Add the `preventive` command."""
    app.command(name="preventive")(preventive)
