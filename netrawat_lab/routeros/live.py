"""The moving parts of a device: clock, uptime, links, counters, sessions, the log.

`LiveState` registers its providers on the model (`Providers`), so every print — CLI or API —
sees the same live values; the computed menus live in its mixins `RoutingState` (routes, ARP,
leases, ping) and `SystemViews` (resource, health, registration table...). Fault knobs
(`Knobs`) are plain attributes the faults module turns.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from netrawat_lab.routeros.hardware import BUILD_TIME, VERSION, Hardware
from netrawat_lab.routeros.hardware import stable_number as _digest
from netrawat_lab.routeros.knobs import Knobs
from netrawat_lab.routeros.model import Item, RouterOSModel, Row
from netrawat_lab.routeros.routing import RoutingState, ping_times
from netrawat_lab.routeros.views import SystemViews, format_uptime
from netrawat_lab.spec import DeviceSpec

__all__ = ["Knobs", "LiveState", "format_uptime", "ping_times"]

WIB = timezone(timedelta(hours=7), "WIB")
"""Pontianak's time zone (Asia/Pontianak, UTC+7)."""
CONNECTED_PORTS = ("ether1", "ether2")
"""Ports with a cable: the uplink and one LAN port (the others show not running)."""
BYTES_PER_SECOND = 180_000
PACKET_SIZE = 700
LOG_LIMIT = 1000


class LiveState(RoutingState, SystemViews):
    """Runtime state of one device (one per device, shared by all its sessions)."""

    def __init__(self, model: RouterOSModel, spec: DeviceSpec, hw: Hardware) -> None:
        self.model = model
        self.spec = spec
        self.hw = hw
        self.knobs = Knobs(clients=int(str(spec.seed.get("clients", 7))))
        boot_age = 3 * 86400 + _digest(spec.hostname) % (20 * 86400)
        self.boot = time.monotonic() - boot_age
        self.boot_wall = datetime.now(WIB) - timedelta(seconds=boot_age)
        self.link_downs: dict[str, int] = {}
        self.reads = 0
        self.log: list[tuple[datetime, str, str]] = []
        self.active: dict[int, Row] = {}
        self.actor = "admin"
        """The user whose command is running (for the log and ``/system history``)."""
        self.history: list[Row] = []
        self.release = VERSION
        """The RouterOS release the device runs (the ``upgrade=VERSION`` fault changes it)."""
        self.last_login: dict[str, str] = {}
        self._session_numbers = iter(range(1, 1 << 30))
        self._register()
        model.listeners.append(self._log_change)

    def _log_change(self, path: str, operation: str, _item: str) -> None:
        """RouterOS logs every configuration change (``address added``)."""
        past = {"add": "added", "remove": "removed"}.get(operation, "changed")
        noun = path.rstrip("/").rsplit("/", 1)[-1]
        self.add_log("system,info", f"{noun} {past} by {self.actor}")
        when = self.now().strftime("%Y-%m-%d %H:%M:%S")
        self.history.insert(
            0, {"action": f"{noun} {past}", "by": self.actor, "policy": "write", "time": when}
        )
        del self.history[LOG_LIMIT:]

    # ----- time -----------------------------------------------------------------------
    def uptime_seconds(self) -> float:
        """Seconds since the (simulated) boot."""
        return time.monotonic() - self.boot

    def now(self) -> datetime:
        """The device clock (synced by NTP: the real time in WIB)."""
        return datetime.now(WIB)

    def add_log(self, topics: str, message: str) -> None:
        """Append a ``/log`` entry."""
        self.log.append((self.now(), topics, message))
        del self.log[:-LOG_LIMIT]

    def login(self, user: str, via: str = "ssh") -> int:
        """Record a login (``/user active``, ``last-logged-in``, the log); returns its key."""
        key = next(self._session_numbers)
        when = self.now().strftime("%Y-%m-%d %H:%M:%S")
        self.active[key] = {
            ".id": f"*{key:X}",
            "when": when,
            "name": user,
            "address": "127.0.0.1",
            "via": via,
        }
        self.last_login[user] = when
        self.add_log("system,info,account", f"user {user} logged in from 127.0.0.1 via {via}")
        return key

    def logout(self, key: int) -> None:
        """Record the end of a session."""
        row = self.active.pop(key, None)
        if row:
            self.add_log(
                "system,info,account",
                f"user {row['name']} logged out from 127.0.0.1 via {row['via']}",
            )

    # ----- links ----------------------------------------------------------------------
    def has_link(self, name: str) -> bool:
        """Whether a physical port/radio has link right now (cable, faults, flapping)."""
        if name in self.knobs.down:
            return False
        if name in self.knobs.flapping:
            return int(self.uptime_seconds()) % 2 == 0
        return name in CONNECTED_PORTS or name.startswith("wifi")

    def running(self, name: str) -> bool:
        """``running`` of an interface by name: enabled, and link (or a running member)."""
        try:
            item = self.model.get("/interface", name)
        except Exception:
            return False
        if item.disabled:
            return False
        kind = item.values.get("type")
        if kind == "bridge":
            return any(self.running(p) for p in self._bridge_members(name))
        if kind == "vlan":
            return self.running(item.values.get("interface", ""))
        return self.has_link(name)

    def _is_port(self, name: str) -> bool:
        return any(
            i.values.get("interface") == name for i in self.model.items("/interface/bridge/port")
        )

    def _bridge_members(self, bridge: str) -> list[str]:
        return [
            i.values["interface"]
            for i in self.model.items("/interface/bridge/port")
            if i.values.get("bridge") == bridge and not i.disabled
        ]

    def _interface_live(self, item: Item) -> Row:
        name = item.values.get("name", "")
        up = self.running(name)
        elapsed = self.uptime_seconds()
        rate = BYTES_PER_SECOND if up else 0
        seed = _digest(self.spec.hostname, item.values.get("default-name", name)) % 10_000_000
        rx = seed + int(elapsed * rate) if up else seed
        tx = seed // 2 + int(elapsed * rate * 0.4) if up else seed // 2
        errors = 0
        if name in self.knobs.flapping:
            self.reads += 1
            errors = 23 * self.reads + int(elapsed)
        mtu = item.values.get("mtu", "1500")
        kind = item.values.get("type", "")
        extra = {"max-l2mtu": "9578"} if kind == "ether" else {}
        return extra | {
            "ifname": f"eth{item.number - 1}" if kind == "ether" else name,
            "ifindex": str(item.number + 6),
            "id": str(item.number),
            "actual-mtu": "1500" if mtu == "auto" else mtu,
            "l2mtu": "1598" if item.values.get("type") == "ether" else "1592",
            "running": "true" if up else "false",
            "slave": "true" if self._is_port(name) else "false",
            "rx-byte": str(rx),
            "tx-byte": str(tx),
            "rx-packet": str(rx // PACKET_SIZE),
            "tx-packet": str(tx // PACKET_SIZE),
            "rx-error": str(errors),
            "tx-error": "0",
            "rx-drop": "0",
            "tx-drop": "0",
            "fcs-error": str(errors // 2),
            "link-downs": str(
                self.link_downs.get(name, 0) + (self.reads if name in self.knobs.flapping else 0)
            ),
            "last-link-up-time": self.boot_wall.strftime("%Y-%m-%d %H:%M:%S"),
        }

    # ----- routes and neighbours --------------------------------------------------------
    def export_note(self, path: str, item: Item) -> str | None:
        """The transient comment a real export prints above an item (RB5009 7.18 capture:
        ``# Interface not active`` above a DHCP client whose port has no link)."""
        if path == "/ip/dhcp-client" and not self.running(item.values.get("interface", "")):
            return "Interface not active"
        return None

    def _register(self) -> None:
        views = self.model.providers.views
        views["/system/resource"] = self.resource
        views["/system/routerboard"] = self.routerboard
        views["/system/health"] = self.health
        views["/ip/arp"] = self._neighbour_macs
        views["/interface/wifi/registration-table"] = self.registrations
        views["/log"] = self.log_rows
        views["/system/package/update"] = lambda: [
            {
                "channel": "stable",
                "installed-version": self.release,
                "latest-version": self.release,
                "status": "System is already up to date",
            }
        ]
        views["/system/package"] = lambda: [
            {
                ".id": "*1",
                "name": "routeros",
                "version": self.release,
                "build-time": BUILD_TIME,
                "size": "12.1MiB",
                "disabled": "false",
            }
        ]
        views["/system/resource/cpu"] = self._cpus
        views["/ip/neighbor"] = list
        views["/system/history"] = lambda: [
            {".id": f"*{n + 1:X}", **row, "undoable": "false" if "floating-undo" in row else "true"}
            for n, row in enumerate(self.history)
        ]
        views["/user/active"] = lambda: list(self.active.values())
        self.model.providers.live["/user"] = lambda item: (
            {"last-logged-in": self.last_login[item.values["name"]]}
            if item.values.get("name") in self.last_login
            else {}
        )
        self.model.providers.dynamic["/ip/route"] = self._connected_routes
        self.model.providers.dynamic["/ip/dhcp-server/lease"] = self.dynamic_leases
        for path in (
            "/interface",
            "/interface/ethernet",
            "/interface/bridge",
            "/interface/wifi",
            "/interface/vlan",
        ):
            self.model.providers.live[path] = self._interface_live
        self.model.providers.live["/ip/route"] = self._route_live
        self.model.providers.live["/ip/dhcp-server/lease"] = self._lease_live
        self.model.providers.live["/snmp"] = lambda _item: {
            "engine-id": f"80003a8c04{_digest(self.spec.hostname):08x}"
        }
        self.model.providers.live["/system/clock"] = self._clock_live
        self.model.providers.live["/system/ntp/client"] = self._ntp_live
