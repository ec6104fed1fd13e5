"""`netrawat --help` and `netrawat lab ...` start without loading the heavy libraries: the CLI
modules import Nornir, paramiko, SQLAlchemy, Jinja2 and openpyxl inside their commands.

Checked in a fresh interpreter by what is loaded, not by timing (speed is measured in bench/).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

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
