"""The moving parts of a device: clock, uptime, links, counters, CPU/memory/temperature, the
log, and the menus computed from them (``/system/resource``, connected routes, ARP...).

`LiveState` registers its providers on the model (`Providers`), so every print — CLI or API —
sees the same live values. Fault knobs (`Knobs`) are plain attributes the faults module turns.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from netrawat.lab.routeros.hardware import BUILD_TIME, VERSION, Hardware
from netrawat.lab.routeros.model import Item, RouterOSModel, Row
from netrawat.lab.spec import DeviceSpec

WIB = timezone(timedelta(hours=7), "WIB")
"""Pontianak's time zone (Asia/Pontianak, UTC+7)."""
CONNECTED_PORTS = ("ether1", "ether2")
"""Ports with a cable: the uplink and one LAN port (the others show not running)."""
BYTES_PER_SECOND = 180_000
PACKET_SIZE = 700
DYNAMIC_BASE = 0x80000000
LOG_LIMIT = 1000
DEAD_BLOCK = ipaddress.IPv4Network("10.99.0.0/16")


@dataclass
class Knobs:
    """Values the device faults change (None = normal behaviour)."""

    cpu_load: int | None = None
    free_memory_fraction: float | None = None
    temperature: int | None = None
    ping_loss: int = 0
    clients: int = 7
    down: set[str] = field(default_factory=set)
    flapping: set[str] = field(default_factory=set)


def format_uptime(seconds: float) -> str:
    """RouterOS duration: ``6w5d11h55m45s``, ``32m36s``, ``0s``.

    >>> format_uptime(3 * 86400 + 4 * 3600 + 5)
    '3d4h5s'
    """
    left = int(seconds)
    parts = []
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, left = divmod(left, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0s"


def _log_time(when: datetime, today: object) -> str:
    """v7 log times: ``12:00:01`` today, ``2026-11-20 12:00:01`` before."""
    return when.strftime("%H:%M:%S" if when.date() == today else "%Y-%m-%d %H:%M:%S")


def _digest(*parts: object) -> int:
    text = "/".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2s(text.encode(), digest_size=4).digest(), "big")


class LiveState:
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
    def resource(self) -> list[Row]:
        """``/system/resource``."""
        total = self.hw.total_memory_mib
        fraction = self.knobs.free_memory_fraction
        free = total * (fraction if fraction is not None else 0.82)
        cpu = (
            self.knobs.cpu_load
            if self.knobs.cpu_load is not None
            else 1 + int(self.uptime_seconds()) % 4
        )
        return [
            {
                "uptime": format_uptime(self.uptime_seconds()),
                "version": f"{VERSION} (stable)",
                "build-time": BUILD_TIME,
                "factory-software": self.hw.factory_software,
                "free-memory": f"{free:.1f}MiB",
                "total-memory": f"{total:.1f}MiB",
                "cpu": self.hw.cpu,
                "cpu-count": str(self.hw.cpu_count),
                "cpu-frequency": f"{self.hw.cpu_frequency_mhz}MHz",
                "cpu-load": f"{cpu}%",
                "free-hdd-space": f"{self.hw.total_hdd_mib * 0.79:.1f}MiB",
                "total-hdd-space": f"{self.hw.total_hdd_mib:.1f}MiB",
                "write-sect-since-reboot": str(1200 + int(self.uptime_seconds()) // 3600),
                "write-sect-total": str(48211 + int(self.uptime_seconds()) // 3600),
                "bad-blocks": "0%",
                "architecture-name": self.hw.architecture,
                "board-name": self.hw.board_name,
                "platform": "MikroTik",
            }
        ]

    def routerboard(self) -> list[Row]:
        """``/system/routerboard``."""
        return [
            {
                "routerboard": "true",
                "board-name": self.hw.board_name,
                "model": self.hw.model,
                "revision": "r2",
                "serial-number": self.spec.serial or f"HE{_digest(self.spec.hostname):08X}"[:12],
                "firmware-type": self.hw.firmware_type,
                "factory-firmware": self.hw.factory_software,
                "current-firmware": VERSION,
                "upgrade-firmware": VERSION,
            }
        ]

    def health(self) -> list[Row]:
        """``/system/health`` (v7: one row per sensor)."""
        rows = []
        for index, sensor in enumerate(self.hw.sensors):
            value = sensor.value
            if sensor.type == "C" and self.knobs.temperature is not None:
                value = str(self.knobs.temperature)
            rows.append(
                {".id": f"*{index + 1:X}", "name": sensor.name, "value": value, "type": sensor.type}
            )
        return rows

    def registrations(self) -> list[Row]:
        """``/interface/wifi/registration-table``: associated clients of enabled radios."""
        radios = [r for r in self.model.items("/interface/wifi") if self.running(r.values["name"])]
        rows: list[Row] = []
        for n in range(self.knobs.clients if radios else 0):
            radio = radios[n % len(radios)]
            rows.append(
                {
                    ".id": f"*{n + 1:X}",
                    "interface": radio.values["name"],
                    "ssid": radio.values.get("configuration.ssid", ""),
                    "mac-address": f"A6:{n:02X}:5C:{_digest(self.spec.hostname, n) % 256:02X}:19:0A",  # noqa: E501
                    "uptime": format_uptime(600 + n * 431),
                    "last-activity": f"{(n * 130) % 990 + 10}ms",
                    "signal": f"-{48 + (n * 5) % 30}",
                    "auth-type": "wpa2-psk",
                    "band": radio.values.get("channel.band", ""),
                    "tx-rate": "286.7Mbps-20MHz/2S/SGI",
                    "rx-rate": "173.3Mbps-20MHz/2S",
                }
            )
        return rows

    def log_rows(self) -> list[Row]:
        """``/log``."""
        today = self.now().date()
        return [
            {
                ".id": f"*{i + 1:X}",
                "time": _log_time(t, today),
                "topics": topics,
                "message": message,
            }
            for i, (t, topics, message) in enumerate(self.log)
        ]

    def export_note(self, path: str, item: Item) -> str | None:
        """The transient comment a real export prints above an item (RB5009 7.18 capture:
        ``# Interface not active`` above a DHCP client whose port has no link)."""
        if path == "/ip/dhcp-client" and not self.running(item.values.get("interface", "")):
            return "Interface not active"
        return None

    def _lease_live(self, item: Item) -> Row:
        """Static leases of PCs that are off: waiting, never seen."""
        return {} if item.dynamic else {"status": "waiting", "last-seen": "never"}

    def _clock_live(self, _item: Item) -> Row:
        now = self.now()
        return {
            "time": now.strftime("%H:%M:%S"),
            "date": now.strftime("%Y-%m-%d"),
            "gmt-offset": "+07:00",
            "dst-active": "false",
        }

    def _ntp_live(self, _item: Item) -> Row:
        enabled = self.model.value("/system/ntp/client", "enabled") == "yes"
        servers = [s for s in self.model.value("/system/ntp/client", "servers").split(",") if s]
        reachable = enabled and self.internet_up() and any(exists(s) for s in servers)
        if reachable:
            return {"freq-drift": "3.121 PPM", "status": "synchronized"}
        return {"status": "waiting" if enabled else "stopped"}

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
                "installed-version": VERSION,
                "latest-version": VERSION,
                "status": "System is already up to date",
            }
        ]
        views["/system/package"] = lambda: [
            {
                ".id": "*1",
                "name": "routeros",
                "version": VERSION,
                "build-time": BUILD_TIME,
                "size": "12.1MiB",
                "disabled": "false",
            }
        ]
        views["/system/resource/cpu"] = self._cpus
        views["/ip/neighbor"] = list
        views["/system/history"] = lambda: [
            {".id": f"*{n + 1:X}", **row, "undoable": "true"} for n, row in enumerate(self.history)
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

    def _cpus(self) -> list[Row]:
        load = self.resource()[0]["cpu-load"].rstrip("%")
        return [
            {".id": f"*{n + 1:X}", "cpu": f"cpu{n}", "load": load, "irq": "0", "disk": "0"}
            for n in range(self.hw.cpu_count)
        ]


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


def ping_times(state: LiveState, address: str, count: int) -> list[int | None]:
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
