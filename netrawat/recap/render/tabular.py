"""CSV and XLSX renderers of the flat tables (`netrawat.recap.render.flat`)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from netrawat.errors import InputError
from netrawat.escape import spreadsheet_text
from netrawat.recap.render import TABLE_KEYS
from netrawat.recap.render.flat import Cell, Table, all_tables, baseline_table, drills_table
from netrawat.recap.report import Report

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HOURS_FORMAT = "0.00"


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return spreadsheet_text(value)
    return str(value)


def render_csv(report: Report, lang: str, table: str = "requests") -> str:
    """One table of the report as CSV (default: the requests with their SOP steps)."""
    tables = [*all_tables(report, lang), baseline_table(report, lang), drills_table(report, lang)]
    chosen = {t.key: t for t in tables}.get(table)
    if chosen is None:
        raise InputError(f"unknown table {table!r}", f"use one of: {', '.join(TABLE_KEYS)}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: a CR or LF in a cell is quoted
    writer.writerow(chosen.headers)
    writer.writerows([_csv_cell(c) for c in row] for row in chosen.rows)
    return out.getvalue()


def _sheet_title(table: Table) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(ch for ch in table.title if ch not in "[]:*?/\\")
    return cleaned[:31]


def _fill_sheet(workbook: Workbook, table: Table) -> None:
    sheet = workbook.create_sheet(_sheet_title(table))
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            _put(sheet.cell(row=number, column=column), value)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, float):
                cell.number_format = HOURS_FORMAT
    for index, header in enumerate(table.headers, start=1):
        widest = max([len(header) // 2, *(len(_csv_cell(r[index - 1])) for r in table.rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 10), 60)
    sheet.freeze_panes = "B2"


def _put(cell: Any, value: Cell) -> None:
    """One value into a cell: text is always a string cell (data type ``s``, never a formula
    ``f``) and OWASP-escaped; numbers and times keep their types."""
    if isinstance(value, str):
        cell.value = spreadsheet_text(value)
        cell.data_type = "s"
    else:
        cell.value = value


def render_xlsx(report: Report, lang: str, path: Path) -> None:
    """The report as an Excel workbook: one sheet per table, real types and formats."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in all_tables(report, lang):
        _fill_sheet(workbook, table)
    workbook.properties.title = f"netrawat recap {report.period.label}"
    workbook.save(path)
