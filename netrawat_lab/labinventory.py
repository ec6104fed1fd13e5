"""Writing the Nornir inventory of a running lab, so ``--inventory DIR`` works on it directly.

Same schema as the example OPD inventory (hosts/groups/defaults YAML); the lab's throwaway
credentials go to ``DIR/secrets.yaml`` (mode 0600), per host so that ``NETRAWAT_USERNAME``
and friends in the engineer's environment cannot shadow them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from netrawat_lab import layout
from netrawat_lab.fleet import DEFAULT_DNS, DEFAULT_NTP
from netrawat_lab.fleetfile import write_private
from netrawat_lab.frominventory import InventorySource, mirrored_inventory
from netrawat_lab.opds import BUILTIN_OPDS, Opd
from netrawat_lab.spec import DeviceSpec

HEADER = "# written by `netrawat lab up`: the inventory of the device lab in this directory\n"


def host_entry(spec: DeviceSpec, group: str) -> dict[str, Any]:
    """The hosts.yaml entry of one lab device."""
    data: dict[str, Any] = {"role": spec.role, "opd": spec.opd}
    if spec.model:
        data["model"] = spec.model
    if spec.api_port:
        data["api_port"] = spec.api_port
    return {
        "hostname": spec.address,
        "port": spec.port,
        "platform": spec.platform,
        "groups": [group],
        "data": data,
    }


def secrets_document(specs: list[DeviceSpec]) -> dict[str, Any]:
    """The secrets file: the first device's login as defaults, every host's own login."""
    first = specs[0]
    defaults = {"username": first.username, "password": first.password}
    hosts: dict[str, dict[str, str]] = {}
    for spec in specs:
        entry = {"username": spec.username, "password": spec.password}
        if spec.enable_secret:
            entry["enable_secret"] = spec.enable_secret
        hosts[spec.hostname] = entry
    return {"defaults": defaults, "hosts": hosts}


def _opds_by_code(specs: list[DeviceSpec]) -> dict[str, Opd]:
    known = {opd.code: opd for opd in BUILTIN_OPDS}
    return {s.opd: known.get(s.opd) or Opd(s.opd, s.opd.upper(), "dinas") for s in specs}


def _dump(path: Path, document: dict[str, Any]) -> None:
    text = HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")


def write_inventory(
    lab_dir: Path, specs: list[DeviceSpec], source: InventorySource | None = None
) -> None:
    """hosts.yaml, groups.yaml, defaults.yaml and secrets.yaml (0600) for the lab's fleet:
    a mirror of ``source`` (the inventory the fleet was made from) or, without one, groups per
    OPD of the fleet and the city's default resolvers."""
    if source is not None:
        hosts, groups, defaults = mirrored_inventory(source, specs)
    else:
        by_code = _opds_by_code(specs)
        hosts = {s.hostname: host_entry(s, by_code[s.opd].group) for s in specs}
        groups = {opd.group: {"data": opd.group_data()} for opd in by_code.values()}
        defaults = {"data": {"dns_servers": DEFAULT_DNS, "ntp_servers": DEFAULT_NTP}}
    _dump(lab_dir / layout.HOSTS, hosts)
    _dump(lab_dir / layout.GROUPS, groups)
    _dump(lab_dir / layout.DEFAULTS, defaults)
    document = yaml.safe_dump(secrets_document(specs), sort_keys=False)
    write_private(lab_dir / layout.SECRETS, document)
