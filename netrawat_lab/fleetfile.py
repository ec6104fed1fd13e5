"""The fleet file: a YAML list of `DeviceSpec` rows, read and written with checks.

Only loopback addresses (127.0.0.0/8) and ports above 1024 are accepted: the lab must never
listen where a real network could reach it.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from pathlib import Path
from typing import Any

import yaml

from netrawat_lab.errors import LabInputError
from netrawat_lab.faults import check_fault
from netrawat_lab.personalities import known_platforms
from netrawat_lab.spec import DeviceSpec

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
SPEC_FIELDS = {f.name for f in dataclasses.fields(DeviceSpec)}
REQUIRED_FIELDS = {
    f.name
    for f in dataclasses.fields(DeviceSpec)
    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
}


ROLES = ("router", "ap")
"""The roles a lab device can play."""


def check_loopback(address: str, what: str = "lab address") -> str:
    """``address`` if it is a 127.0.0.0/8 address, else `LabInputError`."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError as exc:
        raise LabInputError(
            f"{what} {address!r} is not an IP address",
            hint="use a loopback address such as 127.42.0.1",
        ) from exc
    if ip not in LOOPBACK:
        raise LabInputError(
            f"{what} {address} is not a loopback address: the lab only listens on 127.0.0.0/8",
            hint="use an address such as 127.42.0.1",
        )
    return address


def check_port(port: object, what: str) -> int:
    """A port number above 1024 (the lab never needs root)."""
    if not isinstance(port, int) or isinstance(port, bool) or not 1024 < port < 65536:
        raise LabInputError(
            f"{what} {port!r} is not a port above 1024", hint="SSH e.g. 2222, API 8728"
        )
    return port


def check_kind(spec: DeviceSpec) -> None:
    """The platform has a personality and the role is router or ap."""
    platforms = known_platforms()
    if spec.platform not in platforms:
        raise LabInputError(
            f"{spec.hostname}: platform {spec.platform!r} is not simulated by the lab",
            hint=f"use one of: {', '.join(sorted(platforms))}",
        )
    if spec.role not in ROLES:
        raise LabInputError(
            f"{spec.hostname}: role {spec.role!r} is not router or ap", hint="role: router | ap"
        )


def spec_from_row(row: object, index: int) -> DeviceSpec:
    """One checked `DeviceSpec` from a fleet file row."""
    if not isinstance(row, dict):
        raise LabInputError(
            f"fleet file row {index} is not a mapping", hint="see netrawat_lab/spec.py"
        )
    unknown = set(row) - SPEC_FIELDS
    missing = REQUIRED_FIELDS - set(row)
    name = row.get("hostname", f"row {index}")
    if unknown or missing:
        raise LabInputError(
            f"fleet file device {name}: "
            f"unknown fields {sorted(unknown)}, missing {sorted(missing)}",
            hint=f"fields are: {', '.join(sorted(SPEC_FIELDS))}",
        )
    spec = DeviceSpec(**row)
    check_kind(spec)
    check_loopback(str(spec.address), f"{name}: address")
    check_port(spec.port, f"{name}: port")
    if spec.api_port is not None:
        check_port(spec.api_port, f"{name}: api_port")
    spec.faults = dict(
        check_fault(str(k), None if v is None else str(v)) for k, v in (spec.faults or {}).items()
    )
    return spec


def load_fleet(path: Path) -> list[DeviceSpec]:
    """Every device of a fleet file, checked (unique hostnames and address:port pairs)."""
    try:
        rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LabInputError(f"cannot read fleet file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise LabInputError(f"fleet file {path} is not valid YAML: {exc}") from exc
    if not isinstance(rows, list) or not rows:
        raise LabInputError(f"fleet file {path} is not a non-empty list of devices")
    specs = [spec_from_row(row, i) for i, row in enumerate(rows, 1)]
    _check_unique(specs)
    return specs


def _check_unique(specs: list[DeviceSpec]) -> None:
    names: set[str] = set()
    endpoints: set[tuple[str, int]] = set()
    for spec in specs:
        points = {(spec.address, spec.port)}
        if spec.api_port:
            points.add((spec.address, spec.api_port))
        if spec.hostname in names or points & endpoints:
            raise LabInputError(
                f"fleet file: {spec.hostname} repeats a hostname or address:port",
                hint="every device needs its own name and address:port",
            )
        names.add(spec.hostname)
        endpoints |= points


def fleet_rows(specs: list[DeviceSpec]) -> list[dict[str, Any]]:
    """The specs as plain dicts, empty optional fields left out."""
    rows = []
    for spec in specs:
        row = dataclasses.asdict(spec)
        rows.append(
            {k: v for k, v in row.items() if v not in ("", None, {}, []) or k in REQUIRED_FIELDS}
        )
    return rows


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (it holds credentials)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def save_fleet(path: Path, specs: list[DeviceSpec]) -> None:
    """Write the fleet file (mode 0600: it carries the lab's throwaway passwords)."""
    text = "# netrawat lab fleet: one row per simulated device (see netrawat_lab/spec.py)\n"
    text += yaml.safe_dump(fleet_rows(specs), sort_keys=False, allow_unicode=True)
    write_private(path, text)
