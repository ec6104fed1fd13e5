"""``/export`` as RouterOS 7.16 writes it.

- header: ``# 2026-11-23 12:28:48 by RouterOS 7.16.1``, ``# software id = XXXX-XXXX``, ``#``,
  ``# model = ...``, ``# serial number = ...``;
- one section per menu (``/ip address``) in RouterOS's order, ``add`` lines for items and
  ``set [ find default-name=ether1 ]`` for built-in ports, ``set`` for settings menus; only
  values that differ from the default, arguments sorted by name, repeated dotted prefixes
  shortened (``configuration.mode=ap .ssid=X``);
- plain export wraps at 80 columns with `` \\`` and 4-space continuation lines; ``terse``
  gives one full-path line per item; sensitive values (PSK, SNMP passwords) are hidden unless
  ``show-sensitive`` (``hide-sensitive`` is accepted, the v7 default); user passwords never.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from netrawat_lab.routeros.menus import MenuSpec
from netrawat_lab.routeros.model import Item, RouterOSModel
from netrawat_lab.routeros.schema import MENUS

LIMIT = 77
"""Most characters of an export line before its continuation marker, and of a command's
last line (measured on a real 7.18.2 export: wrapping reproduced line for line)."""
_BARE = re.compile(r"^[\w.:/@,!*+%-]+$")


@dataclass(frozen=True)
class ExportOptions:
    """The flags of ``/export``."""

    terse: bool = False
    show_sensitive: bool = False
    verbose: bool = False


def quote(value: str) -> str:
    """A value as an export/CLI argument (quoted when it has spaces or specials).

    >>> quote("defconf: drop invalid")
    '"defconf: drop invalid"'
    >>> quote("bridge-lan")
    'bridge-lan'
    """
    if value and _BARE.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def _arguments(
    spec: MenuSpec, values: dict[str, str], options: ExportOptions
) -> list[tuple[str, str]]:
    args = []
    for fld in spec.fields:
        if fld.readonly or fld.writeonly or fld.name not in values:
            continue
        if fld.sensitive and not options.show_sensitive:
            continue
        value = values[fld.name]
        if value == fld.default and not options.verbose:
            continue
        args.append((fld.name, quote(value)))
    return args


def _shorten(args: list[tuple[str, str]]) -> list[str]:
    """Sorted ``name=value`` words, ``.rest`` when the dotted prefix repeats."""
    words = []
    previous = ""
    for name, value in sorted(args):
        prefix, dot, rest = name.partition(".")
        shown = f".{rest}" if dot and prefix == previous else name
        previous = prefix if dot else ""
        words.append(f"{shown}={value}")
    return words


def _item_words(spec: MenuSpec, item: Item, options: ExportOptions) -> list[tuple[str, str]]:
    args = _arguments(spec, item.values, options)
    if item.comment:
        args.append(("comment", quote(item.comment)))
    factory_disabled = item.factory.get("disabled") == "yes"
    if item.disabled and (options.verbose or not factory_disabled):
        args.append(("disabled", "yes"))
    elif (options.verbose or factory_disabled) and spec.has_disabled and not item.disabled:
        args.append(("disabled", "no"))
    if item.factory and not options.verbose:
        args = [(n, v) for n, v in args if n == "disabled" or item.factory.get(n) != _raw(v)]
    if item.builtin and spec.key and spec.builtin_key:
        default_name = item.values.get(spec.builtin_key)
        args = [(n, v) for n, v in args if not (n == spec.key and v == default_name)]
    return args


def _raw(value: str) -> str:
    """A quoted export value back to its text (enough for comparing with factory values)."""
    return value[1:-1] if value.startswith('"') and value.endswith('"') else value


Notes = Callable[[str, Item], "str | None"]
"""The transient ``# ...`` line RouterOS prints above an item (``# Interface not active``)."""


def _no_notes(_path: str, _item: Item) -> str | None:
    return None


def _section(
    model: RouterOSModel, spec: MenuSpec, options: ExportOptions, notes: Notes
) -> list[str]:
    """The command lines (without the path) of one menu, with their ``#`` notes."""
    if spec.kind == "single":
        args = _arguments(spec, model.settings[spec.path], options)
        return ["set " + " ".join(_shorten(args))] if args else []
    lines = []
    for item in model.items(spec.path, with_dynamic=False):
        note = notes(spec.path, item)
        if note:
            lines.append(f"# {note}")
        args = _item_words(spec, item, options)
        if item.builtin:
            if not args:
                continue
            key = item.values.get(spec.builtin_key, "")
            target = key if spec.positional else f"[ find {spec.builtin_key}={key} ]"
            lines.append(f"set {target} " + " ".join(_shorten(args)))
        else:
            lines.append("add " + " ".join(_shorten(args)))
    return lines


def _wrap(line: str) -> list[str]:
    """Break a long command at argument or ``=`` boundaries, RouterOS style: a line that
    continues holds at most `LIMIT` characters before its `` \\``/``\\`` marker."""
    pieces = list(_pieces(line))
    out: list[str] = []
    current = ""
    for text, glue in pieces:
        candidate = current + glue + text
        if current.strip() and len(candidate) > LIMIT:
            out.append(current + (" \\" if glue == " " else "\\"))
            current = "    " + text
        else:
            current = candidate
    out.append(current)
    return out


def _pieces(line: str) -> Iterator[tuple[str, str]]:
    """(text, glue before it): each word, split after its ``=`` when the value is long."""
    for index, word in enumerate(_split_words(line)):
        glue = "" if index == 0 else " "
        name, eq, value = word.partition("=")
        if eq and value and not word.startswith("["):
            yield name + "=", glue
            yield value, ""
        else:
            yield word, glue


def _split_words(line: str) -> list[str]:
    """Split at spaces outside quotes and ``[ ... ]``."""
    words, current, quoted, depth, escape = [], "", False, 0, False
    for char in line:
        if escape:
            current, escape = current + char, False
            continue
        if char == "\\":
            escape = True
        elif char == '"':
            quoted = not quoted
        elif char in "[]" and not quoted:
            depth += 1 if char == "[" else -1
        elif char == " " and not quoted and depth == 0:
            words.append(current)
            current = ""
            continue
        current += char
    words.append(current)
    return words


def header(
    model: RouterOSModel,
    when: str,
    software_id: str,
    model_name: str,
    serial: str,
    *,
    release: str = "7.16.1",
) -> list[str]:
    """The comment lines at the top of an export (``# 2024-10-28 12:28:48 by RouterOS 7.16.1``;
    v6 dates read ``jul/21/2023 09:42:42``: pass ``when`` accordingly)."""
    _ = model
    return [
        f"# {when} by RouterOS {release}",
        f"# software id = {software_id}",
        "#",
        f"# model = {model_name}",
        f"# serial number = {serial}",
    ]


def export_lines(
    model: RouterOSModel, options: ExportOptions, menu: str = "/", notes: Notes = _no_notes
) -> list[str]:
    """The body of ``/export`` (without header) for the whole config or one menu subtree."""
    lines: list[str] = []
    prefix = menu.rstrip("/") + "/"
    for spec in MENUS:
        if not spec.exported or not (spec.path + "/").startswith(prefix if menu != "/" else "/"):
            continue
        body = _section(model, spec, options, notes)
        if not body:
            continue
        words = spec.path.strip("/").replace("/", " ")
        if options.terse:
            lines.extend(c if c.startswith("#") else f"/{words} {c}" for c in body)
        else:
            lines.append(f"/{words}")
            for command in body:
                lines.extend([command] if command.startswith("#") else _wrap(command))
    return lines
