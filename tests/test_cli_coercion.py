"""Every option of every command reads a value as typer itself reads it: `light_coercion`'s fast
paths give typer's value, and typer's refusal (its exact words) where typer refuses.

In-process, parse only (``make_context``): no command runs, no device is contacted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer._click import exceptions as click_errors

from netrawat.cli.main import _usage_line, build_app, cli_command

WORDS = ("", " ", "abc", "nosuch", "a\x01b", "-", "~")
INTS = ("-1", "0", "1", "20", "020", " 5", "+5", "1_0", "500", "501", "9" * 30, "\uff17")
FLOATS = ("0.5", "1.5", "1e3", "inf", "nan")
PATHS = ("/nonexistent/x", "/tmp", "/etc/hostname", "a//b/")
NUMBERS = ("045/112/Diskes/XI/2026", " 045/1 ")  # request numbers
LONG = ("9" * 5000,)  # more digits than int() reads: typer refuses it, in one line
VALUES = [*WORDS, *INTS, *LONG, *FLOATS, *PATHS, *NUMBERS]  # U+FF17: a full-width 7, refused


def _leaves(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    subs = getattr(command, "commands", {})
    if not subs:
        yield path, command
    for name, sub in sorted(subs.items()):
        yield from _leaves(sub, (*path, name))


def _parsed(command: Any, path: tuple[str, ...], argv: list[str]) -> str:
    for name in path:
        command = command.commands[name]
    try:
        ctx = command.make_context(" ".join(["netrawat", *path]), list(argv))
    except click_errors.ClickException as exc:
        return f"{type(exc).__name__}: {_usage_line(exc)}"
    except Exception as exc:  # a parser's own error (InputError), as run() reports it
        return f"{type(exc).__name__}: {exc}"
    return repr(sorted((name, type(v).__name__, repr(v)) for name, v in ctx.params.items()))


def _typer_own() -> Any:
    """The same application as typer builds it: every value through typer's adapters."""
    return typer.main.get_command(build_app(None))


def _cases() -> Iterator[tuple[tuple[str, ...], list[str]]]:
    for path, command in _leaves(cli_command(None)):
        yield path, []  # the defaults
        for param in command.params:
            if getattr(param, "is_flag", False) or param.name == "help":
                continue
            for value in VALUES:
                opt = param.opts[0]
                yield path, ([opt, value] if opt.startswith("-") else [value])


def test_every_option_value_reads_as_typer_reads_it() -> None:
    light, own = cli_command(None), _typer_own()
    differ = [
        (path, argv, mine, theirs)
        for path, argv in _cases()
        if (mine := _parsed(light, path, argv)) != (theirs := _parsed(own, path, argv))
    ]
    assert differ == []


def test_the_cases_reach_fast_paths_and_typer_refusals() -> None:
    light = cli_command(None)
    results = [_parsed(light, path, argv) for path, argv in _cases() if path == ("backup",)]
    assert any("'--workers': Input should be less than or equal to 500" in r for r in results)
    assert any("('workers', 'int', '20')" in r for r in results)
    assert any("('inventory', 'PosixPath', \"PosixPath('/tmp')\")" in r for r in results)


PROBE = """
import json, sys
from netrawat.cli.main import cli_command
group = cli_command(sys.argv[1:])
ctx = group.make_context("netrawat", sys.argv[1:2])
command = group.commands[sys.argv[1]]
command.make_context(sys.argv[1], sys.argv[2:], parent=ctx)
print(json.dumps(sorted(m for m in ("pydantic", "typer._adapters") if m in sys.modules)))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["backup", "--inventory", "inv", "--state", "st", "--host", "R1", "--workers", "20"],
        ["health", "--opd", "dinkes", "--processes", "1", "--json"],
    ],
)
def test_a_plain_command_line_builds_no_adapter(argv: list[str], tmp_path: Path) -> None:
    """Parsed (not run: the contexts are made, no command is invoked)."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert json.loads(out) == []
