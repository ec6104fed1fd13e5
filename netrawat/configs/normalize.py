"""Volatile-line rules: lines a device changes on its own, dropped before storing or diffing.

Rules are platform data (``PlatformProfile.volatile_rules``, ``netrawat/platforms/<os>.py``).
Each `VolatileRule` has a name, a regex matched against one line (without its line ending)
and a description. `normalize` drops every matching line and counts
hits per rule, so a run summary can say what it ignored, and an unchanged device makes no
commit. The diff engineer reuses `normalize` for drift checks.

>>> result = normalize("# 2024-10-25 06:08:35 by RouterOS 7.10.1\\n/ip dns\\n", "mikrotik_routeros")
>>> result.text
'/ip dns\\n'
>>> dict(result.hits)
{'routeros-export-timestamp': 1}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from netrawat.platforms import VolatileRule, profile_for


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
    return profile_for(platform).volatile_rules


def normalize(text: str, platform: str) -> Normalized:
    """Drop the platform's volatile lines; line endings become ``\\n``, trailing blanks go.

    Trailing spaces are stripped from every line (RouterOS pads output with runs of spaces)
    and the text ends with exactly one newline.
    """
    searches = [(rule.name, rule.regex.search) for rule in rules_for(platform)]
    hits: Counter[str] = Counter()
    kept: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        for name, search in searches:  # the first rule matching the line counts
            if search(line):
                hits[name] += 1
                break
        else:
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return Normalized("\n".join(kept) + "\n" if kept else "", hits)
