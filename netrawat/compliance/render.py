"""Rendering a host's intended configuration, feature by feature, from inventory data.

Templates render with ``StrictUndefined``: a key a template needs and the inventory lacks is an
error, never an empty string in a config line. Before rendering, every inventory value the
template uses is checked (recursively): no control characters (a newline would smuggle in
another command) and none of the platform's ``forbidden`` characters (RouterOS ``;``,
``[ ]``, ``$``, backticks, quotes ...). A bad value is refused with an `IntendedDataError`
naming the host and the key.

>>> safe_value("10.0.0.53", ";[]", "RTR-X", "dns_servers[0]")
'10.0.0.53'
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import meta

from netrawat.compliance.features import Feature, PlatformFeatures
from netrawat.errors import InputError
from netrawat.remediation.routeros_terse import render_value

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class IntendedDataError(InputError):
    """An inventory value cannot go into a config line, or a template cannot render."""


def safe_value(value: Any, forbidden: str, host: str, key: str) -> Any:
    """``value`` if it (and everything inside it) may go into a config line."""
    if isinstance(value, Mapping):
        for name, inner in value.items():
            safe_value(inner, forbidden, host, f"{key}.{name}")
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            safe_value(inner, forbidden, host, f"{key}[{index}]")
    elif isinstance(value, str):
        bad = _CONTROL.search(value) or next((c for c in value if c in forbidden), None)
        if bad:
            char = bad.group(0) if isinstance(bad, re.Match) else bad
            raise IntendedDataError(
                f"host {host}: key {key!r}: value {value[:40]!r} holds {char!r}, which cannot "
                "go into a configuration line",
                f"fix {key} in the inventory (no control characters, none of {forbidden!r})",
            )
    return value


def prefixlen(network: str) -> int:
    """``10.21.0.0/24`` → 24 (a template filter)."""
    return ipaddress.ip_network(str(network), strict=False).prefixlen


class MissingValue(jinja2.StrictUndefined):
    """A value the inventory or the variables leave empty (None): false in an ``{% if %}``,
    an error when printed or used (never ``None`` in a config line)."""

    def __bool__(self) -> bool:  # type: ignore[override]
        return False


def refuse_none(value: Any) -> Any:
    """Jinja ``finalize``: a printed ``None`` (from a filter or an expression) is an error."""
    if value is None:
        raise jinja2.UndefinedError("a value the template prints is missing (None)")
    return value


def without_none(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``values`` with every None (also inside mappings) replaced by a `MissingValue` named
    by its key path, so printing it names what is missing.

    >>> str(without_none({"lan": {"dhcp_pool": None}})["lan"]["dhcp_pool"])
    Traceback (most recent call last):
    jinja2.exceptions.UndefinedError: 'lan.dhcp_pool' is undefined
    """
    out: dict[str, Any] = {}
    for key, value in values.items():
        path = f"{prefix}{key}"
        if value is None:
            out[key] = MissingValue(name=path)
        elif isinstance(value, Mapping):
            out[key] = without_none(value, f"{path}.")
        else:
            out[key] = value
    return out


def _environment(features: PlatformFeatures) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(features.directory)),
        undefined=jinja2.StrictUndefined,
        finalize=refuse_none,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["ros"] = lambda v: render_value(str(v))
    env.filters["prefixlen"] = prefixlen
    return env


_ENVS: dict[str, jinja2.Environment] = {}


def environment(features: PlatformFeatures) -> jinja2.Environment:
    env = _ENVS.get(str(features.directory))
    if env is None:
        env = _ENVS[str(features.directory)] = _environment(features)
    return env


@dataclass
class Intended:
    """A host's intended configuration: rendered text per feature, and features skipped."""

    host: str
    platform: str
    rendered: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    """feature -> why it was not checked (role, missing inventory data)."""


def _missing(context: Mapping[str, Any], feature: Feature) -> list[str]:
    return [key for key in feature.requires if context.get(key) in (None, "", [], {})]


def render_feature(
    features: PlatformFeatures, feature: Feature, context: Mapping[str, Any], host: str
) -> str:
    """One feature's intended text (validated values, StrictUndefined)."""
    env = environment(features)
    source = env.loader.get_source(env, feature.template)[0]  # type: ignore[union-attr]
    for name in sorted(meta.find_undeclared_variables(env.parse(source))):
        if name in context:
            safe_value(context[name], features.forbidden, host, name)
    try:
        text = env.get_template(feature.template).render(**without_none(context))
    except jinja2.UndefinedError as exc:
        raise IntendedDataError(
            f"host {host}: feature {feature.name}: {exc.message}",
            f"add the key to the inventory or fix {feature.template}",
        ) from None
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines) + "\n" if lines else ""


def render_intended(
    features: PlatformFeatures,
    selected: tuple[Feature, ...],
    context: Mapping[str, Any],
    host: str,
    role: str | None,
) -> Intended:
    """Every selected feature of a host rendered, or skipped with the reason."""
    intended = Intended(host, features.platform)
    for feature in selected:
        if not feature.applies_to(role):
            intended.skipped[feature.name] = f"not for role {role}"
            continue
        missing = _missing(context, feature)
        if missing:
            intended.skipped[feature.name] = f"no inventory data: {', '.join(missing)}"
            continue
        intended.rendered[feature.name] = render_feature(features, feature, context, host)
    return intended
