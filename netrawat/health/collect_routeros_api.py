"""Collect health facts from RouterOS through napalm-ros (the binary API, port 8728).

NAPALM getters give identity, CPU, memory, interface state and error counters, NTP servers
on RouterOS 6; the rest (storage, link-downs, routes, DNS, NTP status, DHCP, wifi,
ping) is read from the same API session (``driver.api``) — napalm-ros has no getter for it,
and its ``ping`` raises KeyError when every probe is lost (no ``min-rtt`` in the reply).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from librouteros.exceptions import MultiTrapError, TrapError

from netrawat.health.collect_common import (
    Session,
    as_session,
    collect_pings,
    pool_size,
    routeros_sections,
    run_sections,
    split_servers,
    uplink_for,
)
from netrawat.health.collect_routeros_cli import NO_SUCH_MENU, poe_states, sensors_from_rows
from netrawat.health.model import DeviceFacts, InterfaceFacts, PingFacts, RadioFacts
from netrawat.parsers.units import duration_seconds, rtt_ms


class RosDriver(Protocol):
    """The part of napalm-ros's ROSDriver this module uses."""

    api: Any

    def get_facts(self) -> dict[str, Any]: ...
    def get_environment(self) -> dict[str, Any]: ...
    def get_interfaces(self) -> dict[str, Any]: ...
    def get_interfaces_counters(self) -> dict[str, Any]: ...
    def get_ntp_servers(self) -> dict[str, Any]: ...


def _rows(driver: RosDriver, path: str, **args: Any) -> list[dict[str, Any]]:
    return list(driver.api(f"{path}/print", **args))


def _system(driver: RosDriver, facts: DeviceFacts) -> None:
    facts["identity"] = str(driver.get_facts()["hostname"])


def _resource(driver: RosDriver, facts: DeviceFacts) -> None:
    env = driver.get_environment()
    loads = [float(c["%usage"]) for c in env["cpu"].values()]
    facts["cpu_load_percent"] = sum(loads) / len(loads) if loads else 0.0
    total = int(env["memory"]["available_ram"])
    facts["memory_total_bytes"] = total
    facts["memory_free_bytes"] = total - int(env["memory"]["used_ram"])
    resource = _rows(driver, "/system/resource")[0]
    if resource.get("total-hdd-space"):
        facts["storage_total_bytes"] = int(resource["total-hdd-space"])
        facts["storage_free_bytes"] = int(resource["free-hdd-space"])
    facts["uptime_seconds"] = duration_seconds(str(resource["uptime"]))


def _poe(driver: RosDriver) -> dict[str, bool]:
    try:
        ports = _rows(driver, "/interface/ethernet/poe")
        if not ports:
            return {}
        names = ",".join(str(p["name"]) for p in ports)
        rows = list(driver.api("/interface/ethernet/poe/monitor", numbers=names, once=True))
    except (TrapError, MultiTrapError) as exc:
        if any(mark in str(exc) for mark in NO_SUCH_MENU):
            return {}  # no PoE hardware
        raise ValueError(f"PoE monitor: {exc}") from exc
    return poe_states([{k: str(v) for k, v in row.items()} for row in rows])


def _health(driver: RosDriver, facts: DeviceFacts) -> None:
    rows = [r for r in _rows(driver, "/system/health") if r.get("name")]
    facts["temperatures"], states = sensors_from_rows(rows)
    facts["sensor_states"] = {**states, **_poe(driver)}


def _interfaces(driver: RosDriver, facts: DeviceFacts) -> None:
    interfaces: dict[str, InterfaceFacts] = {}
    for name, iface in driver.get_interfaces().items():
        interfaces[name] = {"enabled": bool(iface["is_enabled"]), "up": bool(iface["is_up"])}
    for row in _rows(driver, "/interface"):
        target = interfaces.get(str(row["name"]))
        if target is not None:
            target["type"] = str(row.get("type", ""))
            if row.get("link-downs") is not None:
                target["link_downs"] = int(row["link-downs"])
    for name, counters in driver.get_interfaces_counters().items():
        if name in interfaces:
            interfaces[name]["rx_errors"] = int(counters["rx_errors"])
            interfaces[name]["tx_errors"] = int(counters["tx_errors"])
    for row in _rows(driver, "/ip/address"):
        target = interfaces.get(str(row["interface"]))
        if target is not None and not row.get("disabled"):
            target.setdefault("addresses", []).append(str(row["address"]))
    facts["interfaces"] = interfaces


def _routes(driver: RosDriver, facts: DeviceFacts) -> None:
    defaults = [
        r
        for r in _rows(driver, "/ip/route")
        if r.get("dst-address") == "0.0.0.0/0" and not r.get("disabled")
    ]
    # the active route first; an inactive one (its interface down) still names the gateway
    active = sorted(defaults, key=lambda r: not r.get("active", True))
    if not active:
        return
    gateway = str(active[0].get("gateway", "")).split(",")[0].split("%")[0]
    facts["gateway"] = gateway
    immediate = str(active[0].get("immediate-gw", ""))
    uplink = immediate.split("%", 1)[1] if "%" in immediate else None
    uplink = uplink or uplink_for(facts.get("interfaces", {}), gateway)
    if uplink:
        facts["uplink"] = uplink


def ping_api(driver: RosDriver, target: str, count: int) -> PingFacts:
    """`/ping` over the API: the last reply row carries the running totals."""
    rows = list(driver.api("/ping", address=target, count=count))
    if not rows:
        raise ValueError(f"ping {target}: no reply rows")
    last = rows[-1]
    avg = last.get("avg-rtt")
    return {
        "sent": int(last.get("sent", 0)),
        "received": int(last.get("received", 0)),
        "loss_percent": max(0.0, float(last.get("packet-loss", 100))),
        "rtt_avg_ms": rtt_ms(str(avg)) if avg else None,
    }


def _dns(driver: RosDriver, facts: DeviceFacts) -> None:
    facts["dns_servers"] = split_servers(str(_rows(driver, "/ip/dns")[0].get("servers", "")))


def _ntp(driver: RosDriver, facts: DeviceFacts) -> None:
    client = _rows(driver, "/system/ntp/client")[0]
    enabled = client.get("enabled", True) not in (False, "no", "false")
    # napalm-ros's get_ntp_servers reads the v6 properties (primary-ntp, server-dns-names);
    # RouterOS 7 has `servers`: read it first, fall back to the getter on v6.
    servers = split_servers(str(client.get("servers", ""))) or list(driver.get_ntp_servers())
    facts["ntp_servers"] = servers if enabled else []
    if client.get("status"):
        facts["ntp_synced"] = enabled and str(client["status"]).startswith("synchronized")


def _dhcp(driver: RosDriver, facts: DeviceFacts) -> None:
    ranges: Iterable[str] = (
        r for p in _rows(driver, "/ip/pool") for r in str(p.get("ranges", "")).split(",")
    )
    size = pool_size(ranges)
    bound = sum(
        1 for lease in _rows(driver, "/ip/dhcp-server/lease") if lease.get("status") == "bound"
    )
    facts["dhcp"] = {"pool_size": size, "leases_active": bound}


WIRELESS_MENUS = {"wifi": "configuration.ssid", "wireless": "ssid"}
"""Wireless menu → its SSID property: RouterOS 7.13+ `wifi`, then the legacy `wireless`."""


def _radio_rows(driver: RosDriver) -> tuple[str, list[dict[str, Any]]]:
    for menu in WIRELESS_MENUS:
        try:
            return menu, _rows(driver, f"/interface/{menu}")
        except (TrapError, MultiTrapError) as exc:
            if not any(mark in str(exc) for mark in NO_SUCH_MENU):
                raise
    raise ValueError("neither /interface/wifi nor /interface/wireless exists on this AP")


def _wireless(driver: RosDriver, facts: DeviceFacts) -> None:
    menu, rows = _radio_rows(driver)
    radios: dict[str, RadioFacts] = {}
    for row in rows:
        radios[str(row["name"])] = {
            "enabled": not row.get("disabled", False),
            "up": bool(row.get("running", False)),
            "ssid": str(row.get(WIRELESS_MENUS[menu], "")),
        }
    facts["radios"] = radios
    facts["clients"] = [
        {
            "mac": str(c.get("mac-address", "")),
            "interface": str(c.get("interface", "")),
            "signal_dbm": int(str(c.get("signal", c.get("signal-strength", "0"))).split("@")[0]),
        }
        for c in _rows(driver, f"/interface/{menu}/registration-table")
    ]


SECTIONS: dict[str, Callable[[RosDriver, DeviceFacts], None]] = {
    "identity": _system,
    "resource": _resource,
    "health": _health,
    "interfaces": _interfaces,
    "routes": _routes,
    "dns": _dns,
    "ntp": _ntp,
    "wireless": _wireless,
    "dhcp": _dhcp,
}


def collect_routeros_api(
    driver: RosDriver | Session[RosDriver],
    *,
    role: str,
    ping_targets: Sequence[str],
    ping_count: int,
) -> DeviceFacts:
    """Every health fact of one RouterOS device with the API enabled (a failing section is
    not checked, see `collect_common`)."""
    session = as_session(driver)
    facts: DeviceFacts = {"collected_via": "routeros-api"}
    run_sections(facts, session, routeros_sections(role), SECTIONS)
    collect_pings(facts, session, ping_api, ping_targets, ping_count)
    return facts
