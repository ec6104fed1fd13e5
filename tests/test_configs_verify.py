"""Verification before storing: real captures pass, every kind of damage is caught."""

from __future__ import annotations

import pytest
from oxidized_captures import Session, sessions

from netrawat.configs.verify import Fetched, content_line_count, verify


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_real_captures_pass(session: Session) -> None:
    verdict = verify(Fetched(session.platform, session.config, prompt_returned=True))
    assert verdict.ok, verdict.reason


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_missing_prompt_fails(session: Session) -> None:
    verdict = verify(Fetched(session.platform, session.config, False, "connection closed"))
    assert (verdict.ok, verdict.check) == (False, "prompt")
    assert "connection closed" in verdict.reason


@pytest.mark.parametrize("session", sessions("cisco_ios"), ids=lambda s: s.name)
def test_ios_cut_before_end_fails(session: Session) -> None:
    lines = session.config.splitlines()
    cut = "\n".join(lines[: len(lines) * 2 // 3]) + "\n"
    verdict = verify(Fetched("cisco_ios", cut, True))
    assert (verdict.ok, verdict.check) == (False, "end")


@pytest.mark.parametrize("session", sessions("mikrotik_routeros"), ids=lambda s: s.name)
def test_routeros_cut_mid_line_fails(session: Session) -> None:
    text = session.config
    # cut inside a property value on a continued or quoted line
    for marker in ('comment="', "\\\n", "="):
        at = text.rfind(marker)
        if at > 0:
            cut = text[: at + len(marker)]
            verdict = verify(Fetched("mikrotik_routeros", cut, True))
            assert (verdict.ok, verdict.check) == (False, "end"), (marker, cut[-80:])


@pytest.mark.parametrize(
    "cut_line",
    [
        '/ip firewall filter add action=accept chain=input comment="defconf: acc',
        "/ip address add address=",
        "/interface bridge port add bridge=bridge interface=ether2 \\",
        "address=10.21.4.1/24",
        "dhcp-server",
    ],
)
def test_routeros_terse_cut_lines_fail(cut_line: str) -> None:
    text = "# software id = X\n/ip dns set servers=10.0.0.53\n" + cut_line + "\n"
    verdict = verify(Fetched("mikrotik_routeros", text, True))
    assert (verdict.ok, verdict.check) == (False, "end")


@pytest.mark.parametrize(
    ("platform", "reply"),
    [
        ("mikrotik_routeros", "bad command name show-sensitive (line 1 column 15)"),
        ("mikrotik_routeros", "expected end of command (line 1 column 9)"),
        ("cisco_ios", "                ^\n% Invalid input detected at '^' marker."),
        ("cisco_ios", "% Incomplete command."),
    ],
)
def test_error_replies_fail(platform: str, reply: str) -> None:
    verdict = verify(Fetched(platform, reply, True))
    assert (verdict.ok, verdict.check) == (False, "error")


@pytest.mark.parametrize("platform", ["mikrotik_routeros", "cisco_ios"])
def test_empty_fails(platform: str) -> None:
    verdict = verify(Fetched(platform, "\n  \n", True))
    assert (verdict.ok, verdict.check) == (False, "empty")


@pytest.mark.parametrize("session", sessions(), ids=lambda s: s.name)
def test_size_collapse_against_previous(session: Session) -> None:
    lines = content_line_count(session.config)
    fetched = Fetched(session.platform, session.config, True)
    assert verify(fetched, previous_lines=lines).ok
    assert verify(fetched, previous_lines=lines * 2 - 1, min_ratio=0.5).ok
    verdict = verify(fetched, previous_lines=lines * 2 + 1, min_ratio=0.5)
    assert (verdict.ok, verdict.check) == (False, "size")
    assert verify(fetched, previous_lines=lines * 3, min_ratio=0.3).ok
    assert verify(fetched, previous_lines=lines * 9, min_ratio=0).ok


@pytest.mark.parametrize(
    ("platform", "text"),
    [
        (
            "mikrotik_routeros",
            '/ip dns set servers=1.1.1.1\n/interface wifi set .passphrase="Rahas',
        ),
        ("mikrotik_routeros", "/ip dns set servers=1.1.1.1\n/ppp secret add password=Rahas \\"),
        ("mikrotik_routeros", "/ip dns set servers=1.1.1.1\nRahasia-42"),
        ("mikrotik_routeros", "bad command name Rahasia-42 (line 1 column 1)"),
        ("mikrotik_routeros", 'failure: value="Rahasia-42" is wrong'),
        ("cisco_ios", "hostname R\nenable secret 0 Rahasia-42"),
    ],
)
def test_reasons_never_quote_configuration_text(platform: str, text: str) -> None:
    verdict = verify(Fetched(platform, text, True))
    assert not verdict.ok
    assert "Rahas" not in verdict.reason


def test_banner_text_starting_with_percent_is_configuration_not_a_reply() -> None:
    text = "hostname R1\n!\nbanner motd ^C\n% Authorized use only %\n^C\n!\nend\n"
    assert verify(Fetched("cisco_ios", text, True)).ok


def test_an_ios_refusal_is_reported_in_the_devices_words() -> None:
    """`% Invalid input detected at '^' marker.` holds no value: the reason quotes it whole
    (a bare `%` tells the operator nothing)."""
    text = "show running-config\n        ^\n% Invalid input detected at '^' marker.\n"
    verdict = verify(Fetched("cisco_ios", text, True))
    assert verdict.reason == (
        "device replied with an error: % Invalid input detected at '^' marker."
    )
