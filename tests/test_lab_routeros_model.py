"""The RouterOS configuration model, live state, export and faults (no SSH needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from routeros_fakes import cli, make_device

from netrawat_lab.routeros import export
from netrawat_lab.routeros.device import RouterOSDevice
from netrawat_lab.routeros.errors import (
    Failure,
    InvalidValue,
    NoMatchingValue,
    NoSuchItem,
    RouterOSError,
    UnknownArgument,
    UnknownMenu,
)
from netrawat_lab.routeros.model import RouterOSModel

ROOT = Path(__file__).resolve().parents[1]
OXIDIZED = ROOT / "tests" / "captures" / "oxidized"


@pytest.mark.parametrize(
    ("path", "props", "error", "message"),
    [
        (
            "/ip/address",
            {"address": "10.9.9.1/33", "interface": "ether1"},
            InvalidValue,
            "invalid value for argument address",
        ),
        (
            "/ip/address",
            {"address": "10.9.9.1/24", "interface": "ether99"},
            NoMatchingValue,
            "input does not match any value of interface",
        ),
        (
            "/ip/address",
            {"interface": "ether1"},
            Failure,
            "failure: missing value(s) of argument(s) address",
        ),
        (
            "/ip/address",
            {"address": "10.9.9.1/24", "interface": "ether1", "colour": "red"},
            UnknownArgument,
            "unknown parameter colour",
        ),
        (
            "/interface/bridge",
            {"name": "bridge-lan"},
            Failure,
            "failure: already have interface with such name",
        ),
        (
            "/ip/pool",
            {"name": "p", "ranges": "10.0.0.1-nope"},
            InvalidValue,
            "invalid value for argument ranges",
        ),
        (
            "/ip/dhcp-server",
            {"name": "d2", "interface": "bridge-lan", "address-pool": "nopool"},
            NoMatchingValue,
            "input does not match any value of address-pool",
        ),
        ("/ip/adress", {"address": "10.9.9.1/24"}, UnknownMenu, "no such command prefix"),
    ],
)
def test_bad_input_raises_routeros_own_message(
    path: str, props: dict[str, str], error: type[RouterOSError], message: str
) -> None:
    device = make_device()
    before = device.model.dump()
    with pytest.raises(error) as caught:
        device.model.add(path, props)
    assert caught.value.message == message
    assert device.model.dump() == before


def test_list_items_have_star_hex_ids_and_api_booleans() -> None:
    device = make_device()
    new_id = device.model.add(
        "/ip/address", {"address": "10.9.9.1/24", "interface": "ether3", "disabled": "yes"}
    )
    assert re.fullmatch(r"\*[0-9A-F]+", new_id)
    row = device.model.print("/ip/address", filters={".id": new_id})[0]
    assert row["network"] == "10.9.9.0"
    assert row["disabled"] == "true" and row["dynamic"] == "false"
    assert (
        device.model.print("/ip/address", filters={".id": new_id}, booleans="cli")[0]["disabled"]
        == "yes"
    )
    assert device.model.print("/ip/address", proplist=["address"], filters={".id": new_id}) == [
        {"address": "10.9.9.1/24"}
    ]


def test_set_on_a_failed_value_leaves_the_item_as_it_was() -> None:
    device = make_device()
    before = device.model.dump()
    with pytest.raises(InvalidValue):
        device.model.set("/interface/ethernet", "ether3", {"comment": "ok", "mtu": "big"})
    assert device.model.dump() == before


def test_builtin_ports_cannot_be_removed_and_unknown_items_are_no_such_item() -> None:
    device = make_device()
    with pytest.raises(Failure, match="can not remove"):
        device.model.remove("/interface/ethernet", "ether1")
    with pytest.raises(NoSuchItem):
        device.model.remove("/ip/address", "*FF")


def test_renaming_an_interface_follows_every_reference() -> None:
    device = make_device()
    device.model.set("/interface/bridge", "bridge-lan", {"name": "br-opd"})
    body = device.export_text(export.ExportOptions(terse=True))
    assert "bridge-lan" not in body
    assert "/ip address add address=10.21.4.1/24" in body and "interface=br-opd" in body
    assert device.live.running("br-opd")


def test_settings_menus_print_one_row_without_id() -> None:
    model = RouterOSModel()
    model.set("/ip/dns", None, {"servers": "10.0.0.53,10.0.1.53", "allow-remote-requests": "yes"})
    row = model.print("/ip/dns")[0]
    assert ".id" not in row
    assert row["servers"] == "10.0.0.53,10.0.1.53"
    assert row["allow-remote-requests"] == "true"


def test_disabled_interface_is_down_loses_its_route_and_pings_through_it_fail() -> None:
    device = make_device()
    routes = [
        r["dst-address"] for r in device.model.print("/ip/route", filters={"connect": "true"})
    ]
    assert "100.64.4.0/30" in routes
    assert "received=4" in cli(device, "/ping 8.8.8.8 count=4")
    device.model.disable("/interface/ethernet", "ether1")
    assert device.model.print("/interface", filters={"name": "ether1"})[0]["running"] == "false"
    routes = [
        r["dst-address"] for r in device.model.print("/ip/route", filters={"connect": "true"})
    ]
    assert "100.64.4.0/30" not in routes
    assert device.model.print("/ip/route", filters={"static": "true"})[0]["active"] == "false"
    assert "sent=4 received=0 packet-loss=100%" in cli(device, "/ping 8.8.8.8 count=4")


def test_counters_uptime_and_clock_move_between_reads() -> None:
    device = make_device()
    first = device.model.print("/interface", filters={"name": "ether1"})[0]
    uptime = device.live.uptime_seconds()
    device.live.boot -= 3600  # an hour passes
    second = device.model.print("/interface", filters={"name": "ether1"})[0]
    assert int(second["rx-byte"]) > int(first["rx-byte"])
    assert device.live.uptime_seconds() >= uptime + 3600
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}", device.model.print("/system/clock")[0]["time"])


def _body(device: RouterOSDevice) -> list[str]:
    """The exported configuration without its timestamped header."""
    return str(device.snapshot()["config"]).splitlines()[5:]


def _export_sessions() -> list[tuple[str, str]]:
    found = []
    for path in sorted(OXIDIZED.glob("routeros#*#simulation.yaml")):
        commands = yaml.safe_load(path.read_text())["commands"]
        pairs = (
            commands.items()
            if isinstance(commands, dict)
            else [kv for c in commands for kv in c.items()]
        )
        for command, text in pairs:
            if command.startswith("/export"):
                found.append(
                    (
                        path.name,
                        text.replace("\\x20", " ").replace("\\\\", "\\").replace('\\"', '"'),
                    )
                )
    return found


def _unwrap(lines: list[str]) -> list[str]:
    logical: list[str] = []
    pending: str | None = None
    for line in lines:
        text = line[4:] if pending is not None else line
        current = (pending or "") + text
        if current.endswith(" \\"):
            pending = current[:-2] + " "
        elif current.endswith("\\"):
            pending = current[:-1]
        else:
            logical.append(current)
            pending = None
    return logical


def test_export_wrapping_reproduces_a_real_7_18_export_line_for_line() -> None:
    sessions = dict(_export_sessions())
    real = [
        line.rstrip()
        for line in sessions["routeros#RB5009UPr+S+_7.18.2#simulation.yaml"].split("\n")
    ]
    rebuilt = []
    for line in _unwrap(real):
        rebuilt.extend([line] if line.startswith(("#", "/")) or not line else export._wrap(line))
    assert rebuilt == real
    assert max(len(line) for line in real) <= export.LIMIT + 2


def test_export_header_has_the_v7_layout_of_the_real_captures() -> None:
    pattern = [
        r"# \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} by RouterOS 7\.[\d.]+",
        r"# software id = \S+",
        r"#",
        r"# model = \S+",
        r"# serial number = \S+",
    ]
    real = next(text for name, text in _export_sessions() if "RB5009" in name).split("\n")[:5]
    lab = make_device().export_text(export.ExportOptions()).split("\n")[:5]
    for regex, real_line, lab_line in zip(pattern, real, lab, strict=True):
        assert re.fullmatch(regex, real_line)
        assert re.fullmatch(regex, lab_line)
    assert lab[0].endswith("by RouterOS 7.16.1")


def test_export_hides_secrets_unless_show_sensitive_and_never_has_passwords() -> None:
    device = make_device("ap")
    plain = device.export_text(export.ExportOptions())
    sensitive = device.export_text(export.ExportOptions(show_sensitive=True))
    assert "rahasia-dinkes-123" not in plain
    assert ".passphrase=rahasia-dinkes-123" in sensitive
    terse = device.export_text(export.ExportOptions(terse=True))
    assert "configuration.country=Indonesia .mode=ap .ssid=OPD-DINKES" in terse
    assert "throwaway" not in sensitive and "/user" not in sensitive


def test_terse_export_is_one_full_path_line_per_item() -> None:
    device = make_device(extra_lines=300)
    lines = device.export_text(export.ExportOptions(terse=True)).splitlines()[5:]
    assert all(line.startswith("/") for line in lines)
    assert sum(line.startswith("/ip firewall address-list add ") for line in lines) == 300
    assert "/system identity set name=RTR-DINKES" in lines


@pytest.mark.parametrize(
    ("fault", "value", "path", "key", "expected"),
    [
        ("high-cpu", None, "/system/resource", "cpu-load", "97%"),
        ("high-cpu", "85", "/system/resource", "cpu-load", "85%"),
        ("low-memory", None, "/system/resource", "free-memory", "30.7MiB"),
        ("overheating", "91", "/system/health", "value", "91"),
        ("wrong-dns", None, "/ip/dns", "servers", "8.8.8.8"),
        ("wrong-ntp", None, "/system/ntp/client", "servers", "10.99.99.123"),
    ],
)
def test_device_faults_show_in_prints_and_clear_restores_exactly(
    fault: str, value: str | None, path: str, key: str, expected: str
) -> None:
    device = make_device()
    config = _body(device)
    device.apply_fault(fault, value)
    rows = device.model.print(path)
    row = rows[-1] if path == "/system/health" else rows[0]
    assert row[key] == expected
    device.clear_faults()
    assert device.model.print(path)[-1 if path == "/system/health" else 0][key] != expected
    assert _body(device) == config
    assert device.snapshot()["faults"] == {}


def test_interface_down_uplink_down_and_wan_loss() -> None:
    device = make_device()
    device.apply_fault("interface-down", None)
    assert device.model.print("/interface", filters={"name": "ether2"})[0]["running"] == "false"
    assert device.model.print("/interface", filters={"name": "ether2"})[0]["link-downs"] == "1"
    device.clear_faults()
    device.apply_fault("wan-loss", "50")
    assert "sent=4 received=2 packet-loss=50%" in cli(device, "/ping 100.64.4.1 count=4")
    device.apply_fault("uplink-down", None)
    assert not device.live.internet_up()
    assert "packet-loss=100%" in cli(device, "/ping 10.0.0.53 count=2")


def test_flapping_counters_rise_on_every_read() -> None:
    device = make_device()
    device.apply_fault("flapping", "ether2")
    reads = [
        int(device.model.print("/interface", filters={"name": "ether2"})[0]["rx-error"])
        for _ in range(3)
    ]
    assert reads[0] < reads[1] < reads[2]


def test_ap_faults_radio_disabled_and_no_clients() -> None:
    device = make_device("ap")
    assert len(device.model.print("/interface/wifi/registration-table")) == 7
    device.apply_fault("no-clients", None)
    assert device.model.print("/interface/wifi/registration-table") == []
    device.clear_faults()
    device.apply_fault("radio-disabled", None)
    assert {r["disabled"] for r in device.model.print("/interface/wifi")} == {"true"}
    assert "disabled=yes" in device.export_text(export.ExportOptions())
    device.clear_faults()
    assert {r["disabled"] for r in device.model.print("/interface/wifi")} == {"false"}


def test_config_reset_gives_defconf_and_clear_brings_the_opd_config_back() -> None:
    device = make_device()
    config = _body(device)
    device.apply_fault("config-reset", None)
    reset = str(device.snapshot()["config"])
    assert "192.168.88.1/24" in reset and "comment=defconf" in reset
    assert "RTR-DINKES" not in reset.split("\n", 5)[5]
    device.clear_faults()
    assert _body(device) == config


def test_unknown_fault_is_an_input_error_with_a_hint() -> None:
    from netrawat_lab.errors import LabInputError as InputError

    with pytest.raises(InputError) as caught:
        make_device().apply_fault("meltdown", None)
    assert caught.value.hint and "high-cpu" in caught.value.hint


def test_wrong_ntp_leaves_the_client_unsynchronised() -> None:
    device = make_device()
    assert device.model.print("/system/ntp/client")[0]["status"] == "synchronized"
    device.apply_fault("wrong-ntp", None)
    assert device.model.print("/system/ntp/client")[0]["status"] == "waiting"
    assert "packet-loss=100%" in cli(device, "/ping 10.99.99.123 count=2")
    device.clear_faults()
    assert device.model.print("/system/ntp/client")[0]["status"] == "synchronized"


@pytest.mark.parametrize(
    "module",
    ["values", "model", "printing", "export", "cli_parse", "actions", "views", "hardware"],
)
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"netrawat_lab.routeros.{module}"))
    assert result.attempted and not result.failed


def test_faults_from_the_fleet_file_are_on_from_the_start() -> None:
    from routeros_fakes import make_spec

    spec = make_spec()
    spec.faults = {"high-cpu": "90", "slow": "200"}  # slow is the server's (session fault)
    device = RouterOSDevice(spec)
    assert device.model.print("/system/resource")[0]["cpu-load"] == "90%"
    assert device.snapshot()["faults"] == {"high-cpu": "90"}
