"""Whose configuration is this? Identity and factory-default markers, per platform, as data.

A backup must never replace a good one with another device's configuration (a swapped
address) or with what a factory reset left. Two facts in the text tell: the device's
*identity* (IOS ``hostname``, RouterOS ``/system identity``) and *factory-default markers*
(RouterOS ``defconf`` items and its 192.168.88.1 LAN, IOS ``hostname Router``).

>>> identity_from_config("version 15.7\\nhostname CR-DINKES\\nend\\n", "cisco_ios")
'CR-DINKES'
>>> identity_from_config("/ip dns set servers=10.0.0.53\\n", "mikrotik_routeros")
'MikroTik'
>>> factory_markers("/ip address add address=192.168.88.1/24 comment=defconf\\n",
...                 "mikrotik_routeros")
('defconf-comment', 'defconf-lan')

(When `netrawat.platforms` grows per-platform ``identity_from_config`` / ``factory_markers``
this table moves there; the functions here keep their signatures.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class IdentityRule:
    """How one platform names itself in its configuration, and what a reset leaves."""

    identity: re.Pattern[str]
    """Group 1 is the identity; the last match wins."""
    default_identity: str
    """What the device calls itself when the configuration names nothing (factory)."""
    factory: tuple[tuple[str, re.Pattern[str]], ...]
    """(marker name, pattern) of lines only a factory-default configuration has."""


RULES: dict[str, IdentityRule] = {
    "mikrotik_routeros": IdentityRule(
        identity=re.compile(r'^/system identity set (?:.* )?name=("(?:[^"\\]|\\.)*"|\S+)', re.M),
        default_identity="MikroTik",
        factory=(
            ("defconf-comment", re.compile(r'(?:^|\s)comment="?defconf\b', re.M)),
            ("defconf-lan", re.compile(r"(?:^|\s)address=192\.168\.88\.1/24\b", re.M)),
            ("defconf-dhcp", re.compile(r"^/ip dhcp-server add .*\bname=defconf\b", re.M)),
        ),
    ),
    "cisco_ios": IdentityRule(
        identity=re.compile(r"^hostname (\S+)\s*$", re.M),
        default_identity="Router",
        factory=(("factory-hostname", re.compile(r"^hostname Router\s*$", re.M)),),
    ),
}


def identity_from_config(text: str, platform: str) -> str | None:
    """The identity the configuration gives the device (the platform's default when it names
    none), or None for a platform without a rule."""
    rule = RULES.get(platform)
    if rule is None:
        return None
    found = rule.identity.findall(text)
    if not found:
        return rule.default_identity
    value: str = found[-1]
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        value = value[1:-1].replace('\\"', '"')
    return value


def factory_markers(text: str, platform: str) -> tuple[str, ...]:
    """The names of the factory-default markers found in ``text``."""
    rule = RULES.get(platform)
    if rule is None:
        return ()
    return tuple(name for name, pattern in rule.factory if pattern.search(text))


def same_identity(a: str | None, b: str | None) -> bool:
    """Identities compare without case (``rtr-dinkes`` is ``RTR-DINKES``)."""
    return a is not None and b is not None and a.casefold() == b.casefold()
