"""A command loads only its own module; help and unknown words load every module."""

from __future__ import annotations

import pytest

from netrawat.cli.main import COMMAND_MODULES, build_app, modules_for, run


def test_a_command_loads_only_its_module() -> None:
    assert modules_for(["backup", "--json"]) == ("backup",)
    assert modules_for(["--help"]) == COMMAND_MODULES
    assert modules_for(["no-such-command"]) == COMMAND_MODULES
    assert modules_for(None) == COMMAND_MODULES


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_every_module_registers_its_own_name(name: str) -> None:
    app = build_app([name])
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert name in names


def test_help_of_one_command_still_works(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["backup", "--help"]) == 0
    assert "Usage: netrawat backup" in capsys.readouterr().out
