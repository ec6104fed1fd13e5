"""Health check configuration: the packaged YAML data merged with inventory overrides.

Precedence (last wins): ``checks.yaml`` < defaults ``health:`` < group ``health:`` (a host's
first-listed group wins over later ones) < host ``health:``. Intended values (``dns_servers``,
``ntp_servers``) come from the inventory data the same way Nornir resolves them.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netrawat.errors import InventoryError
from netrawat.health.model import Grade

DATA_DIR = Path(__file__).resolve().parent
_OVERRIDE_KEYS = {"thresholds", "checks", "interfaces", "ping_targets"}
_CHECK_KEYS = {"title", "grade", "enabled", "roles", "platforms", "total_loss_grade"}


@dataclass(frozen=True)
class CheckSpec:
    """One check as configured for one host."""

    name: str
    title: str
    grade: Grade
    enabled: bool = True
    roles: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    total_loss_grade: Grade | None = None

    def applies(self, role: str, platform: str) -> bool:
        """Enabled, and the device's role and platform are in scope."""
        return (
            self.enabled
            and (not self.roles or role in self.roles)
            and (not self.platforms or platform in self.platforms)
        )


@dataclass(frozen=True)
class HealthConfig:
    """Everything the engine needs to judge one host."""

    thresholds: Mapping[str, float]
    checks: Mapping[str, CheckSpec]
    uplink: str | None = None
    ignore_interfaces: tuple[str, ...] = ()
    expected_up: tuple[str, ...] = ()
    ping_targets: tuple[str, ...] = ()
    dns_servers: tuple[str, ...] | None = None
    ntp_servers: tuple[str, ...] | None = None
    expected_identity: str | None = None
    grades: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@functools.cache
def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def grading_table() -> dict[str, dict[str, Any]]:
    """grading.yaml's grades: name → label_en, meaning, action, escalate."""
    return copy.deepcopy(_load("grading.yaml")["grades"])


def deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` merged in, recursively for mappings (a new dict)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _grade(value: object, where: str) -> Grade:
    try:
        return Grade.parse(str(value))
    except ValueError:
        raise InventoryError(
            f"{where}: unknown grade {value!r}", "use one of: ringan, sedang, berat"
        ) from None


def _check_spec(name: str, raw: Mapping[str, Any], where: str) -> CheckSpec:
    unknown = set(raw) - _CHECK_KEYS
    if unknown:
        raise InventoryError(
            f"{where}: check {name!r} has unknown key(s) {sorted(unknown)}",
            f"allowed keys: {', '.join(sorted(_CHECK_KEYS))}",
        )
    total = raw.get("total_loss_grade")
    return CheckSpec(
        name=name,
        title=str(raw.get("title", name)),
        grade=_grade(raw.get("grade", "ringan"), f"{where}: check {name}"),
        enabled=bool(raw.get("enabled", True)),
        roles=tuple(raw.get("roles") or ()),
        platforms=tuple(raw.get("platforms") or ()),
        total_loss_grade=_grade(total, f"{where}: check {name}") if total else None,
    )


def _validate_override(layer: Mapping[str, Any], where: str) -> None:
    if not isinstance(layer, Mapping):
        raise InventoryError(f"{where}: `health` must be a mapping", "see README: Health checks")
    unknown = set(layer) - _OVERRIDE_KEYS
    if unknown:
        raise InventoryError(
            f"{where}: unknown health key(s) {sorted(unknown)}",
            f"allowed: {', '.join(sorted(_OVERRIDE_KEYS))}",
        )
    base = _load("checks.yaml")
    for key, value in (layer.get("thresholds") or {}).items():
        if key not in base["thresholds"]:
            raise InventoryError(
                f"{where}: unknown health threshold {key!r}",
                f"known thresholds: {', '.join(sorted(base['thresholds']))}",
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InventoryError(f"{where}: threshold {key} must be a number, got {value!r}")
    for name in layer.get("checks") or {}:
        if name not in base["checks"]:
            raise InventoryError(
                f"{where}: unknown health check {name!r}",
                f"known checks: {', '.join(sorted(base['checks']))}",
            )


def _str_tuple(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    return (str(value),)


def build_config(
    layers: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    dns_servers: object = None,
    ntp_servers: object = None,
    expected_identity: str | None = None,
) -> HealthConfig:
    """Merge the packaged data with ``layers`` (``(where, health_mapping)``, lowest first)."""
    merged: dict[str, Any] = copy.deepcopy(_load("checks.yaml"))
    for where, layer in layers:
        _validate_override(layer, where)
        merged = deep_merge(merged, layer)
    checks = {name: _check_spec(name, raw, "health") for name, raw in merged["checks"].items()}
    interfaces = merged.get("interfaces") or {}
    return HealthConfig(
        thresholds={k: float(v) for k, v in merged["thresholds"].items()},
        checks=checks,
        uplink=interfaces.get("uplink"),
        ignore_interfaces=_str_tuple(interfaces.get("ignore")),
        expected_up=_str_tuple(interfaces.get("expected_up")),
        ping_targets=_str_tuple(merged.get("ping_targets")),
        dns_servers=_str_tuple(dns_servers) if dns_servers is not None else None,
        ntp_servers=_str_tuple(ntp_servers) if ntp_servers is not None else None,
        expected_identity=expected_identity,
        grades=grading_table(),
    )
