"""Markdown and HTML renderers: the report as a document to print or paste.

Per request: a heading with the letter number and OPD, its facts (complaint, grade, actions,
result, executor, escalations), and a table of SOP steps with times against targets, overruns
marked. Then preventive runs, other runs, and the totals. The HTML prints on A4
(``@page { size: A4 }``), tables not split across pages where avoidable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from netrawat.escape import markdown_text
from netrawat.recap import i18n
from netrawat.recap.render.flat import Cell, Table, all_tables, local
from netrawat.recap.report import Report, RequestLine
from netrawat.recap.timing import StepTiming

TEMPLATES = Path(__file__).parent / "templates"


def _cell_text(value: Cell, lang: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return i18n.text(lang, "yes" if value else "no")
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _step_row(step: StepTiming, lang: str) -> dict[str, Any]:
    over = i18n.text(lang, "yes") if step.overrun else i18n.text(lang, "no")
    if step.in_progress:
        over += f" ({i18n.text(lang, 'in_progress')})"
    return {
        "name": i18n.text(lang, f"step_{step.step.key}"),
        "start": _cell_text(local(step.start), lang),
        "end": "-" if step.in_progress else _cell_text(local(step.end), lang),
        "duration": i18n.duration(lang, step.duration),
        "target": i18n.duration(lang, step.target),
        "overrun": over,
        "flag": step.overrun,
    }


def _request_block(line: RequestLine, lang: str) -> dict[str, Any]:
    request = line.request
    facts = [
        ("opd", request.opd),
        ("received", _cell_text(local(request.received_at), lang)),
        ("summary", request.summary),
        ("status", i18n.label(lang, "status", request.status)),
        ("grade", i18n.label(lang, "grade", line.grade)),
        ("actions", "; ".join(line.actions) or "-"),
        ("result", i18n.label(lang, "result", request.result)),
        ("executor", ", ".join(line.executors)),
        ("escalation", "; ".join(line.escalations) or "-"),
        ("commits", ", ".join(c[:10] for c in line.commits) or "-"),
        (
            "runs",
            ", ".join(f"{r.playbook} ({i18n.label(lang, 'run', r.status)})" for r in line.runs)
            or "-",
        ),
    ]
    if request.close_note:
        facts.append(("note", request.close_note))
    return {
        "number": request.number,
        "overrun": line.overrun,
        "facts": [(i18n.text(lang, key), value) for key, value in facts],
        "steps": [_step_row(s, lang) for s in line.steps],
    }


def _table(table: Table, lang: str) -> dict[str, Any]:
    return {
        "title": table.title,
        "headers": table.headers,
        "rows": [[_cell_text(c, lang) for c in row] for row in table.rows],
    }


def _context(report: Report, lang: str) -> dict[str, Any]:
    tables = {t.key: t for t in all_tables(report, lang)}
    step_headers = [
        i18n.text(lang, k) for k in ("step", "start", "end", "duration", "target", "overrun")
    ]
    return {
        "t": lambda key: i18n.text(lang, key),
        "lang": lang,
        "period": report.period.label,
        "opd": report.opd,
        "generated": _cell_text(local(report.generated_at), lang),
        "requests": [_request_block(line, lang) for line in report.requests],
        "step_headers": step_headers,
        "runs": [_table(tables[k], lang) for k in ("preventive", "other_runs")],
        "totals": [
            _table(tables[k], lang)
            for k in ("totals_opd", "totals_grade", "baseline", "drills")
            if k in tables
        ],
    }


def _md_escape(value: Any) -> str:
    return markdown_text(value)


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _md_escape
    return env


def render_markdown(report: Report, lang: str) -> str:
    """The report as Markdown."""
    return _environment(False).get_template("report.md.j2").render(**_context(report, lang))


def render_html(report: Report, lang: str) -> str:
    """The report as a standalone HTML page that prints cleanly on A4."""
    return _environment(True).get_template("report.html.j2").render(**_context(report, lang))
