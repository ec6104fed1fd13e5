"""Remediation engines shared by `netrawat diff` (compliance) and `netrawat repair`.

    fix = remediate("cisco_ios", running, intended, scope=["^ntp server "])
    fix.commands   # what to send to make the scoped part of running equal intended
    fix.rollback   # what undoes it
    fix.missing, fix.extra, fix.compliant

IOS uses hier_config; RouterOS, which hier_config does not cover, its own menu-item model
(`netrawat.remediation.routeros`). Engines are registered per platform, not chosen by if-chains.
"""

from __future__ import annotations

from collections.abc import Sequence

from netrawat.platforms import profile_for
from netrawat.remediation.ios import IOSEngine
from netrawat.remediation.model import Engine, Remediation
from netrawat.remediation.routeros import RouterOSEngine

ENGINES: dict[str, Engine] = {
    "mikrotik_routeros": RouterOSEngine(),
    "cisco_ios": IOSEngine(),
}


def engine_for(platform: str) -> Engine:
    """The engine of a platform (an `InputError` for an unknown one)."""
    return ENGINES[profile_for(platform).name]


def remediate(
    platform: str, running: str, intended: str, scope: Sequence[str], *, exact: bool = False
) -> Remediation:
    """How the ``scope`` part of ``running`` differs from ``intended`` and how to fix it
    (``exact``: intended is all the scope should hold, e.g. a backup being restored)."""
    return engine_for(platform).remediate(running, intended, scope, exact=exact)


def apply_offline(platform: str, running: str, commands: Sequence[str]) -> str:
    """``running`` as it would be after ``commands`` (the engine's own model, no device)."""
    return engine_for(platform).apply(running, commands)


__all__ = ["ENGINES", "Engine", "Remediation", "apply_offline", "engine_for", "remediate"]
