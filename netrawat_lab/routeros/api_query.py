"""RouterOS API ``print`` queries: a small stack machine over boolean values.

Query words (``?...``) are evaluated left to right for every item; an item is returned when
no ``false`` is left on the stack at the end. The stack starts as an endless supply of
``true`` (popping an empty stack gives ``true``). Words:

- ``?name``: true if the item has a value for ``name``; ``?-name``: true if it has none
- ``?name=x`` / ``?=name=x``: the value equals ``x``; ``?<name=x`` / ``?>name=x``: less / greater
  (as numbers when both sides are integers, else as text)
- ``?#ops``: stack operations, left to right: ``|`` or, ``&`` and, ``!`` not (of the top),
  ``.`` push a copy of the top; a run of digits is a stack index (0 = top): followed by
  another character it pushes a copy of that value, at the end of the word it replaces the
  whole stack with that value.

>>> row = {"name": "ether1", "mtu": "1500"}
>>> matches(compile_query(["?=name=ether1"]), row)
True
>>> matches(compile_query(["?name=ether2", "?name=ether1", "?#|"]), row)
True
>>> matches(compile_query(["?>mtu=1600", "?#!"]), row)
True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

Row = Mapping[str, str]
Stack = list[bool]
Step = Callable[[Stack, Row], None]

_OPS_RE = re.compile(r"\d+|[|&!.]")


class QueryError(ValueError):
    """A query word RouterOS would not accept."""


@dataclass(frozen=True)
class CompiledQuery:
    """A parsed query: one step per query word."""

    steps: tuple[Step, ...]


def _pop(stack: Stack) -> bool:
    return stack.pop() if stack else True


def _at(stack: Stack, index: int) -> bool:
    return stack[-1 - index] if index < len(stack) else True


def _compare(left: str, right: str) -> int:
    """-1/0/1 comparing two property values, numerically when both are integers."""
    try:
        a: int | str = int(left)
        b: int | str = int(right)
    except ValueError:
        a, b = left, right
    return (a > b) - (a < b)  # type: ignore[operator]


def _property_step(word: str) -> Step:
    body = word[1:]
    if body.startswith("-"):
        name = body[1:]
        return lambda stack, row: stack.append(name not in row)
    kind = body[0] if body[:1] in ("=", "<", ">") else ""
    rest = body[1:] if kind else body
    name, sep, value = rest.partition("=")
    if not name:
        raise QueryError(f"bad query word {word!r}")
    if not sep:
        if kind:
            raise QueryError(f"bad query word {word!r}")
        return lambda stack, row: stack.append(name in row)
    wanted = {"": 0, "=": 0, "<": -1, ">": 1}[kind]
    return lambda stack, row: stack.append(
        name in row and _compare(str(row[name]), value) == wanted
    )


def _apply_op(stack: Stack, token: str, last: bool) -> None:
    if token.isdigit():
        value = _at(stack, int(token))
        if last:
            stack[:] = [value]
        else:
            stack.append(value)
    elif token == "!":
        stack.append(not _pop(stack))
    elif token == ".":
        stack.append(_at(stack, 0))
    else:
        right, left = _pop(stack), _pop(stack)
        stack.append(left or right if token == "|" else left and right)


def _operations_step(word: str) -> Step:
    ops = word[2:]
    tokens = _OPS_RE.findall(ops)
    if "".join(tokens) != ops:
        raise QueryError(f"bad query operations {word!r}")

    def run(stack: Stack, _row: Row) -> None:
        for index, token in enumerate(tokens):
            _apply_op(stack, token, last=index == len(tokens) - 1)

    return run


def compile_query(words: Sequence[str]) -> CompiledQuery:
    """Parse the ``?`` words of a sentence (raises `QueryError` on a malformed one)."""
    steps = [
        _operations_step(word) if word.startswith("?#") else _property_step(word) for word in words
    ]
    return CompiledQuery(tuple(steps))


def matches(query: CompiledQuery, row: Row) -> bool:
    """Whether an item passes the query (an empty query passes everything)."""
    stack: Stack = []
    for step in query.steps:
        step(stack, row)
    return all(stack)


def select_properties(row: Row, proplist: Sequence[str] | None) -> dict[str, str]:
    """The item's properties limited to ``.proplist`` (in proplist order, missing ones left out)."""
    if proplist is None:
        return dict(row)
    return {name: row[name] for name in proplist if name in row}
