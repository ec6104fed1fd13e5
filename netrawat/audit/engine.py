"""Loading the baselines, the inventory's exceptions, and judging one device.

    baseline = load_baseline("mikrotik_routeros")
    exceptions = exceptions_for(host, baseline)          # InputError before any device
    audit = audit_device(baseline, facts, exceptions, host="RTR-DINKES", opd="dinkes")

Exceptions live in the inventory, on a group or a host, always with a written reason that
every report shows::

    audit_exceptions:
      ros-api-off: "API dipakai aplikasi SIMPUS (surat 045/112/Diskes/XI/2026)"

A host's entry wins over its groups' (nearest group first), rules not named keep the baseline.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import ModuleType
from typing import Any

import yaml
from nornir.core.inventory import Host

from netrawat.audit.model import SEVERITIES, AuditFacts, DeviceAudit, Remediation, Rule, RuleResult
from netrawat.configs.sanitize import sanitize
from netrawat.errors import InputError
from netrawat.platforms import PLATFORMS, profile_for, resolve_name

EXCEPTIONS_KEY = "audit_exceptions"
MIN_REASON = 10
"""Characters a written reason needs at least (``ok`` or ``x`` is not a reason)."""


def platform_checks(platform: str) -> ModuleType:
    """The module with the platform's ``CHECKS``, ``COMMANDS`` and ``prepare`` (named by the
    platform profile's ``audit_checks``)."""
    module: ModuleType = resolve_name(profile_for(platform).audit_checks)
    return module


@dataclass(frozen=True)
class Baseline:
    """The rules of one platform."""

    platform: str
    reference: str
    rules: tuple[Rule, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.rules)

    @property
    def commands(self) -> tuple[str, ...]:
        """Device commands the rules read besides the configuration."""
        return tuple(platform_checks(self.platform).COMMANDS)


def _remediation(raw: Mapping[str, Any]) -> Remediation:
    return Remediation(
        template=raw.get("template"),
        variables={str(k): str(v) for k, v in (raw.get("vars") or {}).items()},
        manual=" ".join(str(raw.get("manual", "")).split()),
    )


def _rule(platform: str, raw: Mapping[str, Any], where: str) -> Rule:
    try:
        check = dict(raw["check"])
        kind = str(check.pop("kind"))
        rule = Rule(
            id=str(raw["id"]),
            platform=platform,
            title_id=str(raw["title"]["id"]),
            title_en=str(raw["title"]["en"]),
            severity=str(raw["severity"]),
            kind=kind,
            params=check,
            remediation=_remediation(raw.get("remediation") or {}),
            reference=str(raw.get("reference", "")),
            roles=tuple(str(r) for r in raw.get("roles") or ()),
        )
    except (KeyError, TypeError) as exc:
        raise InputError(
            f"{where}: rule {raw!r:.60}: missing {exc}", "see the file header"
        ) from None
    if rule.severity not in SEVERITIES:
        raise InputError(f"{where}: {rule.id}: severity {rule.severity!r}", "ringan|sedang|berat")
    if kind not in platform_checks(platform).CHECKS:
        raise InputError(f"{where}: {rule.id}: unknown check kind {kind!r}", "see checks_*.py")
    if not rule.remediation.template and not rule.remediation.manual:
        raise InputError(f"{where}: {rule.id}: no remediation", "a template or a manual note")
    return rule


@functools.cache
def load_baseline(platform: str) -> Baseline:
    """The baseline of ``platform`` (package data ``netrawat/audit/baselines/<name>.yaml``)."""
    name = profile_for(platform).name
    where = f"netrawat/audit/baselines/{name}.yaml"
    text = (
        resources.files("netrawat.audit")
        .joinpath("baselines", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )
    raw = yaml.safe_load(text) or {}
    rules = tuple(_rule(name, r, where) for r in raw.get("rules") or ())
    ids = [r.id for r in rules]
    if len(set(ids)) != len(ids):
        raise InputError(f"{where}: duplicate rule ids", "each id once")
    return Baseline(name, str(raw.get("reference", "")), rules)


# -- exceptions -------------------------------------------------------------------------------


def _layers(host: Host) -> list[tuple[str, Mapping[str, Any]]]:
    """(where, data) nearest first: the host, its groups depth-first, the defaults."""
    layers: list[tuple[str, Mapping[str, Any]]] = [(f"host {host.name}", host.data)]
    seen: set[str] = set()

    def walk(groups: Any) -> None:
        for group in groups:
            if group.name in seen:
                continue
            seen.add(group.name)
            layers.append((f"group {group.name}", group.data))
            walk(group.groups)

    walk(host.groups)
    if host.defaults is not None:
        layers.append(("defaults", host.defaults.data))
    return layers


@dataclass(frozen=True)
class Exception_:
    """One excepted rule: the reason and where it was written."""

    reason: str
    source: str


def exceptions_for(host: Host, baseline: Baseline) -> dict[str, Exception_]:
    """The host's excepted rules; an unknown rule id or a missing reason is an `InputError`."""
    found: dict[str, Exception_] = {}
    for source, data in reversed(_layers(host)):
        entries = data.get(EXCEPTIONS_KEY)
        if entries is None:
            continue
        if not isinstance(entries, Mapping):
            raise InputError(
                f"{source}: {EXCEPTIONS_KEY} must map rule ids to reasons",
                f'{EXCEPTIONS_KEY}: {{ros-api-off: "why this router keeps it"}}',
            )
        for rule_id, reason in entries.items():
            found[str(rule_id)] = _checked(str(rule_id), reason, source, host, baseline)
    return {k: v for k, v in found.items() if k in baseline.ids}


def _checked(
    rule_id: str, reason: object, source: str, host: Host, baseline: Baseline
) -> Exception_:
    known = {rid for p in PLATFORMS for rid in load_baseline(p).ids}
    if rule_id not in known:
        raise InputError(
            f"{source}: {EXCEPTIONS_KEY}: unknown rule {rule_id!r} (host {host.name})",
            f"rules of {baseline.platform}: {', '.join(baseline.ids)}",
        )
    text = " ".join(str(reason or "").split())
    if len(text) < MIN_REASON:
        raise InputError(
            f"{source}: {EXCEPTIONS_KEY}: {rule_id} has no written reason",
            f"give the reason (at least {MIN_REASON} characters), e.g. the letter that allows it",
        )
    return Exception_(text, source)


# -- judging ----------------------------------------------------------------------------------


def _evidence(lines: tuple[str, ...], platform: str) -> tuple[str, ...]:
    """Evidence as reports show it: secrets replaced, as in the stored backup."""
    return tuple(sanitize(line, platform).text.rstrip("\n") for line in lines)


def _judge(rule: Rule, run: Callable[[Rule], Any], platform: str) -> RuleResult:
    try:
        outcome = run(rule)
    except (ValueError, KeyError, TypeError) as exc:
        return RuleResult(rule, "error", f"cannot check: {exc}")
    if outcome.ok is None:
        return RuleResult(rule, "not-applicable", outcome.message)
    status = "pass" if outcome.ok else "fail"
    return RuleResult(rule, status, outcome.message, _evidence(outcome.evidence, platform))


def audit_device(
    baseline: Baseline,
    facts: AuditFacts,
    exceptions: Mapping[str, Exception_],
    *,
    host: str,
    opd: str,
    role: str | None = None,
    previous: frozenset[str] | None = None,
) -> DeviceAudit:
    """Every rule of ``baseline`` on one device (``previous``: the finding ids of its last
    audit, to mark new findings; None: no audit before, every finding is new)."""
    module = platform_checks(baseline.platform)
    parsed = module.prepare(facts)
    results = []
    for rule in baseline.rules:
        if not rule.applies_to(role):
            results.append(RuleResult(rule, "not-applicable", f"not for role {role}"))
            continue
        if rule.id in exceptions:
            why = exceptions[rule.id]
            results.append(RuleResult(rule, "excepted", why.source, reason=why.reason))
            continue
        result = _judge(
            rule, lambda r: module.CHECKS[r.kind](parsed, facts, r.params), baseline.platform
        )
        if result.failed:
            result = RuleResult(
                rule,
                result.status,
                result.message,
                result.evidence,
                new=previous is None or rule.id not in previous,
            )
        results.append(result)
    return DeviceAudit(host, opd, baseline.platform, results)
