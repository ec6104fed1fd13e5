"""How RouterOS 7.16 prints each list menu: the table columns and the ``Flags:`` legend.

Flag groups are separated by ``;`` in the legend, flags of a group by ``,`` (as v7 does);
each group is one character column of the row (``DAc``: dynamic; active; connect). A table
print lists only the flags some row has, upper-case (``Flags: D - DYNAMIC; C - COMPLETE``);
``print detail`` lists them all, lower-case (both as in real 7.x captures). A flag is set
when the row's property is ``true`` (``slave``, ``running``...).
"""

from __future__ import annotations

from dataclasses import dataclass

FlagGroup = tuple[tuple[str, str, str], ...]
"""(letter, NAME, property) of each flag of a group."""


@dataclass(frozen=True)
class Layout:
    """Columns (header, property) and flags of a menu's table print."""

    columns: tuple[tuple[str, str], ...]
    flags: tuple[FlagGroup, ...] = ()
    right: frozenset[str] = frozenset()
    """Columns aligned right (numbers)."""
    detail: bool = False
    """``print`` shows the detail layout (firewall rules)."""
    keys: tuple[str, ...] = ()
    """Property order of ``detail``/``terse`` (empty: the row's own order, all keys)."""
    detail_only: frozenset[str] = frozenset()
    """Keys ``terse`` leaves out."""
    numbered: bool = True
    """False: rows carry no item numbers (``/system history``)."""


def _cols(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name.upper(), name) for name in names)


_X = ("X", "DISABLED", "disabled")
_D = ("D", "DYNAMIC", "dynamic")
_R = ("R", "RUNNING", "running")
_S = ("S", "SLAVE", "slave")
_I = ("I", "INVALID", "invalid")

_INTERFACE_KEYS = (
    "name",
    "default-name",
    "type",
    "mtu",
    "actual-mtu",
    "l2mtu",
    "max-l2mtu",
    "mac-address",
    "ifname",
    "ifindex",
    "id",
    "last-link-down-time",
    "last-link-up-time",
    "link-downs",
)
"""RouterOS 7's order of ``/interface print detail`` (real 7.x capture)."""

LAYOUTS: dict[str, Layout] = {
    "/interface": Layout(
        _cols("name", "type", "actual-mtu", "l2mtu", "max-l2mtu", "mac-address"),
        ((_D,), (_X, _R), (_S,)),
        frozenset({"actual-mtu", "l2mtu", "max-l2mtu"}),
        keys=_INTERFACE_KEYS,
        detail_only=frozenset({"ifname", "ifindex", "id"}),
    ),
    "/interface/ethernet": Layout(
        _cols("name", "mtu", "mac-address", "arp", "switch"), ((_X, _R), (_S,)), frozenset({"mtu"})
    ),
    "/interface/bridge": Layout(
        _cols("name", "mtu", "actual-mtu", "l2mtu", "mac-address"),
        ((_D,), (_X, _R)),
        frozenset({"actual-mtu", "l2mtu"}),
    ),
    "/interface/bridge/port": Layout(_cols("interface", "bridge"), ((_I, _X),)),
    "/interface/wifi": Layout(
        _cols(
            "name",
            "mac-address",
            "channel.band",
            "configuration.ssid",
            "security.authentication-types",
        ),
        ((_X, _R),),
    ),
    "/interface/wifi/registration-table": Layout(
        _cols("interface", "ssid", "mac-address", "uptime", "signal"), right=frozenset({"signal"})
    ),
    "/interface/vlan": Layout(
        _cols("name", "mtu", "arp", "vlan-id", "interface"),
        ((_X, _R),),
        frozenset({"mtu", "vlan-id"}),
    ),
    "/interface/list": Layout(_cols("name"), ((_D,),)),
    "/interface/list/member": Layout(_cols("list", "interface"), ((_X, _D),)),
    "/ip/address": Layout(_cols("address", "network", "interface"), ((_X, _I, _D),)),
    "/ip/route": Layout(
        _cols("dst-address", "gateway", "routing-table", "distance"),
        (
            (_D,),
            (_X, ("I", "INACTIVE", "inactive"), ("A", "ACTIVE", "active")),
            (("c", "CONNECT", "connect"), ("s", "STATIC", "static")),
        ),
        frozenset({"distance"}),
    ),
    "/ip/arp": Layout(
        _cols("address", "mac-address", "interface", "status"),
        (
            (
                _X,
                _I,
                ("H", "DHCP", "DHCP"),
                _D,
                ("P", "PUBLISHED", "published"),
                ("C", "COMPLETE", "complete"),
            ),
        ),
    ),
    "/ip/pool": Layout(_cols("name", "ranges")),
    "/ip/dhcp-server": Layout(
        _cols("name", "interface", "address-pool", "lease-time"), ((_X, _I),)
    ),
    "/ip/dhcp-server/lease": Layout(
        _cols("address", "mac-address", "host-name", "server", "status", "last-seen"),
        ((_X, ("R", "RADIUS", "radius"), _D, ("B", "BLOCKED", "blocked")),),
    ),
    "/ip/dhcp-server/network": Layout(_cols("address", "gateway", "dns-server")),
    "/ip/dhcp-client": Layout(
        _cols("interface", "use-peer-dns", "add-default-route", "status", "address"), ((_X, _I),)
    ),
    "/ip/dns/static": Layout(_cols("name", "address", "type"), ((_D, _X),)),
    "/ip/firewall/address-list": Layout(_cols("list", "address", "creation-time"), ((_X, _D),)),
    "/ip/firewall/filter": Layout((), ((_X, _I), (_D,)), detail=True),
    "/ip/firewall/nat": Layout((), ((_X, _I), (_D,)), detail=True),
    "/ip/firewall/mangle": Layout((), ((_X, _I), (_D,)), detail=True),
    "/ip/firewall/raw": Layout((), ((_X, _I), (_D,)), detail=True),
    "/snmp/community": Layout(
        _cols("name", "addresses", "security", "read-access", "write-access"),
        ((("*", "DEFAULT", "default"), _X),),
    ),
    "/user": Layout(_cols("name", "group", "address", "last-logged-in"), ((_X,),)),
    "/user/active": Layout(
        _cols("when", "name", "address", "via"), ((("R", "RADIUS", "radius"),),)
    ),
    "/system/health": Layout(_cols("name", "value", "type")),
    "/system/history": Layout(
        _cols("action", "by", "policy", "time"),
        ((("U", "UNDOABLE", "undoable"), ("F", "FLOATING-UNDO", "floating-undo")),),
        numbered=False,
    ),
    "/system/scheduler": Layout(
        _cols("name", "start-date", "start-time", "interval", "on-event", "run-count"), ((_X,),)
    ),
    "/system/resource/cpu": Layout(_cols("cpu", "load", "irq", "disk")),
    "/file": Layout(_cols("name", "type", "size", "creation-time")),
    "/system/package": Layout(_cols("name", "version", "build-time", "size"), ((_X,),)),
}
