"""The last guard before a commit: find any secret the sanitizer let through.

`scan` looks for two things in text bound for git:

- *known values*: every credential netrawat itself holds (device passwords, enable secrets,
  the values of the secrets file), which must never appear in a stored backup;
- *secret-shaped lines*: a password/secret/key/community keyword followed by a value that is
  not the sanitizer's placeholder, and crypt hashes (``$1$``, ``$9$`` ...).

Findings never carry the secret itself: only the line number, the detector and the keyword.

>>> [f.detector for f in scan("enable secret 9 $9$abcdef\\n", "cisco_ios")]
['ios-secret-keyword', 'crypt-hash']
>>> scan("enable secret 9 <removed>\\n", "cisco_ios")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from netrawat.configs.sanitize import PLACEHOLDER

_P = re.escape(PLACEHOLDER)
MIN_KNOWN_LENGTH = 4
"""Known values shorter than this are not searched for (they would match everywhere)."""

Detector = tuple[str, re.Pattern[str]]

COMMON_DETECTORS: tuple[Detector, ...] = (
    ("crypt-hash", re.compile(r"(\$(?:1|5|6|8|9|y|sha512)\$)[./\w]{4,}")),
)
ROUTEROS_DETECTORS: tuple[Detector, ...] = (
    (
        "routeros-secret-property",
        re.compile(
            r"(?<![\w-])([\w-]*(?:password|passphrase|secret|pre-?shared-key|private-key"
            rf"|static-key-\d|auth(?:entication)?-key|tcp-md5-key)|trap-community)=(?!\"\"|{_P}|\s|$)"
        ),
    ),
    (
        "routeros-snmp-community",
        re.compile(rf"^(/snmp community) (?:add|set)\b.*(?<![\w-])name=(?!{_P})\S"),
    ),
)
IOS_DETECTORS: tuple[Detector, ...] = (
    (
        "ios-secret-keyword",
        re.compile(
            r"(?:^|\s)(secret|password|key-string|server-key|wpa-psk ascii|wpa-psk hex"
            r"|set-key ascii|set-key hex)(?: level \d+)?+(?: [0-9](?= ))?+"
            rf" (?!{_P}|encryption aes)\S"
        ),
    ),
    ("ios-community", re.compile(rf"^(snmp-server community) (?!{_P})\S")),
    (
        "ios-snmp-host-community",
        re.compile(
            rf"^(snmp-server host) \S+(?: vrf \S+)?+(?: informs| traps)?+"
            rf"(?: version (?:1|2c))?+ (?!version\b|{_P})\S"
        ),
    ),
    ("ios-key", re.compile(rf"(?:^|\s)(key)(?: [0-9](?= ))?+ (?!{_P}|chain\b|config-key\b)\S")),
)
DETECTORS: dict[str, tuple[Detector, ...]] = {
    "mikrotik_routeros": ROUTEROS_DETECTORS + COMMON_DETECTORS,
    "cisco_ios": IOS_DETECTORS + COMMON_DETECTORS,
}


class KnownSecrets(frozenset[str]):
    """The credentials netrawat holds, for the scan; never shown.

    Nornir logs every task's arguments at INFO and the run log in ``<state>/logs`` keeps them,
    so the repr says only how many there are.
    """

    def __repr__(self) -> str:
        return f"<{len(self)} known secrets>"

    __str__ = __repr__


@dataclass(frozen=True)
class Finding:
    """One thing that must not go into git; the secret itself is never kept."""

    line: int
    detector: str
    keyword: str

    def describe(self, path: str = "") -> str:
        where = f"{path}:{self.line}" if path else f"line {self.line}"
        return f"{where}: {self.detector} ({self.keyword})"


def known_hits(text: str, known: Iterable[str]) -> list[Finding]:
    """Lines holding a known credential: one substring search of the whole text per value
    (a fleet has few distinct credentials), line numbers only for the values found."""
    hits: set[int] = set()
    for value in known:
        if len(value) < MIN_KNOWN_LENGTH or value not in text:
            continue
        start = text.find(value)
        while start >= 0:
            hits.add(text.count("\n", 0, start) + 1)
            start = text.find(value, start + 1)
    return [Finding(line, "known-secret", "a credential netrawat holds") for line in hits]


def scan(text: str, platform: str, known_secrets: Iterable[str] = ()) -> list[Finding]:
    """Every finding in ``text`` of a ``platform`` config, in line order (empty: safe).

    An unknown platform gets every detector."""
    detectors = DETECTORS.get(platform) or tuple({d for ds in DETECTORS.values() for d in ds})
    findings: list[Finding] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for name, regex in detectors:
            match = regex.search(line)
            if match:
                findings.append(Finding(lineno, name, match.group(1).strip()))
    findings.extend(known_hits(text, {s for s in known_secrets if s}))
    return sorted(findings, key=lambda f: f.line)
