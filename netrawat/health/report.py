"""The health report of one run: per OPD and device, failed checks, grade, escalation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from netrawat.exitcodes import ExitCode
from netrawat.health.config import grading_table
from netrawat.health.engine import worst_by_opd
from netrawat.health.model import DeviceHealth, Grade

GRADE_STYLE = {
    Grade.OK: "green",
    Grade.RINGAN: "yellow",
    Grade.SEDANG: "dark_orange",
    Grade.BERAT: "bold red",
}
ESCALATION = "lapor Kabid"


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
        clean = all(d.grade is Grade.OK and d.complete for d in self.devices)
        return ExitCode.OK if clean else ExitCode.HOSTS_FAILED

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "request": self.request,
            "report": self.report_path,
            "worst_grade": self.worst.label,
            "escalate": [d.host for d in self.escalations],
            "opds": {
                opd: {
                    "grade": grade.label,
                    "action": self.grading[grade.label]["action"],
                    "escalate": self.escalates(grade),
                }
                for opd, grade in sorted(self.opd_grades.items())
            },
            "devices": [d.to_json() for d in sorted(self.devices, key=lambda d: (d.opd, d.host))],
        }


def _problems(device: DeviceHealth) -> str:
    lines = [f"{r.check}: {r.message}" for r in device.failed]
    lines += [f"{r.check}: ERROR {r.message}" for r in device.errors]
    return "\n".join(lines) or "-"


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
        table = Table(
            title=f"OPD {opd}: [{GRADE_STYLE[grade]}]{grade.label}[/]", title_justify="left"
        )
        for column in ("device", "role", "grade", "failed checks"):
            table.add_column(column)
        for device in sorted(devices, key=lambda d: d.host):
            style = GRADE_STYLE[device.grade]
            table.add_row(
                device.host, device.role, f"[{style}]{device.grade.label}[/]", _problems(device)
            )
        console.print(table)
    for device in report.escalations:
        console.print(
            f"[bold]{ESCALATION}[/]: {device.host} ({device.opd}) graded {device.grade.label}: "
            f"{report.grading[device.grade.label]['action']}"
        )
    console.print(f"worst grade: [{GRADE_STYLE[report.worst]}]{report.worst.label}[/]")
    if report.report_path:
        console.print(f"report: {report.report_path}")
