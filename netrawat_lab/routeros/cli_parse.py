"""Reading a RouterOS CLI line: tokens with their columns, and ``where``/``find`` conditions.

>>> [t.text for t in tokenize('/ip address add address=10.0.0.1/24 comment="a b"')]
['/ip', 'address', 'add', 'address=10.0.0.1/24', 'comment=a b']
>>> tokenize('set [ find default-name=ether1 ] mtu=1500')[1].kind
'find'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from netrawat_lab.routeros.errors import RouterOSError

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\", "$": "$", "?": "?", "_": " "}


class CliError(RouterOSError):
    """An error RouterOS reports with a position: ``syntax error (line 1 column 7)``."""

    def __init__(self, text: str, column: int) -> None:
        super().__init__(f"{text} (line 1 column {column})")
        self.column = column


def syntax_error(column: int) -> CliError:
    """``syntax error (line 1 column N)``."""
    return CliError("syntax error", column)


def end_expected(column: int) -> CliError:
    """``expected end of command (line 1 column N)``."""
    return CliError("expected end of command", column)


def bad_command(word: str, column: int) -> CliError:
    """``bad command name X (line 1 column N)``."""
    return CliError(f"bad command name {word}", column)


@dataclass(frozen=True)
class Token:
    """One word of a command line. ``kind``: ``word``, ``arg`` (``name=value``), ``find``
    (a ``[ ... ]`` expression, ``text`` is its inside)."""

    kind: str
    text: str
    column: int
    name: str = ""
    value: str = ""


def _quoted(line: str, start: int) -> tuple[str, int]:
    """The text of a quoted string starting at ``line[start] == '"'`` and the index after it."""
    out = []
    i = start + 1
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            out.append(_ESCAPES.get(line[i + 1], line[i + 1]))
            i += 2
            continue
        if char == '"':
            return "".join(out), i + 1
        out.append(char)
        i += 1
    raise syntax_error(start + 1)


def _bracket(line: str, start: int) -> tuple[str, int]:
    depth = 0
    for i in range(start, len(line)):
        if line[i] == "[":
            depth += 1
        elif line[i] == "]":
            depth -= 1
            if depth == 0:
                return line[start + 1 : i].strip(), i + 1
    raise syntax_error(start + 1)


def _word(line: str, start: int) -> tuple[str, bool, int]:
    """A bare or quoted word up to a space or ``;`` (also ``name="quoted value"``):
    (text, had-quotes, end)."""
    out = []
    quoted = False
    i = start
    while i < len(line) and line[i] not in " \t;":
        if line[i] == '"':
            text, i = _quoted(line, i)
            out.append(text)
            quoted = True
            continue
        if line[i] == "[" and out and out[-1].endswith("="):
            inner, i = _bracket(line, i)
            out.append(f"[{inner}]")
            continue
        out.append(line[i])
        i += 1
    return "".join(out), quoted, i


def tokenize(line: str) -> list[Token]:
    """Split a command line into tokens (``;`` between commands is an ``end`` token);
    `CliError` for unbalanced quotes or brackets."""
    tokens: list[Token] = []
    i = 0
    while i < len(line):
        if line[i] in " \t":
            i += 1
            continue
        if line[i] == ";":
            tokens.append(Token("end", ";", i + 1))
            i += 1
            continue
        if line[i] == "[":
            inner, end = _bracket(line, i)
            tokens.append(Token("find", inner, i + 1))
            i = end
            continue
        text, quoted, end = _word(line, i)
        name, eq, value = text.partition("=")
        if eq and name and not name.startswith("/") and re.match(r"^[\w.!-]+$", name):
            tokens.append(Token("arg", text, i + 1, name, value))
        else:
            tokens.append(Token("word", text, i + 1, value="quoted" if quoted else ""))
        i = end
    return tokens


Condition = Callable[[Mapping[str, str]], bool]


def _term(token: Token) -> Condition:
    if token.kind == "arg":
        name, value = token.name, token.value
        if name.endswith("!"):
            return lambda row: row.get(name[:-1], "") != value
        return lambda row: row.get(name, "") == value
    text = token.text
    for op, test in (("~", _regex), ("!=", _differs)):
        if op in text:
            name, _, value = text.partition(op)
            return test(name, value.strip('"'))
    if text.startswith("!"):
        return lambda row: row.get(text[1:], "no") in ("no", "false", "")
    return lambda row: row.get(text, "no") in ("yes", "true")


def _regex(name: str, pattern: str) -> Condition:
    compiled = re.compile(pattern)
    return lambda row: bool(compiled.search(row.get(name, "")))


def _differs(name: str, value: str) -> Condition:
    return lambda row: row.get(name, "") != value


def condition(tokens: Sequence[Token]) -> Condition:
    """A ``where`` clause: terms joined by ``and`` (also implicit) or ``or``.

    >>> cond = condition(tokenize("name=ether1 or name=ether2"))
    >>> cond({"name": "ether2"}), cond({"name": "ether3"})
    (True, False)
    """
    groups: list[list[Condition]] = [[]]
    for token in tokens:
        if token.kind == "word" and token.text == "or":
            groups.append([])
        elif token.kind == "word" and token.text in ("and", "where"):
            continue
        else:
            groups[-1].append(_term(token))
    return lambda row: any(all(term(row) for term in group) for group in groups)


def find_condition(inner: str, column: int) -> Condition:
    """The condition of a ``[ find ... ]`` expression (its inside, without brackets)."""
    tokens = tokenize(inner)
    if not tokens or tokens[0].text != "find":
        word = tokens[0].text if tokens else ""
        raise bad_command(word, column + 1)
    return condition(tokens[1:])
