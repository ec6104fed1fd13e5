"""Running one RouterOS CLI line against a device: path resolution, menu navigation and the
menu commands (``print``, ``add``, ``set``, ``remove``, ``enable``, ``disable``, ``export``,
and ``move`` / ``add place-before=`` in ordered menus).

Global actions (``/ping``, ``/export``, ``/system backup save``, ``/import``, ``quit``) live
in `netrawat_lab.routeros.actions`. Errors come back as RouterOS prints them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from netrawat_lab.routeros import printing
from netrawat_lab.routeros.cli_parse import (
    Token,
    bad_command,
    condition,
    end_expected,
    find_condition,
    tokenize,
)
from netrawat_lab.routeros.errors import Failure, NoSuchItem, RouterOSError, UnknownArgument
from netrawat_lab.routeros.layouts import LAYOUTS, Layout
from netrawat_lab.routeros.model import is_menu, is_menu_prefix

if TYPE_CHECKING:
    from netrawat_lab.routeros.device import RouterOSDevice

LIST_COMMANDS = frozenset(
    {"print", "add", "set", "remove", "enable", "disable", "export", "find", "unset", "get"}
)
ORDERED_COMMANDS = frozenset({"move"})
"""Commands only menus whose order matters (firewall rules) have."""
SINGLE_COMMANDS = frozenset({"print", "set", "export", "unset", "get"})
SINGLE_ROW_VIEWS = frozenset({"/system/resource", "/system/routerboard", "/system/package/update"})
PRINT_WORDS = frozenset(
    {
        "detail",
        "terse",
        "brief",
        "without-paging",
        "as-value",
        "count-only",
        "stats",
        "all",
        "value-list",
    }
)
COUNTERS = frozenset(
    {
        "rx-byte",
        "tx-byte",
        "rx-packet",
        "tx-packet",
        "rx-error",
        "tx-error",
        "rx-drop",
        "tx-drop",
        "fcs-error",
    }
)
"""Interface counters: shown by ``print stats`` only."""
STATS_LAYOUT = Layout(
    tuple(
        (n.upper(), n)
        for n in (
            "name",
            "rx-byte",
            "tx-byte",
            "rx-packet",
            "tx-packet",
            "rx-drop",
            "tx-drop",
            "rx-error",
            "tx-error",
        )
    ),
    LAYOUTS["/interface"].flags,
    frozenset(
        {
            "rx-byte",
            "tx-byte",
            "rx-packet",
            "tx-packet",
            "rx-drop",
            "tx-drop",
            "rx-error",
            "tx-error",
        }
    ),
)
"""``/interface print stats``."""
ACTION_PREFIXES = frozenset({"/system/backup", "/system"})


@dataclass
class Reply:
    """What one line produced: output lines, whether it is bulk output (``/export``), and
    whether the session ends."""

    lines: list[str] = field(default_factory=list)
    bulk: bool = False
    quit: bool = False
    value: str | None = None
    """What the command returns to a script (``get``, ``find``), never printed by itself."""
    endless: Endless | None = None
    """A command that runs until Ctrl-C in a shell (``/ping`` without ``count=``); ``lines``
    then hold what callers without a keyboard (exec, API, scripts) get instead."""
    error: RouterOSError | None = None
    """The error that stopped the line (its message is the last of ``lines``)."""


class Endless(Protocol):
    """A shell command that prints a little more every ``interval`` seconds until Ctrl-C."""

    interval: float

    def opening(self) -> list[str]:
        """What is printed at once (a header)."""

    def next_lines(self) -> list[str]:
        """What one more interval prints."""

    def closing(self) -> list[str]:
        """What is printed after Ctrl-C (a summary)."""


@dataclass
class Session:
    """Per-session CLI state: user, current menu, item numbers of the last prints."""

    user: str
    path: list[str] = field(default_factory=list)
    numbers: dict[str, list[str]] = field(default_factory=dict)

    @property
    def menu(self) -> str:
        """The current menu as a path (``/ip/address`` or ``/``)."""
        return "/" + "/".join(self.path)


@dataclass
class Command:
    """A resolved line: menu path, command name, and the remaining tokens."""

    path: str
    name: str
    args: list[Token]


Handler = Callable[["RouterOSDevice", Session, Command], Reply]


def _known(path: list[str], word: str, actions: Mapping[str, Handler]) -> str:
    """What ``word`` is at ``path``: ``menu``, ``command`` or ``""``."""
    full = "/" + "/".join([*path, word])
    if is_menu_prefix(full) or full in ACTION_PREFIXES:
        return "menu"
    here = "/" + "/".join(path)
    if full in actions or word in ("quit", "export", ":put"):
        return "command"
    if is_menu(here):
        spec_kind = _menu_kind(here)
        allowed = {"list": LIST_COMMANDS, "single": SINGLE_COMMANDS, "view": {"print"}}[spec_kind]
        if word in allowed or (word in ORDERED_COMMANDS and _menu_ordered(here)):
            return "command"
    return ""


def _menu_kind(path: str) -> str:
    from netrawat_lab.routeros.schema import SPECS

    return SPECS[path].kind


def _menu_ordered(path: str) -> bool:
    from netrawat_lab.routeros.schema import SPECS

    return SPECS[path].ordered


def resolve(
    tokens: Sequence[Token], session: Session, actions: Mapping[str, Handler]
) -> Command | None:
    """The command of a line, or None when the line only changes the current menu."""
    if not tokens:
        return None
    path = [] if tokens[0].text.startswith("/") else list(session.path)
    for index, token in enumerate(tokens):
        if token.kind != "word":
            raise (
                bad_command(token.text, token.column) if index == 0 else end_expected(token.column)
            )
        offset = 0
        for part in token.text.split("/"):
            column = token.column + offset
            offset += len(part) + 1
            if part in ("", "."):
                continue
            if part == "..":
                path = path[:-1]
                continue
            kind = _known(path, part, actions)
            if kind == "menu":
                path.append(part)
            elif kind == "command":
                return Command("/" + "/".join(path), part, list(tokens[index + 1 :]))
            else:
                raise bad_command(part, column)
    session.path = path
    return None


def run_line(
    device: RouterOSDevice, session: Session, line: str, actions: Mapping[str, Handler]
) -> Reply:
    """Run one CLI line (commands separated by ``;`` run in turn); a RouterOS error becomes
    its one-line message and stops the line."""
    device.live.actor = session.user
    reply = Reply()
    try:
        commands = _commands(tokenize(line))
        scratch = Session(session.user, list(session.path))
        for tokens in commands:  # RouterOS parses the whole line before running any of it
            resolve(tokens, scratch, actions)
        for tokens in commands:
            part = _run_tokens(device, session, tokens, actions)
            reply.lines += part.lines
            reply.bulk |= part.bulk
            reply.value = part.value
            reply.endless = part.endless or reply.endless
            if part.quit:
                reply.quit = True
                break
    except RouterOSError as error:
        reply.lines.append(error.message)
        reply.error = error
    return reply


def _commands(tokens: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = [[]]
    for token in tokens:
        if token.kind == "end":
            groups.append([])
        else:
            groups[-1].append(token)
    return [g for g in groups if g]


def _run_tokens(
    device: RouterOSDevice, session: Session, tokens: list[Token], actions: Mapping[str, Handler]
) -> Reply:
    command = resolve(tokens, session, actions)
    if command is None:
        return Reply()
    full = command.path.rstrip("/") + "/" + command.name
    handler = actions.get(full) or actions.get(command.name) or MENU_COMMANDS[command.name]
    return handler(device, session, command)


# ----- item selection -------------------------------------------------------------------
def _cli_rows(device: RouterOSDevice, path: str) -> list[dict[str, str]]:
    return [{k: printing.show(v) for k, v in row.items()} for row in device.model.print(path)]


def select_items(device: RouterOSDevice, session: Session, path: str, token: Token) -> list[str]:
    """``.id`` values named by a token: ``0,1`` (numbers of the last print), ``ether2``,
    ``*1``, or ``[ find ... ]``."""
    rows = _cli_rows(device, path)
    if token.kind == "find":
        cond = find_condition(token.text, token.column)
        return [r[".id"] for r in rows if cond(r)]
    ids = []
    numbering = session.numbers.get(path) or [r[".id"] for r in rows]
    for part in token.text.split(","):
        if part.isdigit():
            if int(part) >= len(numbering):
                raise NoSuchItem()
            ids.append(numbering[int(part)])
        else:
            ids.append(device.model.get(path, part).id)
    return ids


def _split(command: Command) -> tuple[list[Token], dict[str, str], dict[str, int]]:
    items = [t for t in command.args if t.kind != "arg"]
    props = {t.name: t.value for t in command.args if t.kind == "arg"}
    columns = {t.name: t.column for t in command.args if t.kind == "arg"}
    return items, props, columns


def _with_columns(columns: Mapping[str, int], action: Callable[[], object]) -> None:
    try:
        action()
    except UnknownArgument as error:
        raise end_expected(columns.get(error.name, 1)) from None


# ----- menu commands ----------------------------------------------------------------------
def do_print(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``print [detail|terse|brief|as-value|count-only|without-paging] [where ...]``."""
    words: set[str] = set()
    where: list[Token] = []
    proplist: list[str] | None = None
    for index, token in enumerate(command.args):
        if token.kind == "word" and token.text == "where":
            where = list(command.args[index + 1 :])
            break
        if token.kind == "arg" and token.name == "proplist":
            proplist = token.value.split(",")
        elif token.kind == "word" and token.text in PRINT_WORDS:
            words.add(token.text)
        else:
            raise end_expected(token.column)
    return Reply(render(device, session, command.path, words, where=where, proplist=proplist))


def render(
    device: RouterOSDevice,
    session: Session,
    path: str,
    words: set[str],
    *,
    where: Sequence[Token] = (),
    proplist: list[str] | None = None,
) -> list[str]:
    """The lines of a print of ``path`` in the layout ``words`` ask for."""
    spec = device.model.spec(path)
    rows = device.model.print(path)
    if spec.kind == "single" or spec.path in SINGLE_ROW_VIEWS:
        return printing.print_settings(rows[0]) if rows else []
    numbers_all = list(range(len(rows)))
    session.numbers[spec.path] = [r.get(".id", "") for r in rows]
    if where:
        cond = condition(where)
        keep = [i for i, r in enumerate(rows) if cond({k: printing.show(v) for k, v in r.items()})]
        rows = [rows[i] for i in keep]
        numbers_all = keep
    if "stats" not in words:
        rows = [{k: v for k, v in r.items() if k not in COUNTERS} for r in rows]
    if proplist is not None:
        rows = [
            {k: v for k, v in r.items() if k in proplist or k in (".id", "disabled", "dynamic")}
            for r in rows
        ]
    return _layout_lines(spec.path, rows, numbers_all, words)


def _layout_lines(
    path: str, rows: list[dict[str, str]], numbers: list[int], words: set[str]
) -> list[str]:
    layout = LAYOUTS.get(path) or _generic_layout(rows)
    if "stats" in words and path.startswith("/interface"):
        layout = STATS_LAYOUT
    if "count-only" in words:
        return [str(len(rows))]
    if not rows:
        return []
    if "as-value" in words:
        return printing.print_as_value(rows)
    if path == "/log":
        return _log_lines(rows, "detail" in words)
    if "terse" in words:
        return printing.print_terse(rows, layout, numbers)
    if "detail" in words or (layout.detail and "brief" not in words):
        return printing.print_detail(rows, layout, numbers)
    return printing.print_table(rows, layout, numbers)


def _generic_layout(rows: list[dict[str, str]]) -> Layout:
    names: list[str] = []
    for row in rows:
        names += [k for k in row if k not in printing.HIDDEN and k not in names]
    return Layout(
        tuple((n.upper(), n) for n in names),
        ((("X", "DISABLED", "disabled"), ("D", "DYNAMIC", "dynamic")),),
    )


def _log_lines(rows: list[dict[str, str]], detail: bool) -> list[str]:
    if detail:
        lines = []
        for row in rows:
            lines += [f' time={row["time"]} topics={row["topics"]} message="{row["message"]}"', ""]
        return lines
    return [f" {row['time']} {row['topics']} {row['message']}" for row in rows]


def do_add(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``add name=value ...``; in ordered menus ``place-before=ITEM`` (a number of the last
    print, ``*id`` or ``[ find ... ]``) puts the new item before that one."""
    items, props, columns = _split(command)
    if items:
        raise end_expected(items[0].column)
    if "place-before" in props and device.model.spec(command.path).ordered:
        column = columns["place-before"] + len("place-before=")
        token = _value_token(props["place-before"], column)
        props["place-before"] = _one_item(device, session, command.path, token)
    _with_columns(columns, lambda: device.model.add(command.path, props))
    return Reply()


def _value_token(value: str, column: int) -> Token:
    """An argument's value as an item token (``[find ...]`` values come back bracketed)."""
    if value.startswith("[") and value.endswith("]"):
        return Token("find", value[1:-1].strip(), column)
    return Token("word", value, column)


def _one_item(device: RouterOSDevice, session: Session, path: str, token: Token) -> str:
    """The ``.id`` of the one item a token names (the first if it names several)."""
    found = select_items(device, session, path, token)
    if not found:
        raise NoSuchItem()
    return found[0]


def do_move(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``move ITEMS [DESTINATION]`` or ``move numbers=ITEMS destination=ITEM``: the items go
    before the destination (to the end without one)."""
    items, props, columns = _split(command)
    for name in props:
        if name not in ("numbers", "destination"):
            raise end_expected(columns[name])
    tokens = {name: _value_token(value, columns[name]) for name, value in props.items()}
    for token in items:  # unnamed: the items first, then the destination
        free = [name for name in ("numbers", "destination") if name not in tokens]
        if not free:
            raise end_expected(token.column)
        tokens[free[0]] = token
    if "numbers" not in tokens:
        raise Failure("missing value(s) of argument(s) numbers")
    moving = select_items(device, session, command.path, tokens["numbers"])
    if not moving:
        raise NoSuchItem()
    destination = None
    if "destination" in tokens:
        destination = _one_item(device, session, command.path, tokens["destination"])
    device.model.move(command.path, moving, destination)
    return Reply()


def do_set(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``set [items] name=value ...`` (no items on a settings menu)."""
    items, props, columns = _split(command)
    spec = device.model.spec(command.path)
    if spec.kind == "single":
        if items:
            raise end_expected(items[0].column)
        _with_columns(columns, lambda: device.model.set(command.path, None, props))
        return Reply()
    if len(items) != 1:
        raise end_expected(items[1].column) if items else NoSuchItem()
    for item_id in select_items(device, session, command.path, items[0]):
        _set_item(device, command.path, item_id, props, columns)
    return Reply()


def _set_item(
    device: RouterOSDevice,
    path: str,
    item_id: str,
    props: dict[str, str],
    columns: Mapping[str, int],
) -> None:
    _with_columns(columns, lambda: device.model.set(path, item_id, props))


def _each_item(operation: str) -> Handler:
    def handler(device: RouterOSDevice, session: Session, command: Command) -> Reply:
        items, props, columns = _split(command)
        if props:
            raise end_expected(min(columns.values()))
        if not items:
            raise NoSuchItem()
        for token in items:
            for item_id in select_items(device, session, command.path, token):
                getattr(device.model, operation)(command.path, item_id)
        return Reply()

    handler.__doc__ = f"``{operation} ITEMS``."
    return handler


def do_unset(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``unset [item] name`` (v7 also ``unset [item] value-name=name``)."""
    words = [t for t in command.args if t.kind != "arg"]
    names = [t.value for t in command.args if t.kind == "arg" and t.name == "value-name"]
    spec = device.model.spec(command.path)
    item_ids: list[str | None] = [None]
    if spec.kind == "list":
        if not words:
            raise NoSuchItem()
        item_ids = list(select_items(device, session, command.path, words.pop(0)))
    names += [t.text for t in words]
    for item_id in item_ids:
        device.model.unset(command.path, item_id, names)
    return Reply()


def do_find(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``find [where] ...``: prints nothing; its value (the ``.id`` list) is for scripts."""
    tokens = [t for t in command.args if not (t.kind == "word" and t.text == "where")]
    cond = condition(tokens)
    ids = [r[".id"] for r in _cli_rows(device, command.path) if cond(r)]
    return Reply(value=";".join(ids))


def do_get(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``get [ITEM] PROPERTY``: prints nothing; its value is for ``:put`` and scripts."""
    words = [t for t in command.args if t.kind in ("word", "find")]
    spec = device.model.spec(command.path)
    if spec.kind == "list":
        if len(words) != 2:
            raise end_expected(command.args[-1].column if command.args else 1)
        item = select_items(device, session, command.path, words[0])
        rows = [r for r in device.model.print(command.path) if r[".id"] in item]
    else:
        rows = device.model.print(command.path)  # scripts see booleans as true/false
    name = words[-1].text if words else ""
    if not rows or name not in rows[0]:
        raise NoSuchItem() if not rows else end_expected(words[-1].column)
    return Reply(value=rows[0][name])


def _shift_column(message: str, offset: int) -> str:
    match = re.search(r"\(line 1 column (\d+)\)$", message)
    if not match:
        return message
    return message[: match.start()] + f"(line 1 column {int(match.group(1)) + offset})"


def do_put(device: RouterOSDevice, session: Session, command: Command) -> Reply:
    """``:put "text"`` or ``:put [/system identity get name]``."""
    out = []
    for token in command.args:
        if token.kind == "find":
            inner = run_line(device, Session(session.user, list(session.path)), token.text, {})
            if inner.lines:  # an error inside the brackets: its column within the whole line
                return Reply([_shift_column(inner.lines[0], token.column)])
            out.append(inner.value or "")
        else:
            out.append(token.text)
    return Reply(["".join(out)])


MENU_COMMANDS: dict[str, Handler] = {
    "print": do_print,
    "add": do_add,
    "set": do_set,
    "remove": _each_item("remove"),
    "enable": _each_item("enable"),
    "disable": _each_item("disable"),
    "unset": do_unset,
    "move": do_move,
    "find": do_find,
    "get": do_get,
    ":put": do_put,
}
