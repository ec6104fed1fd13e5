"""The last guard before a commit: find any secret the sanitizer let through.

`scan` looks for three things in configuration text bound for git:

- *known values*: every credential netrawat itself holds (device passwords, enable secrets,
  the values of the secrets file) of `MIN_KNOWN_LENGTH`+ characters, as a whole token, which
  must never appear in a stored backup (metadata such as commit messages is not scanned: a
  host name or ``Operator: root`` is no leak);
- *secret-shaped lines*: the platform's detectors (``PlatformProfile.secret_detectors``: a
  password/secret/key/community keyword followed by a value that is not the sanitizer's
  placeholder) and crypt hashes (``$1$``, ``$9$`` ...);
- *any form the sanitizer knows*: every platform sanitize rule that would still remove
  something (`netrawat.configs.sanitize.rule_hits`), so a form is sanitized and scanned alike.

Findings never carry the secret itself: only the line number, the detector and the keyword.

>>> [f.detector for f in scan("enable secret 9 $9$abcdef\\n", "cisco_ios")]
['ios-secret-keyword', 'crypt-hash', 'ios-enable-secret', 'ios-trailing-secret']
>>> scan("enable secret 9 <removed>\\n", "cisco_ios")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from netrawat.configs.sanitize import rule_hits
from netrawat.platforms import PLACEHOLDER, PLATFORMS, SecretDetector

MIN_KNOWN_LENGTH = 6
"""Known values shorter than this are not searched for: ``root`` or ``admin`` match everyday
words (``Operator: root``, ``username admin``); the sanitize rules still remove them from the
lines that hold secrets."""
_TOKEN = r"[A-Za-z0-9_.\-]"
"""A known value counts only as a whole token: not inside a longer word (a password
``password`` is not found in ``service password-encryption``)."""

COMMON_DETECTORS: tuple[SecretDetector, ...] = (
    SecretDetector("crypt-hash", r"(\$(?:1|5|6|8|9|y|sha512)\$)[./\w]{4,}", hints=("$",)),
)
"""Detectors for every platform; the platform's own are ``PlatformProfile.secret_detectors``."""


def detectors_for(platform: str) -> tuple[SecretDetector, ...]:
    """The platform's detectors plus the common ones; an unknown platform gets every one."""
    profile = PLATFORMS.get(platform)
    if profile is None:
        every = {d for p in PLATFORMS.values() for d in p.secret_detectors}
        return tuple(sorted(every, key=lambda d: d.name)) + COMMON_DETECTORS
    return profile.secret_detectors + COMMON_DETECTORS


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


_TOKEN_RUN = re.compile(rf"{_TOKEN}+")
MANY_KNOWN = 32
"""From this many known values on, `known_hits` first lists the text's tokens (a fleet with
a password per device holds thousands: one substring search of the text each is O(N) per
host, O(N²) per run)."""


@lru_cache(maxsize=8)
def _searched(known: frozenset[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The known values `known_hits` searches for (`MIN_KNOWN_LENGTH`+ characters), as
    (made of token characters only, the others); once per set (a run scans every host with
    the same set)."""
    values = [v for v in known if len(v) >= MIN_KNOWN_LENGTH]
    pure = frozenset(v for v in values if _TOKEN_RUN.fullmatch(v))
    return pure, tuple(v for v in values if v not in pure)


def _present(text: str, known: Iterable[str]) -> list[str]:
    """The searched values that occur in ``text``, at least those that occur as whole
    tokens. Many values: one made of token characters only occurs as a whole token exactly
    when it is one of the text's maximal token runs (a set lookup); the others are searched
    for."""
    pure, other = _searched(known if isinstance(known, frozenset) else frozenset(known))
    if len(pure) + len(other) < MANY_KNOWN:
        return [v for v in (*pure, *other) if v in text]
    return [*pure.intersection(_TOKEN_RUN.findall(text)), *(v for v in other if v in text)]


def known_hits(text: str, known: Iterable[str]) -> list[Finding]:
    """Lines holding a known credential of `MIN_KNOWN_LENGTH`+ characters as a whole token:
    a substring search of the whole text per value first (with `MANY_KNOWN`+ values, a set
    of the text's tokens: `_present`), the token check and line numbers only for the values
    found.

    Run on configuration bodies only, never on metadata such as a commit message."""
    hits: set[int] = set()
    for value in _present(text, known):
        token = re.compile(rf"(?<!{_TOKEN}){re.escape(value)}(?!{_TOKEN})")
        for match in token.finditer(text):
            hits.add(text.count("\n", 0, match.start()) + 1)
    return [Finding(line, "known-secret", "a credential netrawat holds") for line in hits]


def redact_known(text: str, known: Iterable[str]) -> str:
    """``text`` with every known credential (as `known_hits` finds them) replaced by the
    placeholder: for metadata such as a commit message, which is never blocked on."""
    for value in sorted({v for v in known if len(v) >= MIN_KNOWN_LENGTH}, key=len, reverse=True):
        if value in text:
            token = re.compile(rf"(?<!{_TOKEN}){re.escape(value)}(?!{_TOKEN})")
            text = token.sub(PLACEHOLDER, text)
    return text


def scan(
    text: str, platform: str, known_secrets: Iterable[str] = (), *, rules: bool = True
) -> list[Finding]:
    """Every finding in ``text`` of a ``platform`` config, in line order (empty: safe).

    An unknown platform gets every detector (and no sanitize rules: they are platform
    syntax). ``rules=False`` skips the sanitize rules, for text the same rules have just
    sanitized (sanitizing twice changes nothing: tests/test_configs_sanitize.py)."""
    narrowed = (d.within(text) for d in detectors_for(platform))
    detectors = [d for d in narrowed if d is not None]
    findings: list[Finding] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for detector in detectors:
            match = detector.search(line)
            if match:
                findings.append(Finding(lineno, detector.name, match.group(1).strip()))
    if rules and platform in PLATFORMS:
        hits = rule_hits(text, platform)
        findings.extend(Finding(line, rule, "sanitize rule") for line, rule in hits)
    findings.extend(known_hits(text, known_secrets))  # "" is shorter than MIN_KNOWN_LENGTH
    return sorted(findings, key=lambda f: f.line)
