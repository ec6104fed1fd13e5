"""Renderers of the recap report: md, html (A4 print), csv, xlsx, json."""

from netrawat.recap.render.document import render_html, render_markdown
from netrawat.recap.render.tabular import TABLE_KEYS, render_csv, render_xlsx

FORMATS = ("md", "html", "csv", "xlsx", "json")

__all__ = ["FORMATS", "TABLE_KEYS", "render_csv", "render_html", "render_markdown", "render_xlsx"]
