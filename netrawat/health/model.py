"""The health data model: facts collected from a device, check results, grades.

Facts are plain JSON-able TypedDicts so the three collection paths (RouterOS CLI, RouterOS API,
IOS) produce the same shape and the engine never knows which path ran. A fact that could not
be collected is absent and its section is named in ``errors`` with the raw output: the checks
that need it report ``not_checked`` (*tidak dapat diperiksa*), never ``pass`` and never a
damage grade.

A device's survey ends in one `SurveyState`: every check answered (``checked``), some not
(``partial``), none after a good login (``not_checked``), no session at all (``unreachable``,
graded berat), or its SSH host key refused (``host_key_changed`` / ``host_key_unknown``: a
set-up or security matter, never a grade, never ok).
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
    not_reported: list[str]
    """Facts this collection path never reports (IOS: storage): their checks are skipped,
    not "not checked", whatever else failed."""


Status = Literal["pass", "fail", "not_checked", "skip"]
"""``not_checked``: the facts the check needs could not be collected (reason and raw output in
the details); no grade either way."""

SurveyState = Literal[
    "checked", "partial", "not_checked", "unreachable", "host_key_changed", "host_key_unknown"
]
NOT_CHECKED_LABEL = "tidak dapat diperiksa"
STATE_LABELS: dict[str, str] = {
    "not_checked": NOT_CHECKED_LABEL,
    "partial": "belum lengkap",
    "host_key_changed": "KUNCI SSH BERUBAH",
    "host_key_unknown": "kunci SSH belum dikenal",
}
"""What a device's headline says when its state is not a plain grade (Bahasa Indonesia, as
the SOP's grade words)."""


@dataclass
class CheckResult:
    """The outcome of one check on one device."""

    check: str
    status: Status
    grade: Grade = Grade.OK
    """The grade a failure carries (OK for pass/skip/not_checked)."""
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
    """Why the device could not be surveyed (unreachable, host key refused) or why nothing
    could be checked after the login."""
    host_key: Literal["changed", "unknown"] | None = None
    """Set when the SSH host key was refused: no session was attempted past it."""

    @property
    def grade(self) -> Grade:
        """The worst grade among the failed checks (damage found; OK when none was found,
        which is not "healthy" unless the state is ``checked``)."""
        return max((r.grade for r in self.results if r.status == "fail"), default=Grade.OK)

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == "fail"]

    @property
    def not_checked(self) -> list[CheckResult]:
        """Checks whose facts could not be collected (*tidak dapat diperiksa*)."""
        return [r for r in self.results if r.status == "not_checked"]

    @property
    def state(self) -> SurveyState:
        """How far the survey got (see the module docstring)."""
        if self.host_key is not None:
            return "host_key_changed" if self.host_key == "changed" else "host_key_unknown"
        if any(r.check == "reachable" and r.status == "fail" for r in self.results):
            return "unreachable"
        answered = [
            r for r in self.results if r.check != "reachable" and r.status in ("pass", "fail")
        ]
        if self.not_checked and not answered:
            return "not_checked"
        return "partial" if self.not_checked else "checked"

    @property
    def graded(self) -> Grade | None:
        """The grade made from evidence, None when there is none (nothing checked, or the
        host key refused)."""
        return (
            None
            if self.state in ("not_checked", "host_key_changed", "host_key_unknown")
            else self.grade
        )

    @property
    def verdict(self) -> str:
        """The device's headline: its grade, or its state when that is not a plain grade."""
        state = self.state
        if state in ("checked", "unreachable"):
            return self.grade.label
        if state == "partial" and self.grade is not Grade.OK:
            return f"{self.grade.label} ({STATE_LABELS['partial']})"
        return STATE_LABELS[state]

    @property
    def complete(self) -> bool:
        """Every check gave an answer (nothing left not checked, host key accepted)."""
        return self.state in ("checked", "unreachable")

    def to_json(self) -> dict[str, Any]:
        graded = self.graded
        return {
            "host": self.host,
            "opd": self.opd,
            "role": self.role,
            "platform": self.platform,
            "grade": graded.label if graded is not None else None,
            "state": self.state,
            "verdict": self.verdict,
            "complete": self.complete,
            "error": self.error,
            "failed": [r.check for r in self.failed],
            "not_checked": [r.check for r in self.not_checked],
            "checks": [r.to_json() for r in self.results],
        }
