"""The configuration a lab device starts with, built from its `DeviceSpec` seed, and the
factory default configuration (``config-reset``).

Router: ``ether1`` is the WAN uplink, the other ports (first four LAN ports) are in
``bridge-lan`` with the OPD gateway address, a DHCP server, DNS, NTP, NAT and a default route.
AP (cAP ax): ``ether1`` is the uplink, everything bridged, radios with the OPD SSID.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from netrawat_lab.routeros.hardening import build_builtins, harden, hardened, has_gap
from netrawat_lab.routeros.hardware import Hardware
from netrawat_lab.routeros.model import RouterOSModel
from netrawat_lab.spec import DeviceSpec

LAN_BRIDGE = "bridge-lan"
UPLINK = "ether1"
LAN_PORTS = 4


def _text(seed: Mapping[str, object], key: str, default: str) -> str:
    value = seed.get(key)
    return default if value in (None, "") else str(value)


def _list(seed: Mapping[str, object], key: str, default: list[str]) -> list[str]:
    value = seed.get(key)
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return default if value in (None, "") else [str(value)]


def build_hardware(model: RouterOSModel, hw: Hardware) -> None:
    """The built-in ports, radios, services and logging actions (they exist whatever the
    configuration)."""
    for index, name in enumerate(hw.ethernet, start=1):
        model.add_builtin("/interface/ethernet", {"name": name, "mac-address": _mac(hw, index)})
    for index, (name, band) in enumerate(hw.wifi, start=len(hw.ethernet) + 1):
        model.add_builtin(
            "/interface/wifi",
            {"name": name, "mac-address": _mac(hw, index), "channel.band": band},
        )
    build_builtins(model)


def _mac(hw: Hardware, index: int) -> str:
    base = sum(map(ord, hw.model)) % 256
    return f"48:A9:8A:{base:02X}:3C:{index:02X}"


def seed_configuration(model: RouterOSModel, spec: DeviceSpec, hw: Hardware) -> None:
    """Fill a model that has only its hardware with the OPD's configuration."""
    seed = spec.seed
    lan_ip = _text(seed, "lan_address", "192.168.88.1")
    lan_prefix = _text(seed, "lan_prefix", "24")
    lan_net = ipaddress.IPv4Interface(f"{lan_ip}/{lan_prefix}").network
    model.set("/system/identity", None, {"name": spec.hostname})
    model.set(
        "/system/clock", None, {"time-zone-autodetect": "no", "time-zone-name": "Asia/Pontianak"}
    )
    _bridge(model, hw, spec.role)
    model.add(
        "/ip/address",
        {
            "address": f"{lan_ip}/{lan_prefix}",
            "interface": LAN_BRIDGE,
            "comment": "LAN " + spec.opd.upper(),
        },
    )
    dns = _list(seed, "dns_servers", ["10.0.0.53", "10.0.1.53"])
    ntp = _list(seed, "ntp_servers", ["10.0.0.123"])
    model.set("/ip/dns", None, {"servers": ",".join(dns)})
    model.set("/system/ntp/client", None, {"enabled": "yes", "servers": ",".join(ntp)})
    if spec.role == "ap":
        _access_point(model, spec, hw, str(lan_net.network_address + 1))
    else:
        _router(model, spec, lan_ip, lan_net)
    community = _text(seed, "snmp_community", "netrawat-ro")
    model.add("/snmp/community", {"name": community, "addresses": "10.0.0.0/16"})
    model.set(
        "/snmp",
        None,
        {
            "enabled": "yes",
            "contact": f"noc@{spec.opd}.pontianak.go.id",
            "location": spec.opd.upper(),
        },
    )
    if hardened(spec):
        harden(model, spec)
    _users(model, spec)
    _padding(model, int(str(seed.get("extra_lines") or 0)))


def _bridge(model: RouterOSModel, hw: Hardware, role: str) -> None:
    model.add("/interface/bridge", {"name": LAN_BRIDGE, "comment": "LAN"})
    ports = list(hw.ethernet) if role == "ap" else list(hw.ethernet[1 : 1 + LAN_PORTS])
    ports += [name for name, _ in hw.wifi]
    for port in ports:
        model.add("/interface/bridge/port", {"bridge": LAN_BRIDGE, "interface": port})
    for name in ("WAN", "LAN"):
        model.add("/interface/list", {"name": name})
    model.add("/interface/list/member", {"list": "LAN", "interface": LAN_BRIDGE})


def _router(
    model: RouterOSModel, spec: DeviceSpec, lan_ip: str, lan_net: ipaddress.IPv4Network
) -> None:
    seed = spec.seed
    wan_ip = _text(seed, "wan_address", "100.64.0.2")
    wan_prefix = _text(seed, "wan_prefix", "30")
    gateway = _text(
        seed,
        "wan_gateway",
        str(ipaddress.IPv4Interface(f"{wan_ip}/{wan_prefix}").network.network_address + 1),
    )
    model.set("/interface/ethernet", UPLINK, {"comment": "WAN uplink"})
    model.add("/interface/list/member", {"list": "WAN", "interface": UPLINK})
    model.add(
        "/ip/address", {"address": f"{wan_ip}/{wan_prefix}", "interface": UPLINK, "comment": "WAN"}
    )
    hosts = list(lan_net.hosts())
    pool = _text(seed, "dhcp_pool", f"{hosts[99 % len(hosts)]}-{hosts[199 % len(hosts)]}")
    model.add("/ip/pool", {"name": "pool-lan", "ranges": pool})
    model.add(
        "/ip/dhcp-server",
        {
            "name": "dhcp-lan",
            "interface": LAN_BRIDGE,
            "address-pool": "pool-lan",
            "lease-time": "1d",
        },
    )
    model.add(
        "/ip/dhcp-server/network",
        {"address": str(lan_net), "gateway": lan_ip, "dns-server": lan_ip},
    )
    model.add(
        "/ip/dhcp-server/lease",
        {
            "address": str(hosts[9 % len(hosts)]),
            "mac-address": "DC:2C:6E:10:00:0A",
            "server": "dhcp-lan",
            "comment": "printer",
        },
    )
    model.set("/ip/dns", None, {"allow-remote-requests": "yes"})
    model.add(
        "/ip/route", {"dst-address": "0.0.0.0/0", "gateway": gateway, "comment": "default via WAN"}
    )
    for rule in _FILTER_RULES:
        model.add("/ip/firewall/filter", rule)
    model.add(
        "/ip/firewall/nat",
        {
            "chain": "srcnat",
            "action": "masquerade",
            "out-interface-list": "WAN",
            "comment": "NAT LAN",
        },
    )


_FILTER_RULES: tuple[dict[str, str], ...] = (
    {
        "chain": "input",
        "action": "accept",
        "connection-state": "established,related,untracked",
        "comment": "accept established",
    },
    {"chain": "input", "action": "drop", "connection-state": "invalid"},
    {"chain": "input", "action": "accept", "protocol": "icmp"},
    {
        "chain": "input",
        "action": "accept",
        "src-address": "10.0.0.0/16",
        "comment": "Diskominfo NOC",
    },
    {
        "chain": "input",
        "action": "drop",
        "in-interface-list": "!LAN",
        "comment": "drop all not from LAN",
    },
    {"chain": "forward", "action": "accept", "connection-state": "established,related,untracked"},
    {"chain": "forward", "action": "drop", "connection-state": "invalid"},
)


def _access_point(model: RouterOSModel, spec: DeviceSpec, hw: Hardware, gateway: str) -> None:
    ssid = _text(spec.seed, "ssid", f"OPD-{spec.opd.upper()}")
    psk = _text(spec.seed, "wifi_psk", "ganti-kunci-ini")
    for name, _band in hw.wifi:
        model.set(
            "/interface/wifi",
            name,
            {
                "configuration.mode": "ap",
                "configuration.ssid": ssid,
                "configuration.country": "Indonesia",
                "security.authentication-types": "wpa2-psk,wpa3-psk",
                "security.passphrase": psk,
                "disabled": "no",
            },
        )
    model.add("/ip/route", {"dst-address": "0.0.0.0/0", "gateway": gateway})


def _users(model: RouterOSModel, spec: DeviceSpec) -> None:
    """The login user; the factory ``admin`` too, unless the device is hardened (then only
    where the OPD kept it: gap ``admin``)."""
    if spec.username == "admin" or not hardened(spec) or has_gap(spec, "admin"):
        model.add(
            "/user",
            {
                "name": "admin",
                "group": "full",
                "comment": "system default user",
                "password": spec.password,
            },
        )
    if spec.username != "admin":
        model.add("/user", {"name": spec.username, "group": "full", "password": spec.password})
    model.add("/user", {"name": "noc-ro", "group": "read", "address": "10.0.0.0/16"})


def _padding(model: RouterOSModel, count: int) -> None:
    for n in range(count):
        model.add(
            "/ip/firewall/address-list",
            {
                "list": "blocklist",
                "address": f"198.18.{n // 32}.{n % 32 * 8}/29"
                if n % 4
                else f"198.19.{n // 250}.{n % 250 + 1}",
            },
        )
    if count:
        model.add(
            "/ip/firewall/filter",
            {"chain": "forward", "action": "drop", "src-address-list": "blocklist"},
        )


def factory_default(model: RouterOSModel, spec: DeviceSpec, hw: Hardware) -> None:
    """RouterOS's ``defconf``: bridge, 192.168.88.1/24, DHCP, DHCP client on ether1."""
    model.add("/interface/bridge", {"name": "bridge", "comment": "defconf"})
    for port in [*hw.ethernet[1:], *(name for name, _ in hw.wifi)]:
        model.add(
            "/interface/bridge/port", {"bridge": "bridge", "interface": port, "comment": "defconf"}
        )
    model.add("/ip/pool", {"name": "default-dhcp", "ranges": "192.168.88.10-192.168.88.254"})
    model.add(
        "/ip/dhcp-server",
        {"name": "defconf", "interface": "bridge", "address-pool": "default-dhcp"},
    )
    model.add(
        "/ip/address", {"address": "192.168.88.1/24", "interface": "bridge", "comment": "defconf"}
    )
    model.add("/ip/dhcp-client", {"interface": UPLINK, "comment": "defconf"})
    model.add(
        "/ip/dhcp-server/network",
        {
            "address": "192.168.88.0/24",
            "gateway": "192.168.88.1",
            "dns-server": "192.168.88.1",
            "comment": "defconf",
        },
    )
    model.set("/ip/dns", None, {"allow-remote-requests": "yes"})
    model.add(
        "/user",
        {
            "name": spec.username,
            "group": "full",
            "comment": "system default user",
            "password": spec.password,
        },
    )
