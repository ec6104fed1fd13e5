"""RouterOS remediation (hier_config does not cover RouterOS): a diff of menu items.

Running and intended ``/export terse`` texts become items per menu (`ConfigModel`). Within the
scope (menu paths), for each intended item:

- *single* menu (``/ip dns``): the properties intended names that differ → ``/ip dns set k=v``;
- *list* menu item not on the device → ``add`` (or ``set [ find ... ]`` for an item the export
  addresses by selector, such as ``default-name=wifi1``); present with other values →
  ``set [ find where <key> ] k=v``;
- a list item on the device that intended does not have → ``remove [ find where <key> ]``
  (items addressed by selector are built in and never removed).

Properties intended does not name are left as they are. The rollback undoes each command:
old values set back (the menu's default, or ``unset``, when the device had none), added items
removed, removed items added again (at the end of their menu: RouterOS has no place-before
for every menu, so the order of e.g. firewall rules is not restored).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from netrawat.remediation.model import Remediation
from netrawat.remediation.routeros_model import ConfigModel, Item, Menu, menus
from netrawat.remediation.routeros_terse import render_find, render_props

ORDER = {"remove": 0, "set": 1, "add": 2}
"""Removals first: a ``remove [ find where ... ]`` must never catch an item just added."""


@dataclass
class _Plan:
    steps: list[tuple[int, str, list[str]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def step(self, kind: str, command: str, undo: list[str]) -> None:
        self.steps.append((ORDER[kind], command, undo))

    def done(self) -> Remediation:
        ordered = sorted(self.steps, key=lambda step: step[0])
        rollback = [line for _, _, undo in reversed(ordered) for line in undo]
        return Remediation([c for _, c, _ in ordered], rollback, self.missing, self.extra)


def _menu(path: str, item: Item | None = None) -> Menu:
    known = menus().get(path)
    if known is not None:
        return known
    single = item is not None and not item.selector and any(" set " in x for x in item.lines)
    return Menu(path, "single" if single else "list")


def _text(item: Item, menu: Menu) -> str:
    """An item as one terse line (its original line when there was exactly one)."""
    if len(item.lines) == 1:
        return item.lines[0]
    if menu.kind == "single":
        return f"{item.path} set {render_props(item.props)}".rstrip()
    if item.selector:
        return f"{item.path} set {render_find(item.selector)} {render_props(item.props)}"
    return f"{item.path} add {render_props(item.props)}"


def _restore(menu: Menu, target: str, old: Item, names: Sequence[str]) -> list[str]:
    """Rollback commands putting ``names`` back to their values in ``old``."""
    back = {n: old.props[n] for n in names if n in old.props}
    back.update({n: menu.defaults[n] for n in names if n not in back and n in menu.defaults})
    gone = [n for n in names if n not in back]
    commands = [" ".join(filter(None, (menu.path, "set", target, render_props(back))))]
    if gone:
        commands.append(" ".join(filter(None, (menu.path, "unset", target, " ".join(gone)))))
    return commands if back else commands[1:]


def _single(plan: _Plan, menu: Menu, running: list[Item], wanted: Item) -> None:
    current = running[0] if running else Item(menu.path, {})
    changes = {k: v for k, v in wanted.props.items() if menu.value(current.props, k) != v}
    if not changes:
        return
    plan.missing.append(_text(wanted, menu))
    plan.extra.extend(_text(item, menu) for item in running)
    plan.step(
        "set",
        f"{menu.path} set {render_props(changes)}",
        _restore(menu, "", current, list(changes)),
    )


def _list_item(plan: _Plan, menu: Menu, current: Item | None, wanted: Item) -> None:
    find = render_find(wanted.identity(menu))
    if current is None:
        plan.missing.append(_text(wanted, menu))
        if wanted.selector:
            undo = _restore(menu, find, Item(menu.path, {}), list(wanted.props))
            plan.step("set", f"{menu.path} set {find} {render_props(wanted.props)}", undo)
        else:
            undo = [f"{menu.path} remove {find}"]
            plan.step("add", f"{menu.path} add {render_props(wanted.props)}", undo)
        return
    changes = {k: v for k, v in wanted.props.items() if menu.value(current.props, k) != v}
    if changes:
        plan.missing.append(_text(wanted, menu))
        plan.extra.append(_text(current, menu))
        undo = _restore(menu, find, current, list(changes))
        plan.step("set", f"{menu.path} set {find} {render_props(changes)}", undo)


def _list(plan: _Plan, menu: Menu, running: list[Item], wanted: list[Item]) -> None:
    by_identity = {item.identity(menu): item for item in running}
    wanted_ids = {item.identity(menu) for item in wanted}
    for item in wanted:
        _list_item(plan, menu, by_identity.get(item.identity(menu)), item)
    for item in running:
        identity = item.identity(menu)
        if identity in wanted_ids or item.selector:
            continue
        plan.extra.append(_text(item, menu))
        undo = [f"{menu.path} add {render_props(item.props)}"]
        plan.step("remove", f"{menu.path} remove {render_find(identity)}", undo)


class RouterOSEngine:
    """Remediation for ``mikrotik_routeros`` on the path + set/add/remove model."""

    def remediate(self, running: str, intended: str, scope: Sequence[str]) -> Remediation:
        have = ConfigModel.from_export(running, strict=False)
        want = ConfigModel.from_export(intended)
        paths = list(dict.fromkeys([*scope, *(i.path for i in want.items)]))
        plan = _Plan()
        for path in paths:
            wanted = want.at(path)
            menu = _menu(path, wanted[0] if wanted else None)
            if menu.kind == "single":
                for item in wanted:
                    _single(plan, menu, have.at(path), item)
            else:
                _list(plan, menu, have.at(path), wanted)
        return plan.done()

    def apply(self, running: str, commands: Sequence[str]) -> str:
        model = ConfigModel.from_export(running).apply(list(commands))
        lines = []
        for item in model.items:
            lines.append(_text(Item(item.path, item.props, item.selector), _menu(item.path, item)))
        return "\n".join(lines) + "\n" if lines else ""
