"""Platform differences as data: one module per platform, one `PlatformProfile` each.

Code asks the profile (``profile_for(host.platform)``) instead of branching on platform names
or keeping maps keyed by them. Adding a platform = one module here (its ``PROFILE``), a line in
`_PROFILES`, and its templates (``templates/<platform>/``). What a profile provides is listed in
the README ("Platforms") and in `netrawat.platforms.profile.PlatformProfile`.

This is the bottom layer above ``netrawat.errors``: it imports no domain module. Where a profile
must name higher-layer code (remediation engine, health collection tasks) it does so by a
dotted ``module:attribute`` string that the owning layer resolves with `resolve_name`.
"""

from __future__ import annotations

from netrawat.errors import InputError
from netrawat.platforms import cisco_ios, routeros
from netrawat.platforms.profile import (
    PLACEHOLDER,
    Marker,
    PlatformProfile,
    SanitizeRule,
    SecretDetector,
    VolatileRule,
    resolve_name,
)

ROUTEROS = routeros.PROFILE
CISCO_IOS = cisco_ios.PROFILE
_PROFILES = (ROUTEROS, CISCO_IOS)

PLATFORMS: dict[str, PlatformProfile] = {p.name: p for p in _PROFILES}
ROLES = ("router", "ap")


def profile_for(platform: str | None) -> PlatformProfile:
    """The profile of a platform name, or an InputError naming the supported ones."""
    try:
        return PLATFORMS[platform or ""]
    except KeyError:
        raise InputError(
            f"unknown platform {platform!r}",
            f"use one of: {', '.join(sorted(PLATFORMS))}",
        ) from None


__all__ = [
    "CISCO_IOS",
    "PLACEHOLDER",
    "PLATFORMS",
    "ROLES",
    "ROUTEROS",
    "Marker",
    "PlatformProfile",
    "SanitizeRule",
    "SecretDetector",
    "VolatileRule",
    "profile_for",
    "resolve_name",
]
