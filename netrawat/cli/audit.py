"""`netrawat audit`: check the selected devices against the security baseline.

No ``from __future__ import annotations``: `fleet_command` reads the signature without
evaluating string annotations, and typer would lose the ``Annotated`` option metadata.
Heavy imports (Nornir, the playbook) happen inside the command: `netrawat --help` stays fast.
"""

import typer

from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.cli.recap_common import OpenRequestOpt, RequestOpt
from netrawat.cli.report_output import finish


@fleet_command
def audit(
    fleet: FleetOptions,
    request: RequestOpt = None,
    open_request: OpenRequestOpt = False,
) -> int:
    """Check each device against the security baseline of its platform (RouterOS: MikroTik's
    "Securing your router"; IOS: CIS-style basics). Each finding names its severity
    (ringan/sedang/berat), the evidence and the repair to run (`netrawat repair`, dry run
    first). Exceptions come from the inventory (audit_exceptions, with a written reason).
    Exit 0 when every device is compliant, 1 with findings or a device not audited."""
    from netrawat.audit.report import print_report
    from netrawat.fleet import open_fleet
    from netrawat.playbooks.audit import run_audit

    fleet.refuse_unknown_request()
    with open_fleet(fleet.spec, connections=("netmiko",)) as opened:
        report = run_audit(opened, request=request, open_request=open_request)
    return finish(report, fleet.json, lambda console: print_report(report, console))


def register(app: typer.Typer) -> None:
    """Add the `audit` command."""
    app.command(name="audit")(audit)
