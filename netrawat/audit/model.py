"""The security-baseline data model: rules, what a device showed, results, reports.

A rule is data (``netrawat/audit/baselines/<platform>.yaml``): an id, a title in Bahasa
Indonesia and English, a severity on the SOP's scale (*ringan*, *sedang*, *berat*), the check
that decides it (a kind from `netrawat.audit.checks_routeros` / `checks_ios` and its
parameters), and how to fix it: a repair template (``netrawat repair <template> --var ...``,
dry run first) or, where an automatic change could lock the section out, a manual note.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("ringan", "sedang", "berat")
"""The SOP grades, lightest first (a finding's severity is the damage grade it stands for)."""

STATUSES = ("pass", "fail", "excepted", "not-applicable", "error")


@dataclass(frozen=True)
class Remediation:
    """How a failed rule is fixed: a repair template and its variables, or by hand."""

    template: str | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    manual: str = ""

    def command(self, host: str) -> str:
        """The dry-run repair command for ``host`` (add ``--apply --request ...`` to apply)."""
        if not self.template:
            return ""
        words = ["netrawat repair", self.template, "--host", host]
        words += [f"--var {k}={v}" for k, v in self.variables.items()]
        return " ".join(words)


@dataclass(frozen=True)
class Rule:
    """One baseline rule of one platform."""

    id: str
    platform: str
    title_id: str
    title_en: str
    severity: str
    kind: str
    params: Mapping[str, Any]
    remediation: Remediation
    reference: str = ""
    roles: tuple[str, ...] = ()
    """Roles the rule applies to (empty: every role)."""

    def applies_to(self, role: str | None) -> bool:
        return not self.roles or (role or "") in self.roles

    def title(self, lang: str = "en") -> str:
        return self.title_id if lang == "id" else self.title_en


@dataclass(frozen=True)
class Outcome:
    """What a check decided: ``ok`` True (pass), False (finding) or None (not applicable)."""

    ok: bool | None
    message: str = ""
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditFacts:
    """What the device showed: its normalized configuration (``/export terse`` or
    ``show running-config``, never stored unsanitized), outputs of extra commands by command,
    and the inventory values the rules compare with (management network, city servers)."""

    platform: str
    config: str
    outputs: Mapping[str, str] = field(default_factory=dict)
    data: Mapping[str, Any] = field(default_factory=dict)
    refused: Mapping[str, str] = field(default_factory=dict)
    """Extra commands the device refused, with its error line: the rules needing them report
    ``error`` (cannot check), the others are judged."""

    def output(self, command: str) -> str:
        """A command's output, or a ValueError saying why there is none."""
        if command in self.outputs:
            return self.outputs[command]
        why = self.refused.get(command)
        raise ValueError(f"{command} refused: {why}" if why else f"no {command} output")


@dataclass(frozen=True)
class RuleResult:
    """One rule on one device."""

    rule: Rule
    status: str
    message: str = ""
    evidence: tuple[str, ...] = ()
    reason: str = ""
    """Why the rule is excepted for this host (from the inventory, shown in every report)."""
    new: bool = False
    """A finding the previous audit of this host did not have."""

    @property
    def failed(self) -> bool:
        return self.status == "fail"

    def to_json(self, host: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule.id,
            "title": {"id": self.rule.title_id, "en": self.rule.title_en},
            "severity": self.rule.severity,
            "status": self.status,
            "message": self.message,
            "evidence": list(self.evidence),
        }
        if self.reason:
            out["reason"] = self.reason
        if self.failed:
            out["new"] = self.new
            out["remediation"] = self.rule.remediation.command(host) or None
            if self.rule.remediation.manual:
                out["manual"] = self.rule.remediation.manual
        return out


@dataclass
class DeviceAudit:
    """Every rule's result on one device, or why it could not be audited."""

    host: str
    opd: str
    platform: str
    results: list[RuleResult] = field(default_factory=list)
    error: str | None = None

    @property
    def findings(self) -> list[RuleResult]:
        return [r for r in self.results if r.failed]

    @property
    def new_findings(self) -> list[RuleResult]:
        return [r for r in self.findings if r.new]

    @property
    def compliant(self) -> bool:
        return self.error is None and not self.findings and not self.errors

    @property
    def errors(self) -> list[RuleResult]:
        return [r for r in self.results if r.status == "error"]

    @property
    def grade(self) -> str | None:
        """The heaviest severity among the findings (None: none)."""
        found = [r.rule.severity for r in self.findings]
        return max(found, key=SEVERITIES.index) if found else None

    def status(self) -> str:
        if self.error is not None:
            return "failed"
        return "compliant" if self.compliant else "findings"

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "opd": self.opd,
            "platform": self.platform,
            "status": self.status(),
            "grade": self.grade,
            "error": self.error,
            "findings": len(self.findings),
            "new_findings": [r.rule.id for r in self.new_findings],
            "results": [r.to_json(self.host) for r in self.results],
        }
