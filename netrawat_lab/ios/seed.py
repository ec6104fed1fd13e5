"""The configuration a lab IOS router starts with, built from its DeviceSpec seed."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from netrawat_lab.ios.config import IOSConfig, parse_config
from netrawat_lab.ios.hardware import HardwareProfile, hardware_for
from netrawat_lab.ios.hashes import seed_hash
from netrawat_lab.spec import DeviceSpec

DEFAULT_DNS = ("10.0.0.53", "10.0.1.53")
DEFAULT_NTP = ("10.0.0.123",)


def _seed_str(spec: DeviceSpec, key: str, default: str) -> str:
    value = spec.seed.get(key)
    return str(value) if value not in (None, "") else default


def _seed_list(spec: DeviceSpec, key: str, default: Sequence[str]) -> list[str]:
    value = spec.seed.get(key)
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return list(default)


def _mask(prefix: str) -> str:
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefix}").netmask)


def _opd_number(spec: DeviceSpec) -> int:
    """A small stable number per device, for default addresses."""
    return sum(spec.hostname.encode()) % 200 + 1


def _interface_lines(spec: DeviceSpec, hw: HardwareProfile) -> list[str]:
    n = _opd_number(spec)
    lan = _seed_str(spec, "lan_address", f"10.21.{n}.1")
    lan_prefix = _seed_str(spec, "lan_prefix", "24")
    wan = _seed_str(spec, "wan_address", f"100.64.{n}.2")
    wan_prefix = _seed_str(spec, "wan_prefix", "30")
    opd = spec.opd.upper()
    routed = " duplex auto", " speed auto"
    lines = []
    for name in (*hw.physical, hw.lan) if hw.lan not in hw.physical else hw.physical:
        lines.append(f"interface {name}")
        if name == hw.wan:
            lines += [f" description WAN uplink {opd} ke Diskominfo"]
            lines += [f" ip address {wan} {_mask(wan_prefix)}", *routed]
        elif name == hw.lan:
            lines += [f" description LAN {opd}", f" ip address {lan} {_mask(lan_prefix)}"]
            lines += [] if hw.lan_ports else list(routed)
        elif name in hw.spare:
            lines += [" shutdown", *routed]
    return lines


def _dhcp_lines(spec: DeviceSpec) -> list[str]:
    lan = ipaddress.IPv4Interface(
        f"{_seed_str(spec, 'lan_address', f'10.21.{_opd_number(spec)}.1')}"
        f"/{_seed_str(spec, 'lan_prefix', '24')}"
    )
    pool = _seed_str(spec, "dhcp_pool", "")
    first, last = [*pool.split("-", 1), ""][:2] if pool else ("", "")
    hosts = list(lan.network.hosts())
    first = first or str(hosts[99] if len(hosts) > 200 else hosts[len(hosts) // 2])
    last = last or str(hosts[199] if len(hosts) > 200 else hosts[-1])
    dns = " ".join(_seed_list(spec, "dns_servers", DEFAULT_DNS))
    lines = []
    if first != str(hosts[0]):
        start = ipaddress.IPv4Address(first) - 1
        lines.append(f"ip dhcp excluded-address {hosts[0]} {start}")
    if last != str(hosts[-1]):
        lines.append(f"ip dhcp excluded-address {ipaddress.IPv4Address(last) + 1} {hosts[-1]}")
    lines += [
        f"ip dhcp pool LAN-{spec.opd.upper()}",
        f" network {lan.network.network_address} {lan.network.netmask}",
        f" default-router {lan.ip}",
        f" dns-server {dns}",
        " lease 0 8",
    ]
    return lines


def _extra_lines(count: int) -> list[str]:
    """Padding for big-configuration tests: realistic extended ACL entries."""
    return [
        f"access-list 110 permit tcp any host 10.{(i // 250) % 250}.{i % 250}.10 eq {1024 + i}"
        for i in range(count)
    ]


def _archive_lines(spec: DeviceSpec) -> list[str]:
    """``archive`` with the seed's ``archive_path`` (what the revert timer needs), if any."""
    path = _seed_str(spec, "archive_path", "")
    return ["archive", f" path {path}", " maximum 14"] if path else []


def seed_text(spec: DeviceSpec) -> str:
    """The initial configuration body (the part of ``show running-config`` after the header)."""
    n = _opd_number(spec)
    wan_gateway = _seed_str(spec, "wan_gateway", f"100.64.{n}.1")
    privilege = "" if spec.enable_secret else " privilege 15"
    lines = [
        "version 15.7",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "no service password-encryption",
        f"hostname {spec.hostname}",
        "boot-start-marker",
        "boot-end-marker",
        "logging buffered 51200 warnings",
    ]
    if spec.enable_secret:
        lines.append(f"enable secret 9 {seed_hash(spec.enable_secret)}")
    lines += [
        "no aaa new-model",
        "clock timezone WIB 7 0",
        *_dhcp_lines(spec),
        "no ip domain lookup",
        "ip domain name pontianakkota.go.id",
        *(f"ip name-server {ip}" for ip in _seed_list(spec, "dns_servers", DEFAULT_DNS)),
        "ip cef",
        "no ipv6 cef",
        "multilink bundle-name authenticated",
        f"license udi pid {spec.model or 'CISCO2911/K9'} sn {spec.serial or 'FGL0000000A'}",
        *_archive_lines(spec),
        f"username {spec.username}{privilege} secret 9 {seed_hash(spec.password)}",
        "redundancy",
        "ip ssh version 2",
        *_interface_lines(spec, hardware_for(spec.model)),
        "ip forward-protocol nd",
        "no ip http server",
        "no ip http secure-server",
        f"ip route 0.0.0.0 0.0.0.0 {wan_gateway}",
        *_extra_lines(int(str(spec.seed.get("extra_lines", 0) or 0))),
    ]
    community = spec.seed.get("snmp_community")
    if community:
        lines.append(f"snmp-server community {community} RO")
    lines += [
        "control-plane",
        f"banner motd ^C\nPerangkat milik Pemerintah Kota Pontianak - {spec.opd.upper()}\n"
        "Akses tanpa izin dilarang.\n^C",
        "line con 0",
        " logging synchronous",
        "line aux 0",
        "line 2",
        " no activation-character",
        " no exec",
        " transport preferred none",
        " transport output pad telnet rlogin lapb-ta mop udptn v120 ssh",
        " stopbits 1",
        "line vty 0 4",
        " exec-timeout 15 0",
        " login local",
        " transport input ssh",
        "line vty 5 15",
        " login local",
        " transport input ssh",
        "scheduler allocate 20000 1000",
        *(f"ntp server {ip}" for ip in _seed_list(spec, "ntp_servers", DEFAULT_NTP)),
    ]
    return "\n".join(lines) + "\n"


def factory_config(spec: DeviceSpec) -> IOSConfig:
    """What ``write erase`` + reload leaves, as an ISR G2 on IOS 15 prints it: hostname Router,
    no addresses (every port shut), the platform's own lines (license, redundancy,
    control-plane, the lines with their defaults, ``no exec`` on the modem line 2), the HTTP
    server on; plus the local user and SSH on the vty lines (kept so the lab can still log in,
    as a field technician would re-add them)."""
    privilege = "" if spec.enable_secret else " privilege 15"
    hw = hardware_for(spec.model)
    lines = [
        "version 15.7",
        "service timestamps debug datetime msec",
        "service timestamps log datetime msec",
        "no service password-encryption",
        "hostname Router",
        "boot-start-marker",
        "boot-end-marker",
        "no aaa new-model",
        "ip cef",
        "no ipv6 cef",
        "multilink bundle-name authenticated",
        f"license udi pid {spec.model or 'CISCO2911/K9'} sn {spec.serial or 'FGL0000000A'}",
        f"username {spec.username}{privilege} secret 9 {seed_hash(spec.password)}",
        "redundancy",
        *[
            line
            for name in hw.physical
            for line in (
                (f"interface {name}",)  # a switch port: up, no settings of its own
                if name in hw.lan_ports
                else (f"interface {name}", " shutdown", " duplex auto", " speed auto")
            )
        ],
        "ip forward-protocol nd",
        "ip http server",
        "ip http secure-server",
        "control-plane",
        "line con 0",
        "line aux 0",
        "line 2",
        " no activation-character",
        " no exec",
        " transport preferred none",
        " transport output pad telnet rlogin lapb-ta mop udptn v120 ssh",
        " stopbits 1",
        "line vty 0 4",
        " login local",
        " transport input ssh",
        "scheduler allocate 20000 1000",
    ]
    if spec.enable_secret:
        lines.insert(7, f"enable secret 9 {seed_hash(spec.enable_secret)}")
    return parse_config("\n".join(lines))


def initial_config(spec: DeviceSpec) -> IOSConfig:
    """The seeded running configuration."""
    return parse_config(seed_text(spec))
