"""`netrawat --help` and `netrawat lab ...` start without loading the heavy libraries: the CLI
modules import Nornir, paramiko, SQLAlchemy, Jinja2 and openpyxl inside their commands.

Checked in a fresh interpreter by what is loaded, not by timing (speed is measured in bench/).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from inventory_factory import write_inventory

HEAVY = ("sqlalchemy", "nornir", "paramiko", "netmiko", "napalm", "jinja2", "openpyxl")

PROBE = """
import json, sys
from netrawat.cli.main import build_app
build_app(sys.argv[1:])
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


@pytest.mark.parametrize("argv", [[], ["lab", "up"], ["recap"], ["request", "show"]])
def test_building_the_cli_loads_no_heavy_library(argv: list[str]) -> None:
    probe = PROBE.format(heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == []


def test_every_command_still_shows_its_help() -> None:
    from netrawat.cli.main import COMMAND_MODULES

    for name in COMMAND_MODULES:
        done = subprocess.run(
            [sys.executable, "-m", "netrawat", name, "--help"],
            check=False,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (name, done.stderr)
        assert "Usage" in done.stdout, name


RUN_PROBE = """
import json, sys
from netrawat.cli.main import run
code = run(sys.argv[1:])
print(json.dumps([code, sorted(m for m in ("rich", "pydantic") if m in sys.modules)]))
"""


def test_a_json_backup_loads_neither_rich_nor_pydantic(tmp_path: Path) -> None:
    """Up to its host selection (where ``--host nosuch`` stops it, exit 2): the playbook, the
    fleet and the inventory are loaded, but no human view and no typer adapter."""
    inventory = write_inventory(tmp_path / "inv")
    argv = ["backup", "--inventory", str(inventory), "--state", str(tmp_path / "state")]
    done = subprocess.run(
        [sys.executable, "-c", RUN_PROBE, *argv, "--host", "nosuch", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == [2, []], done.stderr
    assert "no such host" in done.stderr
