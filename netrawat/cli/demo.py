"""`netrawat demo`: what `make demo` runs — the whole SOP on a lab fleet, narrated (< 2 min).

No ``from __future__ import annotations`` (typer reads the annotations).
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from netrawat.cli.options import plain_command
from netrawat.demo.script import run_demo


@plain_command
def demo(
    directory: Annotated[
        Path,
        typer.Option(
            "--dir", help="Where the demo keeps its lab and state (cleared at the next demo)."
        ),
    ] = Path(".demo"),
) -> int:
    """Start a lab of 8 devices with three faults, run preventive maintenance, open a request
    for the faulty OPD, survey it, repair it (dry run, then applied), re-check, close it, print
    the recap and the config repository's history, and stop the lab."""
    return run_demo(directory, Console(stderr=True))


def register(app: typer.Typer) -> None:
    """Add the `demo` command."""
    app.command(name="demo")(demo)
