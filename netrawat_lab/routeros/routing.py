"""Routing-side live state of a RouterOS lab device: connected routes, which gateway is
reachable, the ARP table and DHCP leases the LAN's PCs hold, and ping results.

`RoutingState` is a mixin of `netrawat_lab.routeros.live.LiveState`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from netrawat_lab.routeros.hardware import stable_number as _digest
from netrawat_lab.routeros.knobs import Knobs
from netrawat_lab.routeros.model import Item, RouterOSModel, Row
from netrawat_lab.spec import DeviceSpec

DYNAMIC_BASE = 0x80000000
"""Dynamic items (connected routes, leases) get ``.id`` from ``*80000001`` up."""
DEAD_BLOCK = ipaddress.IPv4Network("10.99.0.0/16")


class RoutingState:
    """Routes, neighbours and leases computed from the configuration and the links."""

    model: RouterOSModel
    spec: DeviceSpec
    knobs: Knobs

    running: Callable[[str], bool]

    def connected(self) -> list[tuple[ipaddress.IPv4Interface, str]]:
        """(address, interface) of every address whose interface is running."""
        result = []
        for item in self.model.items("/ip/address", with_dynamic=False):
            iface = item.values.get("interface", "")
            if not item.disabled and self.running(iface):
                result.append((ipaddress.IPv4Interface(item.values["address"]), iface))
        return result

    def route_interface(self, gateway: str) -> str | None:
        """The interface a gateway address is reachable through, if any."""
        try:
            address = ipaddress.IPv4Address(gateway)
        except ValueError:
            return gateway if self.running(gateway) else None
        for iface_address, iface in self.connected():
            if address in iface_address.network:
                return iface
        return None

    def _connected_routes(self) -> list[Item]:
        routes = []
        for index, (address, iface) in enumerate(self.connected()):
            values = {
                "dst-address": str(address.network),
                "gateway": iface,
                "immediate-gw": iface,
                "distance": "0",
                "scope": "10",
                "routing-table": "main",
                "local-address": f"{address.ip}%{iface}",
                "_origin": "connect",
            }
            routes.append(Item(DYNAMIC_BASE + index + 1, values, dynamic=True))
        return routes

    def _route_live(self, item: Item) -> Row:
        if item.values.get("_origin") == "connect":
            return {
                "active": "true",
                "connect": "true",
                "static": "false",
                "local-address": item.values["local-address"],
            }
        via = None if item.disabled else self.route_interface(item.values.get("gateway", ""))
        active = "true" if via else "false"
        inactive = "false" if via or item.disabled else "true"
        row = {"active": active, "inactive": inactive, "connect": "false", "static": "true"}
        if via:
            row["immediate-gw"] = f"{item.values.get('gateway')}%{via}"
        return row

    def internet_up(self) -> bool:
        """True when a default route is active (the WAN gateway is reachable)."""
        for route in self.model.items("/ip/route", with_dynamic=False):
            default = route.values.get("dst-address") == "0.0.0.0/0" and not route.disabled
            if default and self.route_interface(route.values.get("gateway", "")):
                return True
        return False

    def _neighbour_macs(self) -> list[Row]:
        rows = []
        for index, (address, iface) in enumerate(self.connected()):
            net = address.network
            peer = (
                net.network_address + 1
                if address.ip != net.network_address + 1
                else net.network_address + 2
            )
            if net.prefixlen >= 31:
                continue
            rows.append(self._arp_row(index, str(peer), iface))
        if self.spec.role != "ap":
            for lease in self.dynamic_leases():
                rows.append(
                    self._arp_row(
                        len(rows),
                        lease.values["address"],
                        "bridge-lan",
                        lease.values["mac-address"],
                    )
                )
        return rows

    def _arp_row(self, index: int, address: str, iface: str, mac: str = "") -> Row:
        mac = mac or f"74:4D:28:{_digest(address) % 256:02X}:{index:02X}:01"
        return {
            ".id": f"*{DYNAMIC_BASE + index + 1:X}",
            "address": address,
            "mac-address": mac,
            "interface": iface,
            "published": "false",
            "invalid": "false",
            "DHCP": "false",
            "dynamic": "true",
            "complete": "true",
            "status": "reachable",
            "disabled": "false",
        }

    def dynamic_leases(self) -> list[Item]:
        """Leases handed out to the OPD's PCs (router only; none when the LAN is down)."""
        servers = [s for s in self.model.items("/ip/dhcp-server") if not s.disabled]
        if (
            self.spec.role == "ap"
            or not servers
            or not self.running(servers[0].values["interface"])
        ):
            return []
        pools = {p.values["name"]: p.values["ranges"] for p in self.model.items("/ip/pool")}
        first = pools.get(servers[0].values.get("address-pool", ""), "").split("-")[0]
        if not first:
            return []
        start = ipaddress.IPv4Address(first)
        leases = []
        host_byte = _digest(self.spec.hostname) % 256
        for n in range(5):
            values = {
                "address": str(start + n),
                "mac-address": f"F4:8E:38:{n:02X}:{host_byte:02X}:{n + 16:02X}",
                "server": servers[0].values["name"],
                "host-name": f"PC-{self.spec.opd.upper()}-{n + 1:02d}",
                "status": "bound",
                "last-seen": f"{(n * 37) % 60 + 1}m{n * 7 % 60}s",
            }
            leases.append(Item(DYNAMIC_BASE + n + 1, values, dynamic=True))
        return leases

    # ----- computed menus ----------------------------------------------------------------


def exists(address: str) -> bool:
    """Whether a host beyond the router answers: everything but 10.99.0.0/16, the lab's
    block for wrong values (``wrong-ntp`` points at 10.99.99.123, as on the IOS devices)."""
    try:
        return ipaddress.IPv4Address(address) not in DEAD_BLOCK
    except ValueError:
        return True  # a DNS name (pool.ntp.org): resolvable in the lab


def _lost(sequence: int, loss_percent: int) -> bool:
    """Spread a loss percentage evenly over the packets (deterministic)."""
    return (sequence + 1) * loss_percent // 100 > sequence * loss_percent // 100


def ping_times(state: RoutingState, address: str, count: int) -> list[int | None]:
    """Round-trip time in microseconds of each packet to ``address`` (None = timeout)."""
    target = ipaddress.IPv4Address(address)
    own = [a for a, _ in state.connected()]
    if any(target == a.ip for a in own):
        return [28 + n % 9 for n in range(count)]
    local = next((a for a in own if target in a.network), None)
    if local is not None:
        known = {str(local.network.network_address + 1), str(local.network.network_address + 2)}
        known |= {lease.values["address"] for lease in state.dynamic_leases()}
        is_wan = local.network.prefixlen >= 29
        reachable = str(target) in known or is_wan
        loss = state.knobs.ping_loss if is_wan else 0
        return [
            None if not reachable or _lost(n, loss) else 380 + (n * 211) % 900 for n in range(count)
        ]
    if not state.internet_up() or not exists(address):
        return [None] * count
    base = 4000 + _digest(address) % 20000
    return [
        None if _lost(n, state.knobs.ping_loss) else base + (n * 1733) % 3000 for n in range(count)
    ]
