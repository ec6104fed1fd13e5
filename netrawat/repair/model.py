"""What a repair did on each host and in the whole run (for the table, ``--json``, the recap)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from netrawat.configs.sanitize import sanitize
from netrawat.errors import DeviceError
from netrawat.exitcodes import ExitCode
from netrawat.safechange import SafetyRecord

STATUSES = (
    "dry-run",  # rendered and planned, nothing sent
    "no-change",  # the device already is as the repair wants it
    "repaired",  # pushed, verified, checks passed (saved on IOS)
    "unverified",  # pushed, re-read shows it, but the checks could not run: kept (exit 1)
    "rolled-back",  # a line or a check failed; the pre-change config is back (verified)
    "rollback-failed",  # a line or a check failed and the device could NOT be put back
    "reverted-by-device",  # the session was lost; the device undid the change itself (verified)
    "blocked",  # graded sedang/berat by its latest health run and no --force: not touched
    "failed",  # could not be read, backed up or repaired (nothing was sent)
)
GOOD = frozenset({"dry-run", "no-change", "repaired"})


@dataclass
class Rollback:
    """One automatic rollback: why, what was sent, and whether re-reading proved it."""

    reason: str
    commands: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    error: str | None = None
    verified: bool = False
    """The configuration re-read after the rollback is identical to the pre-change one."""
    equivalent: bool = False
    """Not identical line for line, but the engine finds nothing left to undo (order only)."""
    left: str = ""
    """Diff between the pre-change configuration and the one after the rollback (if any)."""


@dataclass
class HostRepair:
    """One host's repair."""

    host: str
    opd: str
    platform: str
    template: str
    status: str = "failed"
    variables: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    expected_diff: str = ""
    modelled: bool = True
    sent: list[str] = field(default_factory=list)
    failed_line: str | None = None
    device_error: str | None = None
    diff: str = ""
    """The real diff: configuration re-read after the push against the one before."""
    changed: bool = False
    checks: list[dict[str, Any]] = field(default_factory=list)
    rollback: Rollback | None = None
    backup_before: str | None = None
    backup_after: str | None = None
    not_restored: list[str] = field(default_factory=list)
    """restore: backup lines holding a removed secret, left as they are on the device."""
    grade: str | None = None
    """Latest health grade of the device before the repair."""
    escalation: str | None = None
    reason: str = ""
    safety: SafetyRecord | None = None
    """The device-side safety net of an applied change (Safe Mode, revert timer, none)."""

    @property
    def ok(self) -> bool:
        return self.status in GOOD

    def public(self) -> HostRepair:
        """A copy fit for a terminal, ``--json`` and the recap: secrets in the command lines
        (an SNMP community, a Wi-Fi key a feature renders ...) replaced as in backups."""
        rollback = None
        if self.rollback is not None:
            rollback = replace(
                self.rollback,
                commands=_shown(self.rollback.commands, self.platform),
                sent=_shown(self.rollback.sent, self.platform),
            )
        return replace(
            self,
            rendered=_shown(self.rendered, self.platform),
            commands=_shown(self.commands, self.platform),
            sent=_shown(self.sent, self.platform),
            failed_line=(
                _shown([self.failed_line], self.platform)[0] if self.failed_line else None
            ),
            rollback=rollback,
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self.public())


def _shown(lines: list[str], platform: str) -> list[str]:
    if not lines:
        return []
    return sanitize("\n".join(lines), platform).text.split("\n")


class RepairFailed(DeviceError):
    """The repair of one host failed (the outcome says whether it was rolled back)."""

    def __init__(self, message: str, outcome: HostRepair, hint: str = "") -> None:
        super().__init__(message, hint)
        self.outcome = outcome


@dataclass
class RepairReport:
    """The whole run."""

    run_id: str
    template: str
    apply: bool
    request: str | None
    operator: str
    hosts: list[HostRepair]
    backup_before: str | None = None
    backup_after: str | None = None

    def of(self, status: str) -> list[HostRepair]:
        return [h for h in self.hosts if h.status == status]

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.OK if all(h.ok for h in self.hosts) else ExitCode.HOSTS_FAILED

    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in STATUSES if self.of(s)}

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "template": self.template,
            "apply": self.apply,
            "request": self.request,
            "operator": self.operator,
            "backup_before": self.backup_before,
            "backup_after": self.backup_after,
            "counts": self.counts(),
            "hosts": [h.to_json() for h in self.hosts],
            "exit_code": int(self.exit_code),
        }
