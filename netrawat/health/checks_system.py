"""Checks on the device itself: identity, uptime, CPU, memory, storage, sensors."""

from __future__ import annotations

from netrawat.health.config import CheckSpec
from netrawat.health.evaluation import Evaluation, result, skipped
from netrawat.health.model import CheckResult


def identity(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    expected = ev.config.expected_identity
    actual = str(ev.need("identity"))
    if not expected:
        return skipped(spec, "no expected identity")
    ok = actual.casefold() == expected.casefold()
    message = (
        f"identity {actual!r}"
        if ok
        else f"identity is {actual!r}, expected {expected!r}: configuration lost or reset?"
    )
    return result(spec, not ok, message, actual=actual, expected=expected)


def recent_reboot(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    uptime = float(ev.need("uptime_seconds"))
    minimum = ev.threshold("uptime_min_seconds")
    return result(
        spec,
        uptime < minimum,
        f"up {int(uptime)} s"
        + (f" (< {int(minimum)} s: rebooted recently)" if uptime < minimum else ""),
        uptime_seconds=uptime,
    )


def cpu_load(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    load = float(ev.need("cpu_load_percent"))
    limit = ev.threshold("cpu_load_max_percent")
    return result(
        spec, load > limit, f"CPU {load:.0f} % (max {limit:.0f} %)", cpu_load_percent=load
    )


def _free_percent(ev: Evaluation, total_key: str, free_key: str) -> float:
    total = float(ev.need(total_key))
    free = float(ev.need(free_key))
    return 100.0 * free / total if total > 0 else 0.0


def memory(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    free = _free_percent(ev, "memory_total_bytes", "memory_free_bytes")
    limit = ev.threshold("memory_free_min_percent")
    return result(
        spec,
        free < limit,
        f"{free:.1f} % memory free (min {limit:.0f} %)",
        free_percent=round(free, 1),
    )


def storage(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    unreported = "storage_total_bytes" in (ev.facts.get("not_reported") or [])
    resource_failed = "resource" in (ev.facts.get("errors") or {})
    if unreported or (ev.facts.get("storage_total_bytes") is None and not resource_failed):
        return skipped(spec, "storage not reported on this platform")
    free = _free_percent(ev, "storage_total_bytes", "storage_free_bytes")
    limit = ev.threshold("storage_free_min_percent")
    return result(
        spec,
        free < limit,
        f"{free:.1f} % storage free (min {limit:.0f} %)",
        free_percent=round(free, 1),
    )


def temperature(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    temps: dict[str, float] = ev.need("temperatures")
    if not temps:
        return skipped(spec, "no temperature sensor")
    limit = ev.threshold("temperature_max_celsius")
    hot = {name: value for name, value in temps.items() if value > limit}
    hottest = max(temps.values())
    message = (
        f"overheating: {', '.join(f'{n} {v:g} °C' for n, v in hot.items())} (max {limit:g} °C)"
        if hot
        else f"hottest sensor {hottest:g} °C"
    )
    return result(spec, bool(hot), message, temperatures=temps)


def sensors(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    states: dict[str, bool] = ev.need("sensor_states")
    if not states:
        return skipped(spec, "no fan/PSU/PoE sensor")
    bad = sorted(name for name, ok in states.items() if not ok)
    message = f"not ok: {', '.join(bad)}" if bad else f"{len(states)} sensor(s) ok"
    return result(spec, bool(bad), message, failing=bad)
