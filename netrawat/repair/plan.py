"""From a rendered repair and the live configuration to commands, expected diff and rollback.

All pure (no device): the remediation engines of ``netrawat.remediation`` (the ones
``netrawat diff`` uses) compute the commands of engine-mode repairs and every rollback:
*rollback = the remediation from the configuration now back to the pre-change configuration*,
over the part of the configuration that differs (RouterOS: every menu; IOS: the top-level
sections whose text differs), so whatever the push did, partly or wholly, is undone.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from netrawat.configs.sanitize import sanitize
from netrawat.errors import InputError
from netrawat.platforms import PLACEHOLDER, profile_for
from netrawat.remediation import apply_offline, engine_for, remediate
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


# -- scopes (the engines know them) ----------------------------------------------------------


def full_scope(platform: str, before: str, after: str) -> list[str]:
    """The scope covering everything that differs between two configurations (engine data:
    RouterOS menu paths, IOS top-level sections)."""
    return engine_for(platform).scope_between(before, after)


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
    engine = engine_for(platform)
    scope = engine.scope_between(secretless, rendered.intended)
    scope = engine.without_secrets(scope, secretless, rendered.intended)
    return engine.scoped(rendered.intended, scope), scope


def secret_sections(platform: str, backup: str, running: str) -> list[str]:
    """Restores: the rest of the sections that hold a removed secret. Compared sanitized on
    both sides (the secret is the same ``<removed>`` there, never restored nor removed for
    lack of it), so that what is not the secret is restored too (a built-in SNMP community
    turned off beside a secret one); every command naming the placeholder is left out."""
    secretless = sanitize(running, platform).text
    engine = engine_for(platform)
    scope = engine.scope_between(secretless, backup)
    held = [s for s in scope if s not in engine.without_secrets(scope, secretless, backup)]
    if not held:
        return []
    fix = remediate(platform, secretless, engine.scoped(backup, held), held, exact=True)
    return [command for command in fix.commands if PLACEHOLDER not in command]


def restore_commands(platform: str, backup: str, running: str) -> list[str]:
    """Commands taking a device whose (normalized, unsanitized) config is ``running`` to a
    stored ``backup``, exactly but for the removed secrets (the restore of `plan_repair`, for
    callers without a template: the restore drill)."""
    secretless = sanitize(running, platform).text
    engine = engine_for(platform)
    scope = engine.scope_between(secretless, backup)
    scope = engine.without_secrets(scope, secretless, backup)
    commands = remediate(platform, running, engine.scoped(backup, scope), scope, exact=True)
    return [*commands.commands, *secret_sections(platform, backup, running)]


def plan_repair(rendered: RenderedRepair, running: str) -> Plan:
    """Commands for the device whose (normalized, unsanitized) config is ``running``."""
    platform = rendered.template.platform
    if not rendered.template.uses_engine:
        diff, modelled = expected(platform, running, rendered.lines)
        return Plan(list(rendered.lines), diff, modelled)
    if rendered.template.mode == "restore":  # the backup is the whole state to reach
        commands = restore_commands(platform, rendered.intended, running)
    else:
        intended, scope = engine_target(rendered, running)
        commands = remediate(platform, running, intended, scope).commands
    diff, modelled = expected(platform, running, commands)
    return Plan(commands, diff, modelled)


def converged(rendered: RenderedRepair, running: str) -> list[str]:
    """Engine modes: what the engine would still send (empty: the device is as intended)."""
    if not rendered.template.uses_engine:
        return []
    platform = rendered.template.platform
    if rendered.template.mode == "restore":
        return restore_commands(platform, rendered.intended, running)
    intended, scope = engine_target(rendered, running)
    return remediate(platform, running, intended, scope).commands


# -- rollback ---------------------------------------------------------------------------------


def rollback_commands(platform: str, pre: str, current: str) -> list[str]:
    """Commands taking the device from ``current`` back to ``pre`` (both normalized)."""
    profile = profile_for(platform)
    engine = engine_for(profile.name)
    scope = engine.scope_between(pre, current)
    if not scope:
        return []
    intended = pre if profile.engine_restores_whole_config else engine.scoped(pre, scope)
    return remediate(profile.name, current, intended, scope, exact=True).commands
