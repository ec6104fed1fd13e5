"""The health data model: facts collected from a device, check results, grades.

Facts are plain JSON-able TypedDicts so the three collection paths (RouterOS CLI, RouterOS API,
IOS) produce the same shape and the engine never knows which path ran. A fact that could not
be collected is absent and its section is named in ``errors`` with the raw output: the checks
that need it report ``error``, never ``pass``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import IntEnum
from typing import Any, Literal, TypedDict


class Grade(IntEnum):
    """Damage grades of SOP step 2, ordered so that ``max()`` gives the worst."""

    OK = 0
    RINGAN = 1
    SEDANG = 2
    BERAT = 3

    @property
    def label(self) -> str:
        """The SOP word: ``ok``, ``ringan``, ``sedang``, ``berat``."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Grade:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown grade {text!r}") from None


class InterfaceFacts(TypedDict, total=False):
    enabled: bool
    up: bool
    type: str
    rx_errors: int
    tx_errors: int
    crc_errors: int
    link_downs: int
    addresses: list[str]
    """Interface prefixes, e.g. ``100.64.4.2/30``."""


class PingFacts(TypedDict, total=False):
    sent: int
    received: int
    loss_percent: float
    rtt_avg_ms: float | None


class RadioFacts(TypedDict, total=False):
    enabled: bool
    up: bool
    ssid: str


class ClientFacts(TypedDict, total=False):
    mac: str
    interface: str
    signal_dbm: int


class DhcpFacts(TypedDict, total=False):
    pool_size: int
    leases_active: int


class SectionError(TypedDict):
    error: str
    raw: str


class DeviceFacts(TypedDict, total=False):
    """Everything collected from one device in one run."""

    collected_via: str
    identity: str
    uptime_seconds: float
    cpu_load_percent: float
    memory_total_bytes: int
    memory_free_bytes: int
    storage_total_bytes: int
    storage_free_bytes: int
    temperatures: dict[str, float]
    sensor_states: dict[str, bool]
    """Fans, PSUs, PoE: name → OK."""
    interfaces: dict[str, InterfaceFacts]
    gateway: str
    uplink: str
    pings: dict[str, PingFacts]
    dns_pings: dict[str, PingFacts]
    dns_servers: list[str]
    ntp_servers: list[str]
    ntp_synced: bool
    dhcp: DhcpFacts
    radios: dict[str, RadioFacts]
    clients: list[ClientFacts]
    errors: dict[str, SectionError]
    """Section name → what went wrong, with the raw device output kept."""


Status = Literal["pass", "fail", "error", "skip"]


@dataclass
class CheckResult:
    """The outcome of one check on one device."""

    check: str
    status: Status
    grade: Grade = Grade.OK
    """The grade a failure carries (OK for pass/skip/error)."""
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["grade"] = self.grade.label
        return data


@dataclass
class DeviceHealth:
    """The graded health of one device."""

    host: str
    opd: str
    role: str
    platform: str
    results: list[CheckResult] = field(default_factory=list)
    error: str | None = None
    """Set when the device could not be surveyed at all (then graded by the reachability check)."""

    @property
    def grade(self) -> Grade:
        """The worst grade among the failed checks."""
        return max((r.grade for r in self.results if r.status == "fail"), default=Grade.OK)

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == "fail"]

    @property
    def errors(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == "error"]

    @property
    def complete(self) -> bool:
        """Every check gave an answer (no parse/collection errors)."""
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "opd": self.opd,
            "role": self.role,
            "platform": self.platform,
            "grade": self.grade.label,
            "complete": self.complete,
            "error": self.error,
            "failed": [r.check for r in self.failed],
            "checks": [r.to_json() for r in self.results],
        }
