"""What a check function sees: the facts, last run's snapshot, the configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from netrawat.health.config import CheckSpec, HealthConfig
from netrawat.health.model import CheckResult, DeviceFacts, Grade, Status

# Which collection section provides which fact: a failed section turns the checks that need
# its facts into `not_checked` results carrying the section's reason and raw output.
SECTION_FACTS: Mapping[str, tuple[str, ...]] = {
    "identity": ("identity",),
    # sections some paths read apart from `resource` (IOS: get_facts, `show proc cpu`)
    "uptime": ("uptime_seconds",),
    "cpu": ("cpu_load_percent",),
    "resource": (
        "uptime_seconds",
        "cpu_load_percent",
        "memory_total_bytes",
        "memory_free_bytes",
        "storage_total_bytes",
        "storage_free_bytes",
    ),
    "health": ("temperatures", "sensor_states"),
    "interfaces": ("interfaces",),
    "routes": ("gateway", "uplink"),
    "ping": ("pings",),
    "dns_ping": ("dns_pings",),
    "dns": ("dns_servers",),
    "ntp": ("ntp_servers", "ntp_synced"),
    "dhcp": ("dhcp",),
    "wireless": ("radios", "clients"),
}


class MissingFact(Exception):
    """A fact a check needs is absent; carries the collection error if there was one."""

    def __init__(
        self, fact: str, error: str | None = None, raw: str = "", section: str = ""
    ) -> None:
        super().__init__(fact)
        self.fact = fact
        self.error = error
        self.raw = raw
        self.section = section


@dataclass(frozen=True)
class Evaluation:
    """One device's inputs to the checks."""

    facts: DeviceFacts
    previous: Mapping[str, Any] | None
    config: HealthConfig
    role: str
    platform: str

    def threshold(self, name: str) -> float:
        return float(self.config.thresholds[name])

    def need(self, fact: str) -> Any:
        """The fact's value, or `MissingFact` (with the section's error when it failed)."""
        value = self.facts.get(fact)
        if value is not None:
            return value
        errors = self.facts.get("errors") or {}
        for section, facts in SECTION_FACTS.items():
            if fact in facts and section in errors:
                err = errors[section]
                raise MissingFact(fact, err["error"], err["raw"], section)
        raise MissingFact(fact)


def result(
    spec: CheckSpec,
    failed: bool,
    message: str,
    *,
    grade: Grade | None = None,
    **details: Any,
) -> CheckResult:
    """A pass or fail result for ``spec`` (a failure carries the spec's grade unless given)."""
    status: Status = "fail" if failed else "pass"
    return CheckResult(
        check=spec.name,
        status=status,
        grade=(grade or spec.grade) if failed else Grade.OK,
        message=message,
        details=dict(details),
    )


def skipped(spec: CheckSpec, message: str) -> CheckResult:
    return CheckResult(check=spec.name, status="skip", message=message)
