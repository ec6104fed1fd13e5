"""Tables that read well where they land: a rich table on a terminal, plain tab-separated
columns when the output is piped or redirected (for ``cut``, ``awk`` and spreadsheets)."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


def err_console(**options: object) -> Console:
    """The console of the human output (stderr). Piped or logged (cron mail, the journal, a
    file), lines are not wrapped at 80 columns: a commit id or a path stays on its line."""
    console = Console(stderr=True, **options)  # type: ignore[arg-type]
    if not console.is_terminal:
        console.soft_wrap = True
    return console


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


KEY_WIDTH_MAX = 24
"""The first column (the host, request or step a row is about) keeps up to this many
characters on a narrow terminal; the other columns wrap."""


def _fitted(table: Table, console: Console) -> Table:
    """``table`` for the terminal of ``console``: when its frame does not fit, it is drawn
    without vertical lines and with less padding; no cell is cut short with an
    ellipsis (two APs shown as ``AP-DINKES…`` cannot be told apart): long words wrap inside
    their column, and the first column keeps its widest value whole (up to `KEY_WIDTH_MAX`)."""
    if not table.columns:
        return table
    wide = console.options.update_width(10_000)
    if Measurement.get(console, wide, table).maximum > console.width:
        table.box = box.SIMPLE_HEAD
        table.show_edge = False
        table.pad_edge = False
        table.padding = (0, 1, 0, 0)
    for column in table.columns:
        if column.overflow == "ellipsis" and not column.no_wrap:
            column.overflow = "fold"
    key = table.columns[0]
    if key.min_width is None:
        cells = [_plain(cell) for cell in key.cells] + [_plain(key.header)]
        key.min_width = min(KEY_WIDTH_MAX, max(map(cell_len, cells), default=0))
        if Measurement.get(console, wide, table).minimum > console.width:
            key.min_width = None  # it would push the last columns off the screen
    return table


def show_table(console: Console, table: Table) -> None:
    """Print ``table``: as is on a terminal, as tab-separated lines (header first, the title as
    a ``#`` comment) when piped."""
    if console.is_terminal:
        console.print(_fitted(table, console))
        return
    lines = [f"# {_plain(table.title)}"] if table.title else []
    lines += ["\t".join(cell.replace("\t", " ") for cell in row) for row in plain_rows(table)]
    # written as is: rich's print would expand the tabs into spaces (no `cut -f` then)
    console.file.write("".join(f"{line}\n" for line in lines))
    console.file.flush()
