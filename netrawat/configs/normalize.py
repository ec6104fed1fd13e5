"""Volatile-line rules: lines a device changes on its own, dropped before storing or diffing.

Rules are data per platform. Each `VolatileRule` has a name, a regex matched against one line
(without its line ending) and a description. `normalize` drops every matching line and counts
hits per rule, so a run summary can say what it ignored, and an unchanged device makes no
commit. The diff engineer reuses `normalize` for drift checks.

>>> result = normalize("# 2024-10-25 06:08:35 by RouterOS 7.10.1\\n/ip dns\\n", "mikrotik_routeros")
>>> result.text
'/ip dns\\n'
>>> dict(result.hits)
{'routeros-export-timestamp': 1}
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from netrawat.platforms import profile_for


@dataclass(frozen=True)
class VolatileRule:
    """One kind of line a device rewrites without any configuration change."""

    name: str
    pattern: str
    description: str

    @property
    def regex(self) -> re.Pattern[str]:
        return _compile(self.pattern)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    compiled = _CACHE.get(pattern)
    if compiled is None:
        compiled = _CACHE[pattern] = re.compile(pattern)
    return compiled


ROUTEROS_RULES: tuple[VolatileRule, ...] = (
    VolatileRule(
        "routeros-export-timestamp",
        r"^# (?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}|[a-z]{3}/\d{2}/\d{4} \d{2}:\d{2}:\d{2})"
        r" by RouterOS ",
        "export header '# 2024-10-25 06:08:35 by RouterOS 7.10.1' (v6: '# jul/21/2023 ...')",
    ),
    VolatileRule(
        "routeros-transient-comment",
        r"^\s*# (?:inactive time|.+ not ready$|poe-out status: |received packet from "
        r"|Interface not active$|.+ not running$)",
        "status comments the export interleaves: '# poe-out status: ...', '# ether1 not ready'",
    ),
)

IOS_RULES: tuple[VolatileRule, ...] = (
    VolatileRule(
        "ios-building-configuration",
        r"^Building configuration\.\.\.\s*$",
        "'Building configuration...' banner of show running-config",
    ),
    VolatileRule(
        "ios-current-configuration-bytes",
        r"^Current configuration : \d+ bytes\s*$",
        "'Current configuration : N bytes' (changes with every byte of config)",
    ),
    VolatileRule(
        "ios-last-configuration-change",
        r"^! Last configuration change at ",
        "'! Last configuration change at <time> by <user>'",
    ),
    VolatileRule(
        "ios-nvram-last-updated",
        r"^! NVRAM config last updated at ",
        "'! NVRAM config last updated at <time>'",
    ),
    VolatileRule(
        "ios-no-configuration-change",
        r"^! No configuration change since last restart",
        "'! No configuration change since last restart'",
    ),
    VolatileRule(
        "ios-ntp-clock-period",
        r"^ntp clock-period \d+\s*$",
        "'ntp clock-period N': the clock drift estimate IOS rewrites on its own",
    ),
)

RULES: Mapping[str, tuple[VolatileRule, ...]] = {
    "mikrotik_routeros": ROUTEROS_RULES,
    "cisco_ios": IOS_RULES,
}


@dataclass(frozen=True)
class Normalized:
    """A configuration with its volatile lines removed, and how many lines each rule dropped."""

    text: str
    hits: Counter[str] = field(default_factory=Counter)

    @property
    def ignored(self) -> int:
        return sum(self.hits.values())


def rules_for(platform: str) -> tuple[VolatileRule, ...]:
    """The volatile-line rules of a platform (an `InputError` for an unknown platform)."""
    return RULES[profile_for(platform).name]


def normalize(text: str, platform: str) -> Normalized:
    """Drop the platform's volatile lines; line endings become ``\\n``, trailing blanks go.

    Trailing spaces are stripped from every line (RouterOS pads output with runs of spaces)
    and the text ends with exactly one newline.
    """
    rules = rules_for(platform)
    hits: Counter[str] = Counter()
    kept: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        rule = next((r for r in rules if r.regex.search(line)), None)
        if rule is None:
            kept.append(line)
        else:
            hits[rule.name] += 1
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return Normalized("\n".join(kept) + "\n" if kept else "", hits)
