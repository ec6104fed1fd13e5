"""What every collection path shares: sections that fail alone, uplink and pool arithmetic."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

from librouteros.exceptions import MultiTrapError, TrapError

from netrawat.errors import DeviceCommandError
from netrawat.health.model import DeviceFacts, InterfaceFacts, PingFacts
from netrawat.parsers import ParseError

SECTION_FAILURES: tuple[type[Exception], ...] = (
    ParseError,
    TrapError,  # RouterOS API: the device refused one command (`!trap`)
    MultiTrapError,
    DeviceCommandError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
)
"""A section that raises one of these is recorded as an error; anything else (connection lost,
timeout, authentication) fails the whole host."""


class CommandFailed(DeviceCommandError):
    """A command answered with the platform's error string; keeps the raw reply."""

    def __init__(self, command: str, line: str, raw: str) -> None:
        super().__init__(f"{command!r} answered {line!r}")
        self.raw = raw


def run_section(facts: DeviceFacts, name: str, collect: Callable[[], None]) -> None:
    """Run one collection section; its failure becomes ``facts['errors'][name]`` with raw text."""
    try:
        collect()
    except SECTION_FAILURES as exc:
        raw = getattr(exc, "raw", "") or ""
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
        facts.setdefault("errors", {})[name] = {"error": str(message), "raw": str(raw)}


Source = TypeVar("Source")
"""What a collection path reads from: a NAPALM driver, a RouterOS API driver or CLI."""

ROUTEROS_SECTIONS = ("identity", "resource", "health", "interfaces", "routes", "dns", "ntp")
"""The sections of a RouterOS device, API or CLI alike, before its role's own section."""


def routeros_sections(role: str) -> tuple[str, ...]:
    """The sections collected from a RouterOS device: wireless on an AP, else DHCP."""
    return (*ROUTEROS_SECTIONS, "wireless" if role == "ap" else "dhcp")


def run_sections(
    facts: DeviceFacts,
    source: Source,
    names: Iterable[str],
    sections: Mapping[str, Callable[[Source, DeviceFacts], None]],
) -> None:
    """Run each named section on ``source`` in turn, each failing alone (`run_section`)."""
    for name in names:
        run_section(facts, name, functools.partial(sections[name], source, facts))


def uplink_for(interfaces: dict[str, InterfaceFacts], gateway: str | None) -> str | None:
    """The interface whose address network contains ``gateway`` (None when not found)."""
    if not gateway:
        return None
    try:
        address = ipaddress.ip_address(gateway)
    except ValueError:
        return gateway if gateway in interfaces else None  # a gateway given as an interface
    for name, iface in interfaces.items():
        for prefix in iface.get("addresses", []):
            if address in ipaddress.ip_interface(prefix).network:
                return name
    return None


def pool_size(ranges: Iterable[str]) -> int:
    """Addresses in RouterOS pool ranges (``10.0.0.100-10.0.0.200``, ``10.0.0.0/24``, single).

    >>> pool_size(["10.21.4.100-10.21.4.200", "10.21.5.1"])
    102
    """
    total = 0
    for raw in ranges:
        item = raw.strip()
        if not item:
            continue
        if "-" in item:
            first, last = (ipaddress.ip_address(p) for p in item.split("-", 1))
            total += int(last) - int(first) + 1
        elif "/" in item:
            total += ipaddress.ip_network(item, strict=False).num_addresses
        else:
            ipaddress.ip_address(item)
            total += 1
    return total


def split_servers(text: str | None) -> list[str]:
    """``10.0.0.53,10.0.1.53`` → list; empty → []."""
    return [s.strip() for s in (text or "").split(",") if s.strip()]


DNS_PING_COUNT = 2
MAX_DNS_PINGED = 2


def collect_pings(
    facts: DeviceFacts,
    ping: Callable[[str, int], PingFacts],
    ping_targets: Sequence[str],
    ping_count: int,
) -> None:
    """Ping the gateway (or the configured targets) and the configured DNS servers from the
    device: ``pings`` for the gateway check, ``dns_pings`` for the DNS-reachable check."""

    def _pings() -> None:
        targets = list(ping_targets) or ([facts["gateway"]] if facts.get("gateway") else [])
        facts["pings"] = {t: ping(t, ping_count) for t in targets}
        servers = facts.get("dns_servers") or []
        facts["dns_pings"] = {s: ping(s, DNS_PING_COUNT) for s in servers[:MAX_DNS_PINGED]}

    run_section(facts, "ping", _pings)
