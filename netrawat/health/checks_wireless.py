"""Checks for access points: radios enabled and running, clients and their signal."""

from __future__ import annotations

from netrawat.health.config import CheckSpec
from netrawat.health.evaluation import Evaluation, result, skipped
from netrawat.health.model import CheckResult, ClientFacts, RadioFacts


def radios_enabled(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    radios: dict[str, RadioFacts] = ev.need("radios")
    if not radios:
        return result(spec, True, "no radio interface found", radios=[])
    off = sorted(n for n, r in radios.items() if not r.get("enabled", True))
    return result(
        spec, bool(off), f"disabled: {', '.join(off)}" if off else "radios enabled", radios=off
    )


def radios_up(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    radios: dict[str, RadioFacts] = ev.need("radios")
    down = sorted(n for n, r in radios.items() if r.get("enabled", True) and not r.get("up", False))
    ssids = sorted({r.get("ssid", "") for r in radios.values() if r.get("up")} - {""})
    message = (
        f"enabled but not running: {', '.join(down)}"
        if down
        else f"SSID up: {', '.join(ssids) or '-'}"
    )
    return result(spec, bool(down), message, radios=down, ssids=ssids)


def _radios_running(ev: Evaluation) -> bool:
    radios: dict[str, RadioFacts] = ev.need("radios")
    return bool(radios) and all(r.get("enabled", True) and r.get("up") for r in radios.values())


def wireless_clients(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    clients: list[ClientFacts] = ev.need("clients")
    if not _radios_running(ev):
        return skipped(spec, "radio not running (see the radio checks)")
    minimum = ev.threshold("wireless_clients_min")
    return result(
        spec,
        len(clients) < minimum,
        f"{len(clients)} client(s) associated (min {minimum:g})",
        clients=len(clients),
    )


def wireless_signal(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    clients: list[ClientFacts] = ev.need("clients")
    if not clients:
        return skipped(spec, "no client associated")
    limit = ev.threshold("wireless_signal_min_dbm")
    weak = [c for c in clients if c.get("signal_dbm", 0) < limit]
    worst = min(c.get("signal_dbm", 0) for c in clients)
    return result(
        spec,
        bool(weak),
        f"{len(weak)} client(s) below {limit:g} dBm (worst {worst} dBm)",
        weak=[c.get("mac") for c in weak],
    )
