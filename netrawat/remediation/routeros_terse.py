"""RouterOS ``/export terse`` lines as data: (menu path, action, item selector, properties).

One terse line is one full-path command, e.g.::

    /interface wifi set [ find default-name=wifi1 ] channel.band=5ghz-ax .mode=ap

`parse_line` turns it into an `Entry`; values are unquoted (``comment="LAN DINKES"`` and
``comment=LAN\\ DINKES`` are the same value) and RouterOS's abbreviated dotted properties
(``configuration.country=X .mode=ap``) are expanded to their full names. `render_value`
quotes a value back when RouterOS needs it.

>>> e = parse_line('/ip address add address=10.0.0.1/24 comment="LAN A" interface=br')
>>> (e.path, e.action, e.props["comment"])
('/ip address', 'add', 'LAN A')
>>> parse_line("/interface wifi set [ find default-name=wifi1 ] a.x=1 .y=2").props
{'a.x': '1', 'a.y': '2'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from netrawat.errors import InputError

ACTIONS = frozenset({"add", "set", "remove", "unset", "enable", "disable"})
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "$": "$", "?": "?", "_": " "}
_BARE = re.compile(r"^[A-Za-z0-9_./:,+*@!%-]*$")


@dataclass(frozen=True)
class Entry:
    """One configuration command of an export."""

    path: str
    """The menu, words separated by one space: ``/ip dns``, ``/system ntp client``."""
    action: str
    selector: tuple[tuple[str, str], ...] = ()
    """``[ find k=v ... ]`` conditions (or ``(("#", "0"),)`` for a numbered item)."""
    props: dict[str, str] = field(default_factory=dict)
    line: str = ""
    """The line as it was read (or rendered)."""


_WORD = re.compile(r'(?:"(?:[^"\\]|\\.)*"|[^\s"\[])+')
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(.)")


def _unquote(word: str) -> str:
    """A word with its quoted parts unquoted and their escapes resolved."""
    if '"' not in word:
        return word
    return _QUOTED.sub(
        lambda m: _ESCAPE.sub(lambda e: _ESCAPES.get(e.group(1), e.group(1)), m.group(1)), word
    )


def _bracket(text: str, start: int) -> tuple[str, int]:
    depth = 0
    for i in range(start, len(text)):
        depth += {"[": 1, "]": -1}.get(text[i], 0)
        if depth == 0:
            return text[start + 1 : i].strip(), i + 1
    raise InputError(f"unbalanced bracket in RouterOS line: {text[:80]!r}", "check the export")


def tokenize(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` tokens: ``word`` (unquoted) or ``find`` (inside of ``[ ... ]``)."""
    tokens: list[tuple[str, str]] = []
    i, end = 0, len(text)
    while i < end:
        if text[i] in " \t":
            i += 1
            continue
        if text[i] == "[":
            inner, i = _bracket(text, i)
            tokens.append(("find", inner))
            continue
        match = _WORD.match(text, i)
        if match is None:
            raise InputError(
                f"unbalanced quote in RouterOS line: {text[:80]!r}", "check the export"
            )
        word, i = _unquote(match.group(0)), match.end()
        if i < end and text[i] == "[" and word.endswith("="):  # name=[ expression ]
            inner, i = _bracket(text, i)
            word += f"[{inner}]"
        tokens.append(("word", word))
    return tokens


def _pairs(words: list[str]) -> dict[str, str]:
    """``name=value`` words as a dict, expanding ``.x=`` to ``<last prefix>.x=``."""
    props: dict[str, str] = {}
    prefix = ""
    for word in words:
        name, eq, value = word.partition("=")
        if not eq:
            if word not in {"find", "where"}:
                props[word] = "yes"  # a bare flag word
            continue
        if name.startswith(".") and prefix:
            name = prefix + name
        if "." in name.lstrip("."):
            prefix = name.rsplit(".", 1)[0]
        props[name] = value
    return props


def _selector(kind: str, text: str) -> tuple[tuple[str, str], ...]:
    if kind == "find":
        words = [w for k, w in tokenize(text) if k == "word"]
        return tuple(sorted(_pairs(words).items()))
    return (("#", text),)


def _is_item_name(word: str) -> bool:
    """A bare first word after ``set`` that names an item rather than a property."""
    return "=" not in word and word not in {"find", "where"} and _BARE.match(word) is not None


def parse_line(line: str) -> Entry:
    """One terse command line as an `Entry`; `InputError` if it is not one."""
    tokens = tokenize(line.strip())
    words: list[str] = []
    index = 0
    while index < len(tokens) and tokens[index][1] not in ACTIONS:
        words.append(tokens[index][1])
        index += 1
    if index == len(tokens) or not words or not words[0].startswith("/"):
        raise InputError(f"not a RouterOS terse command: {line[:80]!r}", "use /export terse")
    path = " ".join([w for word in words for w in word.strip("/").split("/") if w])
    action = tokens[index][1]
    rest = tokens[index + 1 :]
    selector: tuple[tuple[str, str], ...] = ()
    if rest and (rest[0][0] == "find" or rest[0][1].isdigit()):
        selector = _selector(*rest[0])
        rest = rest[1:]
    elif action == "set" and rest and _is_item_name(rest[0][1]):
        # ``/ip service set telnet disabled=yes``: a built-in item named by its name, as
        # /export prints /ip service (and /tool romon port, /snmp community default ...)
        selector = (("name", rest[0][1]),)
        rest = rest[1:]
    props = _pairs([text for _, text in rest])
    return Entry("/" + path, action, selector, props, line.strip())


def _logical_lines(text: str) -> list[str]:
    """Lines with ``\\``-continued ones joined (non-terse exports wrap near 80 columns)."""
    joined: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.endswith("\\"):
            pending += line[:-1] if not pending else line[:-1].lstrip()
            continue
        joined.append(pending + line.lstrip() if pending else line)
        pending = ""
    if pending:
        joined.append(pending)
    return joined


def parse_export(text: str, strict: bool = True) -> list[Entry]:
    """Every command of an export, terse or not (comments and blank lines skipped).

    A non-terse export has a ``/menu`` header line and then ``add``/``set`` lines under it:
    they are read as if each carried the menu. ``strict=False`` skips a line that is not a
    command (a device's config may hold what this reader does not know; a template may not).
    """
    entries: list[Entry] = []
    menu = ""
    for line in _logical_lines(text):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("/") and "=" not in stripped and not ACTIONS & set(stripped.split()):
            menu = stripped
            continue
        try:
            entries.append(
                parse_line(stripped if stripped.startswith("/") else f"{menu} {stripped}")
            )
        except InputError:
            if strict:
                raise
    return entries


def render_value(value: str) -> str:
    """A value as RouterOS wants it on a command line (quoted when needed).

    >>> render_value("LAN DINKES"), render_value("10.0.0.1/24"), render_value("")
    ('"LAN DINKES"', '10.0.0.1/24', '""')
    """
    if value and _BARE.match(value):
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
    return f'"{escaped}"'


def render_props(props: dict[str, str]) -> str:
    """``k=v`` words sorted by name, as ``/export`` prints them."""
    return " ".join(f"{k}={render_value(v)}" for k, v in sorted(props.items()))


def render_find(selector: tuple[tuple[str, str], ...]) -> str:
    """The item selector of a command: ``[ find where k=v ]`` or an item number."""
    if len(selector) == 1 and selector[0][0] == "#":
        return selector[0][1]
    terms = " ".join(f"{k}={render_value(v)}" for k, v in selector)
    return f"[ find where {terms} ]"


def find_condition(value: str) -> tuple[tuple[str, str], ...]:
    """The selector of a ``place-before=`` value: ``[find where k=v]`` or an item number.

    >>> find_condition('[find where chain=input comment="x y"]')
    (('chain', 'input'), ('comment', 'x y'))
    """
    text = value.strip()
    if text.startswith("[") and text.endswith("]"):
        return _selector("find", text[1:-1])
    return (("#", text),)
