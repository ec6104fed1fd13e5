"""From a health report to a notification: device lines, and the damage alert of any health run.

    deliveries, note = notify_damage(secrets, report, started)   # after `run_health`

A health run that finds *sedang* or *berat* damage (the grades the SOP reports to the Kabid)
sends a summary through the configured notifiers, unless ``notify.damage: false``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from netrawat.health.model import DeviceHealth, Grade
from netrawat.health.report import HealthReport
from netrawat.inventory.secrets import Secrets
from netrawat.notify.base import Delivery
from netrawat.notify.config import load_notify_config
from netrawat.notify.dispatch import send_all
from netrawat.notify.messages import DeviceLine, RunSummary, compose


def _problems(device: DeviceHealth) -> str:
    parts = [f"{r.check}: {r.message}" for r in device.failed]
    parts += [f"{r.check}: ERROR {r.message}" for r in device.errors]
    return "; ".join(parts)


def device_lines(report: HealthReport) -> Iterator[DeviceLine]:
    """One line per surveyed device, sorted by OPD and host."""
    for device in sorted(report.devices, key=lambda d: (d.opd, d.host)):
        yield DeviceLine(
            host=device.host,
            opd=device.opd,
            grade=device.grade.label,
            problems=_problems(device),
            escalate=report.escalates(device.grade),
            complete=device.complete,
        )


def has_damage_to_report(report: HealthReport) -> bool:
    """Whether any device is graded sedang or berat."""
    return any(d.grade >= Grade.SEDANG for d in report.devices)


def notify_damage(
    secrets: Secrets, report: HealthReport, started: datetime, log_path: str = ""
) -> tuple[list[Delivery], str]:
    """Send the damage alert of a health run if it found sedang/berat damage.

    Returns the deliveries and a note saying why nothing was sent (empty when sent)."""
    config = load_notify_config(secrets.raw, secrets.path)
    if not has_damage_to_report(report):
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
