"""The command line: help shows only what exists, errors map to the documented exit codes."""

from __future__ import annotations

import subprocess
import sys

from netrawat.cli.main import run
from netrawat.exitcodes import ExitCode


def test_version_exits_zero(capsys: object) -> None:
    assert run(["--version"]) == ExitCode.OK


def test_unknown_option_is_usage_error() -> None:
    assert run(["--no-such-option"]) == ExitCode.BAD_INPUT


def test_console_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "netrawat", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "netrawat" in proc.stdout
