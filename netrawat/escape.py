"""Escaping for what a spreadsheet or a markdown viewer renders (issue 15.4).

Values come from people (request summaries, notes, OPD names) and from devices (comments,
descriptions): none may become a live formula or live HTML.

- `spreadsheet_text`: the OWASP CSV-injection rule: a text starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return gets a leading ``'`` (a lone ``-``, the "nothing" mark of
  the reports, is no formula and stays).
- `markdown_text`: one line, ``<`` and ``>`` as entities (no raw HTML), and the markdown
  punctuation that could build links, images, code spans or table cells (``[ ] ` | \\``)
  backslash-escaped. Emphasis characters stay: they cannot carry anything live.

>>> spreadsheet_text("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> spreadsheet_text("-"), spreadsheet_text("Dinas Kesehatan")
('-', 'Dinas Kesehatan')
>>> markdown_text("<img src=x onerror=alert(1)> [a](javascript:x) | b")
'&lt;img src=x onerror=alert(1)&gt; \\\\[a\\\\](javascript:x) \\\\| b'
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""OWASP: cells starting with these are read as formulas by Excel, LibreOffice, Sheets."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`\[\]|])")


def spreadsheet_text(value: str) -> str:
    """``value`` safe as a spreadsheet cell's text (see module docstring)."""
    if value != "-" and value.startswith(FORMULA_START):
        return "'" + value
    return value


def markdown_text(value: object) -> str:
    """``value`` as inert markdown text on one line (see module docstring)."""
    text = " ".join(str(value).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("<", "&lt;").replace(">", "&gt;")
