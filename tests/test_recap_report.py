"""The recap report in every format, in Bahasa Indonesia (default) and English."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from recap_fixtures import NUMBER, state_fixture, store_fixture  # noqa: F401

from netrawat.cli.main import run as cli
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode
from netrawat.recap import RecapStore, start_run
from netrawat.recap.render import render_csv, render_html, render_markdown, render_xlsx
from netrawat.recap.report import Report, build_report, choose_period
from netrawat.recap.requests import close_request, open_request
from netrawat.recap.values import LOCAL_TZ, moment
from netrawat.state import StateDir

TODAY = datetime.now(LOCAL_TZ).date()
MONTH = f"{TODAY:%Y-%m}"


@pytest.fixture
def filled(state: StateDir, store: RecapStore) -> StateDir:
    """Two requests (one overrun, closed; one open), a preventive run and an ad-hoc run."""
    received = datetime.now(UTC).replace(microsecond=0)
    open_request(
        store, NUMBER, opd="dinkes", summary="Internet mati <b>lantai 2</b>", received_at=received
    )
    with start_run(state, playbook="health", request=NUMBER, opds=["dinkes"]) as run:
        run.host("RTR-DINKES", opd="dinkes", outcome="ok", grade="ringan")
        run.host("AP-DINKES-1", opd="dinkes", outcome="failed", grade="sedang", error="timeout")
    with start_run(state, playbook="repair", request=NUMBER, opds=["dinkes"]) as run:
        run.host(
            "AP-DINKES-1",
            opd="dinkes",
            outcome="changed",
            actions=["set ntp", "set dns"],
            commit="3f2a9c1d",
        )
    close_request(store, NUMBER, result="restored")
    open_request(
        store,
        "12/KEC-PTK/XI/2026",
        opd="kec_pontianak_kota",
        summary="AP lambat",
        received_at=moment(f"{TODAY:%Y-%m}-01 00:00"),
    )
    with start_run(
        state, playbook="backup", preventive_id="PM-20261123-0200", opds=["dinkes", "bappeda"]
    ) as run:
        run.host("RTR-BAPPEDA", opd="bappeda", outcome="unchanged", commit="aa11bb22")
    with start_run(state, playbook="diff", opds=["bappeda"]) as run:
        run.host("RTR-BAPPEDA", opd="bappeda", outcome="ok")
    return state


@pytest.fixture
def report(filled: StateDir, store: RecapStore) -> Report:
    return build_report(store, choose_period(MONTH, None, None))


def test_report_content(report: Report) -> None:
    numbers = [line.request.number for line in report.requests]
    assert set(numbers) == {NUMBER, "12/KEC-PTK/XI/2026"}
    line = next(x for x in report.requests if x.request.number == NUMBER)
    assert line.grade == "sedang" and line.actions == ("set ntp", "set dns")
    assert line.commits == ("3f2a9c1d",)
    assert [r.preventive_id for r in report.preventive] == ["PM-20261123-0200"]
    assert [r.playbook for r in report.other_runs] == ["diff"]
    assert report.totals_opd["dinkes"]["requests"] == 1
    assert report.totals_grade["sedang"] == 1 and report.totals_grade["ungraded"] == 1


def test_opd_filter(filled: StateDir, store: RecapStore) -> None:
    only = build_report(store, choose_period(MONTH, None, None), "bappeda")
    assert only.requests == () and len(only.preventive) == 1 and len(only.other_runs) == 1


def test_markdown_indonesian_and_english(report: Report) -> None:
    text = render_markdown(report, "id")
    assert "# Buku Laporan Pemeliharaan Komponen Jaringan" in text
    assert f"### {NUMBER}" in text and "2. Survei & penilaian kerusakan" in text
    assert "| Tingkat kerusakan | Jumlah |" in text and "Pemeliharaan preventif" in text
    assert "**Hasil**: pulih" in text and "**Tingkat kerusakan**: sedang" in text
    english = render_markdown(report, "en")
    assert "# Network Maintenance Report Book" in english and "**Result**: restored" in english
    assert "**Damage grade**: medium" in english


def test_html_prints_on_a4_and_escapes(report: Report) -> None:
    page = render_html(report, "id")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="id">' in page
    assert "@page { size: A4" in page and "@media print" in page
    assert "break-inside: avoid" in page
    assert "&lt;b&gt;lantai 2&lt;/b&gt;" in page and "<b>lantai" not in page


def test_csv_parses(report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(report, "en"))))
    by_number = {r["Request no."]: r for r in rows}
    assert by_number[NUMBER]["Damage grade"] == "medium"
    assert by_number[NUMBER]["Result"] == "restored"
    assert by_number[NUMBER]["2. Survey and grading: Target (h)"] == "2.0"
    assert by_number[NUMBER]["2. Survey and grading: Overrun"] == "0"
    assert by_number["12/KEC-PTK/XI/2026"]["Status"] == "open"
    runs = list(csv.DictReader(io.StringIO(render_csv(report, "id", "preventive"))))
    assert runs[0]["ID"] == "PM-20261123-0200" and runs[0]["Perangkat"] == "1"
    with pytest.raises(InputError, match="unknown table"):
        render_csv(report, "id", "nope")


def test_xlsx_has_typed_columns(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "rekap.xlsx"
    render_xlsx(report, "id", path)
    book = load_workbook(path)
    assert book.sheetnames == [
        "Permintaan perbaikan",
        "Pemeliharaan preventif",
        "Pekerjaan lain (tanpa surat)",
        "Rekap per OPD",
        "Rekap per tingkat kerusakan",
    ]
    sheet = book["Permintaan perbaikan"]
    headers = [c.value for c in sheet[1]]
    rows = [
        dict(zip(headers, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    row = next(r for r in rows if r["No. surat"] == NUMBER)
    assert isinstance(row["Diterima"], datetime)
    duration_col = headers.index("1. Penerimaan laporan: Durasi (j)") + 1
    assert isinstance(row["1. Penerimaan laporan: Durasi (j)"], (int, float))
    assert sheet.cell(row=2, column=duration_col).number_format == "0.00"
    assert row["1. Penerimaan laporan: Target (j)"] == 24.0
    assert row["1. Penerimaan laporan: Melewati target"] is False
    assert row["3. Perbaikan/pengadaan: Mulai"] is not None
    number_format = sheet.cell(row=2, column=headers.index("Diterima") + 1).number_format
    assert "yy" in number_format and "hh" in number_format
    totals = book["Rekap per OPD"]
    assert [c.value for c in totals[1]][:3] == ["OPD", "Permintaan perbaikan", "Selesai"]
    assert all(isinstance(c.value, int) for c in totals[2][1:])
    preventive = book["Pemeliharaan preventif"]
    assert isinstance(preventive.cell(row=2, column=4).value, datetime)


def test_period_selection() -> None:
    period = choose_period("2026-02", None, None)
    assert (period.first, period.last) == (date(2026, 2, 1), date(2026, 2, 28))
    assert choose_period(None, "2026-11-01", "2026-11-15").last == date(2026, 11, 15)
    today = date(2026, 11, 23)
    assert choose_period(None, None, None, today).first == date(2026, 11, 1)
    for bad in (
        ("2026-13", None, None),
        ("26-1", None, None),
        (None, "2026-11-31", None),
        (None, "2026-11-15", "2026-11-01"),
        ("2026-11", "2026-11-01", None),
    ):
        with pytest.raises(InputError):
            choose_period(*bad)


def test_cli_recap_formats(
    filled: StateDir,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["--state", str(filled.root), "--month", MONTH]
    assert cli(["recap", *base]) == ExitCode.OK
    assert "Buku Laporan" in capsys.readouterr().out
    assert cli(["recap", *base, "--format", "csv", "--lang", "en", "--opd", "dinkes"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["Request no."] for r in rows] == [NUMBER]
    assert cli(["recap", *base, "--format", "json"]) == ExitCode.OK
    data = json.loads(capsys.readouterr().out)
    assert len(data["requests"]) == 2 and data["preventive"][0]["preventive_id"]
    out = tmp_path / "r.html"
    assert cli(["recap", *base, "--format", "html", "-o", str(out)]) == ExitCode.OK
    assert "@page" in out.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli(["recap", *base, "--format", "xlsx"]) == ExitCode.OK
    assert len(list(tmp_path.glob("rekap-*.xlsx"))) == 1
    assert cli(["recap", *base, "--format", "pdf"]) == ExitCode.BAD_INPUT
    assert cli(["recap", "--state", str(filled.root), "--month", "2026-13"]) == 2
    assert cli(["recap", *base, "--lang", "fr"]) == ExitCode.BAD_INPUT
    err = capsys.readouterr().err
    assert "unknown format" in err and "malformed month" in err and "unknown language" in err
