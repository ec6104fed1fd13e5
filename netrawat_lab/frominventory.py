"""A lab that mirrors an OPD inventory: one lab device per inventory host.

Names, platforms, roles, models, groups and data are kept; only the management address moves
to the lab (``127.B.x.y``) and the API port to the lab's. Each device's seed comes from the
host's *intended* configuration as Nornir would resolve it (host data, then its groups and
their parents, first listed wins, then defaults): the OPD's LAN (``lan: {subnet, gateway,
dhcp_pool}``), uplink (``wan: {address, gateway}``), ``ssid``, ``dns_servers``,
``ntp_servers``. A fresh lab therefore matches the intended config: drift appears only when a
fault (``wrong-dns``, ``config-reset``, ...) puts it there.
"""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from netrawat_lab.errors import LabInputError
from netrawat_lab.fleet import SEED_KEYS, Layout, Site, make_device, with_gaps
from netrawat_lab.opds import Opd
from netrawat_lab.spec import DeviceSpec

AP_HOST_OFFSET = 10
"""An AP's LAN address is the gateway + 10 + its number within the OPD."""


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise LabInputError(f"cannot read {path}: {exc}", hint="fix the inventory file") from exc
    if not isinstance(data, dict):
        raise LabInputError(f"{path} is not a mapping", hint="see the README, inventory model")
    return data


def _mapping(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


@dataclass(frozen=True)
class InventorySource:
    """The three files of an OPD inventory, as read."""

    hosts: dict[str, Any]
    groups: dict[str, Any]
    defaults: dict[str, Any]

    @classmethod
    def read(cls, root: Path) -> InventorySource:
        return cls(
            _read_yaml(root / "hosts.yaml"),
            _read_yaml(root / "groups.yaml"),
            _read_yaml(root / "defaults.yaml"),
        )

    @property
    def opds(self) -> tuple[Opd, ...]:
        """The OPD groups (groups whose data has ``opd``), in file order."""
        found = []
        for name, body in self.groups.items():
            data = _mapping(_mapping(body).get("data"))
            if "opd" in data:
                code = str(data["opd"])
                kind = str(data.get("kind", "dinas"))
                found.append(Opd(code, str(data.get("opd_name", code)), kind, data, str(name)))
        return tuple(found)

    def _chain(self, groups: object, seen: set[str]) -> Iterator[str]:
        """Group names in Nornir's resolution order: each group, then its parents."""
        for name in groups if isinstance(groups, list) else ():
            if name in seen or name not in self.groups:
                continue
            seen.add(name)
            yield name
            yield from self._chain(_mapping(self.groups[name]).get("groups"), seen)

    def resolve(self, host: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The host's platform and data as Nornir resolves them."""
        chain = [_mapping(self.groups[name]) for name in self._chain(host.get("groups"), set())]
        data = _mapping(self.defaults.get("data"))
        for body in reversed(chain):
            data |= _mapping(body.get("data"))
        data |= _mapping(host.get("data"))
        candidates = [host.get("platform"), *(b.get("platform") for b in chain)]
        candidates.append(self.defaults.get("platform"))
        return str(next((p for p in candidates if p), "")), data

    def opd_of(self, name: str, host: dict[str, Any]) -> Opd:
        """The OPD of a host: the first OPD group in its resolution chain."""
        by_group = {opd.group: opd for opd in self.opds}
        for group in self._chain(host.get("groups"), set()):
            if group in by_group:
                return by_group[group]
        raise LabInputError(f"inventory host {name} has no OPD group", hint="groups: [opd_<code>]")


def intent_seed(data: dict[str, Any], role: str, ap_number: int) -> dict[str, Any]:
    """Seed facts from a host's resolved intended-config data (see module docstring)."""
    try:
        seed = _lan_seed(_mapping(data.get("lan")), role, ap_number)
        if role == "router":
            seed |= _wan_seed(_mapping(data.get("wan")))
    except (ValueError, TypeError) as exc:
        raise LabInputError(
            f"inventory lan/wan data is not usable: {exc}",
            hint="lan: {subnet: 10.21.4.0/24, gateway: 10.21.4.1}",
        ) from exc
    for key in ("dns_servers", "ntp_servers"):
        if isinstance(data.get(key), list):
            seed[key] = list(data[key])
    if role == "ap" and data.get("ssid"):
        seed["ssid"] = str(data["ssid"])
    return seed | {k: data[k] for k in SEED_KEYS if k in data}


def _lan_seed(lan: dict[str, Any], role: str, ap_number: int) -> dict[str, Any]:
    if not lan.get("subnet") and not lan.get("gateway"):
        return {}
    seed: dict[str, Any] = {}
    if lan.get("subnet"):
        network = ipaddress.ip_network(str(lan["subnet"]), strict=False)
        seed["lan_prefix"] = network.prefixlen
        gateway = ipaddress.ip_address(str(lan.get("gateway") or network[1]))
    else:
        gateway = ipaddress.ip_address(str(lan["gateway"]))
    offset = 0 if role == "router" else AP_HOST_OFFSET + ap_number
    seed["lan_address"] = str(gateway + offset)
    if lan.get("dhcp_pool") and role == "router":
        seed["dhcp_pool"] = str(lan["dhcp_pool"])
    return seed


def _wan_seed(wan: dict[str, Any]) -> dict[str, Any]:
    seed: dict[str, Any] = {}
    if wan.get("address"):
        interface = ipaddress.ip_interface(str(wan["address"]))
        seed |= {"wan_address": str(interface.ip), "wan_prefix": interface.network.prefixlen}
    if wan.get("gateway"):
        seed["wan_gateway"] = str(ipaddress.ip_address(str(wan["gateway"])))
    return seed


def fleet_from_inventory(root: Path, layout: Layout) -> tuple[list[DeviceSpec], InventorySource]:
    """One lab device per host of the inventory in ``root``."""
    source = InventorySource.read(root)
    if not source.hosts:
        raise LabInputError(f"no hosts in {root / 'hosts.yaml'}", hint="or use --devices N")
    layout.defaults = _mapping(source.defaults.get("data"))
    index_of = {opd.code: i for i, opd in enumerate(source.opds)}
    specs = []
    ap_numbers: dict[str, int] = {}
    for name, entry in source.hosts.items():
        host = _mapping(entry)
        platform, data = source.resolve(host)
        opd = source.opd_of(name, host)
        role = str(data.get("role", "router"))
        ap_numbers[opd.code] = ap_numbers.get(opd.code, 0) + (role == "ap")
        spec = make_device(
            layout,
            str(name),
            Site(opd, index_of[opd.code]),
            platform,
            role,
            api=bool(data.get("api_port")),
            model=str(data.get("model", "")),
            ap_number=ap_numbers[opd.code],
            given=intent_seed(data, role, ap_numbers[opd.code]),
        )
        specs.append(with_gaps(spec, opd))  # realistic security-baseline gaps per OPD
    return specs, source


def mirrored_inventory(
    source: InventorySource, specs: list[DeviceSpec]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """hosts, groups, defaults documents: the source's, with every host moved to the lab."""
    by_name = {spec.hostname: spec for spec in specs}
    hosts = {}
    for name, entry in source.hosts.items():
        host = copy.deepcopy(_mapping(entry))
        spec = by_name[str(name)]
        host["hostname"], host["port"] = spec.address, spec.port
        data = _mapping(host.get("data"))
        if spec.api_port:
            data["api_port"] = spec.api_port
        host["data"] = data
        hosts[str(name)] = host
    return hosts, copy.deepcopy(source.groups), copy.deepcopy(source.defaults)
