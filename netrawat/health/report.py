"""The health report of one run: per OPD and device, failed checks, grade, escalation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from netrawat.console import show_table
from netrawat.exitcodes import ExitCode
from netrawat.health.config import grading_table
from netrawat.health.engine import worst_by_opd
from netrawat.health.model import NOT_CHECKED_LABEL, STATE_LABELS, DeviceHealth, Grade

GRADE_STYLE = {
    Grade.OK: "green",
    Grade.RINGAN: "yellow",
    Grade.SEDANG: "dark_orange",
    Grade.BERAT: "bold red",
}
STATE_STYLE = {
    "partial": "magenta",
    "not_checked": "bold magenta",
    "host_key_changed": "bold white on red",
    "host_key_unknown": "bold magenta",
}
"""Not-checked and host-key states stand out, in colours no grade uses."""
ESCALATION = "lapor Kabid"
RECAP_OUTCOME = {
    "checked": "ok",
    "partial": "not_checked",
    "not_checked": "not_checked",
    "unreachable": "failed",
    "host_key_changed": "failed",
    "host_key_unknown": "failed",
}
"""A device's recap outcome by its survey state (``ok`` only once its grade is ok too)."""


@dataclass
class HealthReport:
    """Every surveyed device of one run, graded."""

    devices: list[DeviceHealth]
    run_id: str | None = None
    request: str | None = None
    report_path: str | None = None
    grading: dict[str, dict[str, Any]] = field(default_factory=grading_table)

    @property
    def opd_grades(self) -> dict[str, Grade]:
        return worst_by_opd(self.devices)

    @property
    def worst(self) -> Grade:
        return max((d.grade for d in self.devices), default=Grade.OK)

    def escalates(self, grade: Grade) -> bool:
        return bool(self.grading[grade.label]["escalate"])

    @property
    def escalations(self) -> list[DeviceHealth]:
        """Devices whose grade the SOP reports to the head of division (step 4)."""
        return [d for d in self.devices if self.escalates(d.grade)]

    @property
    def exit_code(self) -> ExitCode:
        """0 when every device is healthy and fully checked, else 1 (see README)."""
        clean = all(d.grade is Grade.OK and d.state == "checked" for d in self.devices)
        return ExitCode.OK if clean else ExitCode.HOSTS_FAILED

    @property
    def incomplete(self) -> list[DeviceHealth]:
        """Devices not fully checked: checks not checked, or the host key refused."""
        return [d for d in self.devices if not d.complete]

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "request": self.request,
            "report": self.report_path,
            "worst_grade": self.worst.label,
            "escalate": [d.host for d in self.escalations],
            "not_fully_checked": [d.host for d in self.incomplete],
            "opds": {
                opd: {
                    "grade": grade.label,
                    "action": self.grading[grade.label]["action"],
                    "escalate": self.escalates(grade),
                    "not_fully_checked": sorted(d.host for d in self.incomplete if d.opd == opd),
                }
                for opd, grade in sorted(self.opd_grades.items())
            },
            "devices": [d.to_json() for d in sorted(self.devices, key=lambda d: (d.opd, d.host))],
        }


def not_checked_lines(device: DeviceHealth) -> list[str]:
    """``tidak dapat diperiksa (check, check): reason``, one line per distinct reason."""
    if device.state in ("host_key_changed", "host_key_unknown", "not_checked"):
        return [f"{device.verdict}: {device.error}"]
    by_reason: dict[str, list[str]] = {}
    for r in device.not_checked:
        section = r.details.get("section")
        reason = f"{section}: {r.details.get('reason')}" if section else r.message
        by_reason.setdefault(reason, []).append(r.check)
    return [f"{NOT_CHECKED_LABEL} ({', '.join(c)}): {m}" for m, c in by_reason.items()]


def problems(device: DeviceHealth) -> list[str]:
    """What is wrong with the device: failed checks, then what could not be checked."""
    return [f"{r.check}: {r.message}" for r in device.failed] + not_checked_lines(device)


def verdict_key(device: DeviceHealth) -> str:
    """The device's verdict as one word for counts and messages: its grade when made from
    evidence of damage or of full health, else its state (``partial``, ``not_checked``,
    ``host_key_changed``, ``host_key_unknown``) - never ``ok`` for what was not checked."""
    if device.state in ("checked", "unreachable"):
        return device.grade.label
    if device.state == "partial" and device.grade is not Grade.OK:
        return device.grade.label
    return device.state


def verdict_markup(device: DeviceHealth) -> str:
    """The device's verdict in its colour (rich markup)."""
    style = STATE_STYLE.get(device.state, GRADE_STYLE[device.grade])
    return f"[{style}]{device.verdict}[/]"


def recap_fields(device: DeviceHealth, report: HealthReport) -> dict[str, Any]:
    """What the recap records for one surveyed device (`Run.host` keyword arguments)."""
    outcome = RECAP_OUTCOME[device.state]
    if outcome == "ok" and device.grade is not Grade.OK:
        outcome = "failed"
    graded = device.graded
    return {
        "opd": device.opd,
        "outcome": outcome,
        "grade": graded.label if graded is not None and graded is not Grade.OK else None,
        "error": device.error,
        "details": {
            "state": device.state,
            "verdict": device.verdict,
            "failed": {r.check: r.message for r in device.failed},
            "not_checked": {r.check: r.message for r in device.not_checked},
            "escalate": report.escalates(device.grade),
        },
    }


def _problems(device: DeviceHealth) -> str:
    """The problems as a table cell: text read from the device (an interface comment, an
    error line) is escaped, never read as rich markup."""
    return escape("\n".join(problems(device))) or "-"


def print_report(report: HealthReport, console: Console) -> None:
    """A table per OPD (devices, failed checks, grade), then the escalations."""
    console.print(
        f"health survey (SOP step 2) — request {report.request or '-'} — run {report.run_id or '-'}"
    )
    by_opd: dict[str, list[DeviceHealth]] = defaultdict(list)
    for device in report.devices:
        by_opd[device.opd].append(device)
    for opd, devices in sorted(by_opd.items()):
        grade = report.opd_grades[opd]
        unchecked = sum(1 for d in devices if not d.complete)
        note = f" [magenta]({unchecked} {STATE_LABELS['partial']})[/]" if unchecked else ""
        shown = grade.label if any(d.graded is not None for d in devices) else "-"
        table = Table(
            title=f"OPD {opd}: [{GRADE_STYLE[grade]}]{shown}[/]{note}",
            title_justify="left",
        )
        for column in ("device", "role", "grade", "failed checks"):
            table.add_column(column)
        for device in sorted(devices, key=lambda d: d.host):
            table.add_row(device.host, device.role, verdict_markup(device), _problems(device))
        show_table(console, table)
    for device in report.escalations:
        console.print(
            f"[bold]{ESCALATION}[/]: {device.host} ({device.opd}) graded {device.grade.label}: "
            f"{report.grading[device.grade.label]['action']}"
        )
    graded = any(d.graded is not None for d in report.devices)
    worst = report.worst.label if graded else "- (nothing could be graded)"
    console.print(f"worst grade: [{GRADE_STYLE[report.worst]}]{worst}[/]")
    if report.incomplete:
        names = ", ".join(f"{d.host} ({d.verdict})" for d in report.incomplete)
        console.print(
            f"[bold magenta]not fully checked[/] ({NOT_CHECKED_LABEL}, no grade given for "
            f"what was not checked): {names}"
        )
    if report.report_path:
        console.print(f"report: {escape(str(report.report_path))}")
