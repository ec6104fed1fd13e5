"""The secret scan's and the sanitizer's literal hints skip text, never a finding or a secret;
menu tracking skips no line; many known credentials are found as one by one.

A `SecretDetector` searches only lines holding one of its ``hints`` (and `scan` keeps only the
hints the whole text holds). Proved here against every captured real output in
tests/captures, the sanitize cases and one line per secret property RouterOS knows: every
line a detector's regex matches holds a hint, and `scan` finds exactly what a hint-free scan
of every line finds.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from oxidized_captures import sessions
from test_configs_sanitize import CASES, UNTOUCHED

from netrawat.configs.sanitize import Sanitized, _in_menu, _menu_of, sanitize
from netrawat.configs.secretscan import (
    COMMON_DETECTORS,
    MANY_KNOWN,
    MIN_KNOWN_LENGTH,
    Finding,
    detectors_for,
    known_hits,
    scan,
)
from netrawat.platforms import PLACEHOLDER, PLATFORMS, SanitizeRule, SecretDetector

CAPTURES = Path(__file__).resolve().parent / "captures"
PROPERTIES = [  # one line per SECRET_KEYS form (netrawat/platforms/routeros.py)
    f"/x add {key}={value}"
    for key in (
        "password", "passphrase", "secret", "ipsec-secret", "pre-shared-key", "preshared-key",
        "wpa2-pre-shared-key", "auth-key", "authentication-key", "authentication-password",
        "encryption-password", "private-key", "static-key-0", "static-key-3", "tcp-md5-key",
        "trap-community", "management-protection-key", "public-key", "key",
    )
    for value in ("s3cr3t", '"two words"', '\\"q\\"', PLACEHOLDER, '""')
]  # fmt: skip


def _corpus() -> list[str]:
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in sorted(CAPTURES.rglob("*"))
        if p.is_file() and p.suffix in {".raw", ".txt", ".yml", ".yaml", ".json"}
    ]
    texts += [out for s in sessions() for out in s.commands.values()]
    texts += [case[2] for case in CASES] + [line for _, line in UNTOUCHED]
    return [*texts, "\n".join(PROPERTIES)]


CORPUS = _corpus()
DETECTORS: list[SecretDetector] = [
    *sorted({d for p in PLATFORMS.values() for d in p.secret_detectors}, key=lambda d: d.name),
    *COMMON_DETECTORS,
]  # sorted: a set's order differs between xdist workers, which must collect the same tests


def _reference_scan(text: str, platform: str) -> list[Finding]:
    """`scan` without hints and without sanitize rules or known secrets: every line, every
    detector's regex."""
    found = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        for detector in detectors_for(platform):
            match = replace(detector, hints=()).search(line)
            if match:
                found.append(Finding(lineno, detector.name, match.group(1).strip()))
    return found


def test_the_corpus_is_real_and_has_secrets() -> None:
    assert len(CORPUS) > 300
    assert sum(bool(_reference_scan(t, "")) for t in CORPUS) >= 20


@pytest.mark.parametrize("detector", DETECTORS, ids=lambda d: d.name)
def test_every_line_a_detector_matches_holds_one_of_its_hints(detector: SecretDetector) -> None:
    assert all("\n" not in h and "\r" not in h for h in detector.hints)
    matched = 0
    for text in CORPUS:
        for line in text.splitlines():
            if detector.regex.search(line):
                matched += 1
                assert not detector.hints or any(h in line for h in detector.hints), line
    assert matched, f"{detector.name}: no line of the corpus shows it"


@pytest.mark.parametrize("platform", [*sorted(PLATFORMS), ""])
def test_scan_finds_what_every_line_searched_finds(platform: str) -> None:
    for text in CORPUS:
        assert scan(text, platform, rules=False) == _reference_scan(text, platform)


def _menus_walked(lines: list[str], menu: str) -> list[bool]:
    """The menu of every line as `_menu_of` tracks it, line after line."""
    current, inside = "", []
    for line in lines:
        current = _menu_of(line, current)
        inside.append(current == menu)
    return inside


def test_menu_tracking_agrees_with_walking_every_line() -> None:
    odd = ["/snmp  community add name=a", "/snmp\tcommunity set name=b", "/snmpx community add"]
    odd += ["/snmp community", "add name=c", "/snmp", "community add name=d", "/ add name=e"]
    texts = [*CORPUS, "\n".join(odd)]
    menus = {rule.menu for p in PLATFORMS.values() for rule in p.sanitize_rules if rule.menu}
    seen = {_menu_of(line, "") for t in CORPUS for line in t.split("\n") if line[:1] == "/"}
    menus |= {"", "/", "/snmp", *sorted(seen)[:60]}
    for text in texts:
        lines = text.split("\n")
        for menu in menus:
            assert list(_in_menu(lines, menu)) == _menus_walked(lines, menu), menu


def _reference_known_hits(text: str, known: set[str]) -> set[int]:
    """Every line holding a known value of 6+ characters as a whole token, value by value."""
    lines = set()
    for value in known:
        if len(value) >= MIN_KNOWN_LENGTH:
            token = re.compile(rf"(?<![A-Za-z0-9_.\-]){re.escape(value)}(?![A-Za-z0-9_.\-])")
            lines |= {text.count("\n", 0, m.start()) + 1 for m in token.finditer(text)}
    return lines


def test_many_known_credentials_are_found_as_one_by_one() -> None:
    """A fleet with a password per device: the token set finds what value-by-value finds."""
    rng = random.Random(15)
    for text in CORPUS[::3]:
        words = re.findall(r"\S+", text) or ["x"]
        known = {rng.choice(words) for _ in range(40)}  # whole tokens, or holding = " / ...
        known |= {w[1:-1] for w in rng.sample(words, min(10, len(words)))}  # inside words
        known |= {f"{rng.choice(words)} {rng.choice(words)}" for _ in range(5)}  # with spaces
        known |= {f"Rahasia-{n}" for n in range(MANY_KNOWN)}
        found = {f.line for f in known_hits(text, known)}
        assert found == _reference_known_hits(text, known)
        few = {v for v in known if not v.startswith("Rahasia-")}
        assert {f.line for f in known_hits(text, set(list(few)[:5]))} == (
            _reference_known_hits(text, set(list(few)[:5]))
        )


SANITIZE_RULES = list({r.name: r for p in PLATFORMS.values() for r in p.sanitize_rules}.values())


@pytest.mark.parametrize("rule", SANITIZE_RULES, ids=lambda r: r.name)
def test_every_match_of_a_sanitize_rule_holds_one_of_its_hints(rule: SanitizeRule) -> None:
    matched = 0
    for text in CORPUS:
        for match in rule.regex.finditer(text):
            matched += 1
            assert not rule.hints or any(h in match.group(0) for h in rule.hints), match[0]
    assert matched, f"{rule.name}: no text of the corpus shows it"


def _walk_menu(rule: SanitizeRule, text: str) -> tuple[str, int]:
    """A menu-bound rule on every line whose menu, tracked line after line, is the rule's
    (no shortcut at all)."""
    current, total, out = "", 0, []
    for line in text.split("\n"):
        current = _menu_of(line, current)
        if current == rule.menu:
            replaced, count = rule.regex.subn(rule.replace, line)
            total += count
            out.append(replaced)
        else:
            out.append(line)
    return "\n".join(out), total


def _sanitize_every_rule(text: str, platform: str) -> Sanitized:
    """`sanitize` without the hints: every rule searches the whole text (a menu-bound one
    every line, its menu walked)."""
    hits: Counter[str] = Counter()
    for rule in PLATFORMS[platform].sanitize_rules:
        if rule.menu is None:
            text, count = rule.regex.subn(rule.replace, text)
        else:
            text, count = _walk_menu(rule, text)
        if count:
            hits[rule.name] += count
    return Sanitized(text, hits)


ODD_MENUS = [  # menu headers RouterOS reads, spaced or written otherwise than its export does
    "/snmp  community add addresses=10.0.0.0/8 name=commsecret",
    "/snmp\tcommunity\nadd name=commsecret",
    "/snmp/community add name=commsecret",
    "/snmp/community\nset [ find default=yes ] name=commsecret",
    "/system  ntp key add key=ntpsecret",
    "/system/ntp/key\nadd key=ntpsecret",
]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_sanitize_removes_what_every_rule_searched_removes(platform: str) -> None:
    for text in [*CORPUS, *ODD_MENUS]:
        assert sanitize(text, platform) == _sanitize_every_rule(text, platform)


@pytest.mark.parametrize("text", ODD_MENUS)
def test_a_menu_however_written_is_sanitized_and_scanned(text: str) -> None:
    """``/snmp  community`` or ``/snmp/community``: the community is removed, and the scan
    of the raw text flags it (a plain ``menu in text`` check skipped both)."""
    clean = sanitize(text, "mikrotik_routeros")
    assert "secret" not in clean.text and clean.removed == 1
    assert any(f.keyword == "sanitize rule" for f in scan(text, "mikrotik_routeros"))
