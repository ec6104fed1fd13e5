"""Pure comparisons: drift (live vs last backup) and compliance per feature (live vs intended).

Lines shown to people (missing, extra, remediation, diffs) are sanitized with the backup rules,
so a secret on the device never reaches a report, the terminal or ``--json``.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from typing import Any

from netrawat.compliance.features import PlatformFeatures
from netrawat.compliance.render import Intended
from netrawat.configs.sanitize import sanitize
from netrawat.remediation import remediate


@dataclass(frozen=True)
class Drift:
    """The unified diff of a device's backup against its live configuration."""

    diff: str
    added: int
    removed: int

    @property
    def drifted(self) -> bool:
        return bool(self.diff)


def drift(stored: str, live: str, path: str, commit: str, context: int = 3) -> Drift:
    """``stored`` (the backup at ``commit``) against ``live``; both already normalized and
    sanitized the same way."""
    lines = list(
        difflib.unified_diff(
            stored.splitlines(),
            live.splitlines(),
            fromfile=f"a/{path} (backup {commit[:12]})",
            tofile=f"b/{path} (live)",
            n=context,
            lineterm="",
        )
    )
    body = [line for line in lines if not line.startswith(("---", "+++"))]
    added = sum(1 for line in body if line.startswith("+"))
    removed = sum(1 for line in body if line.startswith("-"))
    return Drift("\n".join(lines) + "\n" if lines else "", added, removed)


@dataclass
class FeatureResult:
    """One feature of one host: compliant, non-compliant or skipped (with the reason)."""

    feature: str
    status: str
    description: str = ""
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    remediation: list[str] = field(default_factory=list)
    rollback: list[str] = field(default_factory=list)
    intended: str = ""
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _shown(lines: list[str], platform: str) -> list[str]:
    if not lines:
        return []
    return sanitize("\n".join(lines), platform).text.split("\n")


def compliance(features: PlatformFeatures, intended: Intended, running: str) -> list[FeatureResult]:
    """Every feature of ``intended`` checked against the unsanitized ``running`` config."""
    described = {f.name: f for f in features.features}
    results: list[FeatureResult] = []
    platform = features.platform
    for name, text in intended.rendered.items():
        feature = described[name]
        fix = remediate(platform, running, text, feature.scope)
        results.append(
            FeatureResult(
                feature=name,
                status="compliant" if fix.compliant else "non-compliant",
                description=feature.description,
                missing=_shown(fix.missing, platform),
                extra=_shown(fix.extra, platform),
                remediation=_shown(fix.commands, platform),
                rollback=_shown(fix.rollback, platform),
                intended=sanitize(text, platform).text,
            )
        )
    for name, reason in intended.skipped.items():
        known = described.get(name)
        description = known.description if known else ""
        results.append(FeatureResult(name, "skipped", description, reason=reason))
    return results
