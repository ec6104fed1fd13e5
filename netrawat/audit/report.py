"""The audit report of one run: devices, counts, exit code, JSON and the human view."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape

from netrawat.audit.model import DeviceAudit, RuleResult
from netrawat.exitcodes import ExitCode

SEVERITY_STYLE = {"ringan": "yellow", "sedang": "dark_orange", "berat": "bold red"}


@dataclass
class AuditReport:
    """Every audited device of one run."""

    devices: list[DeviceAudit] = field(default_factory=list)
    run_id: str | None = None

    @property
    def exit_code(self) -> ExitCode:
        """0 every device compliant; 1 a finding, a rule that could not be checked, or a device
        that could not be audited."""
        ok = all(d.compliant for d in self.devices)
        return ExitCode.OK if ok else ExitCode.HOSTS_FAILED

    def counts(self) -> dict[str, int]:
        """Devices per status: compliant, findings, failed."""
        counted = Counter(d.status() for d in self.devices)
        return {s: counted[s] for s in ("compliant", "findings", "failed")}

    def severity_counts(self) -> dict[str, int]:
        counted = Counter(r.rule.severity for d in self.devices for r in d.findings)
        return {s: counted[s] for s in ("berat", "sedang", "ringan") if counted[s]}

    @property
    def new_findings(self) -> list[tuple[DeviceAudit, RuleResult]]:
        return [(d, r) for d in self.devices for r in d.new_findings]

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "counts": self.counts(),
            "severities": self.severity_counts(),
            "exit_code": int(self.exit_code),
            "devices": [d.to_json() for d in self.devices],
        }


def summary_line(report: AuditReport) -> str:
    """``8 device(s): 5 compliant, 2 with findings (berat 1, ringan 3), 1 failed``."""
    counts = report.counts()
    severities = ", ".join(f"{s} {n}" for s, n in report.severity_counts().items())
    text = f"{len(report.devices)} device(s): {counts['compliant']} compliant"
    text += f", {counts['findings']} with findings" + (f" ({severities})" if severities else "")
    if counts["failed"]:
        text += f", {counts['failed']} not audited"
    return text


def _result_lines(console: Console, device: DeviceAudit, result: RuleResult) -> None:
    rule = result.rule
    if result.status == "excepted":
        console.print(
            f"    [dim]excepted[/] {rule.id}: {escape(result.reason)} ({escape(result.message)})",
            soft_wrap=True,
        )
        return
    style = SEVERITY_STYLE.get(rule.severity, "")
    new = " [bold]NEW[/]" if result.new else ""
    head = "ERROR" if result.status == "error" else rule.severity
    console.print(
        f"    [{style}]{head:<6}[/] {rule.id}{new}: {escape(rule.title_id)} / "
        f"{escape(rule.title_en)}: {escape(result.message)}",
        soft_wrap=True,
    )
    for line in result.evidence[:6]:
        console.print(f"           [dim]{escape(line)}[/]", soft_wrap=True)
    fix = rule.remediation.command(device.host)
    if fix:
        console.print(f"           fix (dry run first): {escape(fix)}", soft_wrap=True)
    elif rule.remediation.manual:
        console.print(f"           by hand: {escape(rule.remediation.manual)}", soft_wrap=True)


def print_report(report: AuditReport, console: Console) -> None:
    """One block per device (findings with evidence and the fix), then the summary."""
    for device in sorted(report.devices, key=lambda d: (d.opd, d.host)):
        status = device.status()
        style = {"compliant": "green", "findings": "yellow", "failed": "bold red"}[status]
        grade = f" ({device.grade})" if device.grade else ""
        console.print(
            f"[bold]{device.host}[/] ({device.opd}) [{style}]{status}[/]{grade}", soft_wrap=True
        )
        if device.error:
            console.print(f"    {escape(device.error)}", soft_wrap=True)
        for result in device.results:
            if result.status in ("fail", "error", "excepted"):
                _result_lines(console, device, result)
    console.print(f"audit: {summary_line(report)}", soft_wrap=True)
