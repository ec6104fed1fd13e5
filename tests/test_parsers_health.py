"""The project's own TextFSM templates, tested against real captured device output.

Captures come from tests/captures (ntc-templates test data, NAPALM mocked data and the
oxidized recorded sessions). Commands with no real capture are tested on the documented
RouterOS 7 layout and listed in README ("Health checks and grading").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from netrawat.parsers import OWN_TEMPLATES, ParseError, own_template_names, parse_ntc, parse_own
from netrawat.parsers.units import duration_seconds, percent, plain_int, rtt_ms, size_bytes

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = ROOT / "tests" / "captures"
NTC_ROS = CAPTURES / "ntc-templates" / "tests" / "mikrotik_routeros"
NAPALM_IOS = CAPTURES / "napalm" / "test" / "ios" / "mocked_data"
OXIDIZED = CAPTURES / "oxidized"


def _oxidized_output(session: Path, command: str) -> str:
    data = yaml.safe_load(session.read_text())
    commands = data["commands"]
    if isinstance(commands, list):  # some sessions record a list of {command: output}
        commands = {k: v for item in commands for k, v in item.items()}
    return str(commands[command]).replace("\\x20", " ")


def _routeros_sessions() -> list[Path]:
    return sorted(OXIDIZED.glob("routeros#*#simulation.yaml"))


@pytest.mark.parametrize("raw", sorted((NTC_ROS / "system_resource_print").glob("*.raw")), ids=str)
def test_system_resource_matches_ntc_expected_values(raw: Path) -> None:
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"][0]
    row = parse_own("mikrotik_routeros", "system_resource_print", raw.read_text())[0]
    assert row["uptime"] == expected["uptime"]
    assert row["free_memory"] == expected["free_memory"]
    assert row["total_memory"] == expected["total_memory"]
    assert f"{row['cpu_load']}%" == expected["cpu_load"]
    assert row["total_hdd_space"] == expected["total_hdd_space"]


@pytest.mark.parametrize("session", _routeros_sessions(), ids=lambda p: p.name)
def test_system_resource_parses_routeros_7_16_plus_where_ntc_fails(session: Path) -> None:
    text = _oxidized_output(session, "/system resource print\n")
    row = parse_own("mikrotik_routeros", "system_resource_print", text)[0]
    assert str(row["version"]).startswith("7.")
    assert size_bytes(str(row["free_memory"])) < size_bytes(str(row["total_memory"]))
    assert 0 <= percent(str(row["cpu_load"])) <= 100
    assert duration_seconds(str(row["uptime"])) > 0
    if "build-time: 20" in text:  # 7.16+ ISO build time: ntc-templates 9.3 breaks here
        with pytest.raises(ParseError):
            parse_ntc("mikrotik_routeros", "system resource print", text)


def test_system_resource_garbage_is_a_parse_error_keeping_raw() -> None:
    text = "                   uptime: 1d\nsomething completely different\n"
    with pytest.raises(ParseError) as err:
        parse_own("mikrotik_routeros", "system_resource_print", text)
    assert err.value.raw == text


@pytest.mark.parametrize("raw", sorted((NTC_ROS / "ping").glob("*.raw")), ids=str)
def test_ping_summary_matches_ntc_expected(raw: Path) -> None:
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"][0]
    row = parse_own("mikrotik_routeros", "ping", raw.read_text())[0]
    assert row["sent"] == expected["sent"]
    assert row["received"] == expected["received"]
    assert row["packet_loss"] == expected["packet_loss"]
    if expected["avg_rtt"]:
        assert rtt_ms(str(row["avg_rtt"])) == float(expected["avg_rtt"])


def test_ping_v7_microsecond_summary() -> None:
    # RouterOS 7 layout (FIELD-NOTES): times like 1ms438us and 818us; ntc-templates fails here.
    text = (
        "  SEQ HOST                                     SIZE TTL TIME       STATUS\n"
        "    0 10.0.0.1                                   56  64 783us\n"
        "    1 10.0.0.1                                   56  64 1ms438us\n"
        "    sent=2 received=2 packet-loss=0% min-rtt=783us avg-rtt=1ms110us max-rtt=1ms438us\n"
    )
    row = parse_own("mikrotik_routeros", "ping", text)[0]
    assert rtt_ms(str(row["avg_rtt"])) == 1.11
    with pytest.raises(ParseError):
        parse_ntc("mikrotik_routeros", "ping", text)


@pytest.mark.parametrize(
    "raw", sorted((NTC_ROS / "interface_print_terse_without-paging").glob("*.raw")), ids=str
)
def test_interface_terse_matches_ntc_expected(raw: Path) -> None:
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    rows = parse_own("mikrotik_routeros", "interface_print_terse", raw.read_text())
    assert [r["name"] for r in rows] == [e["name"] for e in expected]
    assert [r["link_downs"] for r in rows] == [e["link_downs"] for e in expected]
    for row, exp in zip(rows, expected, strict=True):
        assert ("R" in str(row["flags"])) == (exp["status"] == "R")
        assert ("X" in str(row["flags"])) == (exp["status"] == "X")


def test_ios_ntp_associations_napalm_capture() -> None:
    folder = NAPALM_IOS / "test_get_ntp_stats" / "normal"
    rows = parse_own(
        "cisco_ios", "show_ntp_associations", (folder / "show_ntp_associations.txt").read_text()
    )
    expected = json.loads((folder / "expected_result.json").read_text())[0]
    assert rows[0]["address"] == expected["remote"]
    assert (rows[0]["sync_mark"] == "*") is expected["synchronized"]
    assert int(str(rows[0]["stratum"])) == expected["stratum"]


@pytest.mark.parametrize(
    "session", sorted(OXIDIZED.glob("ios#*#simulation.yaml")), ids=lambda p: p.name
)
def test_ios_running_config_services_from_recorded_sessions(session: Path) -> None:
    data = yaml.safe_load(session.read_text())["commands"]
    if isinstance(data, list):
        data = {k: v for item in data for k, v in item.items()}
    config = str(data["show running-config\n"]).replace("\\x20", " ")
    rows = parse_own("cisco_ios", "running_config_services", config)
    row = rows[0] if rows else {"name_servers": [], "ntp_servers": []}  # no service line at all
    expected_dns = [
        word
        for line in config.splitlines()
        if line.startswith("ip name-server ")
        for word in line.split()[2:]
        if word != "vrf"
    ]
    expected_ntp = [
        line.split()[2] for line in config.splitlines() if line.startswith("ntp server ")
    ]
    assert row["name_servers"] == expected_dns
    assert row["ntp_servers"] == expected_ntp
    routes = [
        line.split()[4]
        for line in config.splitlines()
        if line.startswith("ip route 0.0.0.0 0.0.0.0 ")
    ]
    assert row.get("default_gateway", "") == (routes[0] if routes else "")


def test_system_health_v7_table_and_v6_lines() -> None:
    # No real capture of `/system health print` exists; layout per RouterOS 7 (NAME VALUE TYPE).
    v7 = (
        "Columns: NAME, VALUE, TYPE\n"
        "#  NAME             VALUE  TYPE\n"
        "0  voltage          24.1   V   \n"
        "1  cpu-temperature  47     C   \n"
        "2  fan1-speed       4620   RPM \n"
        "3  psu1-state       ok         \n"
    )
    rows = parse_own("mikrotik_routeros", "system_health_print", v7)
    assert [(r["name"], r["value"], r["type"]) for r in rows] == [
        ("voltage", "24.1", "V"),
        ("cpu-temperature", "47", "C"),
        ("fan1-speed", "4620", "RPM"),
        ("psu1-state", "ok", ""),
    ]
    v6 = "          voltage: 24.1V\n      temperature: 40C\n"
    assert [r["name"] for r in parse_own("mikrotik_routeros", "system_health_print", v6)] == [
        "voltage",
        "temperature",
    ]


def test_dns_and_ntp_client_print_layouts() -> None:
    # No real capture: RouterOS 7 `/ip dns print` and `/system ntp client print` layouts.
    dns = (
        "                      servers: 10.0.0.53,10.0.1.53\n"
        "              dynamic-servers: \n"
        "               use-doh-server: \n"
        "        allow-remote-requests: yes\n"
        "                   cache-size: 2048KiB\n"
        "                   cache-used: 31KiB\n"
    )
    assert (
        parse_own("mikrotik_routeros", "ip_dns_print", dns)[0]["servers"] == "10.0.0.53,10.0.1.53"
    )
    ntp = (
        "           enabled: yes\n"
        "              mode: unicast\n"
        "           servers: 10.0.0.123\n"
        "               vrf: main\n"
        "        freq-drift: -6.255 PPM\n"
        "            status: synchronized\n"
        "     synced-server: 10.0.0.123\n"
        "    synced-stratum: 4\n"
        "     system-offset: -0.303 ms\n"
    )
    row = parse_own("mikrotik_routeros", "system_ntp_client_print", ntp)[0]
    assert (row["servers"], row["status"]) == ("10.0.0.123", "synchronized")


def test_every_own_template_is_tested_here() -> None:
    source = Path(__file__).read_text()
    for platform in ("mikrotik_routeros", "cisco_ios"):
        for name in own_template_names(platform):
            assert f'"{name}"' in source, f"template {platform}/{name} has no test"
    assert (OWN_TEMPLATES / "mikrotik_routeros").is_dir()


@pytest.mark.parametrize(
    ("func", "text", "value"),
    [
        (size_bytes, "64.0MiB", 67108864),
        (size_bytes, "16.0MiB", 16777216),
        (duration_seconds, "10w2d6h21m59s", 6243719.0),
        (duration_seconds, "32m36s", 1956.0),
        (rtt_ms, "818us", 0.818),
        (plain_int, "1 285 811 402", 1285811402),
        (percent, "97%", 97.0),
    ],
)
def test_units(func: object, text: str, value: float) -> None:
    assert func(text) == value  # type: ignore[operator]


@pytest.mark.parametrize("func", [size_bytes, duration_seconds, rtt_ms, percent, plain_int])
def test_units_reject_garbage(func: object) -> None:
    with pytest.raises(ValueError):
        func("bad command name x")  # type: ignore[operator]


@pytest.mark.parametrize(
    "raw",
    sorted(NTC_ROS.glob("ip_route_print_terse*/*.raw")),
    ids=lambda p: p.name,
)
def test_route_terse_real_captures_v6_and_v7(raw: Path) -> None:
    text = raw.read_text()
    rows = parse_own("mikrotik_routeros", "ip_route_print_terse", text)
    assert len(rows) == sum("dst-address=" in line for line in text.splitlines())
    defaults = [r for r in rows if r["dst_address"] in ("0.0.0.0/0", "::/0")]
    assert all(r["gateway"] for r in defaults)


def test_route_terse_v7_line_without_index() -> None:
    raw = NTC_ROS / "ip_route_print_terse" / "mikrotik_routeros_ip_route_print_terseIPv4.raw"
    rows = parse_own("mikrotik_routeros", "ip_route_print_terse", raw.read_text())
    v7 = [r for r in rows if r["immediate_gw"]]
    assert v7 and v7[0]["flags"] == "DAc"


@pytest.mark.parametrize(
    "raw",
    sorted((NTC_ROS / "ip_dhcp-server_lease_print_terse_without-paging").glob("*.raw")),
    ids=lambda p: p.name,
)
def test_dhcp_lease_terse_matches_ntc_expected(raw: Path) -> None:
    expected = yaml.safe_load(raw.with_suffix(".yml").read_text())["parsed_sample"]
    rows = parse_own("mikrotik_routeros", "ip_dhcp_server_lease_print_terse", raw.read_text())
    assert [r["address"] for r in rows] == [e["address"] for e in expected]
    assert [r["status"] for r in rows] == [e["status"] for e in expected]


def test_ip_address_and_pool_terse_layouts() -> None:
    # No real terse capture: RouterOS 7 layout (`Flags:` line, then one item per line).
    addresses = (
        "Flags: X - DISABLED, I - INVALID; D - DYNAMIC\n"
        " 0   address=100.64.4.2/30 network=100.64.4.0 interface=ether1 actual-interface=ether1\n"
        " 1   comment=LAN address=10.21.4.1/24 network=10.21.4.0 interface=bridge-lan\n"
        " 2 X address=192.0.2.1/24 network=192.0.2.0 interface=ether5\n"
    )
    rows = parse_own("mikrotik_routeros", "ip_address_print_terse", addresses)
    assert [(r["address"], r["interface"], r["flags"]) for r in rows] == [
        ("100.64.4.2/30", "ether1", ""),
        ("10.21.4.1/24", "bridge-lan", ""),
        ("192.0.2.1/24", "ether5", "X"),
    ]
    pools = " 0   name=dhcp_pool0 ranges=10.21.4.100-10.21.4.200\n"
    assert parse_own("mikrotik_routeros", "ip_pool_print_terse", pools)[0]["ranges"] == (
        "10.21.4.100-10.21.4.200"
    )


def test_wifi_and_registration_table_terse_layouts() -> None:
    # No real capture of the RouterOS 7.13+ wifi menus: documented terse layout.
    radios = (
        "Flags: M - MASTER; X - DISABLED, R - RUNNING\n"
        " 0 MR name=wifi1 default-name=wifi1 l2mtu=1560 mac-address=48:A9:8A:00:00:01"
        " arp-timeout=auto configuration.ssid=OPD-DINKES configuration.country=Indonesia\n"
        " 1 MX name=wifi2 default-name=wifi2 configuration.ssid=OPD-DINKES-5G\n"
    )
    rows = parse_own("mikrotik_routeros", "interface_wifi_print_terse", radios)
    assert [(r["name"], r["flags"], r["ssid"]) for r in rows] == [
        ("wifi1", "MR", "OPD-DINKES"),
        ("wifi2", "MX", "OPD-DINKES-5G"),
    ]
    table = (
        " 0 interface=wifi1 ssid=OPD-DINKES mac-address=AA:BB:CC:00:00:01 uptime=1h2m"
        " signal=-56 tx-rate=144.4Mbps\n"
    )
    rows = parse_own("mikrotik_routeros", "interface_wifi_registration_table_print_terse", table)
    assert [(r["interface"], r["mac_address"], r["signal"]) for r in rows] == [
        ("wifi1", "AA:BB:CC:00:00:01", "-56")
    ]
    assert parse_own("mikrotik_routeros", "interface_wifi_registration_table_print_terse", "") == []


def test_interface_stats_table_reads_numbers_with_spaces_by_column() -> None:
    from netrawat.parsers.routeros_table import parse_stats_table

    text = (
        "Flags: R - RUNNING; S - SLAVE\n"
        "Columns: NAME, RX-BYTE, TX-BYTE, RX-PACKET, TX-PACKET, RX-DROP, TX-DROP, TX-QUEUE-DROP,"
        " RX-ERROR, TX-ERROR\n"
        " #    NAME              RX-BYTE         TX-BYTE   RX-PACKET   TX-PACKET  RX-DROP  TX-DROP"
        "  TX-QUEUE-DROP  RX-ERROR  TX-ERROR\n"
        " 0 R  ether1     16 094 858 187   1 285 811 402  13 222 797   6 013 478        0        0"
        "              0         0         0\n"
        " 1 RS ether2         1 285 811  16 094 858 187   6 013 478  13 222 797        3        0"
        "              0     1 234         7\n"
    )
    rows = parse_stats_table(text)
    assert rows[0]["name"] == "ether1" and rows[0]["rx_byte"] == 16094858187
    assert (rows[1]["rx_error"], rows[1]["tx_error"], rows[1]["rx_drop"]) == (1234, 7, 3)
    with pytest.raises(ParseError):
        parse_stats_table("bad command name stats (line 1 column 1)")


def test_route_terse_v7_inactive_static_route_with_comment() -> None:
    # RouterOS 7 when the uplink is down: the static default route stays, flagged I (inactive).
    text = (
        "0  Is comment=default via WAN dst-address=0.0.0.0/0 gateway=100.64.0.5 distance=1"
        " scope=30 target-scope=10 routing-table=main\n"
    )
    row = parse_own("mikrotik_routeros", "ip_route_print_terse", text)[0]
    assert (row["flags"], row["dst_address"], row["gateway"]) == ("Is", "0.0.0.0/0", "100.64.0.5")


@pytest.mark.parametrize(
    "raw",
    sorted((NTC_ROS / "interface_ethernet_poe_print_without-paging").glob("*no_poe*.raw")),
    ids=lambda p: p.name,
)
def test_poe_menu_missing_on_real_devices_means_no_poe(raw: Path) -> None:
    from netrawat.health.collect_routeros_cli import RouterOSCli, _poe

    text = raw.read_text()
    assert _poe(RouterOSCli(lambda _command: text)) == {}


def test_poe_monitor_side_by_side_columns() -> None:
    # No real capture of `poe monitor`: RouterOS prints one column per port.
    from netrawat.health.collect_routeros_cli import RouterOSCli, _poe

    text = (
        "                 name: ether2         ether3         ether4\n"
        "              poe-out: auto-on        auto-on        auto-on\n"
        "       poe-out-status: powered-on     short-circuit  waiting-for-load\n"
    )
    assert _poe(RouterOSCli(lambda _command: text)) == {
        "poe ether2": True,
        "poe ether3": False,
        "poe ether4": True,
    }


def test_docstring_examples() -> None:
    import doctest

    from netrawat.health import collect_common
    from netrawat.parsers import routeros_table, units

    for module in (units, routeros_table, collect_common):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_legacy_wireless_package_is_used_when_wifi_menu_is_missing() -> None:
    # No real capture: RouterOS 6 / legacy `wireless` package terse layouts.
    from netrawat.health.collect_routeros_cli import RouterOSCli, _wireless
    from netrawat.health.model import DeviceFacts

    answers = {
        "/interface wifi print terse without-paging": "bad command name wifi (line 1 column 12)",
        "/interface wireless print terse without-paging": (
            "Flags: X - disabled, R - running\n"
            " 0  R name=wlan1 mtu=1500 mac-address=48:8F:5A:00:00:01 arp=enabled"
            " interface-type=Atheros AR9300 mode=ap-bridge ssid=OPD-KECPONBAR frequency=2437\n"
        ),
        "/interface wireless registration-table print terse without-paging": (
            " 0 interface=wlan1 radio-name=48A98A000002 mac-address=AA:BB:CC:00:00:02 ap=no"
            " wds=no bridge=no rx-rate=65Mbps-20MHz/1S signal-strength=-71@6Mbps\n"
        ),
    }
    facts: DeviceFacts = {}
    _wireless(RouterOSCli(lambda command: answers[command]), facts)
    assert facts["radios"] == {"wlan1": {"enabled": True, "up": True, "ssid": "OPD-KECPONBAR"}}
    assert facts["clients"] == [
        {"mac": "AA:BB:CC:00:00:02", "interface": "wlan1", "signal_dbm": -71}
    ]
    for name in (
        "interface_wireless_print_terse",
        "interface_wireless_registration_table_print_terse",
    ):
        parse_own("mikrotik_routeros", name, "")  # empty output: no radio, no client
