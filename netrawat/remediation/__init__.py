"""Remediation engines shared by `netrawat diff` (compliance) and `netrawat repair`.

    fix = remediate("cisco_ios", running, intended, scope=["^ntp server "])
    fix.commands   # what to send to make the scoped part of running equal intended
    fix.rollback   # what undoes it
    fix.missing, fix.extra, fix.compliant

IOS uses hier_config; RouterOS, which hier_config does not cover, its own menu-item model
(`netrawat.remediation.routeros`). Each platform profile names its engine
(``PlatformProfile.remediation_engine``, a dotted name resolved here), not chosen by if-chains.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from netrawat.platforms import profile_for, resolve_name
from netrawat.remediation.model import Engine, Remediation


@cache
def _engine(dotted: str) -> Engine:
    engine: Engine = resolve_name(dotted)()
    return engine


def engine_for(platform: str) -> Engine:
    """The engine a platform's profile names (``remediation_engine``; an `InputError` for an
    unknown platform)."""
    return _engine(profile_for(platform).remediation_engine)


def remediate(
    platform: str, running: str, intended: str, scope: Sequence[str], *, exact: bool = False
) -> Remediation:
    """How the ``scope`` part of ``running`` differs from ``intended`` and how to fix it
    (``exact``: intended is all the scope should hold, e.g. a backup being restored)."""
    return engine_for(platform).remediate(running, intended, scope, exact=exact)


def apply_offline(platform: str, running: str, commands: Sequence[str]) -> str:
    """``running`` as it would be after ``commands`` (the engine's own model, no device)."""
    return engine_for(platform).apply(running, commands)


__all__ = ["Engine", "Remediation", "apply_offline", "engine_for", "remediate"]
