"""`netrawat health`: survey the selected devices and grade the damage (SOP step 2).

No ``from __future__ import annotations``: `fleet_command` reads the signature without
evaluating string annotations, and typer would lose the ``Annotated`` option metadata.

Heavy imports (Nornir, the playbook) happen inside the command: `netrawat --help` stays fast.
"""

from typing import Annotated

import typer

from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.cli.recap_common import OpenRequestOpt, RequestOpt
from netrawat.cli.report_output import finish
from netrawat.console import err_console


@fleet_command
def health(
    fleet: FleetOptions,
    request: RequestOpt = None,
    open_request: OpenRequestOpt = False,
    via: Annotated[
        str,
        typer.Option(
            "--via",
            help="RouterOS collection path: auto (API where the host has api_port), cli, api.",
        ),
    ] = "auto",
) -> int:
    """Check reachability, resources, sensors, interfaces, counters, gateway, DNS/NTP, DHCP and
    wireless on each device and grade it ringan/sedang/berat. Exit 0 when all are healthy,
    1 when any device has damage or could not be fully checked."""
    from netrawat.fleet import open_fleet
    from netrawat.health.report import print_report
    from netrawat.notify.summaries import DamageAlert
    from netrawat.playbooks.health import run_health

    fleet.refuse_unknown_request()
    with open_fleet(fleet.spec) as opened:
        alert = DamageAlert.prepare(
            opened.secrets, opened.log_path
        )  # notify section checked before any device
        report = run_health(opened, request=request, open_request=open_request, via=via)
        alert.send(report)  # sedang/berat found: summary to the notify channels
    code = finish(report, fleet.json, lambda console: print_report(report, console), highlight=True)
    alert.print(err_console(highlight=False))
    return code


def register(app: typer.Typer) -> None:
    """Add the `health` command."""
    app.command(name="health")(health)
