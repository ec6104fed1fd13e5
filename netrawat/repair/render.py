"""Rendering a repair for one host: variables resolved and checked, Jinja2 with StrictUndefined.

Everything that can be known without touching the device is done here, before any connection:
a bad ``--var``, a bad inventory value, an unknown backup commit or a template that does not
render stops the run with exit code 2.

Rendered lines pass one more guard, per platform (``PlatformProfile.line_problem``): RouterOS
lines are full-path commands (``/menu action ...``) and never hold ``;`` (which would chain a
second command); IOS lines never leave configuration mode (``end``, top-level ``exit``, ``do``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from nornir.core.inventory import Host

from netrawat.compliance.features import load_features
from netrawat.compliance.render import refuse_none, render_feature, without_none
from netrawat.configs.repo import ConfigRepo, GitError, backup_path
from netrawat.configs.sanitize import PLACEHOLDER
from netrawat.errors import InputError
from netrawat.platforms import profile_for
from netrawat.remediation.routeros_terse import render_value
from netrawat.repair.library import RepairTemplate
from netrawat.repair.variables import RepairInputError, Resolved, resolve

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class RenderedRepair:
    """A repair ready for one host: the lines to send or the intended text to converge to."""

    template: RepairTemplate
    host: str
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    """``commands`` mode: exactly what is sent."""
    intended: str = ""
    """Engine modes: the intended state of ``scope``."""
    scope: list[str] = field(default_factory=list)
    checks: tuple[str, ...] = ()
    restore_commit: str | None = None
    not_restored: list[str] = field(default_factory=list)
    """restore mode: backup lines holding a removed secret (left as they are on the device)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "template": self.template.name,
            "mode": self.template.mode,
            "variables": self.values,
            "sources": self.sources,
            "rendered": self.lines or self.intended.splitlines(),
            "scope": self.scope,
            "checks": list(self.checks),
            "restore_commit": self.restore_commit,
            "not_restored": self.not_restored,
        }


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        finalize=refuse_none,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["ros"] = lambda v: render_value(str(v))
    env.filters["re_escape"] = lambda v: re.escape(str(v))
    env.filters["network_address"] = lambda v: str(ipaddress.IPv4Network(str(v)).network_address)
    env.filters["netmask"] = lambda v: str(ipaddress.IPv4Network(str(v)).netmask)
    return env


ENV = _environment()


def host_context(host: Host) -> dict[str, Any]:
    """What an inventory-fed template sees: host data with inheritance, name and platform."""
    context = dict(host.extended_data())
    context["inventory_name"] = host.name
    context["platform"] = host.platform
    return context


def inventory_value(host: Host, key: str) -> Any:
    """Host data with inheritance; ``lan.subnet`` walks into mappings."""
    first, *rest = key.split(".")
    value = host.get(first)
    for part in rest:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _render_text(source: str, values: Mapping[str, Any], what: str) -> str:
    try:
        return ENV.from_string(source).render(**without_none(values))
    except jinja2.UndefinedError as exc:
        raise InputError(
            f"{what}: a value is missing: {exc.message}",
            "give it with --var NAME=VALUE or set it in the inventory (or fix the template)",
        ) from None
    except jinja2.TemplateError as exc:
        raise InputError(f"{what}: {exc}", "fix the repair template") from None


def checked_lines(text: str, platform: str, host: str) -> list[str]:
    """The non-empty rendered lines, each passed through the platform's line guard."""
    rule = profile_for(platform).line_problem
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    for line in lines:
        problem = "control character" if _CONTROL.search(line) else rule(line)
        if problem:
            raise RepairInputError(
                f"host {host}: refusing rendered line {line[:80]!r}: {problem}",
                "check the variables and the template",
            )
    return lines


def render_repair(
    template: RepairTemplate,
    host: Host,
    given: Mapping[str, str],
    repo: ConfigRepo | None = None,
) -> RenderedRepair:
    """Resolve the variables for ``host`` and render (see module docstring)."""
    platform = profile_for(host.platform).name
    forbidden = load_features(platform).forbidden
    resolved: Resolved = resolve(
        template.variables, given, lambda key: inventory_value(host, key), host.name, forbidden
    )
    out = RenderedRepair(template, host.name, resolved.values, resolved.sources)
    out.checks = template.checks_for(resolved.values)
    context = {**resolved.values, "inventory_name": host.name, "role": host.get("role")}
    what = f"repair {template.name} for {host.name}"
    out.scope = [_render_text(s, context, what).strip() for s in template.scope]
    if template.mode == "commands":
        out.lines = checked_lines(_render_text(template.source, context, what), platform, host.name)
    elif template.mode == "intended":
        text = _render_text(template.source, context, what)
        out.intended = "\n".join(checked_lines(text, platform, host.name)) + "\n"
    elif template.mode == "feature":
        _render_feature(out, host, str(resolved.values["feature"]))
    else:
        _load_backup(out, host, repo)
    return out


def _render_feature(out: RenderedRepair, host: Host, name: str) -> None:
    features = load_features(str(host.platform))
    feature = next(f for f in features.features if f.name == name)
    if not feature.applies_to(host.get("role")):
        raise RepairInputError(
            f"host {host.name}: feature {name} does not apply to role {host.get('role')}",
            "choose a feature of this device's role",
        )
    text = render_feature(features, feature, host_context(host), host.name)
    out.intended = "\n".join(checked_lines(text, features.platform, host.name)) + "\n"
    out.scope = list(feature.scope)


def _load_backup(out: RenderedRepair, host: Host, repo: ConfigRepo | None) -> None:
    commit = str(out.values["commit"])
    if repo is None or repo.head() is None:
        raise RepairInputError(
            "there is no config repository to restore from", "run `netrawat backup` first"
        )
    platform = profile_for(host.platform)
    path = backup_path(str(host.get("opd") or "unknown"), host.name, platform.config_extension)
    try:
        sha = repo.git("rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}").strip()
        text = repo.git("cat-file", "blob", f"{sha}:{path}")
    except GitError:
        raise RepairInputError(
            f"host {host.name}: no backup {path} at commit {commit}",
            f"list its backups with `git -C <state>/configs log --oneline -- {path}`",
        ) from None
    out.not_restored = [line for line in text.splitlines() if PLACEHOLDER in line]
    out.intended = text  # the sections holding a removed secret are left out when planning
    out.restore_commit = sha
