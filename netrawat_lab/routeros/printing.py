"""RouterOS 7.16 print layouts: table (default / ``brief``), ``detail``, ``terse``,
``as-value``, and the ``key: value`` block of settings menus.

Input rows are `RouterOSModel.print` rows (API booleans); output is a list of lines.

>>> print_settings({"name": "RTR-DINKES"})
['  name: RTR-DINKES']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from netrawat_lab.routeros.layouts import Layout

Row = Mapping[str, str]
HIDDEN = frozenset({".id", "comment", "disabled", "dynamic"})
_QUOTED_DETAIL = frozenset(
    {"name", "default-name", "type", "ifname", "message", "host-name", "ssid", "configuration.ssid"}
)


def show(value: str) -> str:
    """A value as the CLI shows it (booleans ``yes``/``no``)."""
    return {"true": "yes", "false": "no"}.get(value, value)


def _is_flag_set(row: Row, prop: str) -> bool:
    return row.get(prop) in ("true", "yes")


def flags_of(row: Row, layout: Layout) -> str:
    """The flag column of one row: one character per flag group (space when none is set)."""
    out = []
    for group in layout.flags:
        letters = [letter for letter, _, prop in group if _is_flag_set(row, prop)]
        out.append(letters[0] if letters else " ")
    return "".join(out)


def legend(rows: Sequence[Row], layout: Layout, *, full: bool = False) -> str | None:
    """``Flags: X - DISABLED; D - DYNAMIC`` with the flags some row has (table print), or
    every flag in lower case (``full``, detail print)."""
    groups = []
    for group in layout.flags:
        used = [
            f"{letter} - {name.lower() if full else name}"
            for letter, name, prop in group
            if full or any(_is_flag_set(r, prop) for r in rows)
        ]
        if used:
            groups.append(", ".join(used))
    return "Flags: " + "; ".join(groups) if groups else None


def _used_groups(rows: Sequence[Row], layout: Layout) -> Layout:
    """The layout with only the flag groups some row uses (table print columns)."""
    groups = tuple(
        g for g in layout.flags if any(_is_flag_set(r, p) for r in rows for _, _, p in g)
    )
    return replace(layout, flags=groups)


def _flag_props(layout: Layout) -> set[str]:
    return {prop for group in layout.flags for _, _, prop in group}


def print_table(rows: Sequence[Row], layout: Layout, numbers: Sequence[int]) -> list[str]:
    """The v7 table: legend, ``Columns:``, header, rows with ``;;;`` comment lines."""
    columns = [(h, p) for h, p in layout.columns if any(r.get(p, "") for r in rows)]
    layout = _used_groups(rows, layout)
    flags = [flags_of(r, layout) for r in rows]
    flag_width = max((len(f) for f in flags), default=0)
    index_width = max([1, *(len(str(n)) for n in numbers)]) if layout.numbered else 0
    widths = [max([len(h), *(len(show(r.get(p, ""))) for r in rows)]) for h, p in columns]
    lines = []
    head = legend(rows, layout)
    if head:
        lines.append(head)
    if columns:
        lines.append("Columns: " + ", ".join(h for h, _ in columns))
    lead = _lead("#", index_width, " " * flag_width)
    lines.append(
        _join(lead, [(h, w, p in layout.right) for (h, p), w in zip(columns, widths, strict=True)])
    )
    for row, number, flag in zip(rows, numbers, flags, strict=True):
        if row.get("comment"):
            lines.append(";;; " + row["comment"])
        lead = _lead(str(number), index_width, flag.ljust(flag_width))
        cells = [
            (show(row.get(p, "")), w, p in layout.right)
            for (_, p), w in zip(columns, widths, strict=True)
        ]
        lines.append(_join(lead, cells))
    return lines


def _lead(number: str, index_width: int, flag: str) -> str:
    """The row start: right-aligned number (none when ``index_width`` is 0), then flags."""
    parts = [number.rjust(index_width)] if index_width else []
    if flag:
        parts.append(flag)
    return " ".join(parts)


def _join(lead: str, cells: Sequence[tuple[str, int, bool]]) -> str:
    parts = [text.rjust(width) if right else text.ljust(width) for text, width, right in cells]
    return lead + " " + "  ".join(parts) if parts else lead


def _pairs(row: Row, layout: Layout, *, detail: bool) -> str:
    skip = HIDDEN | _flag_props(layout) | (set() if detail else layout.detail_only)
    keys = [k for k in layout.keys if k in row] if layout.keys else list(row)
    out = []
    for key in keys:
        if key in skip:
            continue
        text = show(row[key])
        if detail and key in _QUOTED_DETAIL:
            text = '"' + text.replace('"', '\\"') + '"'
        out.append(f"{key}={text}")
    return " ".join(out)


def print_detail(rows: Sequence[Row], layout: Layout, numbers: Sequence[int]) -> list[str]:
    """``print detail``: one block per item, ``;;;`` comment first, a blank line after."""
    flags = [flags_of(r, layout) for r in rows]
    flag_width = max([1, *(len(f) for f in flags)])
    index_width = max([2, *(len(str(n)) for n in numbers)])
    lines = []
    head = legend(rows, layout, full=True)
    if head:
        lines.append(head)
    for row, number, flag in zip(rows, numbers, flags, strict=True):
        lead = f"{str(number).rjust(index_width)} {flag.ljust(flag_width)} "
        body = _pairs(row, layout, detail=True)
        if row.get("comment"):
            lines.append(f"{lead};;; {row['comment']}")
            lines.append(" " * len(lead) + body)
        else:
            lines.append(lead + body)
        lines.append("")
    return lines


def print_terse(rows: Sequence[Row], layout: Layout, numbers: Sequence[int]) -> list[str]:
    """``print terse``: one line per item, ``comment=`` first."""
    flags = [flags_of(r, layout) for r in rows]
    flag_width = max([1, *(len(f) for f in flags)])
    index_width = max([2, *(len(str(n)) for n in numbers)])
    lines = []
    for row, number, flag in zip(rows, numbers, flags, strict=True):
        comment = f"comment={row['comment']} " if row.get("comment") else ""
        lead = f"{str(number).rjust(index_width)} {flag.ljust(flag_width)} "
        lines.append(lead + comment + _pairs(row, layout, detail=False))
    return lines


def print_as_value(rows: Sequence[Row]) -> list[str]:
    """``print as-value``: ``.id=*1;name=ether1;...`` items joined by ``;``."""
    items = [";".join(f"{k}={show(v)}" for k, v in row.items()) for row in rows]
    return [";".join(items)] if items else []


def print_settings(row: Row) -> list[str]:
    """A settings menu or a single-row view: right-aligned ``key: value`` lines."""
    width = max((len(k) for k in row), default=0) + 2
    return [f"{key.rjust(width)}: {show(value)}" for key, value in row.items()]
