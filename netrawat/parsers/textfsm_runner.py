"""Run a TextFSM template over device output, turning every failure into `ParseError`."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import textfsm

from netrawat.errors import DeviceError
from netrawat.paths import BUILTIN_TEMPLATES, find_template_file, template_roots

OWN_TEMPLATES = BUILTIN_TEMPLATES / "textfsm"
"""The built-in TextFSM templates (a site's own directory is searched first)."""

Row = dict[str, object]


class ParseError(DeviceError):
    """Device output did not match its template. ``raw`` keeps the text for the report."""

    default_hint = "the device printed something unexpected: see the raw output in the result"

    def __init__(self, message: str, raw: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.raw = raw


def own_template_names(platform: str) -> list[str]:
    """Names of the project's own templates for a platform (file stems)."""
    roots = template_roots()
    return sorted({p.stem for r in roots for p in (r / "textfsm" / platform).glob("*.textfsm")})


@functools.cache
def _template_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _run(template_text: str, text: str, label: str) -> list[Row]:
    try:
        fsm = textfsm.TextFSM(io.StringIO(template_text))
        rows = fsm.ParseText(text)
    except (textfsm.TextFSMError, textfsm.TextFSMTemplateError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ParseError(f"cannot parse {label}: {first}", raw=text) from exc
    keys = [h.lower() for h in fsm.header]
    return [dict(zip(keys, row, strict=True)) for row in rows]


def parse_own(platform: str, name: str, text: str) -> list[Row]:
    """Rows parsed by the project's own template ``templates/textfsm/<platform>/<name>.textfsm``.

    Keys are the template's value names in lower case; list values stay lists.
    """
    path = find_template_file("textfsm", platform, f"{name}.textfsm")
    if path is None or not path.is_file():
        raise ParseError(f"no template {platform}/{name}", raw=text, hint="a bug: report it")
    return _run(_template_text(path), text, f"{platform} {name.replace('_', ' ')}")


def parse_ntc(platform: str, command: str, text: str) -> list[Row]:
    """Rows parsed by ntc-templates for ``command`` (keys in lower case)."""
    from ntc_templates.parse import parse_output

    try:
        rows = parse_output(platform=platform, command=command, data=text)
    except Exception as exc:  # ntc raises its own and textfsm's errors
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ParseError(f"cannot parse {platform} {command!r}: {first}", raw=text) from exc
    return [{str(k).lower(): v for k, v in row.items()} for row in rows]
