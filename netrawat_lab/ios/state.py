"""What changes on its own on a running router: clock, uptime, counters, CPU, memory,
temperature, link state and the log buffer; plus `Runtime`, everything one device is."""

from __future__ import annotations

import ipaddress
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from netrawat_lab.ios.archive import Archive
from netrawat_lab.ios.config import InterfaceConfig, IOSConfig
from netrawat_lab.ios.hardware import ISR_2911, HardwareProfile
from netrawat_lab.spec import DeviceSpec

WIB = timezone(timedelta(hours=7), "WIB")
"""Pontianak's time zone (``clock timezone WIB 7 0``)."""
PROCESSOR_TOTAL = 1_331_214_304
IO_TOTAL = 25_165_824
LOG_LIMIT = 200


def cisco_time(moment: datetime, millis: bool = False) -> str:
    """``10:12:31.123 WIB Mon Nov 23 2026`` (``show clock``, config header style)."""
    clock = moment.strftime("%H:%M:%S")
    if millis:
        clock += f".{moment.microsecond // 1000:03d}"
    return f"{clock} WIB {moment.strftime('%a %b')} {moment.day} {moment.year}"


@dataclass
class Counters:
    """``show interfaces`` counters of one interface."""

    in_packets: int
    in_bytes: int
    out_packets: int
    out_bytes: int
    broadcasts: int
    multicasts: int
    in_errors: int = 0
    crc: int = 0
    resets: int = 0
    read_at: float = field(default_factory=time.monotonic)


@dataclass
class DeviceState:
    """The moving parts of one router."""

    rng: random.Random
    boot: datetime
    links: dict[str, bool] = field(default_factory=dict)
    counters: dict[str, Counters] = field(default_factory=dict)
    log: list[tuple[datetime, str]] = field(default_factory=list)
    log_seq: int = 0
    cpu_override: int | None = None
    memory_low: bool = False
    no_io_memory: bool = False
    """`show memory statistics` prints the Processor row only, as real Catalyst 4500/4900
    (12.2(53)SG, napalm-ios #182) and C2960S (12.2(55)SE7, napalm #1483) do."""
    temperature_override: int | None = None
    wan_loss: int = 0
    flapping: str | None = None
    base_temperature: int = 41

    @classmethod
    def for_device(cls, spec: DeviceSpec, cabled: tuple[str, ...]) -> DeviceState:
        """A stable starting point per device (uptime of some weeks)."""
        rng = random.Random(spec.hostname)
        boot = datetime.now(WIB) - timedelta(days=rng.randint(9, 120), minutes=rng.randint(0, 1400))
        links = dict.fromkeys(cabled, True)
        return cls(rng=rng, boot=boot, links=links, base_temperature=rng.randint(36, 45))

    @staticmethod
    def now() -> datetime:
        """The device clock (synchronised: the host's time in WIB)."""
        return datetime.now(WIB)

    def uptime(self) -> str:
        """``1 week, 3 days, 2 hours, 5 minutes`` as in ``show version``."""
        minutes = int((self.now() - self.boot).total_seconds() // 60)
        parts = []
        for unit, size in (("year", 525_600), ("week", 10_080), ("day", 1_440), ("hour", 60)):
            value, minutes = divmod(minutes, size)
            if value:
                parts.append(f"{value} {unit}{'s' if value != 1 else ''}")
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
        return ", ".join(parts)

    def add_log(self, message: str) -> None:
        """Append to the log buffer (``show logging``)."""
        self.log_seq += 1
        self.log.append((self.now(), message))
        del self.log[:-LOG_LIMIT]

    def read_counters(self, name: str, running: bool) -> Counters:
        """Counters of an interface, moved on by the traffic since the last read."""
        counters = self.counters.get(name)
        if counters is None:
            packets = self.rng.randint(2_000_000, 90_000_000) if running else 0
            counters = Counters(
                in_packets=packets,
                in_bytes=packets * self.rng.randint(300, 900),
                out_packets=packets * 9 // 10,
                out_bytes=packets * self.rng.randint(200, 700),
                broadcasts=packets // 200,
                multicasts=packets // 900,
            )
            self.counters[name] = counters
        elapsed = max(0.0, time.monotonic() - counters.read_at)
        counters.read_at = time.monotonic()
        if running:
            packets = int(elapsed * self.rng.randint(40, 120)) + 1
            counters.in_packets += packets
            counters.in_bytes += packets * 610
            counters.out_packets += packets - packets // 10
            counters.out_bytes += packets * 480
            counters.broadcasts += packets // 200
        if self.flapping == name:
            errors = self.rng.randint(40, 400)
            counters.in_errors += errors
            counters.crc += errors - errors // 5
            counters.resets += 1
            for state in ("down", "up"):
                self.add_log(f"%LINK-3-UPDOWN: Interface {name}, changed state to {state}")
        return counters

    def cpu(self) -> tuple[int, int, int]:
        """CPU % for five seconds, one minute, five minutes."""
        if self.cpu_override is not None:
            value = self.cpu_override
            return value, value, max(0, value - 2)
        return self.rng.randint(1, 6), self.rng.randint(2, 5), self.rng.randint(2, 4)

    def memory_used(self) -> tuple[int, int]:
        """Used bytes of processor and I/O memory."""
        if self.memory_low:
            return PROCESSOR_TOTAL * 97 // 100 + self.rng.randint(0, 99_999), IO_TOTAL * 95 // 100
        return 117_285_176 + self.rng.randint(0, 2_000_000), 10_428_696 + self.rng.randint(0, 9999)

    def temperature(self) -> int:
        """Inlet temperature in degrees Celsius."""
        if self.temperature_override is not None:
            return self.temperature_override
        return self.base_temperature + self.rng.randint(0, 1)


@dataclass
class Runtime:
    """One simulated IOS router: spec, configurations, moving state, active faults."""

    spec: DeviceSpec
    running: IOSConfig
    startup: IOSConfig
    state: DeviceState
    hardware: HardwareProfile = ISR_2911
    faults: dict[str, str | None] = field(default_factory=dict)
    last_change: tuple[datetime, str] | None = None
    nvram_saved: tuple[datetime, str] | None = None
    pre_fault_config: IOSConfig | None = None
    startup_period: int | None = None
    booted: IOSConfig | None = None
    """The configuration loaded at boot (``show ip interface brief`` method NVRAM/manual)."""
    startup_change: tuple[datetime, str] | None = None
    """``ntp clock-period`` as it was when the startup configuration was written."""
    archive: Archive = field(default_factory=Archive)
    """Archived configurations and a pending revert timer (`netrawat_lab.ios.archive`)."""
    on_change: Callable[[], None] | None = None
    """Called after every configuration change a session makes (``cut-on-change``)."""
    on_revert: Callable[[], None] | None = None
    pre_upgrade: str = ""
    """The release before an ``upgrade=VERSION`` fault ("" = the default)."""
    """Called when the device rolls back by itself (revert timer)."""

    def oper_status(self, interface: InterfaceConfig) -> tuple[str, str]:
        """(status, protocol) as in ``show ip interface brief``."""
        if interface.shutdown:
            return "administratively down", "down"
        if interface.name == self.hardware.lan and self.hardware.lan_ports:
            return ("up", "up") if self._switch_port_up() else ("up", "down")
        if interface.name.startswith(("Loopback", "Tunnel", "Dialer", "Virtual", "Vlan")):
            return "up", "up"
        physical = interface.name.split(".")[0]
        if self.state.links.get(physical, False):
            return "up", "up"
        return "down", "down"

    def _switch_port_up(self) -> bool:
        """An SVI is up while one of its switch ports is (enabled and linked)."""
        ports = {i.name: i for i in self.running.interfaces()}
        return any(
            self.state.links.get(name, False) and not (name in ports and ports[name].shutdown)
            for name in self.hardware.lan_ports
        )

    def connected(self) -> list[tuple[InterfaceConfig, ipaddress.IPv4Interface]]:
        """Interfaces that are up and have an address (their subnets are routed)."""
        return [
            (i, i.address)
            for i in self.running.interfaces()
            if i.address is not None and self.oper_status(i)[1] == "up"
        ]

    def resolve(self, target: ipaddress.IPv4Address) -> InterfaceConfig | None:
        """The interface a packet to ``target`` leaves by (None: no route)."""
        for interface, address in self.connected():
            if target in address.network:
                return interface
        connected = self.connected()
        for network, next_hop in self.running.static_routes():
            if target not in network:
                continue
            for interface, address in connected:
                if interface.name == next_hop or (
                    next_hop[0].isdigit() and ipaddress.IPv4Address(next_hop) in address.network
                ):
                    return interface
        return None

    def save(self, user: str, clock_period: int | None) -> None:
        """``write memory``: the running configuration becomes the startup configuration."""
        self.startup = self.running.copy()
        self.startup_period = clock_period
        self.nvram_saved = (self.state.now(), user)
        self.startup_change = self.last_change

    def mark_changed(self, user: str) -> None:
        """Record a configuration change (the ``! Last configuration change`` line)."""
        self.last_change = (self.state.now(), user)

    def config_changed(self, user: str) -> None:
        """A session changed the configuration (`mark_changed`, then `on_change`)."""
        self.mark_changed(user)
        if self.on_change is not None:
            self.on_change()
