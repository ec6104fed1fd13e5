"""The grading engine: facts → check results → grade. Pure: no I/O, no device access.

Which checks run, their thresholds and the grade each failure carries are data
(checks.yaml + inventory overrides); this module only maps check names to the functions that
judge them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from netrawat.health import checks_network as net
from netrawat.health import checks_system as sysc
from netrawat.health import checks_wireless as wifi
from netrawat.health.config import CheckSpec, HealthConfig
from netrawat.health.evaluation import Evaluation, MissingFact
from netrawat.health.model import CheckResult, DeviceFacts, DeviceHealth, Grade

CheckFunction = Callable[[Evaluation, CheckSpec], CheckResult]

CHECK_FUNCTIONS: Mapping[str, CheckFunction] = {
    "identity": sysc.identity,
    "recent_reboot": sysc.recent_reboot,
    "cpu_load": sysc.cpu_load,
    "memory": sysc.memory,
    "storage": sysc.storage,
    "temperature": sysc.temperature,
    "sensors": sysc.sensors,
    "interface_admin_down": net.interface_admin_down,
    "interface_link_down": net.interface_link_down,
    "uplink_down": net.uplink_down,
    "interface_errors": net.interface_errors,
    "link_flaps": net.link_flaps,
    "gateway_ping": net.gateway_ping,
    "dns": net.dns,
    "dns_reachable": net.dns_reachable,
    "ntp": net.ntp,
    "ntp_sync": net.ntp_sync,
    "dhcp_pool": net.dhcp_pool,
    "radios_enabled": wifi.radios_enabled,
    "radios_up": wifi.radios_up,
    "wireless_clients": wifi.wireless_clients,
    "wireless_signal": wifi.wireless_signal,
}


def _run_check(func: CheckFunction, ev: Evaluation, spec: CheckSpec) -> CheckResult:
    try:
        return func(ev, spec)
    except MissingFact as missing:
        if missing.error is None:
            return CheckResult(spec.name, "skip", message=f"{missing.fact} not available")
        return CheckResult(
            spec.name,
            "not_checked",
            message=f"could not read {missing.fact}: {missing.error}",
            details={"raw": missing.raw, "section": missing.section, "reason": missing.error},
        )


def evaluate(
    *,
    host: str,
    opd: str,
    role: str,
    platform: str,
    config: HealthConfig,
    facts: DeviceFacts | None,
    unreachable: str | None = None,
    not_surveyed: str | None = None,
    host_key: Literal["changed", "unknown"] | None = None,
    previous: Mapping[str, Any] | None = None,
) -> DeviceHealth:
    """Grade one device from evidence. ``unreachable`` (no session could be made) means no
    facts at all: berat. ``not_surveyed`` (the SSH host key refused: ``host_key`` says
    whether it changed or is unknown) is its own state, never a grade."""
    error = unreachable or not_surveyed
    health = DeviceHealth(host=host, opd=opd, role=role, platform=platform, error=error)
    reach = config.checks["reachable"]
    if not_surveyed is not None:
        health.host_key = host_key or "unknown"
        health.results.append(CheckResult("reachable", "not_checked", Grade.OK, not_surveyed))
        return health
    if unreachable is not None or facts is None:
        message = unreachable or "no facts collected"
        health.results.append(CheckResult("reachable", "fail", reach.grade, message))
        return health
    health.results.append(
        CheckResult("reachable", "pass", Grade.OK, f"via {facts.get('collected_via', '?')}")
    )
    ev = Evaluation(facts=facts, previous=previous, config=config, role=role, platform=platform)
    for name, spec in config.checks.items():
        func = CHECK_FUNCTIONS.get(name)
        if func is None or not spec.applies(role, platform):
            continue
        health.results.append(_run_check(func, ev, spec))
    if health.state == "not_checked":
        health.error = "logged in, but nothing could be checked: " + _section_reasons(facts)
    return health


def _section_reasons(facts: DeviceFacts) -> str:
    """``section: reason`` for each section that failed, the same reasons once."""
    by_reason: dict[str, list[str]] = {}
    for section, err in (facts.get("errors") or {}).items():
        by_reason.setdefault(err["error"], []).append(section)
    return "; ".join(f"{', '.join(s)}: {r}" for r, s in by_reason.items()) or "no facts"


def worst_by_opd(devices: Iterable[DeviceHealth]) -> dict[str, Grade]:
    """Each OPD's grade: the worst of its devices'."""
    grades: dict[str, Grade] = {}
    for device in devices:
        grades[device.opd] = max(grades.get(device.opd, Grade.OK), device.grade)
    return grades
