"""Generating a lab fleet that looks like the city's network.

Two sources: the example OPD inventory (``inventory/hosts.yaml`` + ``groups.yaml``: one lab
device per inventory host, same names, platforms, roles and models), or ``--devices N``:
N devices cycling through the OPDs, per OPD a RouterOS router (every other one with the API
on), a RouterOS access point, and either a Cisco IOS router or a second AP.

Every device gets its own loopback address ``127.B.x.y`` inside one ``/16`` block ``B`` (chosen
per lab so that labs side by side never collide), SSH on port 2222, the API on 8728.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

from netrawat_lab.baseline_gaps import gaps_for
from netrawat_lab.errors import LabInputError
from netrawat_lab.opds import BUILTIN_OPDS, Opd
from netrawat_lab.spec import DeviceSpec

SSH_PORT = 2222
API_PORT = 8728
ADDRESSES_PER_OCTET = 250
DEFAULT_DNS = ["10.0.0.53", "10.0.1.53"]
DEFAULT_NTP = ["10.0.0.123"]
SEED_KEYS = (
    "lan_address",
    "lan_prefix",
    "wan_address",
    "wan_prefix",
    "wan_gateway",
    "dns_servers",
    "ntp_servers",
    "dhcp_pool",
    "ssid",
    "clients",
    "extra_lines",
    "management_network",
    "syslog_server",
    "baseline_gaps",
    "hardened",
)
MODELS = {
    ("mikrotik_routeros", "router"): "RB4011iGS+",
    ("mikrotik_routeros", "ap"): "cAP ax",
    ("cisco_ios", "router"): "C891F-K9",
    ("cisco_ios", "ap"): "AIR-CAP2702I-E-K9",
}


@dataclass(frozen=True)
class LabCredentials:
    """The throwaway login of one lab (generated per lab, written to its secrets.yaml)."""

    username: str
    password: str
    enable_secret: str

    @classmethod
    def generate(cls) -> LabCredentials:
        return cls(
            username=f"lab-{secrets.token_hex(3)}",
            password=secrets.token_urlsafe(12),
            enable_secret=secrets.token_urlsafe(9),
        )


@dataclass
class Layout:
    """Hands out addresses in the lab's 127.B.0.0/16 block and per-OPD networks."""

    block: int
    credentials: LabCredentials
    defaults: dict[str, Any] = field(default_factory=dict)
    _next: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.block <= 254:
            raise LabInputError(
                f"address block {self.block} is not 1-254",
                hint="the lab uses 127.B.0.0/16 with B from 1 to 254",
            )

    def address(self) -> str:
        index = self._next
        self._next += 1
        high, low = divmod(index, ADDRESSES_PER_OCTET)
        if high > 255:
            raise LabInputError("too many lab devices for one address block", hint="at most 64,000")
        return f"127.{self.block}.{high}.{low + 1}"


def block_for(lab_dir: Path) -> int:
    """The default address block of a lab directory: stable, and different per directory."""
    digest = hashlib.sha256(str(lab_dir.resolve()).encode()).digest()
    return 2 + int.from_bytes(digest[:2], "big") % 250


def _serial(hostname: str, platform: str) -> str:
    digest = hashlib.sha256(hostname.encode()).hexdigest().upper()
    return f"FGL{int(digest[:8], 16) % 10**8:08d}" if platform == "cisco_ios" else digest[:12]


@dataclass(frozen=True)
class Site:
    """One OPD site: the OPD and its number in the fleet (numbers its LAN and WAN)."""

    opd: Opd
    index: int


def _seed(
    site: Site,
    role: str,
    *,
    ap_number: int,
    given: dict[str, Any],
    defaults: dict[str, Any],
) -> dict[str, Any]:
    """Seed facts: OPD LAN 10.21.0.0/16 onwards in /24s, WAN 100.64.0.0/10 in /30s, AP SSIDs."""
    opd = site.opd
    lan = ipaddress.ip_address("10.21.0.0") + site.index * 256
    wan = ipaddress.ip_address("100.64.0.0") + site.index * 4
    seed: dict[str, Any] = {
        "lan_address": str(lan + (1 if role == "router" else 1 + ap_number)),
        "lan_prefix": 24,
        "dns_servers": list(defaults.get("dns_servers") or DEFAULT_DNS),
        "ntp_servers": list(defaults.get("ntp_servers") or DEFAULT_NTP),
    }
    if role == "router":
        seed |= {
            "wan_address": str(wan + 2),
            "wan_prefix": 30,
            "wan_gateway": str(wan + 1),
            "dhcp_pool": f"{lan + 100}-{lan + 200}",
        }
    else:
        seed |= {"ssid": f"OPD-{opd.tag}", "wifi_psk": secrets.token_urlsafe(10), "clients": 7}
    seed["snmp_community"] = secrets.token_hex(6)
    return seed | given


def make_device(
    layout: Layout,
    hostname: str,
    site: Site,
    platform: str,
    role: str,
    *,
    api: bool = False,
    model: str = "",
    ap_number: int = 0,
    given: dict[str, Any] | None = None,
) -> DeviceSpec:
    """One device at the layout's next address, with seed facts for its OPD site
    (``given`` seed facts override the generated ones)."""
    creds = layout.credentials
    return DeviceSpec(
        hostname=hostname,
        opd=site.opd.code,
        role=role,
        platform=platform,
        address=layout.address(),
        port=SSH_PORT,
        username=creds.username,
        password=creds.password,
        enable_secret=creds.enable_secret if platform == "cisco_ios" else "",
        api_port=API_PORT if api and platform == "mikrotik_routeros" else None,
        model=model or MODELS.get((platform, role), ""),
        serial=_serial(hostname, platform),
        seed=_seed(site, role, ap_number=ap_number, given=given or {}, defaults=layout.defaults),
    )


def with_gaps(spec: DeviceSpec, opd: Opd) -> DeviceSpec:
    """The spec seeded hardened, with its OPD's security-baseline gaps
    (`netrawat_lab.baseline_gaps`)."""
    spec.seed["hardened"] = True
    gaps = gaps_for(opd.code, opd.kind, spec.platform)
    if gaps:
        spec.seed["baseline_gaps"] = gaps
    return spec


def _opd_devices(layout: Layout, site: Site, lap: int) -> Iterator[DeviceSpec]:
    """The devices of one OPD site: ROS router, ROS AP, then an IOS router or a second AP,
    with the OPD's security-baseline gaps."""
    tag = site.opd.tag + ("" if lap == 1 else f"-{lap}")
    even = site.index % 2 == 0
    ros = "mikrotik_routeros"
    yield with_gaps(make_device(layout, f"RTR-{tag}", site, ros, "router", api=even), site.opd)
    yield with_gaps(make_device(layout, f"AP-{tag}-1", site, ros, "ap", ap_number=1), site.opd)
    if even:
        yield make_device(layout, f"CR-{tag}", site, "cisco_ios", "router")
    else:
        ap = make_device(layout, f"AP-{tag}-2", site, ros, "ap", ap_number=2)
        yield with_gaps(ap, site.opd)


def generate_fleet(
    count_: int, layout: Layout, opds: tuple[Opd, ...] = BUILTIN_OPDS
) -> list[DeviceSpec]:
    """``count_`` devices cycling through ``opds`` (a second lap gets ``-2`` names)."""
    if count_ < 1:
        raise LabInputError(
            f"--devices {count_}: a lab needs at least one device", hint="--devices 4"
        )
    specs: list[DeviceSpec] = []
    for lap in count(1):
        for index, opd in enumerate(opds):
            site = Site(opd, index + (lap - 1) * len(opds))
            for spec in _opd_devices(layout, site, lap):
                specs.append(spec)
                if len(specs) == count_:
                    return specs
    raise AssertionError("unreachable")
