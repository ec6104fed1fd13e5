"""From what a device printed to what may be stored: verify, normalize, sanitize, scan.

`prepare` is pure (no I/O): it returns a `Prepared` backup or a `Rejected` one with the
failed check and its reason. The backup playbook quarantines rejected outputs and commits
prepared ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from netrawat.configs.normalize import normalize
from netrawat.configs.sanitize import sanitize
from netrawat.configs.secretscan import scan
from netrawat.configs.verify import DEFAULT_MIN_RATIO, Fetched, content_line_count, verify


@dataclass(frozen=True)
class Prepared:
    """A verified configuration: ``stored`` goes to git, ``private`` is the full copy."""

    stored: str
    private: str
    lines: int
    ignored: dict[str, int] = field(default_factory=dict)
    """Volatile lines dropped, per normalize rule."""
    sanitized: dict[str, int] = field(default_factory=dict)
    """Secrets replaced, per sanitize rule."""


@dataclass(frozen=True)
class Rejected:
    """A configuration that must not replace the stored one."""

    check: str
    reason: str


def prepare(
    fetched: Fetched,
    previous: str | None,
    *,
    min_ratio: float = DEFAULT_MIN_RATIO,
    known_secrets: Iterable[str] = (),
) -> Prepared | Rejected:
    """Verify ``fetched`` against the ``previous`` stored text, then normalize and sanitize.

    The size check compares normalized line counts (the stored text is normalized too).
    """
    previous_lines = content_line_count(previous) if previous is not None else None
    normalized = normalize(fetched.output, fetched.platform)
    checked = Fetched(fetched.platform, normalized.text, fetched.prompt_returned, fetched.problem)
    verdict = verify(checked, previous_lines=previous_lines, min_ratio=min_ratio)
    if not verdict.ok:
        return Rejected(verdict.check, verdict.reason)
    clean = sanitize(normalized.text, fetched.platform)
    findings = scan(clean.text, fetched.platform, known_secrets)
    if findings:
        where = "; ".join(f.describe() for f in findings[:3])
        return Rejected("secret", f"secret scan found what sanitizing missed: {where}")
    return Prepared(
        stored=clean.text,
        private=normalized.text,
        lines=content_line_count(normalized.text),
        ignored=dict(normalized.hits),
        sanitized=dict(clean.hits),
    )
