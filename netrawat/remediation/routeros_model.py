"""A RouterOS configuration as items per menu, built from ``/export terse`` lines.

Menus are data (``routeros_menus.yaml``): a *single* menu (``/ip dns``) holds one settings
item; a *list* menu (``/ip address``) holds items identified by their key properties, or by
the ``[ find ... ]`` selector the export addresses them with (``/interface ethernet set
[ find default-name=ether1 ]``). `ConfigModel.apply` carries out ``add``/``set``/``unset``/
``remove`` commands the way the device would, so remediations can be checked offline
(running + remediation == intended; remediation + rollback == running).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netrawat.errors import InputError
from netrawat.remediation.routeros_terse import Entry, find_condition, parse_export, parse_line

MENUS_FILE = Path(__file__).with_name("routeros_menus.yaml")
Selector = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Menu:
    """What the engine knows of one menu path."""

    path: str
    kind: str = "list"
    key: tuple[str, ...] = ()
    defaults: dict[str, str] = field(default_factory=dict)
    selector_defaults: dict[str, str] = field(default_factory=dict)
    """Property → selector term giving its default (``name`` of ``default-name=ether3``)."""
    ordered: bool = False
    """Whether the order of items matters (firewall rules)."""

    def value(self, props: dict[str, str], name: str, selector: Selector = ()) -> str:
        """A property's value, the default when the export omitted it."""
        if name in props:
            return props[name]
        return self.default(name, selector) or ""

    def default(self, name: str, selector: Selector = ()) -> str | None:
        """A property's default (None: unknown, reset it with ``unset``)."""
        term = self.selector_defaults.get(name)
        if term is not None and term in dict(selector):
            return dict(selector)[term]
        return self.defaults.get(name)


def _strings(raw: object) -> dict[str, str]:
    return {str(k): str(v) for k, v in (raw or {}).items()}  # type: ignore[attr-defined]


@functools.cache
def _raw_menus() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(MENUS_FILE.read_text(encoding="utf-8"))
    return raw


def _list_defaults() -> dict[str, str]:
    return _strings((_raw_menus().get("list-defaults") or {}).get("defaults"))


@functools.cache
def menus() -> dict[str, Menu]:
    """Every menu of ``routeros_menus.yaml`` by path (list menus with the common defaults)."""
    found = {}
    for path, spec in _raw_menus().items():
        if not path.startswith("/"):
            continue
        kind = str(spec.get("kind", "list"))
        common = _list_defaults() if kind == "list" else {}
        found[path] = Menu(
            path,
            kind,
            tuple(spec.get("key") or ()),
            {**common, **_strings(spec.get("defaults"))},
            _strings(spec.get("selector_defaults")),
            bool(spec.get("ordered", False)),
        )
    return found


def menu_for(path: str, single: bool = False) -> Menu:
    """The menu at ``path``; one the data lacks is a list (or ``single``) menu."""
    known = menus().get(path)
    if known is not None:
        return known
    return Menu(path, "single") if single else Menu(path, "list", (), _list_defaults())


def menu_of(entry: Entry) -> Menu:
    """The menu of an entry; an unknown one is single for a bare ``set``, else a list."""
    single = entry.action in {"set", "unset"} and not entry.selector
    return menu_for(entry.path, single)


@dataclass
class Item:
    """One configuration item and the lines it came from."""

    path: str
    props: dict[str, str]
    selector: Selector = ()
    lines: list[str] = field(default_factory=list)

    def identity(self, menu: Menu) -> Selector:
        """How the item is found again: its selector, key properties, or all properties."""
        if self.selector:
            return self.selector
        if menu.kind == "single":
            return ()
        names = menu.key or tuple(
            sorted(k for k, v in self.props.items() if v != menu.default(k, self.selector))
        )
        return tuple((name, menu.value(self.props, name)) for name in names)

    def value(self, menu: Menu, name: str) -> str:
        """A property's value on this item (its default when not shown)."""
        return menu.value(self.props, name, self.selector)

    def matches(self, condition: Selector, menu: Menu) -> bool:
        """Whether ``[ find where k=v ... ]`` selects this item (or its selector is that)."""
        if condition == self.selector:
            return True
        merged = {**dict(self.selector), **self.props}
        return all(menu.value(merged, k) == v for k, v in condition)


@dataclass
class ConfigModel:
    """Items in export order."""

    items: list[Item] = field(default_factory=list)

    @classmethod
    def from_export(cls, text: str, strict: bool = True) -> ConfigModel:
        model = cls()
        for entry in parse_export(text, strict):
            model.apply_entry(entry, keep_line=True)
        return model

    def at(self, path: str) -> list[Item]:
        return [item for item in self.items if item.path == path]

    def find(self, path: str, condition: Selector) -> list[Item]:
        menu = menu_for(path)
        return [item for item in self.at(path) if item.matches(condition, menu)]

    def apply(self, commands: list[str]) -> ConfigModel:
        """A copy of the model with ``commands`` applied (an `InputError` if one cannot be)."""
        copy = ConfigModel(
            [Item(i.path, dict(i.props), i.selector, list(i.lines)) for i in self.items]
        )
        for command in commands:
            copy.apply_entry(parse_line(command))
        return copy

    def apply_entry(self, entry: Entry, keep_line: bool = False) -> None:
        menu = menu_of(entry)
        handler = {
            "add": self._add,
            "set": self._set,
            "remove": self._remove,
            "unset": self._unset,
        }.get(entry.action)
        if handler is None:
            raise InputError(f"cannot model RouterOS action {entry.action!r}", entry.line)
        handler(entry, menu, entry.line if keep_line else "")

    def _targets(self, entry: Entry, menu: Menu) -> list[Item]:
        if menu.kind == "single":
            found = self.at(entry.path)
            if not found:
                found = [Item(entry.path, {})]
                self.items.append(found[0])
            return found
        found = self.find(entry.path, entry.selector)
        if not found and entry.selector:  # an addressed built-in item (ether1, wifi1)
            found = [Item(entry.path, {}, entry.selector)]
            self.items.append(found[0])
        return found

    def _add(self, entry: Entry, menu: Menu, line: str) -> None:
        props = dict(entry.props)
        anchor = props.pop("place-before", None)
        item = Item(entry.path, props, (), [line] if line else [])
        if anchor is None:
            self.items.append(item)
            return
        found = self.find(entry.path, find_condition(anchor))
        if not found:
            raise InputError(
                f"place-before={anchor} finds no item in {entry.path}", "check the remediation"
            )
        self.items.insert(self.items.index(found[0]), item)

    def _set(self, entry: Entry, menu: Menu, line: str) -> None:
        for item in self._targets(entry, menu):
            item.props.update(entry.props)
            if line:
                item.lines.append(line)

    def _unset(self, entry: Entry, menu: Menu, line: str) -> None:
        for item in self._targets(entry, menu):
            for name in entry.props:
                item.props.pop(name, None)

    def _remove(self, entry: Entry, menu: Menu, line: str) -> None:
        doomed = {id(item) for item in self.find(entry.path, entry.selector)}
        self.items = [item for item in self.items if id(item) not in doomed]

    def canonical(
        self, paths: frozenset[str] | None = None
    ) -> list[tuple[str, Selector, Selector]]:
        """Order-free comparable form: (path, identity, props with defaults dropped); built-in
        items with nothing but defaults left out, as ``/export`` leaves them out."""
        out = []
        for item in self.items:
            if paths is not None and item.path not in paths:
                continue
            menu = menu_for(item.path)
            props = tuple(
                sorted((k, v) for k, v in item.props.items() if menu.default(k, item.selector) != v)
            )
            if item.selector and not props:  # a built-in item at its defaults: not shown
                continue
            out.append((item.path, item.identity(menu), props))
        return sorted(out)
