"""How a fleet command hands its report back: JSON on stdout or the human view on stderr,
then the report's exit code. Also the coloured line printers the human views share.

Light on purpose (typer only; rich where a human view is printed): every CLI module imports it
at start-up.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import typer

if TYPE_CHECKING:  # rich is imported where a human view is printed: a --json run loads none
    from rich.console import Console

DIFF_STYLE = {"+": "green", "-": "red", "@": "cyan"}


class FleetReport(Protocol):
    """What every playbook report offers the CLI."""

    @property
    def exit_code(self) -> int: ...

    def to_json(self) -> Any: ...


def finish(
    report: FleetReport,
    as_json: bool,
    print_human: Callable[[Console], None],
    *,
    highlight: bool = False,
) -> int:
    """Print ``report`` as JSON on stdout (``as_json``) or with ``print_human`` on stderr, and
    return its exit code for `fleet_command`."""
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False, default=str))
    else:
        from netrawat.console import err_console

        print_human(err_console(highlight=highlight))
    return int(report.exit_code)


def counts_line(counts: Mapping[str, int]) -> str:
    """``"2 drift, 1 failed"`` from ``{"drift": 2, "failed": 1}``."""
    return ", ".join(f"{n} {status}" for status, n in counts.items())


def print_diff(console: Console, diff: str, indent: str = "") -> None:
    """A unified diff, one coloured line at a time (+ green, - red, @@ cyan)."""
    from rich.markup import escape

    for line in diff.splitlines():
        style = DIFF_STYLE.get(line[:1], "")
        text = escape(line)
        console.print(f"{indent}[{style}]{text}[/]" if style else f"{indent}{text}", soft_wrap=True)


def print_titled_lines(
    console: Console, title: str, lines: Iterable[str], style: str, indent: str = "  "
) -> None:
    """``title:`` then each line, indented further and coloured; nothing when there are none."""
    from rich.markup import escape

    shown = list(lines)
    if not shown:
        return
    console.print(f"{indent}{title}:")
    for line in shown:
        console.print(f"{indent}  [{style}]{escape(line)}[/]", soft_wrap=True)
