"""From a health report to a notification: device lines, and the damage alert of any health run.

    with open_fleet(spec) as fleet:
        alert = DamageAlert.prepare(fleet.secrets, fleet.log_path)  # bad notify section: exit 2
        report = run_health(fleet, ...)
        alert.send(report)
    alert.print(console)                       # one line per channel on stderr

A health run that finds *sedang* or *berat* damage (the grades the SOP reports to the Kabid),
or a CHANGED SSH host key, sends a summary through the configured notifiers, unless
``notify.damage: false``. Checks that could not be made alert nobody on their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rich.console import Console

from netrawat.health.model import DeviceHealth, Grade
from netrawat.health.report import HealthReport, problems, verdict_key
from netrawat.inventory.secrets import Secrets
from netrawat.notify.base import Delivery
from netrawat.notify.config import load_notify_config
from netrawat.notify.dispatch import send_all
from netrawat.notify.messages import DeviceLine, RunSummary, compose


def _problems(device: DeviceHealth) -> str:
    return "; ".join(problems(device))


def device_lines(report: HealthReport) -> Iterator[DeviceLine]:
    """One line per surveyed device, sorted by OPD and host."""
    for device in sorted(report.devices, key=lambda d: (d.opd, d.host)):
        yield DeviceLine(
            host=device.host,
            opd=device.opd,
            grade=verdict_key(device),
            problems=_problems(device),
            escalate=report.escalates(device.grade),
            complete=device.complete,
        )


def has_damage_to_report(report: HealthReport) -> bool:
    """Whether any device is graded sedang or berat."""
    return any(d.grade >= Grade.SEDANG for d in report.devices)


def has_changed_host_key(report: HealthReport) -> bool:
    """Whether any device presented an SSH host key other than its pinned one (alerted like
    damage: a replaced device or a man in the middle)."""
    return any(d.state == "host_key_changed" for d in report.devices)


def notify_damage(
    secrets: Secrets, report: HealthReport, started: datetime, log_path: str = ""
) -> tuple[list[Delivery], str]:
    """Send the damage alert of a health run if it found sedang/berat damage.

    Returns the deliveries and a note saying why nothing was sent (empty when sent)."""
    config = load_notify_config(secrets.raw, secrets.path)
    if not has_damage_to_report(report) and not has_changed_host_key(report):
        return [], "no sedang/berat damage: no notification"
    if not config.damage or not config.notifiers:
        return [], "damage found, but no notifier is configured for it (notify: in secrets)"
    summary = RunSummary(
        kind="health",
        reference=report.request or report.run_id or "-",
        started=started,
        ended=datetime.now(UTC),
        devices=tuple(device_lines(report)),
        log_path=log_path,
    )
    return send_all(config, compose(summary, config.language)), ""


@dataclass
class DamageAlert:
    """The damage alert of one health run: prepared before it, sent after it."""

    secrets: Secrets
    started: datetime
    log_path: str = ""
    deliveries: list[Delivery] = field(default_factory=list)
    note: str = ""

    @classmethod
    def prepare(cls, secrets: Secrets, log_path: str = "") -> DamageAlert:
        """Check the notify section now (InputError, exit 2, before any device is contacted)."""
        load_notify_config(secrets.raw, secrets.path)
        return cls(secrets, datetime.now(UTC), log_path)

    def send(self, report: HealthReport) -> None:
        """Notify if the run found sedang/berat damage."""
        self.deliveries, self.note = notify_damage(
            self.secrets, report, self.started, self.log_path
        )

    def print(self, console: Console) -> None:
        """One line per channel used (nothing when there was nothing to send)."""
        for delivery in self.deliveries:
            result = "sent" if delivery.ok else f"FAILED: {delivery.error}"
            console.print(f"damage alert via {delivery.notifier}: {result}", markup=False)
