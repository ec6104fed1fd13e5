"""Renderers of the recap report: md, html (A4 print), csv, xlsx, json.

The format and table names are plain data here; the renderers (Jinja2, openpyxl) load on
first use (PEP 562), so `netrawat --help` does not import them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netrawat.lazy import lazy_attributes

if TYPE_CHECKING:
    from netrawat.recap.render.document import render_html, render_markdown
    from netrawat.recap.render.tabular import render_csv, render_xlsx

FORMATS = ("md", "html", "csv", "xlsx", "json")
TABLE_KEYS = (
    "requests",
    "preventive",
    "other_runs",
    "totals_opd",
    "totals_grade",
    "baseline",
    "drills",
)
"""The tables of the report, one csv each (``--table``), one xlsx sheet each."""

__all__ = ["FORMATS", "TABLE_KEYS", "render_csv", "render_html", "render_markdown", "render_xlsx"]

__getattr__ = lazy_attributes(
    __name__,
    {
        "render_html": "netrawat.recap.render.document",
        "render_markdown": "netrawat.recap.render.document",
        "render_csv": "netrawat.recap.render.tabular",
        "render_xlsx": "netrawat.recap.render.tabular",
    },
)
