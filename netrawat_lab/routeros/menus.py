"""What menus a RouterOS 7.16.1 device has: `Field` and `MenuSpec` types.

A menu is one of three kinds:

- ``list``: items with ``.id`` (``*1``), properties, ``disabled``, ``comment``, maybe dynamic
  items the device adds itself (connected routes, dynamic leases);
- ``single``: one set of settings (``/system/identity``, ``/ip/dns``);
- ``view``: read-only rows computed from the device's state (``/system/resource``).

Menus whose items share one table (``/interface`` and ``/interface/ethernet``, ``bridge``,
``wifi``, ``vlan``) name that table in ``store`` and their item type in ``item_type``.
The menu table itself lives in `netrawat_lab.routeros.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """One property of a menu."""

    name: str
    kind: str = "str"
    """How values are checked (`netrawat_lab.routeros.values.KINDS`): ``str``, ``bool``,
    ``int``, ``ip``, ``prefix``, ``network``, ``ip-list``, ``ranges``, ``time``, ``mac``,
    ``enum`` (one of ``choices``), ``ref`` (the key of an item of menu ``ref``)."""
    default: str | None = None
    """The value an item has when none was given; None = unset (not shown)."""
    choices: tuple[str, ...] = ()
    ref: str = ""
    """For ``ref`` fields: the menu path whose key values are accepted."""
    also: tuple[str, ...] = ()
    """For ``ref`` fields: extra accepted values (``all``, ``none``)."""
    sensitive: bool = False
    """Hidden in ``/export`` unless ``show-sensitive`` (RouterOS v7)."""
    readonly: bool = False
    """Computed by the device; ``set`` refuses it."""
    required: bool = False
    """``add`` fails without it."""
    writeonly: bool = False
    """Accepted by add/set, never printed nor exported (user passwords)."""


@dataclass(frozen=True)
class MenuSpec:
    """One menu path and its properties (in print order)."""

    path: str
    kind: str  # "list" | "single" | "view"
    fields: tuple[Field, ...] = ()
    key: str | None = None
    """The field that names an item (``name``): unique, usable instead of the ``.id``."""
    store: str = ""
    """The item table (default: the path itself)."""
    item_type: str = ""
    """The ``type`` of this menu's items in a shared store (``ether``, ``bridge``)."""
    what: str = "item"
    """The noun RouterOS uses in ``failure: already have ... with such name``."""
    can_add: bool = True
    can_remove: bool = True
    has_disabled: bool = True
    exported: bool = True
    builtin_key: str = ""
    """Built-in items (ethernet ports) are exported as ``set [ find default-name=X ]``."""
    ordered: bool = False
    """Item order matters (firewall rules): ``add place-before=`` and ``move`` work here."""
    positional: bool = False
    """Built-in items are exported by name, ``set telnet disabled=yes`` (``/ip service``)."""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> str:
        """The name of the item table this menu reads and writes."""
        return self.store or self.path

    def field(self, name: str) -> Field | None:
        """The field called ``name``, or None."""
        for item in self.fields:
            if item.name == name:
                return item
        return None
