"""The IOS lab speaks like a real IOS box: its outputs go through ntc-templates and NAPALM's
ios parsers side by side with real captured output of the same commands
(tests/captures), and the same fields come out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from napalm.ios.ios import IOSDriver
from ntc_templates.parse import parse_output
from test_lab_ios import make_spec, output_of

from netrawat_lab.ios.device import IOSDevice

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT / "tests" / "captures"
NTC = CAPTURES / "ntc-templates" / "tests" / "cisco_ios"
NAPALM = CAPTURES / "napalm" / "test" / "ios" / "mocked_data"


@pytest.fixture(scope="module")
def device() -> IOSDevice:
    device = IOSDevice(make_spec())
    device.rt.state.add_log("%LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to up")
    return device


NOT_ON_THIS_BOX = {
    "show_version": {"uptime_years", "mac_address"},  # up < 1 year; MACs: switches only
    "show_ip_route": {"vrf"},  # no VRFs configured
    "show_logging": {"number", "timezone"},  # no service sequence-numbers / show-timezone
    "show_environment_temperature": {"switch", "switch_temperature"},  # stack members
    "ping": {"responders"},  # directed broadcasts only
}
"""Fields some captures always fill that this router legitimately does not print."""


def _ntc(command: str, text: str) -> list[dict[str, Any]]:
    return parse_output(platform="cisco_ios", command=command, data=text)


@pytest.mark.parametrize(
    ("command", "folder", "check"),
    [
        ("show version", "show_version", lambda r: r[0]["version"] == "15.7(3)M8"),
        ("show interfaces", "show_interfaces", lambda r: len(r) == 3),
        ("show ip interface brief", "show_ip_interface_brief", lambda r: r[1]["status"] == "up"),
        ("show processes cpu", "show_processes_cpu", lambda r: int(r[0]["cpu_usage_1_min"]) < 10),
        ("show ip route", "show_ip_route", lambda r: {x["protocol"] for x in r} == {"S", "C", "L"}),
        ("show logging", "show_logging", lambda r: r[-1]["mnemonic"] == "UPDOWN"),
        ("show inventory", "show_inventory", lambda r: r[0]["sn"] == "FGL12345678"),
        (
            "show environment temperature",
            "show_environment_temperature",
            lambda r: 30 <= int(r[0]["inlet_temperature_value"]) <= 50,
        ),
        ("show clock", "show_clock", lambda r: r[0]["timezone"] == "WIB"),
        ("show arp", "show_arp", lambda r: len(r) >= 4),
        ("show ip arp", "show_ip_arp", lambda r: r[0]["age"] == "-"),
        ("ping 10.21.4.9 source GigabitEthernet0/1", "ping", lambda r: r[0]["source"] != ""),
    ],
)
def test_ntc_templates_parse_the_lab_like_the_captures(
    device: IOSDevice, command: str, folder: str, check: Callable[[list[dict[str, Any]]], bool]
) -> None:
    template_command = "ping" if command.startswith("ping") else command
    lab = _ntc(template_command, output_of(device, command))
    assert lab, f"no rows parsed from the lab's {command}"
    filled = {k for row in lab for k, v in row.items() if v not in ("", [])}
    for raw in sorted((NTC / folder).glob("*.raw")):
        captured = _ntc(template_command, raw.read_text())
        assert set(lab[0]) == set(captured[0]), raw.name
        always = {k for k in captured[0] if all(row[k] not in ("", []) for row in captured)}
        assert always - filled <= NOT_ON_THIS_BOX.get(folder, set()), raw.name
    assert check(lab)


class RecordedConnection:
    """Stands in for NAPALM's netmiko connection: replies with a fixed text per command
    (the lab's output, or a real capture), so NAPALM's own parsers run on it."""

    def __init__(self, replies: dict[str, str]) -> None:
        self.replies = replies

    def send_command(self, command: str, **_: object) -> str:
        return self.replies[command]


def _napalm(replies: dict[str, str]) -> IOSDriver:
    driver = IOSDriver("lab", "user", "password")
    driver.device = RecordedConnection(replies)
    return driver


def _captured(test: str, case: str = "normal") -> dict[str, str]:
    folder = NAPALM / test / case
    replies = {p.stem.replace("_", " "): p.read_text() for p in folder.glob("*.txt")}
    for name in ("running", "startup"):
        if f"show {name} config" in replies:
            replies[f"show {name}-config"] = replies[f"show {name} config"]
    return replies


GETTERS = {
    "get_facts": ["show version", "show hosts", "show ip interface brief"],
    "get_interfaces": ["show interfaces"],
    "get_interfaces_counters": ["show interfaces", "show interface summary"],
    "get_environment": ["show proc cpu", "show memory statistics", "show env temperature status"],
    "get_config": ["show running-config", "show startup-config"],
}


def _shape(value: object) -> object:
    """Keys and value types, ignoring the interface/sensor names that differ per box."""
    if isinstance(value, dict):
        shapes = {_key_kind(k): _shape(v) for k, v in value.items()}
        return shapes
    if isinstance(value, list):
        return [type(value[0]).__name__] if value else []
    return "number" if isinstance(value, int | float) else type(value).__name__


SENSOR_NAMES = frozenset({"inlet", "hotspot", "system"})


def _key_kind(key: object) -> object:
    """Field names stay; interface, CPU and sensor names (which differ per box) do not."""
    if not isinstance(key, str) or key[:1].isupper() or key in SENSOR_NAMES:
        return "<name>"
    return key


@pytest.mark.parametrize("getter", list(GETTERS))
def test_napalm_parsers_give_the_same_structure_for_lab_and_capture(
    device: IOSDevice, getter: str
) -> None:
    lab_replies = {command: output_of(device, command) for command in GETTERS[getter]}
    lab = getattr(_napalm(lab_replies), getter)()
    captured = getattr(_napalm(_captured(f"test_{getter}")), getter)()
    if getter == "get_environment":  # the lab has two sensors, the capture one
        lab["temperature"] = dict(list(lab["temperature"].items())[:1])
    assert _shape(lab) == _shape(captured)


def test_napalm_values_from_the_lab_are_sensible(device: IOSDevice) -> None:
    replies = {c: output_of(device, c) for cs in GETTERS.values() for c in cs}
    driver = _napalm(replies)
    facts = driver.get_facts()
    assert facts["hostname"] == "CR-DINKES"
    assert facts["model"] == "CISCO2911/K9"
    assert facts["serial_number"] == "FGL12345678"
    assert facts["fqdn"] == "CR-DINKES.pontianakkota.go.id"
    assert facts["uptime"] > 86400
    assert facts["interface_list"] == [f"GigabitEthernet0/{n}" for n in range(3)]
    environment = driver.get_environment()
    assert 0 < environment["memory"]["used_ram"] < environment["memory"]["available_ram"]
    assert environment["temperature"]["inlet"]["is_alert"] is False
    interfaces = driver.get_interfaces()
    assert interfaces["GigabitEthernet0/2"]["is_enabled"] is False
    assert interfaces["GigabitEthernet0/1"]["speed"] == 1000.0
    config = driver.get_config()
    assert config["running"].startswith("!") and config["running"].endswith("end")
    assert "hostname CR-DINKES" in config["startup"]


def test_more_napalm_getters_read_the_lab(device: IOSDevice) -> None:
    class LiveConnection:
        def send_command(self, command: str, **_: object) -> str:
            return output_of(device, command)

    driver = IOSDriver("lab", "user", "password")
    driver.device = LiveConnection()
    assert driver.get_interfaces_ip()["GigabitEthernet0/1"] == {
        "ipv4": {"10.21.4.1": {"prefix_length": 24}}
    }
    assert driver.get_snmp_information()["chassis_id"] == "FGL12345678"
    assert driver.get_ntp_servers() == {"10.0.0.123": {}}
    assert driver.get_ntp_stats()[0]["synchronized"] is True
    arp = {entry["ip"] for entry in driver.get_arp_table()}
    assert {"100.64.4.1", "10.21.4.1"} <= arp
    assert driver.get_users()["admin"]["level"] == 1
    assert " WIB " in driver.cli(["show clock"])["show clock"]
