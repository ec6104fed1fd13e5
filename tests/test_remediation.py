"""Remediation engines, offline, on real captured configurations (../shared/captures).

Circular, like hier_config's own tests: running + remediation == intended (re-checked with the
engine: compliant), and running + remediation + rollback == running.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from netrawat.errors import InputError
from netrawat.paths import PROJECT_ROOT
from netrawat.remediation import apply_offline, remediate
from netrawat.remediation.ios import one_value_per_line, scoped_text
from netrawat.remediation.routeros_model import ConfigModel, Menu, menus
from netrawat.remediation.routeros_terse import parse_export, parse_line, render_value

CAPTURES = PROJECT_ROOT.parent / "shared" / "captures"
ROS = "mikrotik_routeros"
IOS = "cisco_ios"
ROS_EXPORTS = sorted((CAPTURES / "oxidized").glob("routeros#*#output.txt")) + sorted(
    (CAPTURES / "ntc-templates/tests/mikrotik_routeros/ip_address_export_verbose").glob("*.raw")
)
IOS_CONFIGS = [
    *sorted((CAPTURES / "oxidized").glob("ios#*#output.txt")),
    CAPTURES / "napalm/test/ios/mocked_data/test_get_config/normal/show_running_config.txt",
]


def _id(path: Path) -> str:
    return path.name.split("#")[1] if "#" in path.name else path.parent.name


# -- RouterOS lines -------------------------------------------------------------------------

LINES = [
    (
        '/ip address add address=10.0.0.1/24 comment="LAN A" interface=br',
        (
            "/ip address",
            "add",
            (),
            {"address": "10.0.0.1/24", "comment": "LAN A", "interface": "br"},
        ),
    ),
    (
        "/interface wifi set [ find default-name=wifi1 ] configuration.country=Indonesia .mode=ap "
        ".ssid=X security.authentication-types=wpa2-psk",
        (
            "/interface wifi",
            "set",
            (("default-name", "wifi1"),),
            {
                "configuration.country": "Indonesia",
                "configuration.mode": "ap",
                "configuration.ssid": "X",
                "security.authentication-types": "wpa2-psk",
            },
        ),
    ),
    (
        "/ip dns set servers=10.0.0.53,10.0.1.53",
        ("/ip dns", "set", (), {"servers": "10.0.0.53,10.0.1.53"}),
    ),
    ("/port set 0 name=serial0", ("/port", "set", (("#", "0"),), {"name": "serial0"})),
    (
        '/ip/route remove [ find where gateway="1.2.3.4" ]',
        ("/ip route", "remove", (("gateway", "1.2.3.4"),), {}),
    ),
    ('/system note set note="a \\"b\\" \\$c"', ("/system note", "set", (), {"note": 'a "b" $c'})),
]


@pytest.mark.parametrize(("line", "expected"), LINES)
def test_terse_line_parses_to_path_action_selector_props(line: str, expected: tuple) -> None:
    entry = parse_line(line)
    assert (entry.path, entry.action, entry.selector, entry.props) == expected


@pytest.mark.parametrize("value", ["LAN DINKES", 'a "quoted" $x', "", "10.0.0.1/24", "a\\b"])
def test_rendered_values_read_back_the_same(value: str) -> None:
    assert parse_line(f"/x set a={render_value(value)}").props["a"] == value


@pytest.mark.parametrize("line", ["ip address add", "/ip address", '/x set a="open'])
def test_not_a_command_is_an_input_error(line: str) -> None:
    with pytest.raises(InputError):
        parse_line(line)


def test_wrapped_non_terse_export_reads_like_terse() -> None:
    wrapped = (
        "/ip firewall filter\n"
        'add action=accept chain=input comment="defconf: accept established,related,untr\\\n'
        '    acked" connection-state=established,related\n'
        "/ip dns\nset servers=1.1.1.1\n"
    )
    entries = parse_export(wrapped)
    assert [e.path for e in entries] == ["/ip firewall filter", "/ip dns"]
    assert entries[0].props["comment"] == "defconf: accept established,related,untracked"


@pytest.mark.parametrize("capture", ROS_EXPORTS, ids=_id)
def test_every_command_of_real_exports_parses(capture: Path) -> None:
    text = capture.read_text()
    commands = [
        line
        for line in text.splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith("/")
    ]
    entries = parse_export(text)
    assert len(entries) == len(commands) > 0
    paths = sorted({e.path for e in entries})
    assert remediate(ROS, text, text, paths).compliant


# -- RouterOS circular ----------------------------------------------------------------------


def _mutations(text: str) -> tuple[str, list[str]]:
    """An intended config from a real export: per menu, the first item changed, the last item
    dropped, and (menus identified by all their properties) a new item added."""
    entries = parse_export(text)
    intended: list[str] = []
    paths = sorted({e.path for e in entries})
    for path in paths:
        here = [e for e in entries if e.path == path]
        kept = here[:-1] if len(here) > 1 and here[-1].action == "add" else here
        for index, entry in enumerate(kept):
            props = dict(entry.props)
            if index == 0:
                props["comment"] = "netrawat intended"
            intended.append(_line(entry.path, entry.action, entry.selector, props))
        if here[0].action == "add" and not menus().get(path, Menu(path)).key:
            intended.append(_line(path, "add", (), {**here[0].props, "comment": "new item"}))
    return "\n".join(intended) + "\n", paths


def _line(path: str, action: str, selector: tuple, props: dict[str, str]) -> str:
    from netrawat.remediation.routeros_terse import render_find, render_props

    find = f" {render_find(selector).replace('find where', 'find')}" if selector else ""
    return f"{path} {action}{find} {render_props(props)}"


@pytest.mark.parametrize("capture", ROS_EXPORTS, ids=_id)
def test_routeros_running_plus_remediation_is_intended_and_rollback_returns(
    capture: Path,
) -> None:
    running = capture.read_text()
    intended, paths = _mutations(running)
    fix = remediate(ROS, running, intended, paths)
    assert not fix.compliant and fix.commands and fix.rollback
    after = apply_offline(ROS, running, fix.commands)
    assert remediate(ROS, after, intended, paths).compliant
    back = apply_offline(ROS, after, fix.rollback)
    assert ConfigModel.from_export(back).canonical() == ConfigModel.from_export(running).canonical()


def test_routeros_dns_and_ntp_missing_and_extra_lines() -> None:
    running = (
        "/ip dns set allow-remote-requests=yes servers=8.8.8.8\n"
        "/system ntp client set enabled=yes servers=10.99.99.123\n"
        "/system ntp client servers add address=10.99.99.123\n"
    )
    intended = (
        "/ip dns set allow-remote-requests=yes servers=10.0.0.53,10.0.1.53\n"
        "/system ntp client set enabled=yes servers=10.0.0.123\n"
        "/system ntp client servers add address=10.0.0.123\n"
    )
    fix = remediate(
        ROS, running, intended, ["/ip dns", "/system ntp client", "/system ntp client servers"]
    )
    assert fix.missing == intended.splitlines()
    assert fix.extra == running.splitlines()
    assert fix.commands == [  # removals first: a remove never catches an item just added
        "/system ntp client servers remove [ find where address=10.99.99.123 ]",
        "/ip dns set servers=10.0.0.53,10.0.1.53",
        "/system ntp client set servers=10.0.0.123",
        "/system ntp client servers add address=10.0.0.123",
    ]
    assert fix.rollback == [
        "/system ntp client servers remove [ find where address=10.0.0.123 ]",
        "/system ntp client set servers=10.99.99.123",
        "/ip dns set servers=8.8.8.8",
        "/system ntp client servers add address=10.99.99.123",
    ]


def test_routeros_out_of_scope_and_unnamed_properties_are_left_alone() -> None:
    running = (
        "/ip dns set allow-remote-requests=yes cache-size=4096KiB servers=10.0.0.53\n"
        "/ip route add gateway=1.1.1.1\n"
    )
    fix = remediate(ROS, running, "/ip dns set servers=10.0.0.53\n", ["/ip dns"])
    assert fix.compliant


def test_routeros_default_values_compare_equal_to_omitted_ones() -> None:
    running = "/ip route add gateway=100.64.0.1\n"
    intended = "/ip route add dst-address=0.0.0.0/0 gateway=100.64.0.1 routing-table=main\n"
    assert remediate(ROS, running, intended, ["/ip route"]).compliant


def test_routeros_property_without_old_value_rolls_back_to_default_or_unset() -> None:
    fix = remediate(ROS, "/snmp set enabled=yes\n", "/snmp set contact=noc location=X\n", ["/snmp"])
    assert fix.commands == ["/snmp set contact=noc location=X"]
    assert fix.rollback == ['/snmp set contact="" location=""']
    fix = remediate(
        ROS,
        "/ip address add address=10.0.0.1/24 interface=br\n",
        "/ip address add address=10.0.0.1/24 comment=LAN interface=br\n",
        ["/ip address"],
    )
    assert fix.rollback == [
        "/ip address unset [ find where address=10.0.0.1/24 interface=br ] comment"
    ]
    after = apply_offline(ROS, "/ip address add address=10.0.0.1/24 interface=br\n", fix.commands)
    back = apply_offline(ROS, after, fix.rollback)
    assert back == "/ip address add address=10.0.0.1/24 interface=br\n"


# -- IOS ------------------------------------------------------------------------------------

IOS_SCOPE = [
    "^hostname ",
    "^ip name-server ",
    "^ntp server ",
    "^interface ",
    "^snmp-server location ",
]


def _ios_intended(running: str) -> str:
    """From a real config: another hostname, NTP servers, one interface description changed."""
    lines = [line for line in running.splitlines() if line.startswith(("hostname ", "interface "))]
    intended = ["hostname RTR-INTENDED", "ip name-server 10.0.0.53", "ntp server 10.0.0.123"]
    first = next(line for line in lines if line.startswith("interface "))
    intended += [first, " description netrawat intended", "snmp-server location Pontianak"]
    return "\n".join(intended) + "\n"


@pytest.mark.parametrize("capture", IOS_CONFIGS, ids=_id)
def test_ios_running_plus_remediation_is_intended_and_rollback_returns(capture: Path) -> None:
    running = scoped_text(capture.read_text(), IOS_SCOPE)
    intended = _ios_intended(running)
    fix = remediate(IOS, running, intended, IOS_SCOPE)
    assert "hostname RTR-INTENDED" in fix.commands and fix.rollback
    after = apply_offline(IOS, running, fix.commands)
    assert remediate(IOS, after, intended, IOS_SCOPE).compliant
    back = apply_offline(IOS, after, fix.rollback)
    original = running
    assert remediate(IOS, back, original, IOS_SCOPE).compliant
    assert remediate(IOS, running, original, IOS_SCOPE).compliant


def test_ios_ntp_missing_and_extra_lines_and_negation() -> None:
    running = "hostname CR\nntp server 10.99.99.123\nntp server 10.0.0.123\n"
    fix = remediate(
        IOS, running, "ntp server 10.0.0.123\nntp server 10.0.1.123\n", ["^ntp server "]
    )
    assert fix.missing == ["ntp server 10.0.1.123"]
    assert fix.extra == ["ntp server 10.99.99.123"]
    assert fix.commands == ["no ntp server 10.99.99.123", "ntp server 10.0.1.123"]
    assert fix.rollback == ["no ntp server 10.0.1.123", "ntp server 10.99.99.123"]


def test_ios_name_servers_on_one_line_equal_one_per_line() -> None:
    xe = "ip name-server 10.42.0.1 10.42.0.2\n"
    classic = "ip name-server 10.42.0.1\nip name-server 10.42.0.2\n"
    assert remediate(IOS, xe, classic, ["^ip name-server "]).compliant
    assert one_value_per_line(xe) == classic


def test_unreadable_running_line_outside_the_scope_does_not_stop_the_check() -> None:
    running = '/ip dns set servers=10.0.0.53\n:global x "broken\n'
    assert remediate(ROS, running, "/ip dns set servers=10.0.0.53\n", ["/ip dns"]).compliant
    with pytest.raises(InputError):
        remediate(ROS, "", '/ip dns set servers="open\n', ["/ip dns"])


def test_ios_config_hier_config_cannot_read_is_an_input_error_not_a_crash() -> None:
    capture = CAPTURES / "oxidized" / "ios#C9200L-24P-4G_17.09.04a#output.txt"
    with pytest.raises(InputError, match="hier_config cannot read"):
        apply_offline(IOS, capture.read_text(), ["ntp server 10.0.0.123"])
