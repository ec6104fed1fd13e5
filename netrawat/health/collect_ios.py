"""Collect health facts from Cisco IOS through NAPALM (``ios``, SSH via netmiko).

NAPALM getters give hostname, uptime, CPU, memory, temperatures, interface state, error
counters and the ping; ``driver.cli`` runs what NAPALM lacks, parsed by ntc-templates
(``show interfaces`` for CRC counters and addresses, ``show ip route`` for the default
gateway) or by the project's own templates (``show ntp associations``; DNS/NTP servers from
the running configuration). IOS reports no link-down counter and no DHCP pool here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from netrawat.health.collect_common import (
    CommandFailed,
    NotCollected,
    Session,
    as_session,
    collect_pings,
    reason_of,
    record_failure,
    run_sections,
    uplink_for,
)
from netrawat.health.model import DeviceFacts, InterfaceFacts, PingFacts
from netrawat.parsers import parse_ntc, parse_own
from netrawat.platforms import CISCO_IOS

PLATFORM = CISCO_IOS.name


class IosDriver(Protocol):
    """The part of NAPALM's IOSDriver this module uses."""

    def get_facts(self) -> dict[str, Any]: ...
    def get_environment(self) -> dict[str, Any]: ...
    def get_interfaces(self) -> dict[str, Any]: ...
    def get_config(self, retrieve: str = ...) -> dict[str, str]: ...
    def cli(self, commands: list[str]) -> dict[str, str]: ...
    def ping(self, destination: str, count: int = ...) -> dict[str, Any]: ...


def _show(driver: IosDriver, command: str) -> str:
    output = driver.cli([command])[command]
    error = CISCO_IOS.find_error(output)
    if error:
        raise CommandFailed(command, error, output)
    return output


NAPALM_UNKNOWN = "Unknown"
"""What NAPALM ios's get_facts leaves in a field it could not read (hostname, serial...)."""
NAPALM_PLACEHOLDER_KEY = "invalid"
"""NAPALM ios's get_environment key for a sensor it could not read (temperature -1, fans and
power supplies hard-coded ``{"invalid": {"status": True}}``)."""


def _system(driver: IosDriver, facts: DeviceFacts) -> None:
    hostname = str(driver.get_facts()["hostname"]).strip()
    if not hostname or hostname == NAPALM_UNKNOWN:
        raise NotCollected("NAPALM get_facts read no hostname (no ' uptime is ' line)")
    facts["identity"] = hostname


def _uptime(driver: IosDriver, facts: DeviceFacts) -> None:
    uptime = float(driver.get_facts()["uptime"])
    if uptime < 0:  # NAPALM's placeholder: no ' uptime is ' line in `show version`
        raise NotCollected("NAPALM get_facts read no uptime (no ' uptime is ' line)")
    facts["uptime_seconds"] = uptime


CPU_COMMAND = "show proc cpu"
"""What NAPALM's get_environment sends for the CPU load (read again to tell a real 0 %)."""


def _resource(driver: IosDriver, facts: DeviceFacts) -> None:
    env = driver.get_environment()
    total = int(env["memory"]["available_ram"])
    if total <= 0:
        raise NotCollected("NAPALM get_environment gave no memory figures (show memory)")
    facts["memory_total_bytes"] = total
    facts["memory_free_bytes"] = total - int(env["memory"]["used_ram"])
    loads = [float(c["%usage"]) for c in env["cpu"].values()]
    if loads and any(loads):
        facts["cpu_load_percent"] = sum(loads) / len(loads)
    else:  # NAPALM leaves 0.0 when `show proc cpu` had no 'CPU utilization' line
        _cpu_checked(driver, facts)
    _sensors(env, facts)


def _cpu_checked(driver: IosDriver, facts: DeviceFacts) -> None:
    """A 0 % from NAPALM only counts when `show proc cpu` really says so."""
    try:
        output = _show(driver, CPU_COMMAND)
    except CommandFailed as refused:
        record_failure(facts, "cpu", reason_of(refused), refused.raw)
        return
    found = CPU_ONE_MINUTE.search(output)
    if found is None:
        record_failure(facts, "cpu", "no 'CPU utilization' line in show proc cpu", output)
        return
    facts["cpu_load_percent"] = float(found.group(1))


CPU_ONE_MINUTE = re.compile(r"CPU utilization .*one minute: (\d+)%")


def _sensors(env: dict[str, Any], facts: DeviceFacts) -> None:
    """Temperatures and fan/PSU states NAPALM really read; its placeholders are dropped."""
    facts["temperatures"] = {
        name: float(t["temperature"])
        for name, t in env.get("temperature", {}).items()
        if name != NAPALM_PLACEHOLDER_KEY and float(t["temperature"]) >= 0
    }
    states = {
        f"fan {n}": bool(f["status"])
        for n, f in env.get("fans", {}).items()
        if n != NAPALM_PLACEHOLDER_KEY
    }
    power = env.get("power", {}).items()
    states.update(
        {f"power {n}": bool(p["status"]) for n, p in power if n != NAPALM_PLACEHOLDER_KEY}
    )
    facts["sensor_states"] = states


def _interfaces(driver: IosDriver, facts: DeviceFacts) -> None:
    interfaces: dict[str, InterfaceFacts] = {
        name: {"enabled": bool(i["is_enabled"]), "up": bool(i["is_up"])}
        for name, i in driver.get_interfaces().items()
    }
    if not interfaces:
        raise NotCollected("NAPALM get_interfaces returned no interface (show interfaces)")
    # error counters from the same `show interfaces` (NAPALM's get_interfaces_counters reads
    # them there too, but raises on output it does not expect, e.g. pseudowires)
    for row in parse_ntc(PLATFORM, "show interfaces", _show(driver, "show interfaces")):
        target = interfaces.get(str(row["interface"]))
        if target is None:
            continue
        target["type"] = str(row.get("hardware_type", ""))
        for key, field in (("rx_errors", "input_errors"), ("tx_errors", "output_errors")):
            if row.get(field):
                target[key] = int(str(row[field]))  # type: ignore[literal-required]
        if row.get("crc"):
            target["crc_errors"] = int(str(row["crc"]))
        if row.get("ip_address"):
            target["addresses"] = [f"{row['ip_address']}/{row['prefix_length']}"]
    facts["interfaces"] = interfaces


def _routes(driver: IosDriver, facts: DeviceFacts) -> None:
    rows = parse_ntc(PLATFORM, "show ip route", _show(driver, "show ip route"))
    default = [
        r for r in rows if r.get("network") == "0.0.0.0" and str(r.get("prefix_length")) == "0"
    ]
    if not default:
        return
    gateway = str(default[0].get("nexthop_ip") or "")
    if gateway:
        facts["gateway"] = gateway
    uplink = str(default[0].get("nexthop_if") or "") or uplink_for(
        facts.get("interfaces", {}), gateway
    )
    if uplink:
        facts["uplink"] = uplink


def ping_ios(driver: IosDriver, target: str, count: int) -> PingFacts:
    """NAPALM's ping (``ping T timeout 2 size 100 repeat N``)."""
    reply = driver.ping(target, count=count)
    if "success" not in reply:
        raise CommandFailed(f"ping {target}", str(reply.get("error", "no reply"))[:200], str(reply))
    success = reply["success"]
    sent = int(success["probes_sent"])
    if sent <= 0:
        raise CommandFailed(f"ping {target}", "no `Success rate` line in the reply", str(reply))
    loss = float(success["packet_loss"])
    return {
        "sent": sent,
        "received": sent - int(loss),
        "loss_percent": 100.0 * loss / sent,
        "rtt_avg_ms": float(success["rtt_avg"]) if sent > loss else None,
    }


def _services(driver: IosDriver, facts: DeviceFacts) -> None:
    config = driver.get_config(retrieve="running")["running"]
    error = CISCO_IOS.find_error(config)
    if error:  # NAPALM's get_config returns the device's refusal as if it were the config
        raise CommandFailed("show running-config", error, config)
    if not CONFIG_END.search(config):
        raise NotCollected("show running-config came back without its closing 'end'", config)
    rows = parse_own(PLATFORM, "running_config_services", config)
    row = rows[0] if rows else {"name_servers": [], "ntp_servers": []}
    facts["dns_servers"] = list(row["name_servers"])  # type: ignore[call-overload]
    facts["ntp_servers"] = list(row["ntp_servers"])  # type: ignore[call-overload]
    configured = str(row.get("default_gateway") or "")
    if configured and "gateway" not in facts:  # the route is gone from the table (uplink down)
        facts["gateway"] = configured
        uplink = uplink_for(facts.get("interfaces", {}), configured)
        if uplink:
            facts["uplink"] = uplink


CONFIG_END = re.compile(r"^end\s*$", re.MULTILINE)
"""A whole IOS configuration ends with ``end``: without it the output was cut."""


def _ntp(driver: IosDriver, facts: DeviceFacts) -> None:
    if "ntp_servers" not in facts:
        raise ValueError("NTP servers unknown: the running configuration could not be read")
    output = _show(driver, "show ntp associations")
    rows = parse_own(PLATFORM, "show_ntp_associations", output)
    facts["ntp_synced"] = any(r["sync_mark"] == "*" for r in rows)


def collect_ios(
    driver: IosDriver | Session[IosDriver],
    *,
    role: str,
    ping_targets: Sequence[str],
    ping_count: int,
) -> DeviceFacts:
    """Every health fact of one IOS device (a failing section is not checked, see
    `collect_common`)."""
    session = as_session(driver)
    facts: DeviceFacts = {
        "collected_via": "ios-napalm",
        "not_reported": ["storage_total_bytes", "storage_free_bytes", "dhcp"],
    }
    sections: dict[str, Callable[[IosDriver, DeviceFacts], None]] = {
        "identity": _system,
        "uptime": _uptime,
        "resource": _resource,
        "interfaces": _interfaces,
        "routes": _routes,
        "dns": _services,
        "ntp": _ntp,
    }
    run_sections(facts, session, sections, sections)
    errors = facts.get("errors", {})
    for source, also in (("dns", "ntp"), ("resource", "health")):
        if source in errors:  # these facts came from the same command on IOS
            errors.setdefault(also, errors[source])

    collect_pings(facts, session, ping_ios, ping_targets, ping_count)
    return facts
