"""What every collection path shares: sections that fail alone, the session they share, uplink
and pool arithmetic.

Evidence only: once a session to the device exists, a section that fails for ANY reason (an
exception of NAPALM's or netmiko's, a timeout, output no template parses, a command the
device lacks) is recorded as *not checked* with its reason and raw output, and the other
sections still run. A section that left the session unusable (a timeout, a dropped
connection) gets the next sections a fresh session; when none can be opened, they are
recorded as not checked with that reason. A host is unreachable only when the first session
could not be made (the task's ``get_connection`` raising, before any section runs).
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from librouteros.exceptions import MultiTrapError, TrapError

from netrawat.errors import DeviceCommandError
from netrawat.health.model import DeviceFacts, InterfaceFacts, PingFacts
from netrawat.parsers import ParseError

ANSWERED_FAILURES: tuple[type[Exception], ...] = (
    ParseError,
    TrapError,  # RouterOS API: the device refused one command (`!trap`)
    MultiTrapError,
    DeviceCommandError,
    LookupError,  # a getter or parser missed a key/row in a complete answer
    ValueError,
    TypeError,
    ArithmeticError,
    NameError,  # NAPALM ios get_environment: UnboundLocalError on real Catalyst output
    AttributeError,
)
"""Failures that come from reading a complete answer: the session is still in step. Any other
exception (a timeout, a closed channel, a library's surprise) makes the next section start on
a fresh session, as the old one may hold a half-read reply."""

MAX_REASON = 300


class CommandFailed(DeviceCommandError):
    """A command answered with the platform's error string; keeps the raw reply."""

    def __init__(self, command: str, line: str, raw: str) -> None:
        super().__init__(f"{command!r} answered {line!r}")
        self.raw = raw


class NotCollected(ValueError):
    """The device answered, but with a placeholder, not a reading (NAPALM's hostname
    ``Unknown``, uptime ``-1``, an empty table): the fact is not collected."""

    def __init__(self, message: str, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw


ADVICE_MARKS = ("Things you might try", "Command echo verification can")
"""Where netmiko's messages turn from what happened to generic advice (cut off)."""


def reason_of(exc: BaseException) -> str:
    """One line saying why a section failed: the error's own message and its class."""
    message = str(getattr(exc, "message", None) or exc)
    for mark in ADVICE_MARKS:
        message = message.split(mark, 1)[0]
    text = " ".join(message.split())[:MAX_REASON]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


Source = TypeVar("Source")
"""What a collection path reads from: a NAPALM driver, a RouterOS API driver or CLI."""


class Session(Generic[Source]):
    """The device session the sections share, reopened when a section left it unusable.

    ``opener`` returns a working source (it is called again after a failure);
    ``closer`` drops the current one. `Session.fixed` wraps a source that cannot be reopened
    (tests, a function answering from recordings)."""

    def __init__(
        self,
        opener: Callable[[], Source],
        closer: Callable[[], None] | None = None,
        current: Source | None = None,
    ) -> None:
        self._opener = opener
        self._closer = closer or (lambda: None)
        self._current = current
        self.lost: str | None = None
        """Why no session could be reopened (then the remaining sections are not run)."""
        self.reopened = 0

    @classmethod
    def fixed(cls, source: Source) -> Session[Source]:
        return cls(lambda: source, current=source)

    @property
    def source(self) -> Source:
        if self._current is None:
            self._current = self._opener()
        return self._current

    def recover(self, failure: BaseException) -> None:
        """After ``failure``: reopen unless it was read from a complete answer."""
        if isinstance(failure, ANSWERED_FAILURES):
            return
        with contextlib.suppress(Exception):  # a broken session may fail to close
            self._closer()
        self._current = None
        try:
            self._current = self._opener()
            self.reopened += 1
        except Exception as exc:
            self.lost = f"no new session after {reason_of(failure)}: {reason_of(exc)}"


def as_session(source: Source | Session[Source]) -> Session[Source]:
    """``source`` itself when it is a `Session`, else a fixed one around it."""
    return source if isinstance(source, Session) else Session.fixed(source)


def record_failure(facts: DeviceFacts, name: str, reason: str, raw: str = "") -> None:
    """Section ``name`` could not be checked: ``facts['errors'][name]`` with the raw text."""
    facts.setdefault("errors", {})[name] = {"error": reason, "raw": raw}


def run_section(
    facts: DeviceFacts, name: str, collect: Callable[[], None], session: Session[Any] | None = None
) -> None:
    """Run one collection section; ANY failure becomes ``facts['errors'][name]`` (not checked)
    with its reason and raw text, and the session is made usable again for the next one."""
    if session is not None and session.lost:
        record_failure(facts, name, f"not run: the session was lost ({session.lost})")
        return
    try:
        collect()
    except Exception as exc:  # evidence only: one section's failure is never the host's
        record_failure(facts, name, reason_of(exc), str(getattr(exc, "raw", "") or ""))
        if session is not None:
            session.recover(exc)


def routeros_sections(role: str) -> tuple[str, ...]:
    """The sections collected from a RouterOS device: wireless on an AP, else DHCP."""
    return (*ROUTEROS_SECTIONS, "wireless" if role == "ap" else "dhcp")


ROUTEROS_SECTIONS = ("identity", "resource", "health", "interfaces", "routes", "dns", "ntp")
"""The sections of a RouterOS device, API or CLI alike, before its role's own section."""


def run_sections(
    facts: DeviceFacts,
    session: Session[Source],
    names: Iterable[str],
    sections: Mapping[str, Callable[[Source, DeviceFacts], None]],
) -> None:
    """Run each named section on the session's source in turn, each failing alone."""
    for name in names:
        run_section(facts, name, functools.partial(_on, sections[name], session, facts), session)


def _on(
    section: Callable[[Source, DeviceFacts], None], session: Session[Source], facts: DeviceFacts
) -> None:
    section(session.source, facts)


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
    session: Session[Source],
    ping: Callable[[Source, str, int], PingFacts],
    ping_targets: Sequence[str],
    ping_count: int,
) -> None:
    """Ping the gateway (or the configured targets) and the configured DNS servers from the
    device: ``pings`` for the gateway check, ``dns_pings`` for the DNS-reachable check. A
    target list that could not be read (routes, DNS servers) leaves its pings not checked,
    never an empty list that would read as "nothing to ping"."""
    errors = facts.get("errors", {})

    def _pings() -> None:
        if not ping_targets and not facts.get("gateway") and "routes" in errors:
            raise NotCollected("gateway unknown: the routing table could not be read")
        targets = list(ping_targets) or ([facts["gateway"]] if facts.get("gateway") else [])
        facts["pings"] = {t: ping(session.source, t, ping_count) for t in targets}

    def _dns_pings() -> None:
        if "dns_servers" not in facts:
            raise NotCollected("DNS servers unknown: they could not be read")
        servers = facts.get("dns_servers") or []
        facts["dns_pings"] = {
            s: ping(session.source, s, DNS_PING_COUNT) for s in servers[:MAX_DNS_PINGED]
        }

    run_section(facts, "ping", _pings, session)
    run_section(facts, "dns_ping", _dns_pings, session)
