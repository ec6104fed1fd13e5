"""The OPD fleet model on top of Nornir's inventory: building it and validating it.

Conventions (see the README, "Inventory model"):

- an **OPD group** is a group whose data has ``opd`` (its short code); every host belongs to
  exactly one, directly or through a parent group;
- every host resolves ``platform`` (``mikrotik_routeros`` | ``cisco_ios``), ``data.role``
  (``router`` | ``ap``) and a management ``hostname``; ``hostname:port`` is unique;
- credentials never appear in inventory files (they come from the secrets file or env).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from nornir.core.inventory import Defaults, Group, Groups, Host, Hosts, Inventory, ParentGroups
from nornir.plugins.inventory.simple import _get_defaults, _get_inventory_element

from netrawat.errors import InventoryError
from netrawat.inventory.yamlfile import load_mapping
from netrawat.platforms import PLATFORMS, ROLES

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")
"""Host and group names: they become file names (``configs/<opd>/<host>.rsc``) and CLI args."""
OPD_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
DNS_NAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9-]{1,63})*\.?")

HOSTS_FILE = "hosts.yaml"
GROUPS_FILE = "groups.yaml"
DEFAULTS_FILE = "defaults.yaml"

CREDENTIAL_KEYS = ("username", "password", "enable_secret", "secret")
ELEMENT_KEYS = ("hostname", "port", "platform", "groups", "data", "connection_options")


@dataclass(frozen=True)
class InventoryFiles:
    """The three files of one inventory directory."""

    root: Path

    @property
    def hosts(self) -> Path:
        return self.root / HOSTS_FILE

    @property
    def groups(self) -> Path:
        return self.root / GROUPS_FILE

    @property
    def defaults(self) -> Path:
        return self.root / DEFAULTS_FILE


def load_inventory(root: Path) -> Inventory:
    """Read, build and validate the Nornir inventory of directory ``root``.

    Raises `InventoryError` naming the file, the host (or group) and the key of the first
    problem found; nothing runs on a broken inventory.
    """
    files = InventoryFiles(root)
    if not root.is_dir():
        raise InventoryError(
            f"inventory directory {root} "
            + ("is a file, not a directory" if root.exists() else "does not exist"),
            "pass --inventory DIR or set NETRAWAT_INVENTORY",
        )
    hosts_raw = load_mapping(files.hosts, required=True)
    groups_raw = load_mapping(files.groups, required=False)
    defaults_raw = load_mapping(files.defaults, required=False)
    _check_elements(files.hosts, "host", hosts_raw)
    _check_elements(files.groups, "group", groups_raw)
    _check_defaults(files.defaults, defaults_raw)
    inventory = _build(hosts_raw, groups_raw, defaults_raw, files)
    validate(inventory, files)
    return inventory


def _check_elements(path: Path, kind: str, raw: dict[str, Any]) -> None:
    """Shape checks done before Nornir sees the data: mappings, known keys, no credentials."""
    for name, body in raw.items():
        if not isinstance(name, str) or not SAFE_NAME.fullmatch(name):
            raise InventoryError(
                f"{path}: {kind} name {name!r} is not a safe name",
                "use letters, digits, '.', '_' and '-' (names become file names in backups)",
            )
        if body is None:
            raw[name] = {}
            continue
        if not isinstance(body, dict):
            raise InventoryError(
                f"{path}: {kind} {name}: expected a mapping of keys, got {type(body).__name__}",
                "see the Inventory model section of the README",
            )
        _check_keys(path, f"{kind} {name}", body)


def _check_defaults(path: Path, raw: dict[str, Any]) -> None:
    _check_keys(path, "defaults", raw)


def _check_keys(path: Path, where: str, body: dict[str, Any]) -> None:
    data = body.get("data") or {}
    for key in list(body) + [f"data.{k}" for k in data if isinstance(data, dict)]:
        bare = key.removeprefix("data.")
        if bare in CREDENTIAL_KEYS:
            raise InventoryError(
                f"{path}: {where}: key '{key}': credentials are not allowed in inventory files",
                "move them to the secrets file (mode 0600, outside git) or NETRAWAT_* env vars",
            )
    for key in body:
        if key not in ELEMENT_KEYS:
            raise InventoryError(
                f"{path}: {where}: unknown key '{key}'",
                f"use {', '.join(ELEMENT_KEYS)}; put your own facts under 'data'",
            )
    if "data" in body and not isinstance(body["data"], dict | None):
        raise InventoryError(f"{path}: {where}: key 'data' must be a mapping", "indent its keys")
    groups = body.get("groups", [])
    if not isinstance(groups, list | None) or not all(isinstance(g, str) for g in groups or []):
        raise InventoryError(
            f"{path}: {where}: key 'groups' must be a list of group names", "write groups: [opd_x]"
        )


def _build(
    hosts_raw: dict[str, Any],
    groups_raw: dict[str, Any],
    defaults_raw: dict[str, Any],
    files: InventoryFiles,
) -> Inventory:
    defaults: Defaults = _get_defaults(defaults_raw)
    groups = Groups()
    for name, body in groups_raw.items():
        groups[name] = _get_inventory_element(Group, body, name, defaults)
    hosts = Hosts()
    for name, body in hosts_raw.items():
        hosts[name] = _get_inventory_element(Host, body, name, defaults)
    for path, kind, elements in ((files.groups, "group", groups), (files.hosts, "host", hosts)):
        for element in elements.values():
            refs = cast(list[str], element.groups or [])
            where = f"{kind} {element.name}"
            element.groups = ParentGroups([_group(groups, ref, path, where) for ref in refs])
    _check_group_cycles(groups, files.groups)
    return Inventory(hosts=hosts, groups=groups, defaults=defaults)


def _group(groups: Groups, ref: str, path: Path, where: str) -> Group:
    if ref not in groups:
        raise InventoryError(
            f"{path}: {where}: key 'groups': unknown group {ref!r}",
            f"define {ref} in {GROUPS_FILE} or fix the name",
        )
    return groups[ref]


def _check_group_cycles(groups: Groups, path: Path) -> None:
    for group in groups.values():
        seen: set[str] = set()
        stack = list(group.groups)
        while stack:
            parent = stack.pop()
            if parent.name == group.name:
                raise InventoryError(
                    f"{path}: group {group.name}: key 'groups': group is its own parent",
                    "remove the cycle",
                )
            if parent.name not in seen:
                seen.add(parent.name)
                stack.extend(parent.groups)


def all_groups(element: Host | Group) -> Iterator[Group]:
    """Every group of a host or group, in Nornir's resolution order (own, then parents)."""
    for group in element.groups:
        yield group
        yield from all_groups(group)


def opd_groups(host: Host) -> list[Group]:
    """The OPD groups (groups with ``data.opd``) a host belongs to, without repeats."""
    found: dict[str, Group] = {}
    for group in all_groups(host):
        if "opd" in group.data:
            found.setdefault(group.name, group)
    return list(found.values())


def validate(inventory: Inventory, files: InventoryFiles) -> None:
    """Resolve every host as Nornir will and check the fleet conventions."""
    _check_opd_groups(inventory, files.groups)
    addresses: dict[tuple[str, int], str] = {}
    lowered: dict[str, str] = {}
    for host in inventory.hosts.values():
        _check_host(host, files.hosts)
        key = (str(host.hostname).lower(), int(host.port or 22))
        if key in addresses:
            raise InventoryError(
                f"{files.hosts}: host {host.name}: key 'hostname': address "
                f"{host.hostname}:{key[1]} is already used by host {addresses[key]}",
                "every device needs its own management address and port",
            )
        addresses[key] = host.name
        if host.name.lower() in lowered:
            raise InventoryError(
                f"{files.hosts}: host {host.name}: duplicate name (differs only in case from "
                f"{lowered[host.name.lower()]})",
                "give every device its own name",
            )
        lowered[host.name.lower()] = host.name


def _check_opd_groups(inventory: Inventory, path: Path) -> None:
    codes: dict[str, str] = {}
    for group in inventory.groups.values():
        if "opd" not in group.data:
            continue
        code = group.data["opd"]
        if not isinstance(code, str) or not OPD_CODE.fullmatch(code):
            raise InventoryError(
                f"{path}: group {group.name}: key 'data.opd': {code!r} is not a short code",
                "use lower-case letters, digits, '_' or '-', such as dinkes or kec_barat",
            )
        if code in codes:
            raise InventoryError(
                f"{path}: group {group.name}: key 'data.opd': OPD code {code!r} is already "
                f"used by group {codes[code]}",
                "every OPD group needs its own short code",
            )
        codes[code] = group.name


def _is_ip(text: str) -> bool:
    """An IPv4 or IPv6 address (netutils' ``is_ip``, whose import loads its protocol tables:
    a tenth of a second at every start)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _check_host(host: Host, path: Path) -> None:
    where = f"{path}: host {host.name}"
    if not host.hostname or not isinstance(host.hostname, str):
        raise InventoryError(f"{where}: key 'hostname' is missing", "give its management address")
    if not (_is_ip(host.hostname) or DNS_NAME.fullmatch(host.hostname)):
        raise InventoryError(
            f"{where}: key 'hostname': {host.hostname!r} is not an IP address or DNS name",
            "give the management address, e.g. 10.250.4.1",
        )
    port = host.port if host.port is not None else 22
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise InventoryError(f"{where}: key 'port': {port!r} is not a TCP port", "use 1-65535")
    if host.platform not in PLATFORMS:
        raise InventoryError(
            f"{where}: key 'platform': unknown platform {host.platform!r}",
            f"use one of: {', '.join(sorted(PLATFORMS))}",
        )
    role = host.get("role")
    if role not in ROLES:
        raise InventoryError(
            f"{where}: key 'data.role': unknown role {role!r}", f"use one of: {', '.join(ROLES)}"
        )
    api_port = host.get("api_port")
    if api_port is not None and (not isinstance(api_port, int) or not 0 < api_port < 65536):
        raise InventoryError(f"{where}: key 'data.api_port': {api_port!r} is not a TCP port", "")
    _check_host_opd(host, where)


def _check_host_opd(host: Host, where: str) -> None:
    opds = opd_groups(host)
    if not opds:
        raise InventoryError(
            f"{where}: key 'groups': host is in no OPD group",
            "add its OPD group (a group with data.opd), e.g. groups: [opd_dinkes]",
        )
    if len(opds) > 1:
        names = ", ".join(g.name for g in opds)
        raise InventoryError(
            f"{where}: key 'groups': host is in several OPD groups ({names})",
            "a device belongs to exactly one OPD",
        )
    own = host.data.get("opd")
    if own is not None and own != opds[0].data["opd"]:
        raise InventoryError(
            f"{where}: key 'data.opd': {own!r} contradicts its OPD group "
            f"{opds[0].name} ({opds[0].data['opd']!r})",
            "drop data.opd from the host or fix its groups",
        )
