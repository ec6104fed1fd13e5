"""Platform differences as data: one `PlatformProfile` per supported platform.

Code asks the profile (``profile_for(host.platform)``) instead of branching on platform names.
Error strings come from the real devices (see ../shared/FIELD-NOTES.md): a reply that contains
one of them is a failed command, whatever the transport said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from netrawat.errors import InputError


@dataclass(frozen=True)
class PlatformProfile:
    """What netrawat needs to know about one platform."""

    name: str
    """The inventory/netmiko platform name."""
    netmiko_platform: str
    napalm_platform: str
    config_extension: str
    """File extension of backups in the config repository."""
    error_patterns: tuple[str, ...]
    """Regexes that mark a device reply as an error."""
    show_config_command: str
    has_enable: bool
    saves_config_explicitly: bool
    """IOS needs `write memory`; RouterOS applies and persists every change at once."""

    def find_error(self, output: str) -> str | None:
        """The first line of ``output`` that matches an error pattern, or None."""
        for line in output.splitlines():
            for pattern in self._compiled:
                if pattern.search(line):
                    return line.strip()
        return None

    @property
    def _compiled(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.error_patterns)


ROUTEROS = PlatformProfile(
    name="mikrotik_routeros",
    netmiko_platform="mikrotik_routeros",
    napalm_platform="ros",
    config_extension="rsc",
    error_patterns=(
        r"^bad command name ",
        r"^expected end of command",
        r"^syntax error",
        r"^failure: ",
        r"^input does not match any value of ",
        r"^no such item",
        r"^invalid value ",
        r"^ambiguous value ",
        r"^value of .* (?:out of range|expects)",
        r"\(line \d+ column \d+\)$",
    ),
    show_config_command="/export terse",
    has_enable=False,
    saves_config_explicitly=False,
)

CISCO_IOS = PlatformProfile(
    name="cisco_ios",
    netmiko_platform="cisco_ios",
    napalm_platform="ios",
    config_extension="cfg",
    error_patterns=(
        r"^% Invalid input detected",
        r"^% Incomplete command",
        r"^% Ambiguous command",
        r"^% Unknown command",
        r"^% Bad ",
        r"^%Error",
        r"^% ?Error",
    ),
    show_config_command="show running-config",
    has_enable=True,
    saves_config_explicitly=True,
)

PLATFORMS: dict[str, PlatformProfile] = {p.name: p for p in (ROUTEROS, CISCO_IOS)}
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
