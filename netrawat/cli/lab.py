"""``netrawat lab ...``: the device lab (simulated OPD routers and APs over real SSH)."""

from __future__ import annotations

import json
import time
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
from netrawat.paths import EXAMPLE_INVENTORY
from netrawat_lab import layout
from netrawat_lab.faults import parse_fault
from netrawat_lab.handle import Lab

err = err_console()

DirOpt = Annotated[
    Path,
    typer.Option("--dir", envvar="NETRAWAT_LAB_DIR", help="The lab directory.", file_okay=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]


@plain_command
def up(
    *,
    lab_dir: DirOpt,
    devices: Annotated[
        int | None, typer.Option("--devices", min=1, max=5000, help="Generate N devices.")
    ] = None,
    fleet: Annotated[
        Path | None, typer.Option("--fleet", exists=True, dir_okay=False, help="A fleet file.")
    ] = None,
    latency: Annotated[
        int, typer.Option("--latency", min=0, max=60000, help="Latency per reply (ms).")
    ] = 0,
    block: Annotated[
        int | None,
        typer.Option(
            "--block", min=1, max=254, help="Serve on 127.BLOCK.0.0/16 (default: per dir)."
        ),
    ] = None,
    inventory: Annotated[
        Path, typer.Option("--from-inventory", help="OPD inventory the default fleet copies.")
    ] = EXAMPLE_INVENTORY,
) -> int:
    """Start the lab in the background; returns once every device accepts connections."""
    if not (inventory / "hosts.yaml").is_file():  # a typo must not start the built-in fleet
        raise InputError(
            f"--from-inventory {inventory} holds no hosts.yaml",
            "name an inventory directory, or use --devices N / --fleet FILE",
        )
    started = time.monotonic()
    lab = Lab.up(
        lab_dir, devices=devices, fleet=fleet, latency_ms=latency, block=block, inventory=inventory
    )
    err.print(
        f"lab up: {len(lab.specs)} devices in {time.monotonic() - started:.1f} s "
        f"(pid {lab.pid}); use --inventory {escape(str(lab.dir))}"
    )
    return ExitCode.OK


@plain_command
def down(lab_dir: DirOpt) -> int:
    """Stop the lab and everything it runs."""
    was_running = Lab.existing(lab_dir).down()
    err.print("lab down" if was_running else f"no lab was running in {lab_dir}")
    return ExitCode.OK


@plain_command
def fault(
    lab_dir: DirOpt,
    host: Annotated[str, typer.Argument(help="Device name, e.g. RTR-DINKES.")],
    fault_text: Annotated[str, typer.Argument(metavar="FAULT[=VALUE]", help="e.g. slow=500.")],
) -> int:
    """Turn on a fault on a running device (see `netrawat lab status` for names)."""
    name, value = parse_fault(fault_text)
    Lab.existing(lab_dir).fault(host, name, value)
    err.print(f"{host}: {name}{'=' + value if value else ''} on")
    return ExitCode.OK


@plain_command
def clear(
    lab_dir: DirOpt,
    host: Annotated[str, typer.Argument(help="Device name.")],
) -> int:
    """Clear every fault of a device."""
    Lab.existing(lab_dir).clear(host)
    err.print(f"{host}: faults cleared")
    return ExitCode.OK


@plain_command
def reset(
    lab_dir: DirOpt,
    host: Annotated[str | None, typer.Argument(help="Device name (default: every device).")] = None,
) -> int:
    """Put a device (default: every device) back exactly as seeded when the lab started:
    configuration, files, safe mode, faults, history. Sessions and host keys stay."""
    lab = Lab.existing(lab_dir)
    if host:
        lab.reset(host)
        err.print(f"{host}: back as seeded")
    else:
        err.print(f"{len(lab.reset_all())} devices back as seeded")
    return ExitCode.OK


@plain_command
def status(lab_dir: DirOpt, json_output: JsonOpt = False) -> int:
    """The devices of a running lab: address, platform, sessions, faults."""
    devices = Lab.existing(lab_dir).client.status()
    if json_output:
        typer.echo(json.dumps({"dir": str(lab_dir), "devices": devices}, indent=2))
        return ExitCode.OK
    table = Table("host", "opd", "role", "platform", "ssh", "api", "sessions", "faults")
    for d in devices:
        faults = ", ".join(k if v is None else f"{k}={v}" for k, v in d["faults"].items())
        table.add_row(
            d["hostname"],
            d["opd"],
            d["role"],
            d["platform"],
            f"{d['address']}:{d['port']}",
            str(d["api_port"] or "-"),
            str(d["sessions"]),
            faults or "-",
        )
    wide = err if err.is_terminal else Console(stderr=True, width=160)
    show_table(wide, table)
    err.print(f"{len(devices)} devices; inventory: {escape(str(lab_dir / layout.HOSTS))}")
    return ExitCode.OK


@plain_command
def history(
    lab_dir: DirOpt,
    host: Annotated[str, typer.Argument(help="Device name.")],
    json_output: JsonOpt = False,
) -> int:
    """Every line the device received (shell lines and exec commands), oldest first."""
    entries = Lab.existing(lab_dir).client.history(host)
    if json_output:
        typer.echo(json.dumps(entries, indent=2))
        return ExitCode.OK
    for entry in entries:
        stamp = time.strftime("%H:%M:%S", time.localtime(entry["time"]))
        typer.echo(f"{stamp} s{entry['session']} {entry['kind']:5} {entry['line']}")
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    """Add ``netrawat lab`` with its subcommands."""
    lab_app = typer.Typer(
        help="The device lab: simulated OPD routers and APs over real SSH, faults on demand.",
        no_args_is_help=True,
    )
    for command in (up, down, fault, clear, reset, status, history):
        lab_app.command(command.__name__)(command)
    app.add_typer(lab_app, name="lab")
