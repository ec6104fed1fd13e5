"""Remove secrets from a configuration before it goes into git.

Rules are data per platform: a `SanitizeRule` is a regex (MULTILINE, applied to the whole
text) and a replacement that keeps everything but the secret, which becomes `PLACEHOLDER`.
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

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from netrawat.platforms import profile_for

PLACEHOLDER = "<removed>"
_R = re.escape(PLACEHOLDER)

_ROS_VALUE = r'(?:\\"(?:[^"\\\n]|\\[^"\n])*\\"|"(?:[^"\\\n]|\\.)*"|[^\s"\\]+(?:\\.[^\s"\\]*)*)'
"""A RouterOS property value: escaped-quoted inside a quoted script (``\\"x y\\"``), quoted
(with escapes), or a bare token (which may hold escapes)."""

ROUTEROS_SECRET_KEYS = (
    r"[\w-]*password",
    r"[\w-]*passphrase",
    r"[\w-]*secret",
    r"[\w-]*pre-?shared-key",
    r"private-key",
    r"static-key-\d",
    r"[\w-]*auth(?:entication)?-key",
    r"tcp-md5-key",
    r"trap-community",
)


@dataclass(frozen=True)
class SanitizeRule:
    """One kind of secret: ``pattern`` matches it, ``replace`` keeps its context."""

    name: str
    pattern: str
    replace: str
    flags: int = re.MULTILINE
    menu: str | None = None
    """RouterOS: apply only to lines of this menu (terse ``/menu add ...`` or non-terse
    lines below a ``/menu`` header)."""

    @property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)


ROUTEROS_RULES: tuple[SanitizeRule, ...] = (
    SanitizeRule(
        "routeros-secret-property",
        rf"(?<![\w-])((?:{'|'.join(ROUTEROS_SECRET_KEYS)})=)(?!\"\"|{_R})"
        rf"{_ROS_VALUE}",
        rf"\1{PLACEHOLDER}",
    ),
    SanitizeRule(
        "routeros-snmp-community-name",
        rf"((?<![\w-])name=)(?!{_R}){_ROS_VALUE}",
        rf"\1{PLACEHOLDER}",
        menu="/snmp community",
    ),
)

_IOS_TYPE = r"(?: [0-9](?= ))?+"
"""An optional encryption type digit; possessive, so it is never taken for the secret."""

IOS_RULES: tuple[SanitizeRule, ...] = (
    SanitizeRule(
        "ios-enable-secret",
        rf"^(enable (?:secret|password)(?: level \d+)?+{_IOS_TYPE}) (?!{_R})\S.*$",
        rf"\1 {PLACEHOLDER}",
    ),
    SanitizeRule(
        "ios-user-secret",
        rf"^(\s*(?:username|mgmtuser username|dot1x username) \S+.*? "
        rf"(?:secret|password){_IOS_TYPE}) (?!{_R})\S.*?"
        rf"(?=( secret{_IOS_TYPE} \S)|$)",
        rf"\1 {PLACEHOLDER}",
    ),
    SanitizeRule(
        "ios-trailing-secret",
        rf"( secret{_IOS_TYPE}) (?!{_R})\S.*$",
        rf"\1 {PLACEHOLDER}",
    ),
    SanitizeRule(
        "ios-snmp-community",
        rf"^(snmp-server community) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
    ),
    SanitizeRule(
        "ios-snmp-host-community",
        r"^(snmp-server host \S+(?: vrf \S+)?+(?: informs| traps)?+(?: version (?:1|2c))?+) "
        rf"(?!version\b|{_R})\S+",
        rf"\1 {PLACEHOLDER}",
    ),
    SanitizeRule(
        "ios-wifi-psk",
        rf"^(\s*(?:security wpa psk set-key (?:ascii|hex)|wpa-psk (?:ascii|hex)){_IOS_TYPE})"
        rf" (?!{_R})\S.*$",
        rf"\1 {PLACEHOLDER}",
    ),
    SanitizeRule(
        "ios-isakmp-key",
        rf"^(crypto isakmp key{_IOS_TYPE}) (?!{_R})\S+",
        rf"\1 {PLACEHOLDER}",
    ),
    SanitizeRule(
        "ios-key",
        rf"((?:^|\s)(?:key|server-key|key-string|pre-shared-key(?: local| remote)?"
        rf"|authentication-key(?: \d+ md5)?|message-digest-key \d+ md5|authentication md5 "
        rf"key-string|authentication text|tacacs-server key|radius-server key){_IOS_TYPE})"
        rf" (?!{_R}|chain\b|config-key\b)\S+",
        rf"\1 {PLACEHOLDER}",
    ),
    SanitizeRule(
        "ios-password",
        rf"((?:^|\s)password(?: level \d+)?+{_IOS_TYPE}) (?!{_R}|encryption aes)\S.*?"
        rf"(?=( secret{_IOS_TYPE} \S)|$)",
        rf"\1 {PLACEHOLDER}",
    ),
)

RULES: Mapping[str, tuple[SanitizeRule, ...]] = {
    "mikrotik_routeros": ROUTEROS_RULES,
    "cisco_ios": IOS_RULES,
}


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
    return RULES[profile_for(platform).name]


_VERBS = frozenset({"add", "set", "remove", "enable", "disable", "unset", "move"})


def _menu_of(line: str, current: str) -> str:
    """The RouterOS menu a line belongs to: its own ``/menu`` prefix or the current one."""
    if not line.startswith("/"):
        return current
    words: list[str] = []
    for word in line.split():
        if word in _VERBS or "=" in word or word.startswith("["):
            break
        words.append(word)
    return " ".join(words)


def _apply_in_menu(rule: SanitizeRule, text: str) -> tuple[str, int]:
    """Apply a menu-bound rule line by line, tracking the current menu header."""
    current = ""
    total = 0
    out: list[str] = []
    for line in text.split("\n"):
        current = _menu_of(line, current)
        if current == rule.menu:
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
        if rule.menu is None:
            text, count = rule.regex.subn(rule.replace, text)
        else:
            text, count = _apply_in_menu(rule, text)
        if count:
            hits[rule.name] += count
    return Sanitized(text, hits)
