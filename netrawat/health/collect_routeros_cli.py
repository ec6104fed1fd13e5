"""Collect health facts from RouterOS over SSH (netmiko) with the project's TextFSM templates.

Works on its own: routers with the API disabled are surveyed entirely by this path.
``send`` is a function that runs one CLI command and returns its output (the Nornir task
passes netmiko's ``send_command``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from netrawat.health.collect_common import (
    CommandFailed,
    Session,
    collect_pings,
    pool_size,
    routeros_sections,
    run_sections,
    split_servers,
    uplink_for,
)
from netrawat.health.model import DeviceFacts, InterfaceFacts, PingFacts, RadioFacts
from netrawat.parsers import parse_ntc, parse_own
from netrawat.parsers.routeros_table import parse_monitor_columns, parse_stats_table
from netrawat.parsers.units import duration_seconds, percent, rtt_ms, size_bytes
from netrawat.platforms import ROUTEROS

PLATFORM = ROUTEROS.name
Send = Callable[[str], str]


class RouterOSCli:
    """One device's CLI: commands checked for RouterOS error strings, then parsed."""

    def __init__(self, send: Send) -> None:
        self._send = send

    def run(self, command: str) -> str:
        output = self._send(command)
        error = ROUTEROS.find_error(output)
        if error:
            raise CommandFailed(command, error, output)
        return output

    def send_raw(self, command: str) -> str:
        """The reply as it came, error strings included (the caller judges them)."""
        return self._send(command)

    def rows(self, command: str, template: str) -> list[dict[str, object]]:
        return parse_own(PLATFORM, template, self.run(command))


def _identity(cli: RouterOSCli, facts: DeviceFacts) -> None:
    rows = parse_ntc(PLATFORM, "system identity print", cli.run("/system identity print"))
    facts["identity"] = str(rows[0]["name"])


def _resource(cli: RouterOSCli, facts: DeviceFacts) -> None:
    row = cli.rows("/system resource print", "system_resource_print")[0]
    facts["uptime_seconds"] = duration_seconds(str(row["uptime"]))
    facts["cpu_load_percent"] = percent(str(row["cpu_load"]))
    facts["memory_total_bytes"] = size_bytes(str(row["total_memory"]))
    facts["memory_free_bytes"] = size_bytes(str(row["free_memory"]))
    if row["total_hdd_space"]:
        facts["storage_total_bytes"] = size_bytes(str(row["total_hdd_space"]))
        facts["storage_free_bytes"] = size_bytes(str(row["free_hdd_space"]))


def sensors_from_rows(
    rows: Sequence[dict[str, object]],
) -> tuple[dict[str, float], dict[str, bool]]:
    """Temperatures (°C) and ok-states from `/system health` rows (CLI and API alike)."""
    temperatures: dict[str, float] = {}
    states: dict[str, bool] = {}
    for row in rows:
        name, value = str(row["name"]), str(row["value"])
        unit = str(row.get("type") or "")
        if "temperature" in name:  # named like NAPALM's get_environment: cpu, board1, ...
            temperatures[name.replace("-temperature", "")] = float(value.rstrip("C"))
        elif name.endswith("-state") or name.endswith("-status"):
            states[name.rsplit("-", 1)[0]] = value.lower() in {"ok", "true", "yes"}
        elif unit == "RPM" or name.endswith("-speed"):
            states[name.rsplit("-", 1)[0]] = float(value) > 0
    return temperatures, states


POE_MONITOR = "/interface ethernet poe monitor [find] once"
POE_FAULTS = frozenset(
    {"short-circuit", "overload", "voltage-too-low", "current-too-low", "controller-error"}
)
"""`poe-out-status` values that mean a PoE fault (hardware: sedang)."""
NO_SUCH_MENU = ("bad command name", "no such command")


def poe_states(rows: Sequence[dict[str, str]]) -> dict[str, bool]:
    """``poe <port>`` → OK, from `poe monitor` rows (CLI and API alike)."""
    return {
        f"poe {row['name']}": row.get("poe-out-status", "") not in POE_FAULTS
        for row in rows
        if row.get("name")
    }


def _poe(cli: RouterOSCli) -> dict[str, bool]:
    output = cli.send_raw(POE_MONITOR)
    if not output.strip() or any(mark in output for mark in NO_SUCH_MENU):
        return {}  # no PoE hardware: RouterOS has no `poe` menu there
    error = ROUTEROS.find_error(output)
    if error:
        raise CommandFailed(POE_MONITOR, error, output)
    return poe_states(parse_monitor_columns(output))


def _health(cli: RouterOSCli, facts: DeviceFacts) -> None:
    rows = cli.rows("/system health print", "system_health_print")
    facts["temperatures"], states = sensors_from_rows(rows)
    facts["sensor_states"] = {**states, **_poe(cli)}


def _interfaces(cli: RouterOSCli, facts: DeviceFacts) -> None:
    interfaces: dict[str, InterfaceFacts] = {}
    for row in cli.rows("/interface print terse without-paging", "interface_print_terse"):
        flags = str(row["flags"])
        iface: InterfaceFacts = {
            "enabled": "X" not in flags,
            "up": "R" in flags,
            "type": str(row["type"]),
        }
        if row["link_downs"]:
            iface["link_downs"] = int(str(row["link_downs"]))
        interfaces[str(row["name"])] = iface
    for row in parse_stats_table(cli.run("/interface print stats without-paging")):
        target = interfaces.get(str(row["name"]))
        if target is not None:
            target["rx_errors"] = int(str(row.get("rx_error", 0)))
            target["tx_errors"] = int(str(row.get("tx_error", 0)))
    for row in cli.rows("/ip address print terse without-paging", "ip_address_print_terse"):
        target = interfaces.get(str(row["interface"]))
        if target is not None and "X" not in str(row["flags"]):
            target.setdefault("addresses", []).append(str(row["address"]))
    facts["interfaces"] = interfaces


def _routes(cli: RouterOSCli, facts: DeviceFacts) -> None:
    rows = cli.rows(
        "/ip route print terse without-paging where dst-address=0.0.0.0/0", "ip_route_print_terse"
    )
    defaults = [r for r in rows if r["dst_address"] == "0.0.0.0/0" and "X" not in str(r["flags"])]
    # the active route first; an inactive one (its interface down) still names the gateway
    active = sorted(defaults, key=lambda r: "A" not in str(r["flags"]))
    if not active:
        return
    gateway = str(active[0]["gateway"]).split(",")[0].split("%")[0]
    facts["gateway"] = gateway
    immediate = str(active[0]["immediate_gw"])
    uplink = immediate.split("%", 1)[1] if "%" in immediate else None
    uplink = uplink or uplink_for(facts.get("interfaces", {}), gateway)
    if uplink:
        facts["uplink"] = uplink


def ping_cli(cli: RouterOSCli, target: str, count: int) -> PingFacts:
    """`/ping TARGET count=N` parsed from its summary line."""
    rows = cli.rows(f"/ping {target} count={count}", "ping")
    if not rows:
        raise ValueError(f"ping {target}: no summary line")
    row = rows[-1]
    sent, received = int(str(row["sent"])), int(str(row["received"]))
    return {
        "sent": sent,
        "received": received,
        "loss_percent": max(0.0, float(str(row["packet_loss"]))),
        "rtt_avg_ms": rtt_ms(str(row["avg_rtt"])) if row["avg_rtt"] else None,
    }


def _dns(cli: RouterOSCli, facts: DeviceFacts) -> None:
    row = cli.rows("/ip dns print", "ip_dns_print")[0]
    facts["dns_servers"] = split_servers(str(row["servers"]))


def _ntp(cli: RouterOSCli, facts: DeviceFacts) -> None:
    row = cli.rows("/system ntp client print", "system_ntp_client_print")[0]
    servers = split_servers(str(row["servers"])) or [
        s for s in (str(row["primary_ntp"]), str(row["secondary_ntp"])) if s and s != "0.0.0.0"
    ]
    facts["ntp_servers"] = servers if row["enabled"] != "no" else []
    if row["status"]:
        facts["ntp_synced"] = row["enabled"] != "no" and str(row["status"]).startswith(
            "synchronized"
        )


def _dhcp(cli: RouterOSCli, facts: DeviceFacts) -> None:
    pools = cli.rows("/ip pool print terse without-paging", "ip_pool_print_terse")
    leases = cli.rows(
        "/ip dhcp-server lease print terse without-paging", "ip_dhcp_server_lease_print_terse"
    )
    size = pool_size(r for p in pools for r in str(p["ranges"]).split(","))
    bound = sum(1 for lease in leases if lease["status"] == "bound")
    facts["dhcp"] = {"pool_size": size, "leases_active": bound}


WIRELESS_MENUS = ("wifi", "wireless")
"""RouterOS 7.13+ `wifi` package first, then the legacy `wireless` package (RouterOS 6, cAP ac)."""


def _radio_rows(cli: RouterOSCli) -> tuple[str, list[dict[str, object]]]:
    """The radios of the first wireless menu the device has, and that menu's name."""
    for menu in WIRELESS_MENUS:
        command = f"/interface {menu} print terse without-paging"
        output = cli.send_raw(command)
        if any(output.lstrip().startswith(mark) for mark in NO_SUCH_MENU):
            continue
        error = ROUTEROS.find_error(output)
        if error:
            raise CommandFailed(command, error, output)
        return menu, parse_own(PLATFORM, f"interface_{menu}_print_terse", output)
    raise ValueError("neither /interface wifi nor /interface wireless exists on this AP")


def _wireless(cli: RouterOSCli, facts: DeviceFacts) -> None:
    menu, rows = _radio_rows(cli)
    radios: dict[str, RadioFacts] = {}
    for row in rows:
        flags = str(row["flags"])
        radios[str(row["name"])] = {
            "enabled": "X" not in flags,
            "up": "R" in flags,
            "ssid": str(row["ssid"]),
        }
    facts["radios"] = radios
    clients = cli.rows(
        f"/interface {menu} registration-table print terse without-paging",
        f"interface_{menu}_registration_table_print_terse",
    )
    facts["clients"] = [
        {
            "mac": str(c["mac_address"]),
            "interface": str(c["interface"]),
            "signal_dbm": int(str(c["signal"])),
        }
        for c in clients
    ]


SECTIONS: dict[str, Callable[[RouterOSCli, DeviceFacts], None]] = {
    "identity": _identity,
    "resource": _resource,
    "health": _health,
    "interfaces": _interfaces,
    "routes": _routes,
    "dns": _dns,
    "ntp": _ntp,
    "wireless": _wireless,
    "dhcp": _dhcp,
}


def collect_routeros_cli(
    send: Send | Session[RouterOSCli],
    *,
    role: str,
    ping_targets: Sequence[str],
    ping_count: int,
) -> DeviceFacts:
    """Every health fact of one RouterOS device, section by section (a failing section is
    not checked, see `collect_common`)."""
    session = send if isinstance(send, Session) else Session.fixed(RouterOSCli(send))
    facts: DeviceFacts = {"collected_via": "routeros-cli"}
    run_sections(facts, session, routeros_sections(role), SECTIONS)
    collect_pings(facts, session, ping_cli, ping_targets, ping_count)
    return facts
