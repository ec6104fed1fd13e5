"""RouterOS 7 column tables whose numbers contain spaces (``/interface print stats``).

RouterOS 7 prints counters with spaces as thousands separators (``16 094 858 187``) in
right-aligned columns, so splitting on whitespace is ambiguous and a TextFSM template cannot
tell where one number ends and the next begins. The header gives the answer: every numeric
column's values end where its header word ends. This module reads the columns by position.
"""

from __future__ import annotations

import itertools
import re

from netrawat.parsers.textfsm_runner import ParseError
from netrawat.parsers.units import plain_int

_HEADER = re.compile(r"^\s*#\s+NAME\s")
_ROW = re.compile(r"^\s*\d+\s")


def _columns(header: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", header)]


def _row_values(line: str, columns: list[tuple[str, int, int]]) -> dict[str, object]:
    name_start = columns[1][1]
    numeric = columns[2:]
    first_end = numeric[0][2]
    head = line[name_start:first_end].split()
    if len(head) < 2:
        raise ValueError(f"no name and first counter in {line!r}")
    row: dict[str, object] = {
        "name": head[0],
        numeric[0][0].lower().replace("-", "_"): plain_int(" ".join(head[1:])),
    }
    for (_, _, previous_end), (title, _, end) in itertools.pairwise(numeric):
        cell = line[previous_end:end].strip()
        row[title.lower().replace("-", "_")] = plain_int(cell) if cell else 0
    return row


def parse_stats_table(text: str) -> list[dict[str, object]]:
    """Rows of a RouterOS 7 ``print stats`` table: ``name`` plus one int per column.

    >>> text = (" #   NAME      RX-BYTE  RX-ERROR  TX-ERROR\\n"
    ...         " 0 R ether1  1 234 567        12         0\\n")
    >>> parse_stats_table(text)
    [{'name': 'ether1', 'rx_byte': 1234567, 'rx_error': 12, 'tx_error': 0}]
    """
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if _HEADER.match(line)), None)
    if header_at is None:
        raise ParseError("cannot parse interface stats: no `# NAME ...` header", raw=text)
    columns = _columns(lines[header_at])
    if len(columns) < 3:
        raise ParseError("cannot parse interface stats: no counter column", raw=text)
    rows = []
    for line in lines[header_at + 1 :]:
        if not _ROW.match(line):
            continue
        try:
            rows.append(_row_values(line, columns))
        except ValueError as exc:
            raise ParseError(f"cannot parse interface stats: {exc}", raw=text) from exc
    return rows


def parse_monitor_columns(text: str) -> list[dict[str, str]]:
    """Rows of a RouterOS ``monitor [find] once`` over several items, printed side by side.

    >>> rows = parse_monitor_columns(
    ...     "           name: ether2       ether3\\n"
    ...     " poe-out-status: powered-on   short-circuit\\n")
    >>> rows[1]
    {'name': 'ether3', 'poe-out-status': 'short-circuit'}
    """
    columns: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, values = line.partition(":")
        if not sep or not re.fullmatch(r"\s*[a-z][a-z0-9-]*", key):
            raise ParseError(f"cannot parse monitor output line {line.strip()!r}", raw=text)
        columns[key.strip()] = values.split()
    names = columns.get("name")
    if names is None:
        raise ParseError("cannot parse monitor output: no `name:` line", raw=text)
    return [
        {key: values[i] for key, values in columns.items() if i < len(values)}
        for i in range(len(names))
    ]
