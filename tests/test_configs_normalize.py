"""Volatile-line rules: each rule has a case, and real captures normalize as expected."""

from __future__ import annotations

import pytest
from oxidized_captures import Session, sessions

from netrawat.configs.normalize import normalize
from netrawat.platforms import PLATFORMS

RULES = {name: profile.volatile_rules for name, profile in PLATFORMS.items()}

# rule name -> (platform, a real line it must drop)
RULE_CASES = {
    "routeros-export-timestamp": ("mikrotik_routeros", "# 2024-10-28 12:28:48 by RouterOS 7.16.1"),
    "routeros-transient-comment": ("mikrotik_routeros", "# poe-out status: voltage_on_poe-in"),
    "ios-building-configuration": ("cisco_ios", "Building configuration..."),
    "ios-current-configuration-bytes": ("cisco_ios", "Current configuration : 20546 bytes"),
    "ios-last-configuration-change": (
        "cisco_ios",
        "! Last configuration change at 09:37:40 CEST Tue Aug 20 2024 by oxidized",
    ),
    "ios-nvram-last-updated": (
        "cisco_ios",
        "! NVRAM config last updated at 09:37:37 CEST Tue Aug 20 2024 by oxidized",
    ),
    "ios-no-configuration-change": ("cisco_ios", "! No configuration change since last restart"),
    "ios-ntp-clock-period": ("cisco_ios", "ntp clock-period 36028797018963968"),
}

KEPT = [
    ("mikrotik_routeros", "# software id = BU8Q-CSUN"),
    ("mikrotik_routeros", "# model = RB5009UG+S+"),
    ("mikrotik_routeros", "/ip dns set servers=10.0.0.53,10.0.1.53"),
    ("mikrotik_routeros", '/system note set note="# 2024-10-28 12:28:48 by RouterOS 7.16.1"'),
    ("cisco_ios", "ntp server 10.0.0.123"),
    ("cisco_ios", "! Last configuration change is what this comment is about"),
    ("cisco_ios", "hostname RTR-DINKES"),
]


def test_every_rule_has_a_case() -> None:
    names = {rule.name for rules in RULES.values() for rule in rules}
    assert names == set(RULE_CASES)


@pytest.mark.parametrize(("name", "case"), sorted(RULE_CASES.items()))
def test_rule_drops_its_line_and_counts_it(name: str, case: tuple[str, str]) -> None:
    platform, line = case
    result = normalize(f"keep me\n{line}\nkeep me too\n", platform)
    assert result.text == "keep me\nkeep me too\n"
    assert dict(result.hits) == {name: 1}


@pytest.mark.parametrize(("platform", "line"), KEPT)
def test_configuration_lines_are_kept(platform: str, line: str) -> None:
    assert normalize(line + "\n", platform).text == line + "\n"
    assert normalize(line, platform).ignored == 0


def test_v6_timestamp_and_padding() -> None:
    text = "# jul/21/2023 09:42:42 by RouterOS 6.48.6\r\n/ip dns   \r\nset servers=1.1.1.1  \r\n"
    result = normalize(text, "mikrotik_routeros")
    assert result.text == "/ip dns\nset servers=1.1.1.1\n"
    assert result.hits["routeros-export-timestamp"] == 1


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_captures_lose_only_volatile_lines(session: Session) -> None:
    raw = session.config
    result = normalize(raw, session.platform)
    assert result.ignored >= 1  # every capture has a timestamp / byte count
    kept = result.text.splitlines()
    dropped = [line.rstrip() for line in raw.splitlines() if line.strip()]
    for line in kept:
        if line.strip():
            dropped.remove(line)
    rules = RULES[session.platform]
    assert len(dropped) == result.ignored
    assert all(any(rule.regex.search(line) for rule in rules) for line in dropped)


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_same_config_at_another_time_normalizes_equal(session: Session) -> None:
    later = (
        session.config.replace("2024", "2031")
        .replace("2025", "2032")
        .replace("Current configuration : ", "Current configuration : 1")
    )
    if session.platform == "cisco_ios":
        later = later.replace("end\n", "ntp clock-period 17179822\nend\n", 1)
    assert (
        normalize(session.config, session.platform)
        .text.replace("2024", "2031")
        .replace("2025", "2032")
        == normalize(later, session.platform).text
    )
