"""netrawat's netmiko connection (netrawat.sshsession): cheaper reads, the very same text.

`CheapReads` skips netmiko's ANSI stripping and line-feed normalization when the text holds
no ESC / no carriage return; every output here must come out exactly as netmiko's own code
makes it: the recorded real sessions (tests/captures/oxidized), escape sequences RouterOS
and IOS print, and random text.
"""

from __future__ import annotations

import random

import pytest
from netmiko import BaseConnection
from netmiko.cisco import CiscoIosSSH
from netmiko.huawei import HuaweiSSH
from netmiko.mikrotik import MikrotikRouterOsSSH
from nornir.core.plugins.connections import ConnectionPluginRegister
from oxidized_captures import sessions

from netrawat.fleet import register_connections
from netrawat.sshsession import Netmiko, driver_class

PLATFORMS = {"mikrotik_routeros": MikrotikRouterOsSSH, "cisco_ios": CiscoIosSSH}
ESCAPED = [
    "\x1b[9999B[admin@RTR-DINKES] > ",  # RouterOS repaint: cursor far down, then the prompt
    "\x1b[K\x1b[2K\x1b[1;24r\x1b[?6l\x1b[?7l\x1b[2J\x1b[00;32mgreen\x1b[0m\x1b[6n",
    "/export\r\n\x1b[?2004h# 2024-10-28 12:28:48 by RouterOS 7.16.1\r\n\x1b[?2004l",
    "R1#\x1bE\x1b[3L\x1b[1M\x1b[c\x1b[4mline\x1b[7m\x1b[12D\x1b[3A\x1b[B\x1b[C\x1b[?7h",
    "\x1b[12;40Hx\x1b[?25h\x1b[m\x1b[J\x1b[1;32m\x1b[31m\x1b[95m\x1b[1;31;40m\x1b",
]


def _offline(device_type: str) -> BaseConnection:
    """A driver of ``device_type`` that never connects (only its text methods are used)."""
    cls = driver_class(device_type)
    return cls(
        host="127.0.0.1",
        username="u",
        password="p",
        device_type=device_type,
        auto_connect=False,
    )


def _texts() -> list[str]:
    recorded = [out for s in sessions() for out in s.commands.values()]
    rng = random.Random(19)
    alphabet = 'ab[];?0123456789 \t\r\nEHJKLm>#@=/"\\-'
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(300)]
    return ["", "\r", "\n\r", "\r\r\r\n", *recorded, *ESCAPED, *made]


@pytest.mark.parametrize("device_type", sorted(PLATFORMS))
def test_cheap_reads_change_nothing_netmiko_would_not(device_type: str) -> None:
    conn = _offline(device_type)
    base = PLATFORMS[device_type]
    assert isinstance(conn, base) and type(conn) is not base
    texts = _texts()
    assert len(texts) > 300 and any("\r" in t for t in texts[4:])  # real sessions have CRs
    for text in texts:
        assert conn.strip_ansi_escape_codes(text) == base.strip_ansi_escape_codes(conn, text)
        assert conn.normalize_linefeeds(text) == base.normalize_linefeeds(conn, text)


def test_escape_codes_are_still_stripped() -> None:
    conn = _offline("mikrotik_routeros")
    assert conn.strip_ansi_escape_codes(ESCAPED[0]) == "[admin@RTR-DINKES] > "
    assert conn.normalize_linefeeds("a\r\nb\r\r\nc") == "a\nb\nc"


def test_a_driver_with_its_own_read_processing_is_left_as_it_is() -> None:
    assert driver_class("huawei") is HuaweiSSH  # its own strip_ansi_escape_codes
    with pytest.raises(ValueError, match="device_type"):
        driver_class("no_such_os")


def test_fleets_register_netrawats_netmiko_plugin() -> None:
    register_connections(("netmiko",))
    assert ConnectionPluginRegister.get_plugin("netmiko") is Netmiko
