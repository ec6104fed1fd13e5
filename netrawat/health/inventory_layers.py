"""Read a Nornir host's ``health:`` overrides and intended values, lowest precedence first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nornir.core.inventory import Group, Host

from netrawat.health.config import HealthConfig, build_config


def _group_layers(group: Group, seen: set[str]) -> list[tuple[str, Mapping[str, Any]]]:
    if group.name in seen:
        return []
    seen.add(group.name)
    layers: list[tuple[str, Mapping[str, Any]]] = []
    for parent in reversed(list(group.groups)):
        layers += _group_layers(parent, seen)
    if "health" in group.data:
        layers.append((f"groups.yaml: {group.name}", group.data["health"]))
    return layers


def health_layers(host: Host) -> list[tuple[str, Mapping[str, Any]]]:
    """``(where, health)`` pairs: defaults, groups (first-listed last), the host itself."""
    layers: list[tuple[str, Mapping[str, Any]]] = []
    if host.defaults is not None and "health" in host.defaults.data:
        layers.append(("defaults.yaml", host.defaults.data["health"]))
    seen: set[str] = set()
    for group in reversed(list(host.groups)):
        layers += _group_layers(group, seen)
    if "health" in host.data:
        layers.append((f"hosts.yaml: {host.name}", host.data["health"]))
    return layers


def config_for_host(host: Host) -> HealthConfig:
    """The health configuration of one inventory host (raises InventoryError when broken)."""
    return build_config(
        health_layers(host),
        dns_servers=host.get("dns_servers"),
        ntp_servers=host.get("ntp_servers"),
        expected_identity=host.get("expected_identity") or host.name,
    )
