"""Compliance features per platform, as data: ``templates/<platform>/intended/features.yaml``.

A feature (dns, ntp, snmp, interfaces, wireless ...) names its template (``<name>.j2`` beside
the YAML), the scope of the running config it owns (RouterOS menu paths or IOS top-level line
regexes, handed to the remediation engine), the inventory keys it requires and the roles it
applies to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from netrawat.errors import InputError
from netrawat.paths import find_template_file, template_roots
from netrawat.platforms import profile_for


@dataclass(frozen=True)
class Feature:
    """One compliance feature of a platform."""

    name: str
    description: str
    scope: tuple[str, ...]
    requires: tuple[str, ...]
    roles: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        return f"{self.name}.j2"

    def applies_to(self, role: str | None) -> bool:
        return not self.roles or (role or "") in self.roles


@dataclass(frozen=True)
class PlatformFeatures:
    """The features of one platform and the characters no template value may hold."""

    platform: str
    directory: Path
    forbidden: str
    features: tuple[Feature, ...]

    def select(self, names: tuple[str, ...]) -> tuple[Feature, ...]:
        """The features named (all when ``names`` is empty); unknown names are refused."""
        if not names:
            return self.features
        known = {f.name: f for f in self.features}
        return tuple(known[n] for n in names if n in known)


def intended_dir(platform: str, root: Path | None = None) -> Path:
    """``<root>/<platform>/intended``: with no ``root``, the first template directory (the
    site's, then the built-in) that has this platform's ``features.yaml``."""
    name = profile_for(platform).name
    roots = (root,) if root is not None else template_roots()
    found = find_template_file(name, "intended", "features.yaml", roots=roots)
    return found.parent if found is not None else roots[-1] / name / "intended"


def _feature(name: str, spec: dict[str, Any]) -> Feature:
    return Feature(
        name=name,
        description=str(spec.get("description", "")),
        scope=tuple(str(s) for s in spec.get("scope") or ()),
        requires=tuple(str(r) for r in spec.get("requires") or ()),
        roles=tuple(str(r) for r in spec.get("roles") or ()),
    )


def load_features(platform: str, root: Path | None = None) -> PlatformFeatures:
    """The features of ``platform`` from its features.yaml (an `InputError` if it is broken)."""
    return _load_features(platform, intended_dir(platform, root))


@functools.cache
def _load_features(platform: str, directory: Path) -> PlatformFeatures:
    path = directory / "features.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        features = tuple(_feature(str(n), s or {}) for n, s in raw["features"].items())
    except (OSError, yaml.YAMLError, KeyError, AttributeError, TypeError) as exc:
        raise InputError(
            f"{path}: cannot read the compliance features ({type(exc).__name__}: {exc})",
            "restore templates/<platform>/intended/features.yaml from the repository",
        ) from None
    return PlatformFeatures(
        profile_for(platform).name, directory, str(raw.get("forbidden", "")), features
    )


def all_feature_names() -> tuple[str, ...]:
    """Every feature name of every platform (for ``--feature`` validation)."""
    from netrawat.platforms import PLATFORMS

    names: dict[str, None] = {}
    for platform in PLATFORMS:
        for feature in load_features(platform).features:
            names[feature.name] = None
    return tuple(names)
