"""Each device's last restore drill, for the report book (from the period's ``drill`` runs:
`netrawat drill`, by hand or the monthly schedule)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from netrawat.recap.query import RunEntry

DRILL_PLAYBOOK = "drill"


@dataclass(frozen=True)
class DeviceDrill:
    """One device's latest drill."""

    host: str
    opd: str
    result: str
    """restored | differs | failed"""
    commit: str
    when: datetime
    not_restorable: int
    """Backup lines holding a removed secret (set by hand after a real restore)."""
    differences: int


def last_drills(runs: Iterable[RunEntry]) -> tuple[DeviceDrill, ...]:
    """Per device (sorted by OPD, then name), its latest drill among ``runs``."""
    latest: dict[str, DeviceDrill] = {}
    for run in runs:
        if run.playbook != DRILL_PLAYBOOK:
            continue
        for record in run.hosts:
            seen = latest.get(record.host)
            if seen is not None and seen.when > run.started_at:
                continue
            details = record.details
            latest[record.host] = DeviceDrill(
                record.host,
                record.opd or "-",
                str(details.get("drill", "failed")),
                str(details.get("commit", ""))[:12],
                run.started_at,
                len(details.get("not_restorable") or ()),
                sum(
                    1
                    for line in details.get("differences") or ()
                    if line[:1] in "+-" and line[:3] not in ("+++", "---")
                ),
            )
    return tuple(sorted(latest.values(), key=lambda d: (d.opd, d.host)))
