"""Remove secrets from a configuration before it goes into git.

Rules are platform data (``PlatformProfile.sanitize_rules``, ``netrawat/platforms/<os>.py``):
a `SanitizeRule` is a regex (MULTILINE, applied to the whole text) and a replacement that
keeps everything but the secret, which becomes `PLACEHOLDER`.
`sanitize` applies every rule with ``re.subn`` and counts replacements per rule.

netutils' ``sanitize_config`` applies the same kind of ``{"regex", "replace"}`` list but
ships no RouterOS rules and reports no counts; the rules here follow its shape (so they could
be handed to it) while `sanitize` keeps the per-rule counts the run summary shows.
A secret scan (`netrawat.configs.secretscan`) runs afterwards and blocks anything missed.

>>> sanitize("enable secret 9 $9$abc\\n", "cisco_ios").text
'enable secret 9 <removed>\\n'
>>> sanitize("/snmp community add addresses=0.0.0.0/0 name=kota\\n", "mikrotik_routeros").text
'/snmp community add addresses=0.0.0.0/0 name=<removed>\\n'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from netrawat.platforms import PLACEHOLDER, SanitizeRule, profile_for

__all__ = ["PLACEHOLDER", "SanitizeRule", "Sanitized", "rule_hits", "rules_for", "sanitize"]


@dataclass(frozen=True)
class Sanitized:
    """A configuration with its secrets replaced, and how many each rule replaced."""

    text: str
    hits: Counter[str] = field(default_factory=Counter)

    @property
    def removed(self) -> int:
        return sum(self.hits.values())


def rules_for(platform: str) -> tuple[SanitizeRule, ...]:
    """The sanitize rules of a platform (an `InputError` for an unknown platform)."""
    return profile_for(platform).sanitize_rules


_VERBS = frozenset({"add", "set", "remove", "enable", "disable", "unset", "move"})


def _menu_of(line: str, current: str) -> str:
    """The RouterOS menu a line belongs to: its own ``/menu`` prefix or the current one
    (however spaced, and in v7's ``/snmp/community`` form too: RouterOS reads both)."""
    if not line.startswith("/"):
        return current
    words: list[str] = []
    for word in line.split():
        if word in _VERBS or "=" in word or word.startswith("["):
            break
        words.append(word)
    if words and "/" in words[0][1:]:
        words[:1] = ("/" + words[0][1:].replace("/", " ")).split()
    return " ".join(words)


def _may_name(text: str, menu: str) -> bool:
    """False when no line of ``text`` can belong to ``menu``: a word of it is missing (a
    plain ``menu in text`` missed ``/snmp  community`` and ``/snmp/community``)."""
    return all(word in text for word in menu.split())


def _in_menu(lines: list[str], menu: str) -> Iterator[bool]:
    """For each line, whether it belongs to ``menu``: whether `_menu_of` the last line
    starting with ``/`` (up to this one) is ``menu``. A ``/`` line whose first word is not
    the menu's first word cannot name it, and is not split into words."""
    words = menu.split()
    head = words[0] if words else ""
    inside = menu == ""  # `_menu_of` of no ``/`` line yet
    for line in lines:
        if line.startswith("/"):
            inside = line.startswith(head) and _menu_of(line, "") == menu
        yield inside


def _apply_in_menu(rule: SanitizeRule, text: str) -> tuple[str, int]:
    """Apply a menu-bound rule line by line, tracking the current menu header."""
    if not _may_name(text, str(rule.menu)):  # no line of the menu at all
        return text, 0
    total = 0
    out: list[str] = []
    lines = text.split("\n")
    for line, inside in zip(lines, _in_menu(lines, str(rule.menu)), strict=True):
        if inside:
            replaced, count = rule.regex.subn(rule.replace, line)
            total += count
            out.append(replaced)
        else:
            out.append(line)
    return "\n".join(out), total


def sanitize(text: str, platform: str) -> Sanitized:
    """Replace every secret the platform's rules know with `PLACEHOLDER`."""
    hits: Counter[str] = Counter()
    for rule in rules_for(platform):
        if not rule.may_match(text):
            continue
        if rule.menu is None:
            text, count = rule.regex.subn(rule.replace, text)
        else:
            text, count = _apply_in_menu(rule, text)
        if count:
            hits[rule.name] += count
    return Sanitized(text, hits)


def rule_hits(text: str, platform: str) -> list[tuple[int, str]]:
    """(line, rule name) of every secret the platform's sanitize rules would still remove:
    the scan runs them too, so every form the sanitizer knows is also scanned."""
    found: list[tuple[int, str]] = []
    for rule in rules_for(platform):
        if not rule.may_match(text):
            continue
        if rule.menu is None:
            for match in rule.regex.finditer(text):
                found.append((text.count("\n", 0, match.end()) + 1, rule.name))
            continue
        if not _may_name(text, rule.menu):
            continue
        lines = text.split("\n")
        for lineno, (line, inside) in enumerate(
            zip(lines, _in_menu(lines, rule.menu), strict=True), 1
        ):
            if inside and rule.regex.search(line):
                found.append((lineno, rule.name))
    return found
