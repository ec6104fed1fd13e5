"""`netrawat recap`: the report book (Buku laporan) of a period, as md, html, csv, xlsx or json."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from netrawat.cli.options import plain_command
from netrawat.cli.recap_common import DbOpt, StateOpt, emit_json, err, store_for
from netrawat.errors import InputError
from netrawat.exitcodes import ExitCode
from netrawat.recap import i18n, values
from netrawat.recap.render import FORMATS, TABLE_KEYS

if TYPE_CHECKING:  # the report (SQLAlchemy) and renderers load only when the command runs
    from netrawat.recap.report import Report


def _report_json(report: Report) -> Any:
    def convert(value: Any) -> Any:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            data = {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
            for extra in ("grade", "overrun", "duration", "target"):
                if hasattr(value, extra) and extra not in data:
                    data[extra] = convert(getattr(value, extra))
            return data
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        if hasattr(value, "total_seconds"):
            return int(value.total_seconds())
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    return json.loads(json.dumps(convert(report), default=str))


@plain_command
def recap_cmd(
    *,
    month: Annotated[
        str | None, typer.Option("--month", help="YYYY-MM (default: this month).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day YYYY-MM-DD.")] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Last day YYYY-MM-DD (inclusive).")
    ] = None,
    opd: Annotated[str | None, typer.Option("--opd", help="Only this OPD.")] = None,
    fmt: Annotated[str, typer.Option("--format", help=f"{'|'.join(FORMATS)}.")] = "md",
    lang: Annotated[
        str, typer.Option("--lang", help="id (Bahasa Indonesia, default) or en.")
    ] = "id",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file.")
    ] = None,
    table: Annotated[
        str, typer.Option("--table", help=f"csv only: {'|'.join(TABLE_KEYS)}.")
    ] = "requests",
    state: StateOpt = None,
    db: DbOpt = None,
) -> int:
    """Make the recap of maintenance results (SOP step 5) for a period."""
    from netrawat.recap.render import render_csv, render_html, render_markdown, render_xlsx
    from netrawat.recap.report import build_report, choose_period

    chosen = values.choice(fmt, FORMATS, "format")
    lang = i18n.check_lang(lang)
    period = choose_period(month, date_from, date_to)
    if chosen == "xlsx" and output is None:
        output = Path(f"rekap-{period.first:%Y%m%d}-{period.last:%Y%m%d}.xlsx")
    if output is not None and not output.parent.is_dir():  # checked before the recap opens
        raise InputError(
            f"cannot write {output}: {output.parent} is not a directory",
            "choose a writable --output",
        )
    with store_for(state, db, reads_only=True) as store:
        report = build_report(store, period, opd)
    if chosen == "json":
        if output is None:
            emit_json(_report_json(report))
            return ExitCode.OK
        text = json.dumps(_report_json(report), ensure_ascii=False, indent=2)
    elif chosen == "xlsx":
        assert output is not None
        _write(output, lambda path: render_xlsx(report, lang, path))
        err.print(f"wrote {escape(str(output))}")
        return ExitCode.OK
    else:
        renderers = {"md": render_markdown, "html": render_html}
        text = (
            render_csv(report, lang, table) if chosen == "csv" else renderers[chosen](report, lang)
        )
    if output is None:
        sys.stdout.write(text)
    else:
        _write(output, lambda path: path.write_text(text, encoding="utf-8"))
        err.print(f"wrote {escape(str(output))}")
    return ExitCode.OK


def _write(path: Path, writer: Any) -> None:
    """Write through a temporary file so a failed write never leaves half a report."""
    temp: Path | None = None
    try:  # an owner-only temporary file of an unguessable name (mkstemp: O_EXCL, 0600)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        temp = Path(name)
        writer(temp)
        temp.replace(path)
    except OSError as exc:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise InputError(
            f"cannot write {path}: {exc.strerror}", "choose a writable --output"
        ) from exc


def register(app: typer.Typer) -> None:
    """Add `netrawat recap`."""
    app.command("recap")(recap_cmd)
