"""`netrawat drill`: prove that stored backups restore (issue 17.2).

Every selected device's backup (at ``--commit``, default the latest) is restored onto a
fresh device of the same platform and model, read back and compared. The fresh devices run
in a private device lab started here and stopped after (the product below the CLI never
imports the lab: the playbook gets the lab's inventory as plain connection data).
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.cli.report_output import finish
from netrawat.platforms import profile_for

if TYPE_CHECKING:
    from netrawat.playbooks.drill import DrillReport, DrillTarget
    from netrawat_lab.spec import DeviceSpec

SERIAL = re.compile(r"^# serial number = (\S+)", re.MULTILINE)
STATUS_STYLE = {"restored": "green", "differs": "bold red", "failed": "bold red"}


def drill_specs(targets: list[DrillTarget], block: int, port: int) -> list[DeviceSpec]:
    """One factory-fresh lab device per target: same name (RouterOS software id), platform,
    role, model, serial and release as its backup says; the same login name, a throwaway
    password."""
    from netrawat_lab.spec import DeviceSpec

    specs = []
    for number, target in enumerate(targets, start=1):
        serial = SERIAL.search(target.backup)
        profile = profile_for(target.platform)
        release = profile.version_from_config(target.backup) if profile.needs_major_version else ""
        spec = DeviceSpec(
            hostname=target.host,
            opd=target.opd,
            role=target.role,
            platform=target.platform,
            address=f"127.{block}.{number // 250}.{number % 250 + 1}",
            port=port,
            username=target.username,
            password=secrets.token_urlsafe(12),
            enable_secret=secrets.token_urlsafe(9) if profile.has_enable else "",
            model=target.model,
            serial=serial.group(1) if serial else "",
            seed={"factory": True},
        )
        if release:  # the release the export names (RouterOS: its behaviour depends on it)
            spec.faults["upgrade"] = release
        specs.append(spec)
    return specs


def print_report(report: DrillReport, console: Console) -> None:
    """Per device: restored or not, how, what is not restorable from git, what differs."""
    console.print(f"restore drill of commit {report.commit[:12]} — run {report.run_id}")
    for host in report.hosts:
        style = STATUS_STYLE.get(host.status, "")
        console.print(f"[bold]{host.host}[/] ({host.platform}): [{style}]{host.status}[/]")
        if host.reason:
            console.print(f"  {escape(host.reason)}")
        if host.method:
            console.print(f"  restored by {escape(host.method)}: {len(host.steps)} step(s)")
        for line in host.not_restorable:
            console.print(f"  not restorable from git (secret): {escape(line)}", soft_wrap=True)
        for line in host.differences:
            console.print(f"  {line}", markup=False, soft_wrap=True)
    restored = sum(h.status == "restored" for h in report.hosts)
    console.print(f"{restored} of {len(report.hosts)} backup(s) restore exactly")


@fleet_command
def drill(
    fleet: FleetOptions,
    *,
    commit: Annotated[
        str,
        typer.Option("--commit", help="The config-repository revision to drill (default: HEAD)."),
    ] = "HEAD",
) -> int:
    """Restore drill: restore each selected device's stored backup onto a FRESH lab device of
    the same platform and model (RouterOS: /import, dry-run first on 7.16+; IOS: replace from
    factory), read it back and prove it reproduces the backup exactly, apart from what backups
    never hold (secrets: listed as not restorable from git). Exit 0 when every drilled backup
    restores, 1 otherwise (the differing lines are shown)."""
    from dataclasses import replace

    from netrawat.configs.repo import ConfigRepo
    from netrawat.fleet import load_selection, state_dir_of
    from netrawat.playbooks.drill import plan_drill, run_drill
    from netrawat_lab.testing import reserve_slot, session_slot, start_test_lab

    spec = fleet.spec
    state = state_dir_of(spec)
    nornir, _ = load_selection(spec, state.known_hosts)
    targets = plan_drill(dict(nornir.inventory.hosts), ConfigRepo(state.configs), commit)
    state.ensure()
    with (
        tempfile.TemporaryDirectory(prefix="drill-", dir=state.root) as scratch,
        reserve_slot(session_slot(private=os.getpid() % 97 + 1)) as slot,
    ):
        root = Path(scratch)
        lab = start_test_lab(root / "lab", drill_specs(targets, slot.block, slot.port), slot)
        try:
            drill_fleet = replace(
                spec,
                inventory=lab.inventory,
                secrets=lab.secrets,
                state=root / "state",
                trust_new_hosts=True,
                processes=1,
            )
            report = run_drill(state, drill_fleet, targets)
        finally:
            lab.down()
    return finish(report, fleet.json, lambda console: print_report(report, console))


def register(app: typer.Typer) -> None:
    """Add the `drill` command."""
    app.command(name="drill")(drill)
