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

from collections.abc import Iterable
from dataclasses import dataclass

from netrawat.platforms import PLATFORMS, SecretDetector

MIN_KNOWN_LENGTH = 4
"""Known values shorter than this are not searched for (they would match everywhere)."""

COMMON_DETECTORS: tuple[SecretDetector, ...] = (
    SecretDetector("crypt-hash", r"(\$(?:1|5|6|8|9|y|sha512)\$)[./\w]{4,}"),
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
    detectors = detectors_for(platform)
    findings: list[Finding] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for detector in detectors:
            match = detector.regex.search(line)
            if match:
                findings.append(Finding(lineno, detector.name, match.group(1).strip()))
    findings.extend(known_hits(text, {s for s in known_secrets if s}))
    return sorted(findings, key=lambda f: f.line)
