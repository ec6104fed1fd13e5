"""Remediation engines, offline, on real captured configurations (tests/captures).

Circular, like hier_config's own tests: running + remediation == intended (re-checked with the
engine: compliant), and running + remediation + rollback == running.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netrawat.errors import InputError
from netrawat.remediation import apply_offline, remediate
from netrawat.remediation.ios import one_value_per_line, scoped_text
from netrawat.remediation.routeros_model import ConfigModel, Menu, menus
from netrawat.remediation.routeros_terse import parse_export, parse_line, render_value

CAPTURES = Path(__file__).resolve().parent / "captures"
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
    assert fix.rollback == [  # comment: every list item's default is "" (menu data)
        '/ip address set [ find where address=10.0.0.1/24 interface=br ] comment=""'
    ]
    after = apply_offline(ROS, "/ip address add address=10.0.0.1/24 interface=br\n", fix.commands)
    back = apply_offline(ROS, after, fix.rollback)
    assert back == "/ip address add address=10.0.0.1/24 interface=br\n"
    fix = remediate(
        ROS,
        "/ip address add address=10.0.0.1/24 interface=br\n",
        "/ip address add address=10.0.0.1/24 interface=br network=10.0.0.0\n",
        ["/ip address"],
    )
    assert fix.rollback == [  # no default known: unset
        "/ip address unset [ find where address=10.0.0.1/24 interface=br ] network"
    ]


# -- RouterOS exact (restore, rollback): built-in items, defaults, order ----------------------


def _exact_mutations(text: str) -> tuple[str, list[str]]:
    """An intended config from a real export for an exact remediation: per menu the first item
    changed, built-in items with their last property dropped (back to its default), list items
    with their comment dropped, and the middle item of a menu of three or more dropped."""
    entries = parse_export(text)
    paths = sorted({e.path for e in entries})
    intended: list[str] = []
    for path in paths:
        here = [e for e in entries if e.path == path]
        middle = len(here) // 2 if len(here) >= 3 and here[0].action == "add" else -1
        for index, entry in enumerate(here):
            props = dict(entry.props)
            if index == middle:
                continue
            if entry.selector and props:
                props.pop(sorted(props)[-1])
            elif entry.action == "add":
                props.pop("comment", None)
            if index == 0 and entry.action == "add":
                props["comment"] = "netrawat intended"
            intended.append(_line(entry.path, entry.action, entry.selector, props))
    return "\n".join(intended) + "\n", paths


def _ordered(text: str) -> list[tuple[str, tuple]]:
    """The items of order-sensitive menus (firewall), in order."""
    model = ConfigModel.from_export(text)
    return [
        (item.path, item.identity(menus()[item.path]))
        for item in model.items
        if item.path in menus() and menus()[item.path].ordered
    ]


@pytest.mark.parametrize("capture", ROS_EXPORTS, ids=_id)
def test_routeros_exact_remediation_reaches_intended_and_rollback_returns_in_order(
    capture: Path,
) -> None:
    running = capture.read_text()
    intended, paths = _exact_mutations(running)
    fix = remediate(ROS, running, intended, paths, exact=True)
    after = apply_offline(ROS, running, fix.commands)
    model = ConfigModel.from_export
    assert model(after).canonical() == model(intended).canonical()
    assert remediate(ROS, after, intended, paths, exact=True).compliant
    back = apply_offline(ROS, after, fix.rollback)
    assert model(back).canonical() == model(running).canonical()
    assert _ordered(back) == _ordered(running), "firewall rules back in their places"


def test_routeros_builtin_item_properties_are_reset_to_their_defaults() -> None:
    running = (
        "/interface ethernet set [ find default-name=ether2 ] comment=uplink mtu=1400\n"
        "/interface ethernet set [ find default-name=ether3 ] disabled=yes name=WAN\n"
    )
    intended = "/interface ethernet set [ find default-name=ether2 ] mtu=1400\n"
    scope = ["/interface ethernet"]
    fix = remediate(ROS, running, intended, scope, exact=True)
    assert fix.commands == [
        '/interface ethernet set [ find where default-name=ether2 ] comment=""',
        "/interface ethernet set [ find where default-name=ether3 ] disabled=no name=ether3",
    ]
    assert fix.rollback == [
        "/interface ethernet set [ find where default-name=ether3 ] disabled=yes name=WAN",
        "/interface ethernet set [ find where default-name=ether2 ] comment=uplink",
    ]
    after = apply_offline(ROS, running, fix.commands)
    assert after == intended
    assert apply_offline(ROS, after, fix.rollback) == running
    assert "/interface ethernet set [ find default-name=ether3 ] disabled=yes name=WAN" in fix.extra


def test_routeros_partial_intended_leaves_unnamed_properties_but_not_a_disabled_item() -> None:
    running = (
        "/interface wifi set [ find default-name=wifi1 ] configuration.country=Indonesia "
        ".ssid=OLD disabled=yes\n"
    )
    intended = "/interface wifi set [ find default-name=wifi1 ] configuration.ssid=OLD\n"
    fix = remediate(ROS, running, intended, ["/interface wifi"])
    assert fix.commands == ["/interface wifi set [ find where default-name=wifi1 ] disabled=no"]
    assert remediate(
        ROS, running.replace(" disabled=yes", ""), intended, ["/interface wifi"]
    ).compliant


def test_routeros_settings_menu_property_the_backup_lacks_goes_back_to_default() -> None:
    running = "/ip dns set cache-size=4096KiB servers=10.0.0.53\n/snmp set enabled=yes\n"
    intended = "/ip dns set servers=10.0.0.53\n"
    fix = remediate(ROS, running, intended, ["/ip dns", "/snmp"], exact=True)
    assert fix.commands == ["/ip dns set cache-size=2048KiB", "/snmp set enabled=no"]
    assert remediate(ROS, running, intended, ["/ip dns", "/snmp"]).compliant


FIREWALL = (
    "/ip firewall filter add action=accept chain=input connection-state=established,related\n"
    "/ip firewall filter add action=accept chain=input comment=winbox dst-port=8291 protocol=tcp\n"
    "/ip firewall filter add action=drop chain=input comment=last\n"
    "/ip firewall address-list add address=10.0.0.0/8 list=city\n"
    "/ip firewall address-list add address=10.1.0.0/16 list=city\n"
)


def test_routeros_firewall_rule_removed_comes_back_in_its_place() -> None:
    lines = FIREWALL.splitlines()
    intended = "\n".join([lines[0], lines[2], lines[3]]) + "\n"
    scope = ["/ip firewall filter", "/ip firewall address-list"]
    fix = remediate(ROS, FIREWALL, intended, scope, exact=True)
    assert fix.rollback[-2:] == [
        "/ip firewall filter add action=accept chain=input comment=winbox dst-port=8291 "
        "protocol=tcp place-before=[ find where action=drop chain=input comment=last ]",
        "/ip firewall address-list add address=10.1.0.0/16 list=city",  # order does not matter
    ]
    after = apply_offline(ROS, FIREWALL, fix.commands)
    assert after == intended
    assert apply_offline(ROS, after, fix.rollback) == FIREWALL


def test_routeros_restoring_a_deleted_rule_puts_it_before_its_successor() -> None:
    lines = FIREWALL.splitlines()
    running = "\n".join([lines[0], lines[2]]) + "\n"
    fix = remediate(ROS, running, "\n".join(lines[:3]) + "\n", ["/ip firewall filter"])
    assert fix.commands[0].endswith(
        "place-before=[ find where action=drop chain=input comment=last ]"
    )
    assert apply_offline(ROS, running, fix.commands) == "\n".join(lines[:3]) + "\n"


def test_place_before_an_item_that_is_not_there_is_an_error_offline() -> None:
    with pytest.raises(InputError, match="place-before"):
        apply_offline(
            ROS,
            FIREWALL,
            ["/ip firewall filter add action=drop chain=input place-before=[ find where chain=x ]"],
        )


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
    # the interface as it is, but another description (a setting IOS shows both ways, such
    # as `negotiation auto`, cannot be "removed": its `no` form shows instead)
    body = scoped_text(running, [f"^{re.escape(first)}$"]).splitlines()[1:]
    kept = [line for line in body if not line.startswith(" description ")]
    intended += [first, " description netrawat intended", *kept]
    intended += ["snmp-server location Pontianak"]
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


IOS_UP = "interface GigabitEthernet0/1\n description LAN\n ip address 10.0.0.1 255.255.255.0\n"


def test_ios_no_shutdown_on_an_interface_already_up_changes_nothing() -> None:
    from netrawat.repair.plan import expected

    commands = ["interface GigabitEthernet0/1", " no shutdown"]
    assert apply_offline(IOS, IOS_UP, commands) == apply_offline(IOS, IOS_UP, [])
    assert expected(IOS, IOS_UP, commands) == ("", True)
    down = IOS_UP + " shutdown\n"
    diff, _ = expected(IOS, down, commands)
    assert [line for line in diff.splitlines() if line[:1] in "+-"][2:] == ["- shutdown"]


@pytest.mark.parametrize(
    ("running", "commands", "shown"),
    [
        ("hostname R\n", ["no ip domain lookup"], ["hostname R", "no ip domain lookup"]),
        ("no ip domain lookup\nhostname R\n", ["ip domain lookup"], ["hostname R"]),  # hidden
        ("no ip http server\n", ["ip http server"], ["ip http server"]),  # shown both ways
        ("ip http server\n", ["no ip http server"], ["no ip http server"]),
        ("ntp server 10.0.0.1\n", ["no ntp server 10.9.9.9"], ["ntp server 10.0.0.1"]),
        (
            "line 2\n",
            ["line 2", " no exec", " no activation-character"],
            ["line 2", " no exec", " no activation-character"],
        ),
        ("line 2\n no exec\n", ["line 2", " exec"], ["line 2"]),
        (
            "line 2\n no activation-character\n",
            ["line 2", " default activation-character"],
            ["line 2"],
        ),
        ("interface Gi0/1\n", ["interface Gi0/1", " no description"], ["interface Gi0/1"]),
        (
            "interface Gi0/1\n",
            ["interface Gi0/1", " no cdp enable"],
            ["interface Gi0/1", " no cdp enable"],
        ),
    ],
)
def test_ios_offline_model_shows_what_ios_shows(
    running: str, commands: list[str], shown: list[str]
) -> None:
    assert apply_offline(IOS, running, commands).splitlines() == shown
