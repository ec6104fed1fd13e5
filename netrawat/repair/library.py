"""The library of repair templates: ``templates/<platform>/repair/<name>.yaml`` (+ ``.j2``).

The YAML declares what the repair is and how it is proven::

    description: Restore the DNS servers
    mode: intended          # commands | intended | feature | restore
    roles: [router, ap]     # optional: roles it applies to
    variables:
      servers: {type: ipv4_list, default_from: dns_servers, description: ...}
    scope: ["/ip dns"]      # intended mode: the part of the config the rendered text owns
    checks: [dns]           # health checks (netrawat/health/checks.yaml) that must pass after
    expect_up: interface    # optional: a variable naming an interface that must be up/enabled

Modes:

- ``commands``: the rendered lines are sent as they are (``/interface enable ether3``).
- ``intended``: the rendered text is the intended state of ``scope``; the remediation engine
  (the one ``netrawat diff`` uses) computes the commands from the live config, so a device that
  is already right gets nothing, and what was sent can be verified.
- ``feature``: like ``intended``, with the text rendered from the compliance feature named by
  the ``feature`` variable (``templates/<platform>/intended/``) and its scope.
- ``restore``: the intended state is the device's backup at the ``commit`` variable; the
  engine computes the commands from the live config to that backup.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from netrawat.compliance.features import load_features
from netrawat.errors import InputError
from netrawat.health.engine import CHECK_FUNCTIONS
from netrawat.paths import BUILTIN_TEMPLATES, template_roots
from netrawat.platforms import PLATFORMS, profile_for
from netrawat.repair.variables import Variable, variable_from_spec

MODES = ("commands", "intended", "feature", "restore")
ENGINE_MODES = frozenset({"intended", "feature", "restore"})
"""Modes whose commands come from the remediation engine (and can be verified by it)."""


@dataclass(frozen=True)
class RepairTemplate:
    """One repair of one platform."""

    name: str
    platform: str
    description: str
    mode: str
    variables: tuple[Variable, ...]
    checks: tuple[str, ...]
    scope: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    expect_up: str | None = None
    feature_checks: Mapping[str, tuple[str, ...]] | None = None
    source: str = ""
    """The Jinja2 text (empty for feature/restore modes)."""
    directory: Path = BUILTIN_TEMPLATES

    @property
    def uses_engine(self) -> bool:
        return self.mode in ENGINE_MODES

    def applies_to(self, role: str | None) -> bool:
        return not self.roles or (role or "") in self.roles

    def checks_for(self, values: Mapping[str, Any]) -> tuple[str, ...]:
        """The health checks proving this repair (feature mode: per chosen feature)."""
        if self.feature_checks is not None:
            return self.checks + self.feature_checks.get(str(values.get("feature")), ())
        return self.checks

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "platform": self.platform,
            "description": self.description,
            "mode": self.mode,
            "roles": list(self.roles),
            "checks": list(self.checks),
            "variables": {
                v.name: {"type": v.type, "description": v.description, "spec": v.describe()}
                for v in self.variables
            },
        }


def repair_dir(platform: str, root: Path = BUILTIN_TEMPLATES) -> Path:
    return root / profile_for(platform).name / "repair"


def _checks(names: object, where: str) -> tuple[str, ...]:
    found = tuple(str(n) for n in (names or ()))  # type: ignore[attr-defined]
    for name in found:
        if name not in CHECK_FUNCTIONS:
            raise InputError(
                f"{where}: unknown health check {name!r}",
                f"use checks from netrawat/health/checks.yaml: {', '.join(CHECK_FUNCTIONS)}",
            )
    return found


def _feature_variable(platform: str, spec: Mapping[str, Any], where: str) -> Variable:
    names = tuple(f.name for f in load_features(platform).features)
    merged = {**spec, "type": "choice", "choices": list(names)}
    return variable_from_spec("feature", merged, where)


def _variables(platform: str, raw: Mapping[str, Any], where: str) -> tuple[Variable, ...]:
    out = []
    for name, spec in (raw.get("variables") or {}).items():
        if str(name) == "feature" and raw.get("mode") == "feature":
            out.append(_feature_variable(platform, spec or {}, where))
        else:
            out.append(variable_from_spec(str(name), spec or {}, where))
    return tuple(out)


def _template(platform: str, path: Path) -> RepairTemplate:
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{where}: cannot read ({exc})", "fix the template file") from None
    mode = str(raw.get("mode", "commands"))
    if mode not in MODES:
        raise InputError(f"{where}: unknown mode {mode!r}", f"use one of: {', '.join(MODES)}")
    j2 = path.with_suffix(".j2")
    if mode in ("commands", "intended") and not j2.exists():
        raise InputError(f"{where}: {j2.name} is missing", "a commands/intended template needs it")
    feature_checks = raw.get("feature_checks")
    return RepairTemplate(
        name=path.stem,
        platform=platform,
        description=str(raw.get("description", "")),
        mode=mode,
        variables=_variables(platform, raw, where),
        checks=_checks(raw.get("checks"), where),
        scope=tuple(str(s) for s in raw.get("scope") or ()),
        roles=tuple(str(r) for r in raw.get("roles") or ()),
        expect_up=raw.get("expect_up"),
        feature_checks=(
            {str(k): _checks(v, where) for k, v in feature_checks.items()}
            if isinstance(feature_checks, Mapping)
            else None
        ),
        source=j2.read_text(encoding="utf-8") if j2.exists() else "",
        directory=path.parent,
    )


def load_library(platform: str, root: Path | None = None) -> dict[str, RepairTemplate]:
    """Every repair template of ``platform`` by name: those of ``root``, or (no ``root``) the
    built-in ones with a site directory's templates of the same name taking their place."""
    roots = (root,) if root is not None else template_roots()
    return _load_library(profile_for(platform).name, roots)


@functools.cache
def _load_library(name: str, roots: tuple[Path, ...]) -> dict[str, RepairTemplate]:
    library: dict[str, RepairTemplate] = {}
    for root in reversed(roots):  # the built-in first, the site's replace them by name
        for path in sorted(repair_dir(name, root).glob("*.yaml")):
            library[path.stem] = _template(name, path)
    return dict(sorted(library.items()))


def all_templates(root: Path | None = None) -> list[RepairTemplate]:
    """Every template of every platform (for ``--list``)."""
    return [t for p in sorted(PLATFORMS) for t in load_library(p, root).values()]


def template_names(root: Path | None = None) -> list[str]:
    return sorted({t.name for t in all_templates(root)})


def find_template(name: str, platform: str, root: Path | None = None) -> RepairTemplate | None:
    """The template ``name`` of ``platform`` (None if this platform has none by that name)."""
    return load_library(platform, root).get(name)


def require_known(name: str, root: Path | None = None) -> None:
    """An `InputError` with the known names if no platform has a template ``name``."""
    names = template_names(root)
    if name not in names:
        raise InputError(
            f"no repair template {name!r}",
            f"see `netrawat repair --list`; known: {', '.join(names)}",
        )
