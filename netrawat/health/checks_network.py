"""Checks on interfaces, counters, the uplink, gateway reachability, DNS, NTP, DHCP."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netrawat.health.config import CheckSpec
from netrawat.health.evaluation import Evaluation, result, skipped
from netrawat.health.model import CheckResult, InterfaceFacts


def monitored_interfaces(ev: Evaluation) -> dict[str, InterfaceFacts]:
    """Interfaces expected up: declared, addressed, or seen up at a past run; minus ignored."""
    interfaces: dict[str, InterfaceFacts] = ev.need("interfaces")
    previous: Mapping[str, Any] = (ev.previous or {}).get("interfaces", {})
    uplink = uplink_name(ev)
    radios = ev.facts.get("radios") or {}  # judged by the radio checks
    chosen = {}
    for name, iface in interfaces.items():
        if name in ev.config.ignore_interfaces or name == uplink or name in radios:
            continue
        before = previous.get(name, {})
        was_up = bool(before.get("seen_up", before.get("up")))
        if name in ev.config.expected_up or iface.get("addresses") or was_up:
            chosen[name] = iface
    return chosen


def uplink_name(ev: Evaluation) -> str | None:
    """Configured uplink, else the one the default route uses now, else last run's."""
    return ev.config.uplink or ev.facts.get("uplink") or (ev.previous or {}).get("uplink")


def interface_admin_down(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    down = sorted(n for n, i in monitored_interfaces(ev).items() if not i.get("enabled", True))
    return result(
        spec,
        bool(down),
        f"disabled: {', '.join(down)}" if down else "monitored interfaces enabled",
        interfaces=down,
    )


def interface_link_down(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    down = sorted(
        n
        for n, i in monitored_interfaces(ev).items()
        if i.get("enabled", True) and not i.get("up", False)
    )
    return result(
        spec,
        bool(down),
        f"no link: {', '.join(down)}" if down else "monitored interfaces have link",
        interfaces=down,
    )


def uplink_down(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    interfaces: dict[str, InterfaceFacts] = ev.need("interfaces")
    name = uplink_name(ev)
    if not name:
        if "routes" in (ev.facts.get("errors") or {}):
            ev.need("uplink")  # not checked: the routing table could not be read
        return skipped(spec, "uplink unknown (no default route; set health.interfaces.uplink)")
    iface = interfaces.get(name)
    if iface is None:
        return result(spec, True, f"uplink {name} does not exist on the device", uplink=name)
    state = (
        "disabled" if not iface.get("enabled", True) else ("down" if not iface.get("up") else "up")
    )
    return result(spec, state != "up", f"uplink {name} {state}", uplink=name)


def _growth(current: int | None, before: int | None) -> int:
    if current is None:
        return 0
    if before is None or current < before:  # counters reset (reboot or clear)
        return current if before is not None else 0
    return current - before


def _counter_growth(ev: Evaluation, keys: tuple[str, ...]) -> dict[str, int] | None:
    interfaces: dict[str, InterfaceFacts] = ev.need("interfaces")
    if not ev.previous or "interfaces" not in ev.previous:
        return None
    previous: Mapping[str, Any] = ev.previous["interfaces"]
    growth: dict[str, int] = {}
    for name, iface in interfaces.items():
        if name in ev.config.ignore_interfaces or name not in previous:
            continue
        counters: Mapping[str, Any] = iface
        grown = sum(_growth(counters.get(k), previous[name].get(k)) for k in keys)
        if grown:
            growth[name] = grown
    return growth


def interface_errors(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    growth = _counter_growth(ev, ("rx_errors", "tx_errors", "crc_errors"))
    if growth is None:
        return skipped(spec, "first run: counters recorded as the baseline")
    limit = ev.threshold("error_growth_max")
    rising = {n: g for n, g in growth.items() if g > limit}
    message = (
        "errors rising: " + ", ".join(f"{n} +{g}" for n, g in sorted(rising.items()))
        if rising
        else "no new interface errors"
    )
    return result(spec, bool(rising), message, growth=rising)


def link_flaps(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    growth = _counter_growth(ev, ("link_downs",))
    if growth is None:
        return skipped(spec, "first run: link-down counters recorded as the baseline")
    limit = ev.threshold("link_downs_growth_max")
    flapping = {n: g for n, g in growth.items() if g > limit}
    message = (
        "link lost: " + ", ".join(f"{n} {g}x" for n, g in sorted(flapping.items()))
        if flapping
        else "no link losses"
    )
    return result(spec, bool(flapping), message, link_downs=flapping)


def gateway_ping(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    pings: dict[str, Any] = ev.need("pings")
    if not pings:
        if ev.role == "router":
            return result(spec, True, "no default gateway to ping", grade=spec.total_loss_grade)
        return skipped(spec, "no gateway/ping target")
    max_loss = ev.threshold("ping_loss_max_percent")
    max_rtt = ev.threshold("ping_rtt_max_ms")
    lost = [t for t, p in pings.items() if p.get("loss_percent", 100.0) >= 100.0]
    lossy = [t for t, p in pings.items() if t not in lost and p.get("loss_percent", 0.0) > max_loss]
    slow = [t for t, p in pings.items() if (p.get("rtt_avg_ms") or 0.0) > max_rtt]
    summary = ", ".join(f"{t} {p.get('loss_percent', 100):g} % loss" for t, p in pings.items())
    if lost:
        return result(spec, True, f"no answer: {summary}", grade=spec.total_loss_grade, pings=pings)
    return result(spec, bool(lossy or slow), summary + (" (slow)" if slow else ""), pings=pings)


def _servers(
    ev: Evaluation, spec: CheckSpec, fact: str, expected: tuple[str, ...] | None
) -> CheckResult:
    configured = [s for s in ev.need(fact) if s]
    if expected is None:
        ok = bool(configured)
        message = f"configured: {', '.join(configured) or 'none'}"
    else:
        ok = sorted(configured) == sorted(expected)
        message = f"configured: {', '.join(configured) or 'none'}" + (
            "" if ok else f"; intended: {', '.join(expected) or 'none'}"
        )
    return result(spec, not ok, message, configured=configured, intended=list(expected or []))


def dns(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    return _servers(ev, spec, "dns_servers", ev.config.dns_servers)


def dns_reachable(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    pings: dict[str, Any] = ev.need("dns_pings")
    if not pings:
        return skipped(spec, "no DNS server configured (see the dns check)")
    gateway = ev.facts.get("pings") or {}
    if gateway and all(p.get("loss_percent", 100.0) >= 100.0 for p in gateway.values()):
        return skipped(spec, "gateway unreachable (see gateway_ping)")
    answering = sorted(s for s, p in pings.items() if p.get("loss_percent", 100.0) < 100.0)
    message = (
        f"answering: {', '.join(answering)}"
        if answering
        else f"no DNS server answers: {', '.join(sorted(pings))}"
    )
    return result(spec, not answering, message, answering=answering)


def ntp(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    return _servers(ev, spec, "ntp_servers", ev.config.ntp_servers)


def ntp_sync(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    synced = ev.facts.get("ntp_synced")
    if synced is None:
        ev.need("ntp_servers")  # raises the section's error when NTP could not be read
        return skipped(spec, "synchronisation state not reported")
    return result(spec, not synced, "synchronised" if synced else "clock not synchronised by NTP")


def dhcp_pool(ev: Evaluation, spec: CheckSpec) -> CheckResult:
    dhcp: dict[str, int] = ev.need("dhcp")
    size = dhcp.get("pool_size") or 0
    if not size:
        return skipped(spec, "no DHCP pool on this device")
    used = 100.0 * dhcp.get("leases_active", 0) / size
    limit = ev.threshold("dhcp_pool_used_max_percent")
    return result(
        spec,
        used > limit,
        f"{dhcp.get('leases_active', 0)}/{size} leases ({used:.0f} %, max {limit:.0f} %)",
        dhcp=dhcp,
    )
