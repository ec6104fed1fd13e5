"""The command line: help shows only what exists, errors map to the documented exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


# --- fleet command conventions (exercised through `netrawat inventory`) -----------------


def test_fleet_commands_take_the_common_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["inventory", "--help"]) == ExitCode.OK
    text = capsys.readouterr().out
    for option in ("--inventory", "--state", "--secrets", "--workers", "--host", "--opd"):
        assert option in text
    for option in ("--role", "--platform", "--group", "--trust-new-hosts", "--json"):
        assert option in text


def test_workers_out_of_range_is_usage_error() -> None:
    assert run(["inventory", "--workers", "0"]) == ExitCode.BAD_INPUT


def test_inventory_from_environment_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("NETRAWAT_INVENTORY", str(tmp_path / "nowhere"))
    assert run(["inventory"]) == ExitCode.BAD_INPUT
    assert str(tmp_path / "nowhere") in capsys.readouterr().err


def test_help_lists_every_capability_by_a_one_line_summary() -> None:
    from netrawat.cli.main import COMMAND_MODULES, build_app

    app = build_app()
    listed = {c.name or c.callback.__name__: c.short_help for c in app.registered_commands}  # type: ignore[union-attr]
    listed |= {g.name: g.short_help for g in app.registered_groups}
    assert set(listed) == set(COMMAND_MODULES)
    for name, summary in listed.items():
        assert isinstance(summary, str), name
        assert "\n" not in summary and summary.endswith("."), name
        assert "shouldn't use this class" not in summary, name
