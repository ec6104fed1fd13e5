"""Device rejections are platform data: tables of what devices print, and a push over SSH
whose outcome carries the refused line and the device's own words (issue 14.3).

Reply strings come from real devices: tests/captures (ntc-templates' RouterOS ``bad command
name poe (line 1 column 21)``, Oxidized's ASR920 and NAPALM's IOS-XE ``% Invalid input detected
at '^' marker.``), FIELD-NOTES.md, scrapli's IOS-XE ``failed_when_contains`` and the issue's
reports from third-party IOS-like devices.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from netmiko import BaseConnection, ConnectHandler

from netrawat.platforms import CISCO_IOS, ROUTEROS, PlatformProfile, profile_for
from netrawat.tasks.push_config import send_lines
from netrawat_lab.handle import Lab

CAPTURES = Path(__file__).resolve().parent / "captures"

IOS_REJECTIONS = [
    "% Invalid input detected at '^' marker.",
    "% Incomplete command.",
    '% Ambiguous command:  "sh"',
    "% Unknown command or computer name, or unable to find computer address",
    "% Configuration failed.",
    "% Specify remote-as or peer-group commands first",
    "% 10.0.0.0 overlaps with GigabitEthernet1",
    "% Invalid source address- IP address not on any of our up interfaces",
    "% Please define a domain-name first.",
    "% Password too short - must be at least 8 characters.",
    "%Error opening tftp://10.0.0.1/x (Timed out)",
    "% Bad IP address or host name",
    "% BGP not active",
]
IOS_INFORMATIONAL = [
    "% Warning: use /31 mask on non point-to-point interface cautiously",
    "%Warning: the interface is already part of the bundle",
    "% Applying VLAN changes may take few minutes.  Please wait...",
    "% Access VLAN does not exist. Creating vlan 30",
    "% Generating 2048 bit RSA keys, keys will be non-exportable...",
    "% Interface GigabitEthernet0/1 IPv4 disabled and address(es) removed due to enabling VRF X",
    "%SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.9)",
    "*Mar  1 00:01:02.123: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down",
    "Building configuration...",
    "[OK]",
    "banner text 50% done",
]
ROUTEROS_REJECTIONS = [
    "bad command name poe (line 1 column 21)",
    "bad command name copy (line 1 column 1)",
    "expected end of command (line 1 column 9)",
    "expected closing brace (line 1 column 30)",
    "syntax error (line 1 column 7)",
    "failure: already have such address",
    "failure: item with such name already exists",
    "no such item",
    "no such item (4)",
    "input does not match any value of interface",
    "invalid value for argument address",
    "invalid value for argument mtu: 70000",
    "ambiguous value of interface, more than one possible value matches input",
    "value of mtu out of range (0..65535)",
    "value of address expects range of ip addresses",
    "missing value(s) of argument(s) name",
    "unknown parameter",
    "not enough permissions (9)",
    "invalid internal item number",
]
ROUTEROS_ACCEPTED = [
    "",
    "Configuration backup saved",
    "  0 address=10.20.0.1/24 network=10.20.0.0 interface=bridge-lan",
    '/ip firewall filter add action=drop chain=input comment="expected drops"',
    "# jul/21/2023 09:42:42 by RouterOS 6.48.6",
    "                  version: 7.16.1 (stable)",
]


@pytest.mark.parametrize(
    ("profile", "line"),
    [(CISCO_IOS, r) for r in IOS_REJECTIONS] + [(ROUTEROS, r) for r in ROUTEROS_REJECTIONS],
)
def test_rejections_are_found_with_the_device_words(profile: PlatformProfile, line: str) -> None:
    reply = f"  some echo\n{line}   \n"
    assert profile.find_error(reply) == line.strip()


@pytest.mark.parametrize(
    ("profile", "line"),
    [(CISCO_IOS, r) for r in IOS_INFORMATIONAL] + [(ROUTEROS, r) for r in ROUTEROS_ACCEPTED],
)
def test_informational_replies_are_no_rejection(profile: PlatformProfile, line: str) -> None:
    assert profile.find_error(line) is None


def test_real_captured_rejections() -> None:
    """The error replies recorded from real devices in the repository's captures."""
    ntc = CAPTURES / "ntc-templates" / "tests" / "mikrotik_routeros"
    for raw in sorted(ntc.glob("interface_ethernet_poe_print*/*no_poe*.raw")):
        assert ROUTEROS.find_error(raw.read_text()).startswith("bad command name ")  # type: ignore[union-attr]
    napalm = CAPTURES / "napalm" / "test" / "ios" / "mocked_data" / "test_get_environment"
    failing = napalm / "temp_cmd_fail" / "show_env_temperature_status.txt"
    assert CISCO_IOS.find_error(failing.read_text()) == "% Invalid input detected at '^' marker."


# -- over SSH against the lab --------------------------------------------------------------------

REFUSED = {
    "CR-DINKES": ("ip route 10.9.9.0 255.255.255.0 no-such-word", "% Invalid input detected"),
    "RTR-DINKES": (
        "/ip address add address=10.9.9.1/24 interface=no-such-if",
        "input does not match any value of interface",
    ),
}


@pytest.fixture
def connection(clean_lab: Lab, request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any]]:
    spec = clean_lab.spec(request.param)
    profile = profile_for(spec.platform)
    conn = ConnectHandler(
        device_type=profile.netmiko_platform,
        host=spec.address,
        port=spec.port,
        username=spec.username,
        password=spec.password,
        secret=spec.enable_secret,
        ssh_strict=False,
        system_host_keys=False,
        alt_host_keys=False,
        use_keys=False,
        allow_agent=False,
    )
    try:
        yield profile, conn
    finally:
        conn.disconnect()


@pytest.mark.lab
@pytest.mark.parametrize("connection", sorted(REFUSED), indirect=True)
def test_a_refused_line_reaches_the_push_outcome(
    connection: tuple[PlatformProfile, BaseConnection],
) -> None:
    profile, conn = connection
    name = "CR-DINKES" if profile is CISCO_IOS else "RTR-DINKES"
    bad, words = REFUSED[name]
    good = "ip name-server 10.9.9.53" if profile is CISCO_IOS else "/ip dns set cache-size=4096KiB"
    undo = (
        "no ip name-server 10.9.9.53" if profile is CISCO_IOS else "/ip dns set cache-size=2048KiB"
    )
    try:
        outcome = send_lines(conn, profile, [good, bad, good], read_timeout=10)
    finally:  # the shared lab keeps configuration: later surveys must not see this server
        send_lines(conn, profile, [undo], read_timeout=10)
    assert outcome.sent == [good, bad], "nothing after the refused line is sent"
    assert outcome.rejected_line == bad and not outcome.ok
    assert outcome.error and outcome.device_words and outcome.error in outcome.device_words
    assert words in outcome.device_words
    assert profile.find_error(outcome.device_words) == outcome.error
    assert outcome.to_json()["rejected_line"] == bad
    assert outcome.to_json()["device_words"] == outcome.device_words
