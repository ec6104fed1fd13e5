"""From a rendered repair and the live configuration to commands, expected diff and rollback.

All pure (no device): the remediation engines of ``netrawat.remediation`` (the ones
``netrawat diff`` uses) compute the commands of engine-mode repairs and every rollback:
*rollback = the remediation from the configuration now back to the pre-change configuration*,
over the part of the configuration that differs (RouterOS: every menu; IOS: the top-level
sections whose text differs), so whatever the push did, partly or wholly, is undone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from netrawat.configs.sanitize import PLACEHOLDER, sanitize
from netrawat.errors import InputError
from netrawat.platforms import profile_for
from netrawat.remediation import apply_offline, remediate
from netrawat.remediation.ios import banner_delimiter, scoped_text
from netrawat.remediation.routeros_model import ConfigModel
from netrawat.repair.render import RenderedRepair


@dataclass(frozen=True)
class Plan:
    """What a repair would send to one device, and what it expects to change."""

    commands: list[str]
    expected_diff: str
    """Unified diff of the configuration before/after, as the engine models it (sanitized);
    empty when nothing changes; see ``modelled``."""
    modelled: bool = True
    """False when the engine cannot model the commands (``commands`` mode lines such as
    ``/interface enable``): the real diff after the push is the only one."""


# -- sections and scopes ----------------------------------------------------------------------


def ios_sections(text: str) -> dict[str, tuple[str, ...]]:
    """Top-level line → its indented lines (``!`` separators ignored). A banner (``banner motd
    ^C`` ... ``^C``) is one section: its whole text, lines joined by newlines.

    >>> ios_sections("interface Gi1\\n shutdown\\n!\\nip name-server 10.0.0.53\\n")
    {'interface Gi1': (' shutdown',), 'ip name-server 10.0.0.53': ()}
    >>> ios_sections("banner motd ^C\\nhello\\n^C\\nhostname R1\\n")
    {'banner motd ^C\\nhello\\n^C': (), 'hostname R1': ()}
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    banner: list[str] = []
    banner_end: str | None = None
    for line in text.splitlines():
        if banner_end is not None:
            banner.append(line)
            if banner_end in line:
                banner_end = None
                sections.setdefault("\n".join(banner), [])
            continue
        if line.startswith("banner "):
            banner, banner_end, current = [line], banner_delimiter(line), None
            if banner_end is None:
                sections.setdefault(line, [])
            continue
        if not line.strip() or line.strip() == "!":
            continue
        if line[:1] in (" ", "\t") and current is not None:
            current.append(line.rstrip())
        else:
            current = sections.setdefault(line.rstrip(), [])
    return {top: tuple(children) for top, children in sections.items()}


def _section_pattern(top: str) -> str:
    """The scope regex of one top-level section (a banner by its kind: ``^banner motd ``)."""
    if top.startswith("banner "):
        return f"^{re.escape(' '.join(top.split()[:2]))} "
    return f"^{re.escape(top)}$"


def _ios_scope(before: str, after: str) -> list[str]:
    old, new = ios_sections(before), ios_sections(after)
    differing = [t for t in dict.fromkeys([*old, *new]) if old.get(t) != new.get(t)]
    patterns = [_section_pattern(top) for top in differing if PLACEHOLDER not in top]
    return list(dict.fromkeys(patterns))


def _routeros_paths(*texts: str) -> list[str]:
    paths: dict[str, None] = {}
    for text in texts:
        for item in ConfigModel.from_export(text).items:
            paths[item.path] = None
    return list(paths)


def _without_secret_sections(platform: str, scope: list[str], *texts: str) -> list[str]:
    """Drop the scope entries whose part of any text holds a removed secret."""
    if platform == "mikrotik_routeros":
        secret = {
            item.path
            for text in texts
            for item in ConfigModel.from_export(text).items
            if any(PLACEHOLDER in v for v in item.props.values())
        }
        return [s for s in scope if s not in secret]
    kept = []
    for entry in scope:
        if not any(PLACEHOLDER in scoped_text(text, [entry]) for text in texts):
            kept.append(entry)
    return kept


SCOPES: Mapping[str, Callable[[str, str], list[str]]] = {
    "mikrotik_routeros": _routeros_paths,
    "cisco_ios": _ios_scope,
}
"""Per platform: the scope covering everything that differs between two configurations."""


def full_scope(platform: str, before: str, after: str) -> list[str]:
    return SCOPES[profile_for(platform).name](before, after)


def _scoped_intended(platform: str, intended: str, scope: list[str]) -> str:
    if platform == "cisco_ios":
        return scoped_text(intended, scope)
    keep = set(scope)
    lines = [
        line
        for line in intended.splitlines()
        if any(i.path in keep for i in ConfigModel.from_export(line).items)
    ]
    return "\n".join(lines) + "\n" if lines else ""


# -- diffs ------------------------------------------------------------------------------------


def unified(before: str, after: str, platform: str, label: str = "config") -> str:
    """A unified diff of two configurations, sanitized (no secret reaches a terminal)."""
    old = sanitize(before, platform).text.splitlines()
    new = sanitize(after, platform).text.splitlines()
    lines = difflib.unified_diff(old, new, f"a/{label}", f"b/{label}", n=1, lineterm="")
    text = "\n".join(lines)
    return text + "\n" if text else ""


def expected(platform: str, running: str, commands: list[str]) -> tuple[str, bool]:
    """The engine's idea of the change (diff, modelled?)."""
    if not commands:
        return "", True
    try:
        before = apply_offline(platform, running, [])
        after = apply_offline(platform, running, commands)
    except (InputError, ValueError, KeyError, AttributeError, TypeError):
        return "", False
    return unified(before, after, platform, "expected"), True


# -- the forward plan -------------------------------------------------------------------------


def engine_target(rendered: RenderedRepair, running: str) -> tuple[str, list[str]]:
    """(intended text, scope) the engine converges the device to, for engine modes."""
    platform = rendered.template.platform
    if rendered.template.mode != "restore":
        return rendered.intended, rendered.scope
    # compared sanitized: a section holding a secret is the same on both sides or left out,
    # never "restored" to the placeholder nor removed for lack of it
    secretless = sanitize(running, platform).text
    scope = full_scope(platform, secretless, rendered.intended)
    scope = _without_secret_sections(platform, scope, secretless, rendered.intended)
    return _scoped_intended(platform, rendered.intended, scope), scope


def plan_repair(rendered: RenderedRepair, running: str) -> Plan:
    """Commands for the device whose (normalized, unsanitized) config is ``running``."""
    platform = rendered.template.platform
    if not rendered.template.uses_engine:
        diff, modelled = expected(platform, running, rendered.lines)
        return Plan(list(rendered.lines), diff, modelled)
    intended, scope = engine_target(rendered, running)
    exact = rendered.template.mode == "restore"  # the backup is the whole state to reach
    commands = remediate(platform, running, intended, scope, exact=exact).commands
    diff, modelled = expected(platform, running, commands)
    return Plan(commands, diff, modelled)


def converged(rendered: RenderedRepair, running: str) -> list[str]:
    """Engine modes: what the engine would still send (empty: the device is as intended)."""
    if not rendered.template.uses_engine:
        return []
    intended, scope = engine_target(rendered, running)
    exact = rendered.template.mode == "restore"
    return remediate(rendered.template.platform, running, intended, scope, exact=exact).commands


# -- rollback ---------------------------------------------------------------------------------


def rollback_commands(platform: str, pre: str, current: str) -> list[str]:
    """Commands taking the device from ``current`` back to ``pre`` (both normalized)."""
    name = profile_for(platform).name
    scope = full_scope(name, pre, current)
    if not scope:
        return []
    intended = pre if name == "mikrotik_routeros" else scoped_text(pre, scope)
    return remediate(name, current, intended, scope, exact=True).commands
