"""`netrawat inventory`: list the selected hosts after validation (like ansible-inventory --list).

It checks the whole inventory and the credentials exactly as every fleet command does, without
connecting to anything; the listing shows whether each host's SSH key is pinned yet.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from netrawat.cli.options import FleetOptions, fleet_command
from netrawat.console import show_table
from netrawat.exitcodes import ExitCode

if TYPE_CHECKING:  # Nornir and paramiko load only when the command runs
    from nornir.core.inventory import Host


def host_row(host: Host, pinned: bool) -> dict[str, Any]:
    """One host as the listing shows it."""
    from netrawat.inventory.filters import host_opd

    opd = host_opd(host)
    return {
        "name": host.name,
        "opd": opd,
        "opd_name": host.get("opd_name", ""),
        "role": host.get("role"),
        "platform": host.platform,
        "model": host.get("model", ""),
        "address": host.hostname,
        "port": host.port,
        "api_port": host.get("api_port"),
        "groups": [g.name for g in host.groups],
        "host_key": "pinned" if pinned else "not pinned",
    }


@fleet_command
def inventory(fleet: FleetOptions) -> int:
    """List the selected hosts (name, OPD, role, platform, address) after validating the
    inventory and credentials. Connects to nothing."""
    from netrawat.fleet import load_selection, resolve_inventory_dir, state_dir_of
    from netrawat.hostkeys import known_hosts_name, load_known_hosts
    from netrawat.inventory.filters import host_opd

    state = state_dir_of(fleet.spec)
    nornir, _ = load_selection(fleet.spec, state.known_hosts)
    pinned = load_known_hosts(state.known_hosts)
    rows = [
        host_row(h, pinned.lookup(known_hosts_name(str(h.hostname), int(h.port or 22))) is not None)
        for h in sorted(nornir.inventory.hosts.values(), key=lambda h: (host_opd(h), h.name))
    ]
    if fleet.json:
        document = {"inventory": str(resolve_inventory_dir(fleet.spec)), "count": len(rows)}
        typer.echo(json.dumps({**document, "hosts": rows}, indent=2))
        return ExitCode.OK
    table = Table(title=f"{len(rows)} hosts - {escape(str(resolve_inventory_dir(fleet.spec)))}")
    for column in ("name", "opd", "role", "platform", "model", "address", "host key"):
        table.add_column(column)
    for row in rows:
        address = f"{row['address']}:{row['port']}"
        table.add_row(
            row["name"],
            row["opd"],
            row["role"],
            row["platform"],
            row["model"],
            address,
            row["host_key"],
        )
    console = Console(stderr=True)
    if not console.is_terminal:  # piped or logged: never truncate names and addresses
        console = Console(stderr=True, width=200)
    show_table(console, table)
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    """Add the `inventory` command."""
    app.command(name="inventory")(inventory)
