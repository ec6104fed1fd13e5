"""The configuration model of one simulated RouterOS device: menus by path, items, operations.

Both the CLI shell and the binary API server work on this one object, so a change made one
way shows the other way. Paths use slashes (``/ip/address``); values are RouterOS strings.

Operations (each raises a `netrawat_lab.routeros.errors.RouterOSError` subclass carrying
RouterOS's own message):

- `RouterOSModel.print` ``(path, proplist=None, filters=None, booleans="api")`` → rows;
  list menus give ``.id`` first, then properties, ``comment`` (if any), ``dynamic`` and
  ``disabled``; settings menus give one row without ``.id``; views give computed rows.
- `add` → the new ``.id`` (in ordered menus also ``place-before=``); `move` (ordered menus);
  `set` / `unset` / `remove` / `enable` / `disable` on an item
  named by ``.id`` (``*1``) or by its key (``ether2``); ``set`` with ``item=None`` on a
  settings menu.

Live values (counters, running, dynamic routes) come from providers the device registers:
`views` (whole read-only menus), `dynamic` (extra dynamic items of a list menu) and `live`
(computed properties added to every item of a menu).

>>> m = RouterOSModel()
>>> m.set("/system/identity", None, {"name": "RTR-DINKES"})
>>> m.print("/system/identity")
[{'name': 'RTR-DINKES'}]
"""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Literal

from netrawat_lab.routeros.errors import (
    Failure,
    InvalidValue,
    NoMatchingValue,
    NoSuchItem,
    UnknownArgument,
    UnknownCommand,
    UnknownMenu,
)
from netrawat_lab.routeros.menus import Field, MenuSpec
from netrawat_lab.routeros.schema import SPECS
from netrawat_lab.routeros.values import api_boolean, normalise

Row = dict[str, str]
Filter = Mapping[str, str] | Callable[[Mapping[str, str]], bool] | None
Booleans = Literal["api", "cli"]
GENERIC = ("comment", "disabled")
CLOCK_ZONE = timezone(timedelta(hours=7), "WIB")
"""The device clock's zone (Asia/Pontianak)."""


@dataclass
class Item:
    """One item of a list menu."""

    number: int
    values: dict[str, str]
    comment: str = ""
    disabled: bool = False
    dynamic: bool = False
    builtin: bool = False
    factory: dict[str, str] = field(default_factory=dict)
    """A built-in item's factory values (and ``disabled``) that ``/export`` leaves out, as
    RouterOS leaves out an unchanged service (empty: every value is shown)."""

    @property
    def id(self) -> str:
        """The RouterOS ``.id``: ``*`` and the number in upper-case hex."""
        return f"*{self.number:X}"


@dataclass
class Providers:
    """Computed parts of the model, registered by the device's live state."""

    views: dict[str, Callable[[], list[Row]]] = field(default_factory=dict)
    dynamic: dict[str, Callable[[], list[Item]]] = field(default_factory=dict)
    live: dict[str, Callable[[Item], Row]] = field(default_factory=dict)


def _spec(path: str) -> MenuSpec:
    spec = SPECS.get(normalise_path(path))
    if spec is None:
        raise UnknownMenu(path)
    return spec


def normalise_path(path: str) -> str:
    """``/ip address`` or ``ip/address/`` → ``/ip/address``."""
    words = [w for w in path.replace(" ", "/").split("/") if w]
    return "/" + "/".join(words)


def is_menu(path: str) -> bool:
    """True if ``path`` is a menu (a path below one, like ``/ip``, is not)."""
    return normalise_path(path) in SPECS


def is_menu_prefix(path: str) -> bool:
    """True if ``path`` is a menu or leads to one (``/ip``, ``/interface/wifi``)."""
    wanted = normalise_path(path).rstrip("/") + "/"
    return wanted == "//" or any((p + "/").startswith(wanted) for p in SPECS)


class RouterOSModel:
    """The state of one device's configuration."""

    def __init__(self) -> None:
        self.tables: dict[str, list[Item]] = {}
        self.settings: dict[str, dict[str, str]] = {}
        self.next_number: dict[str, int] = {}
        self.providers = Providers()
        self.listeners: list[Callable[[str, str, str], None]] = []
        """Called with (path, operation, item id or "") after every change (logging)."""
        for spec in SPECS.values():
            if spec.kind == "single":
                self.settings[spec.path] = _defaults(spec)
            elif spec.kind == "list":
                self.tables.setdefault(spec.table, [])

    # ----- reading -------------------------------------------------------------------
    def spec(self, path: str) -> MenuSpec:
        """The `MenuSpec` of a path, or `UnknownMenu`."""
        return _spec(path)

    def print(
        self,
        path: str,
        proplist: Iterable[str] | None = None,
        filters: Filter = None,
        booleans: Booleans = "api",
    ) -> list[Row]:
        """The rows of a menu, optionally filtered and reduced to ``proplist``."""
        spec = _spec(path)
        if spec.kind == "view":
            rows = self.providers.views[spec.path]() if spec.path in self.providers.views else []
        elif spec.kind == "single":
            rows = [self._single_row(spec, booleans)]
        else:
            rows = [self._item_row(spec, item, booleans) for item in self.items(spec.path)]
        if filters is not None:
            rows = [r for r in rows if _matches(r, filters)]
        if proplist is not None:
            names = list(proplist)
            rows = [{n: r[n] for n in names if n in r} for r in rows]
        return rows

    def items(self, path: str, *, with_dynamic: bool = True) -> list[Item]:
        """The items of a list menu (static first, then the dynamic ones)."""
        spec = _spec(path)
        if spec.kind != "list":
            raise UnknownCommand("print")
        table = self.tables[spec.table]
        items = [i for i in table if not spec.item_type or i.values.get("type") == spec.item_type]
        if with_dynamic and spec.path in self.providers.dynamic:
            items = items + self.providers.dynamic[spec.path]()
        return items

    def get(self, path: str, item: str) -> Item:
        """One item by ``.id`` (``*1``) or key value; `NoSuchItem` if none."""
        spec = _spec(path)
        for candidate in self.items(spec.path):
            if candidate.id == item or (spec.key and candidate.values.get(spec.key) == item):
                return candidate
        raise NoSuchItem()

    def value(self, path: str, name: str) -> str:
        """One setting of a settings menu (``/system/identity`` ``name``)."""
        return self.settings[_spec(path).path].get(name, "")

    def find(self, path: str, **equals: str) -> list[str]:
        """The ``.id`` of every item whose printed properties equal ``equals``
        (underscores in names stand for dashes)."""
        wanted = {k.replace("_", "-"): v for k, v in equals.items()}
        return [r[".id"] for r in self.print(path, filters=wanted, booleans="cli")]

    # ----- changing ------------------------------------------------------------------
    def add(self, path: str, props: Mapping[str, str]) -> str:
        """Add an item to a list menu; returns its ``.id``. In an ordered menu
        ``place-before=<.id or key>`` puts it before that item instead of at the end."""
        spec = _spec(path)
        if spec.kind != "list" or not spec.can_add:
            raise UnknownCommand("add")
        props = dict(props)
        before = props.pop("place-before", None) if spec.ordered else None
        if before is not None:
            self._static(spec, before)  # no such item: refused before anything is checked
        values = _defaults(spec)
        item = Item(0, values)
        self._apply(spec, item, props)
        missing = [f.name for f in spec.fields if f.required and not item.values.get(f.name)]
        if missing:
            raise Failure(f"missing value(s) of argument(s) {', '.join(missing)}")
        if spec.item_type:
            item.values["type"] = spec.item_type
        self._check_unique(spec, item)
        self._derive(spec, item)
        table = self.tables[spec.table]
        position = table.index(self._static(spec, before)) if before is not None else len(table)
        item.number = self._allocate(spec.table)
        table.insert(position, item)
        self._changed(spec.path, "add", item.id)
        return item.id

    def add_builtin(
        self, path: str, props: Mapping[str, str], *, disabled: bool = False, hidden: bool = False
    ) -> str:
        """Create a built-in item (an ethernet port) the way the factory does; ``hidden``: its
        factory values stay out of ``/export`` (``/ip service``)."""
        spec = _spec(path)
        item = Item(self._allocate(spec.table), _defaults(spec), builtin=True, disabled=disabled)
        item.values.update(props)
        if hidden:
            item.factory = {**props, "disabled": "yes" if disabled else "no"}
        if spec.item_type:
            item.values["type"] = spec.item_type
        if spec.builtin_key and spec.key:
            item.values.setdefault(spec.builtin_key, item.values[spec.key])
        self.tables[spec.table].append(item)
        return item.id

    def set(self, path: str, item: str | None, props: Mapping[str, str]) -> None:
        """Change properties of an item (or of a settings menu when ``item`` is None)."""
        spec = _spec(path)
        if spec.kind == "view":
            raise UnknownCommand("set")
        if spec.kind == "single":
            self._set_single(spec, props)
            return
        if item is None:
            raise Failure("no item specified")
        target = self._static(spec, item)
        before = copy.deepcopy(target)
        old_key = target.values.get(spec.key or "", "")
        try:
            self._apply(spec, target, props)
            self._check_unique(spec, target)
        except Exception:
            target.values, target.comment, target.disabled = (
                before.values,
                before.comment,
                before.disabled,
            )
            raise
        self._derive(spec, target)
        if spec.key and target.values.get(spec.key) != old_key:
            self._rename_references(spec.table, old_key, target.values[spec.key])
        self._changed(spec.path, "set", target.id)

    def unset(self, path: str, item: str | None, names: Iterable[str]) -> None:
        """Put properties back to their defaults."""
        spec = _spec(path)
        values = self.settings[spec.path] if spec.kind == "single" else None
        if values is None:
            if item is None:
                raise Failure("no item specified")
            values = self._static(spec, item).values
        for name in names:
            fld = spec.field(name)
            if fld is None or fld.readonly or fld.required:
                raise UnknownArgument(name)
            if fld.default is None:
                values.pop(name, None)
            else:
                values[name] = fld.default
        self._changed(spec.path, "unset", item or "")

    def remove(self, path: str, item: str) -> None:
        """Remove an item; built-in items (ports) refuse."""
        spec = _spec(path)
        if spec.kind != "list":
            raise UnknownCommand("remove")
        target = self._static(spec, item)
        if not spec.can_remove or target.builtin:
            raise Failure(f"can not remove {spec.what}")
        self.tables[spec.table].remove(target)
        self._changed(spec.path, "remove", target.id)

    def move(self, path: str, items: Sequence[str], destination: str | None = None) -> None:
        """Move items (in the given order) before ``destination``, or to the end when it is
        None; only ordered menus (firewall rules) have ``move``."""
        spec = _spec(path)
        if spec.kind != "list" or not spec.ordered:
            raise UnknownCommand("move")
        moving = list(dict.fromkeys(self._static(spec, item).id for item in items))
        table = self.tables[spec.table]
        anchor = self._static(spec, destination) if destination is not None else None
        picked = [i for i in table if i.id in moving]
        picked.sort(key=lambda i: moving.index(i.id))
        rest = [i for i in table if i.id not in moving]
        if anchor is None:
            position = len(rest)
        else:  # before the destination; before the next unmoved item if it moves itself
            after = table[table.index(anchor) :]
            following = [i for i in after if i.id not in moving]
            position = rest.index(following[0]) if following else len(rest)
        table[:] = rest[:position] + picked + rest[position:]
        for item in picked:
            self._changed(spec.path, "move", item.id)

    def enable(self, path: str, item: str) -> None:
        """``disabled=no`` on an item."""
        self._set_disabled(path, item, False)

    def disable(self, path: str, item: str) -> None:
        """``disabled=yes`` on an item."""
        self._set_disabled(path, item, True)

    # ----- whole-state copies (faults, config-reset) -------------------------------------
    def dump(self) -> dict[str, object]:
        """A deep copy of the configuration, for `restore`."""
        return copy.deepcopy(
            {"tables": self.tables, "settings": self.settings, "next": self.next_number}
        )

    def restore(self, saved: Mapping[str, object]) -> None:
        """Put back a configuration taken with `dump`."""
        saved = copy.deepcopy(dict(saved))
        self.tables = saved["tables"]  # type: ignore[assignment]
        self.settings = saved["settings"]  # type: ignore[assignment]
        self.next_number = saved["next"]  # type: ignore[assignment]

    # ----- internals ---------------------------------------------------------------------
    def _static(self, spec: MenuSpec, item: str) -> Item:
        found = self.get(spec.path, item)
        if found.dynamic:
            raise Failure(f"can not change dynamic {spec.what}")
        return found

    def _set_disabled(self, path: str, item: str, disabled: bool) -> None:
        spec = _spec(path)
        if spec.kind != "list" or not spec.has_disabled:
            raise UnknownCommand("disable" if disabled else "enable")
        target = self._static(spec, item)
        target.disabled = disabled
        self._changed(spec.path, "disable" if disabled else "enable", target.id)

    def _set_single(self, spec: MenuSpec, props: Mapping[str, str]) -> None:
        values = self.settings[spec.path]
        new = dict(values)
        for name, raw in props.items():
            new[name] = self._check(spec, spec.field(name), name, raw)
        values.update(new)
        self._changed(spec.path, "set", "")

    def _apply(self, spec: MenuSpec, item: Item, props: Mapping[str, str]) -> None:
        for name, raw in props.items():
            if name == "comment":
                item.comment = self._check(spec, Field("comment"), name, raw)
            elif name == "disabled" and spec.has_disabled:
                item.disabled = normalise("bool", raw, name) == "yes"
            else:
                item.values[name] = self._check(spec, spec.field(name), name, raw)

    def _check(self, spec: MenuSpec, fld: Field | None, name: str, raw: str) -> str:
        if fld is None or fld.readonly:
            raise UnknownArgument(name)
        if fld.kind == "enum":
            if raw not in fld.choices:
                raise InvalidValue(name)
            return raw
        if fld.kind == "ref":
            if raw in fld.also or raw in self._keys(fld.ref):
                return raw
            raise NoMatchingValue(name)
        return normalise(fld.kind, raw, name)

    def _keys(self, path: str) -> frozenset[str]:
        spec = _spec(path)
        return frozenset(i.values.get(spec.key or "name", "") for i in self.items(path))

    def _check_unique(self, spec: MenuSpec, item: Item) -> None:
        if not spec.key:
            return
        name = item.values.get(spec.key)
        for other in self.tables[spec.table]:
            if other is not item and other.values.get(spec.key) == name:
                raise Failure(f"already have {spec.what} with such name")

    def _derive(self, spec: MenuSpec, item: Item) -> None:
        """Values RouterOS fills in itself (the network of an address, a file's size)."""
        derive = _DERIVED.get(spec.path)
        if derive is not None:
            derive(item.values)

    def _rename_references(self, table: str, old: str, new: str) -> None:
        for spec in SPECS.values():
            if spec.kind != "list":
                continue
            refs = [f.name for f in spec.fields if f.kind == "ref" and _spec(f.ref).table == table]
            for item in self.tables[spec.table] if refs else []:
                for name in refs:
                    if item.values.get(name) == old:
                        item.values[name] = new
                if spec.path == "/ip/address" and item.values.get("actual-interface") == old:
                    item.values["actual-interface"] = new

    def _allocate(self, table: str) -> int:
        number = self.next_number.get(table, 1)
        self.next_number[table] = number + 1
        return number

    def _changed(self, path: str, operation: str, item_id: str) -> None:
        for listener in self.listeners:
            listener(path, operation, item_id)

    def _item_row(self, spec: MenuSpec, item: Item, booleans: Booleans) -> Row:
        row: Row = {".id": item.id}
        for fld in spec.fields:
            if fld.writeonly or fld.name not in item.values:
                continue
            value = item.values[fld.name]
            row[fld.name] = (
                api_boolean(value) if booleans == "api" and fld.kind == "bool" else value
            )
        if spec.path in self.providers.live:
            row.update(self.providers.live[spec.path](item))
        if item.comment:
            row["comment"] = item.comment
        flags = {"dynamic": item.dynamic, "disabled": item.disabled}
        for name, flag in flags.items():
            if name != "disabled" or spec.has_disabled:
                row[name] = _flag(flag, booleans)
        return row

    def _single_row(self, spec: MenuSpec, booleans: Booleans) -> Row:
        values = dict(self.settings[spec.path])
        for fld in spec.fields:
            if fld.readonly and fld.default is not None:
                values.setdefault(fld.name, fld.default)
        if spec.path in self.providers.live:
            values.update(self.providers.live[spec.path](Item(0, values)))
        row: Row = {}
        for fld in spec.fields:
            if fld.name in values and not fld.writeonly:
                value = values.pop(fld.name)
                row[fld.name] = (
                    api_boolean(value) if booleans == "api" and fld.kind == "bool" else value
                )
        row.update(values)
        return row


def _derive_address(values: dict[str, str]) -> None:
    if "network" not in values:
        net = ipaddress.IPv4Interface(values["address"]).network
        values["network"] = str(net.network_address)
    values["actual-interface"] = values.get("interface", "")


def _derive_file(values: dict[str, str]) -> None:
    name = values.get("name", "")
    kinds = {".rsc": "script", ".backup": "backup", ".txt": "file"}
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    values["type"] = kinds.get(suffix, "file")
    values["size"] = str(len(values.get("contents", "").encode()))


def _derive_created(values: dict[str, str]) -> None:
    values.setdefault("creation-time", datetime.now(CLOCK_ZONE).strftime("%Y-%m-%d %H:%M:%S"))


_DERIVED: dict[str, Callable[[dict[str, str]], None]] = {
    "/ip/firewall/address-list": _derive_created,
    "/ip/address": _derive_address,
    "/file": _derive_file,
}


def _flag(value: bool, booleans: Booleans) -> str:
    if booleans == "api":
        return "true" if value else "false"
    return "yes" if value else "no"


def _defaults(spec: MenuSpec) -> dict[str, str]:
    return {f.name: f.default for f in spec.fields if f.default is not None and not f.readonly}


def _matches(
    row: Mapping[str, str], filters: Mapping[str, str] | Callable[[Mapping[str, str]], bool]
) -> bool:
    if callable(filters):
        return filters(row)
    return all(row.get(k) == v for k, v in filters.items())
