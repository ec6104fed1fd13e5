"""Tables that read well where they land: a rich table on a terminal, plain tab-separated
columns when the output is piped or redirected (for ``cut``, ``awk`` and spreadsheets)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text


def _plain(cell: object) -> str:
    text = cell.plain if isinstance(cell, Text) else Text.from_markup(str(cell)).plain
    return "; ".join(part.strip() for part in text.splitlines() if part.strip())


def plain_rows(table: Table) -> list[list[str]]:
    """The table's header and rows as plain text cells (one line each)."""
    columns = table.columns
    header = [_plain(c.header) for c in columns]
    cells = [list(c.cells) for c in columns]
    rows = [[_plain(cells[i][r]) for i in range(len(columns))] for r in range(table.row_count)]
    return [header, *rows]


def show_table(console: Console, table: Table) -> None:
    """Print ``table``: as is on a terminal, as tab-separated lines (header first, the title as
    a ``#`` comment) when piped."""
    if console.is_terminal:
        console.print(table)
        return
    if table.title:
        console.print(f"# {_plain(table.title)}", markup=False, highlight=False, soft_wrap=True)
    for row in plain_rows(table):
        console.print("\t".join(row), markup=False, highlight=False, soft_wrap=True)
