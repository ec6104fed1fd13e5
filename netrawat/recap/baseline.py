"""The security baseline per OPD for the report book, from the period's ``audit`` runs.

Each device counts once, by its latest audit in the period (an ad-hoc ``netrawat audit``, a
preventive ``--audit`` step, or an audit under a request): compliant, with findings (per
severity, which rules), not audited, and how many rules it has excepted (each with a written
reason in the inventory; the audit run's host details keep them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from netrawat.recap.query import RunEntry
from netrawat.recap.recorder import HostRecord

AUDIT_PLAYBOOK = "audit"


@dataclass
class BaselineOpd:
    """One OPD's devices by their latest audit of the period."""

    opd: str
    devices: int = 0
    compliant: int = 0
    with_findings: int = 0
    not_audited: int = 0
    severities: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    excepted: int = 0
    last: datetime | None = None

    def add(self, record: HostRecord, when: datetime) -> None:
        details = record.details
        status = str(details.get("audit", "failed"))
        self.devices += 1
        self.compliant += status == "compliant"
        self.with_findings += status == "findings"
        self.not_audited += status == "failed"
        for finding in details.get("findings") or ():
            self.severities[str(finding.get("severity"))] += 1
            self.rules[str(finding.get("rule"))] += 1
        self.excepted += len(details.get("excepted") or {})
        self.last = max(self.last, when) if self.last else when

    def rule_summary(self) -> str:
        """``ros-telnet-off x3; ros-no-admin-user x2`` (most frequent first)."""
        return "; ".join(f"{rule} x{n}" for rule, n in self.rules.most_common())


def baseline_by_opd(runs: Iterable[RunEntry]) -> tuple[BaselineOpd, ...]:
    """Per OPD (sorted), each host counted by its latest audit run among ``runs``."""
    latest: dict[str, tuple[datetime, HostRecord]] = {}
    for run in runs:
        if run.playbook != AUDIT_PLAYBOOK:
            continue
        for record in run.hosts:
            seen = latest.get(record.host)
            if seen is None or seen[0] <= run.started_at:
                latest[record.host] = (run.started_at, record)
    per_opd: dict[str, BaselineOpd] = {}
    for when, record in latest.values():
        opd = record.opd or "-"
        per_opd.setdefault(opd, BaselineOpd(opd)).add(record, when)
    return tuple(per_opd[k] for k in sorted(per_opd))
