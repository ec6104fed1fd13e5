"""RouterOS remediation (hier_config does not cover RouterOS): a diff of menu items.

Running and intended ``/export terse`` texts become items per menu (`ConfigModel`). Within the
scope (menu paths), for each intended item:

- *single* menu (``/ip dns``): the properties intended names that differ → ``/ip dns set k=v``;
- *list* menu item not on the device → ``add`` (or ``set [ find ... ]`` for an item the export
  addresses by selector, such as ``default-name=wifi1``); present with other values →
  ``set [ find where <key> ] k=v``;
- a list item on the device that intended does not have → ``remove [ find where <key> ]``
  (items addressed by selector are built in and never removed).

An item intended is intended enabled (``disabled=yes`` on the device is a difference unless
intended says so too). Other properties intended does not name are left as they are, unless
``exact``: then intended is the whole state of the scope (a backup being restored, the
pre-change config of a rollback), and a property the device has but intended does not is set
back to its default (menu data; ``unset`` when none is known), property by property, also on
built-in items (``[ find default-name=ether3 ]``), which are never removed.

The rollback undoes each command: old values set back (the default, or ``unset``, when the
device had none), added items removed, removed items added again. In menus whose order
matters (firewall rules: ``ordered`` in the menu data) an item is added ``place-before=`` the
item it stood before, in the rollback and in an exact remediation alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from netrawat.platforms import PLACEHOLDER
from netrawat.remediation.model import Remediation
from netrawat.remediation.routeros_model import ConfigModel, Item, Menu, Selector, menu_for
from netrawat.remediation.routeros_terse import render_find, render_props

ORDER = {"remove": 0, "set": 1, "add": 2}
"""Removals first: a ``remove [ find where ... ]`` must never catch an item just added."""


@dataclass
class _Plan:
    exact: bool = False
    """Intended is the whole state of the scope: properties it does not name go back to their
    defaults, built-in items it does not list too (a restore, a rollback)."""
    steps: list[tuple[int, str, list[str]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def step(self, kind: str, command: str, undo: list[str]) -> None:
        self.steps.append((ORDER[kind], command, undo))

    def done(self) -> Remediation:
        ordered = sorted(self.steps, key=lambda step: step[0])
        removals = [s for s in ordered if s[0] == ORDER["remove"]]
        others = [s for s in ordered if s[0] != ORDER["remove"]]
        # removed items come back last, in their old order (each placed before the item that
        # followed it, which is back by then)
        undo = [*reversed(others), *removals]
        rollback = [line for _, _, lines in undo for line in lines]
        return Remediation([c for _, c, _ in ordered], rollback, self.missing, self.extra)


def _menu(path: str, item: Item | None = None) -> Menu:
    single = item is not None and not item.selector and any(" set " in x for x in item.lines)
    return menu_for(path, single)


def _text(item: Item, menu: Menu) -> str:
    """An item as one terse line (its original line when there was exactly one)."""
    if len(item.lines) == 1:
        return item.lines[0]
    if menu.kind == "single":
        return f"{item.path} set {render_props(item.props)}".rstrip()
    if item.selector:  # as /export addresses it: [ find default-name=ether1 ]
        find = render_find(item.selector).replace("[ find where ", "[ find ", 1)
        return f"{item.path} set {find} {render_props(item.props)}"
    return f"{item.path} add {render_props(item.props)}"


def _restore(menu: Menu, target: str, old: Item, names: Sequence[str]) -> list[str]:
    """Commands putting ``names`` back to their values in ``old`` (the menu's default, or
    ``unset`` when none is known, for the ones ``old`` does not show)."""
    back = {n: old.props[n] for n in names if n in old.props}
    for name in names:
        default = menu.default(name, old.selector)
        if name not in back and default is not None:
            back[name] = default
    gone = [n for n in names if n not in back]
    commands = [" ".join(filter(None, (menu.path, "set", target, render_props(back))))]
    if gone:
        commands.append(" ".join(filter(None, (menu.path, "unset", target, " ".join(gone)))))
    return commands if back else commands[1:]


def _changes(menu: Menu, current: Item, wanted: Item, exact: bool) -> list[str]:
    """Names of the properties to change: those intended gives another value, and (exact)
    those the device has that intended leaves at their default."""
    names = [k for k in wanted.props if current.value(menu, k) != wanted.props[k]]
    if "disabled" in menu.defaults and current.value(menu, "disabled") != wanted.value(
        menu, "disabled"
    ):  # an item intended is intended enabled unless it says otherwise
        names.append("disabled")
    if exact:
        names += [
            k
            for k in current.props
            if k not in wanted.props
            and k not in names
            and current.props[k] != wanted.value(menu, k)
        ]
    return list(dict.fromkeys(names))


def _change_commands(menu: Menu, target: str, wanted: Item, names: Sequence[str]) -> list[str]:
    """Commands giving ``names`` their intended values (defaults for the ones not named)."""
    return _restore(menu, target, Item(menu.path, wanted.props, wanted.selector), names)


def _single(plan: _Plan, menu: Menu, running: list[Item], wanted: Item) -> None:
    current = running[0] if running else Item(menu.path, {})
    names = _changes(menu, current, wanted, plan.exact)
    if not names:
        return
    if wanted.props:
        plan.missing.append(_text(wanted, menu))
    plan.extra.extend(_text(item, menu) for item in running)
    for command in _change_commands(menu, "", wanted, names):
        plan.step("set", command, _restore(menu, "", current, names))


def _list_item(plan: _Plan, menu: Menu, current: Item | None, wanted: Item, anchor: str) -> None:
    find = render_find(wanted.identity(menu))
    if current is None:
        at_defaults = Item(menu.path, {}, wanted.selector)
        if wanted.selector and not _changes(menu, at_defaults, wanted, False):
            return  # a built-in item at its defaults, as the device has it
        plan.missing.append(_text(wanted, menu))
        if wanted.selector:
            undo = _restore(menu, find, Item(menu.path, {}, wanted.selector), list(wanted.props))
            plan.step("set", f"{menu.path} set {find} {render_props(wanted.props)}", undo)
        else:
            place = f" place-before={anchor}" if anchor else ""
            undo = [f"{menu.path} remove {find}"]
            plan.step("add", f"{menu.path} add {render_props(wanted.props)}{place}", undo)
        return
    names = _changes(menu, current, wanted, plan.exact)
    if names:
        if wanted.props or not plan.exact:
            plan.missing.append(_text(wanted, menu))
        plan.extra.append(_text(current, menu))
        undo = _restore(menu, find, current, names)
        for command in _change_commands(menu, find, wanted, names):
            plan.step("set", command, undo)
            undo = []


def _anchors(menu: Menu, order: list[Item], kept: set[Selector]) -> dict[int, str]:
    """For each item of ``order`` (by position): the find of the next kept item after it
    (where an item put back goes, in an ordered menu), or "" (the end)."""
    anchors: dict[int, str] = {}
    following = ""
    for index in range(len(order) - 1, -1, -1):
        anchors[index] = following if menu.ordered else ""
        identity = order[index].identity(menu)
        if identity in kept:
            following = render_find(identity)
    return anchors


def _list(plan: _Plan, menu: Menu, running: list[Item], wanted: list[Item]) -> None:
    by_identity = {item.identity(menu): item for item in running}
    wanted_ids = {item.identity(menu) for item in wanted}
    both = set(by_identity) & wanted_ids
    ahead = _anchors(menu, wanted, both)
    for index, item in enumerate(wanted):
        _list_item(plan, menu, by_identity.get(item.identity(menu)), item, ahead[index])
    behind = _anchors(menu, running, both)
    for index, item in enumerate(running):
        identity = item.identity(menu)
        if identity in wanted_ids:
            continue
        if item.selector:  # built in: never removed; exact: back to its defaults
            if plan.exact:
                _list_item(plan, menu, item, Item(menu.path, {}, item.selector), "")
            continue
        plan.extra.append(_text(item, menu))
        place = f" place-before={behind[index]}" if behind[index] else ""
        undo = [f"{menu.path} add {render_props(item.props)}{place}"]
        plan.step("remove", f"{menu.path} remove {render_find(identity)}", undo)


class RouterOSEngine:
    """Remediation for ``mikrotik_routeros`` on the path + set/add/remove model."""

    def remediate(
        self, running: str, intended: str, scope: Sequence[str], *, exact: bool = False
    ) -> Remediation:
        have = ConfigModel.from_export(running, strict=False)
        want = ConfigModel.from_export(intended)
        paths = list(dict.fromkeys([*scope, *(i.path for i in want.items)]))
        plan = _Plan(exact)
        for path in paths:
            wanted = want.at(path)
            present = have.at(path)
            menu = _menu(path, next(iter(wanted or present), None))
            if menu.kind == "single":
                if exact and not wanted and present:
                    wanted = [Item(path, {})]
                for item in wanted:
                    _single(plan, menu, present, item)
            else:
                _list(plan, menu, present, wanted)
        return plan.done()

    def apply(self, running: str, commands: Sequence[str]) -> str:
        model = ConfigModel.from_export(running).apply(list(commands))
        lines = []
        for item in model.items:
            menu = _menu(item.path, item)
            shown = {k: v for k, v in item.props.items() if v != menu.default(k, item.selector)}
            if shown or (menu.kind == "list" and not item.selector):  # as /export shows it
                lines.append(_text(Item(item.path, shown, item.selector), menu))
        return "\n".join(lines) + "\n" if lines else ""

    def scope_between(self, before: str, after: str) -> list[str]:
        """Every menu path either configuration has."""
        paths: dict[str, None] = {}
        for text in (before, after):
            for item in ConfigModel.from_export(text).items:
                paths[item.path] = None
        return list(paths)

    def without_secrets(self, scope: Sequence[str], *texts: str) -> list[str]:
        secret = {
            item.path
            for text in texts
            for item in ConfigModel.from_export(text).items
            if any(PLACEHOLDER in v for v in item.props.values())
        }
        return [s for s in scope if s not in secret]

    def scoped(self, intended: str, scope: Sequence[str]) -> str:
        keep = set(scope)
        lines = [
            line
            for line in intended.splitlines()
            if any(i.path in keep for i in ConfigModel.from_export(line).items)
        ]
        return "\n".join(lines) + "\n" if lines else ""
