"""The grading engine: each failure carries its grade, overrides merge, errors never pass."""

from __future__ import annotations

import copy
from typing import Any, cast

import pytest

from netrawat.errors import InventoryError
from netrawat.health.config import build_config, grading_table
from netrawat.health.engine import CHECK_FUNCTIONS, evaluate, worst_by_opd
from netrawat.health.model import DeviceFacts, Grade

HEALTHY: dict[str, Any] = {
    "collected_via": "test",
    "identity": "RTR-DINKES",
    "uptime_seconds": 86400.0,
    "cpu_load_percent": 5.0,
    "memory_total_bytes": 1024,
    "memory_free_bytes": 512,
    "storage_total_bytes": 1000,
    "storage_free_bytes": 800,
    "temperatures": {"cpu": 45.0},
    "sensor_states": {"psu1": True},
    "interfaces": {
        "ether1": {
            "enabled": True,
            "up": True,
            "rx_errors": 0,
            "tx_errors": 0,
            "link_downs": 0,
            "addresses": ["100.64.4.2/30"],
        },
        "ether2": {"enabled": True, "up": True, "rx_errors": 0, "tx_errors": 0, "link_downs": 0},
        "bridge": {"enabled": True, "up": True, "addresses": ["10.21.4.1/24"]},
    },
    "gateway": "100.64.4.1",
    "uplink": "ether1",
    "pings": {"100.64.4.1": {"sent": 5, "received": 5, "loss_percent": 0.0, "rtt_avg_ms": 1.0}},
    "dns_servers": ["10.0.0.53", "10.0.1.53"],
    "dns_pings": {"10.0.0.53": {"sent": 2, "received": 2, "loss_percent": 0.0}},
    "ntp_servers": ["10.0.0.123"],
    "ntp_synced": True,
    "dhcp": {"pool_size": 101, "leases_active": 10},
    "radios": {"wifi1": {"enabled": True, "up": True, "ssid": "OPD-DINKES"}},
    "clients": [{"mac": "AA:BB:CC:DD:EE:01", "interface": "wifi1", "signal_dbm": -55}],
}
PREVIOUS = {"interfaces": {n: dict(i) for n, i in HEALTHY["interfaces"].items()}}


def _config(**layers: Any) -> Any:
    return build_config(
        [("test", layers)] if layers else [],
        dns_servers=["10.0.0.53", "10.0.1.53"],
        ntp_servers=["10.0.0.123"],
        expected_identity="RTR-DINKES",
    )


def _grade(
    facts: dict[str, Any], role: str = "router", previous: Any = PREVIOUS, **layers: Any
) -> Any:
    return evaluate(
        host="RTR-DINKES",
        opd="dinkes",
        role=role,
        platform="mikrotik_routeros",
        config=_config(**layers),
        facts=cast(DeviceFacts, facts),
        previous=previous,
    )


def _with(path: str, value: Any) -> dict[str, Any]:
    facts = copy.deepcopy(HEALTHY)
    *parents, last = path.split(".")
    node = facts
    for key in parents:
        node = node[key]
    node[last] = value
    return facts


@pytest.mark.parametrize("role", ["router", "ap"])
def test_healthy_device_passes_everything(role: str) -> None:
    health = _grade(HEALTHY, role=role)
    assert health.grade is Grade.OK, [r for r in health.results if r.status != "pass"]
    assert health.complete


CASES = [
    ("identity", "MikroTik", "identity", Grade.BERAT),
    ("uptime_seconds", 120.0, "recent_reboot", Grade.RINGAN),
    ("cpu_load_percent", 97.0, "cpu_load", Grade.RINGAN),
    ("memory_free_bytes", 30, "memory", Grade.RINGAN),
    ("storage_free_bytes", 10, "storage", Grade.RINGAN),
    ("temperatures", {"cpu": 88.0}, "temperature", Grade.SEDANG),
    ("sensor_states", {"psu1": False}, "sensors", Grade.SEDANG),
    ("interfaces.ether2.enabled", False, "interface_admin_down", Grade.RINGAN),
    ("interfaces.ether2.up", False, "interface_link_down", Grade.SEDANG),
    ("interfaces.ether1.up", False, "uplink_down", Grade.BERAT),
    ("interfaces.ether2.rx_errors", 40, "interface_errors", Grade.SEDANG),
    ("interfaces.ether2.link_downs", 3, "link_flaps", Grade.SEDANG),
    (
        "pings",
        {"100.64.4.1": {"sent": 5, "received": 0, "loss_percent": 100.0}},
        "gateway_ping",
        Grade.BERAT,
    ),
    (
        "pings",
        {"100.64.4.1": {"sent": 5, "received": 3, "loss_percent": 40.0}},
        "gateway_ping",
        Grade.SEDANG,
    ),
    ("dns_servers", ["8.8.8.8"], "dns", Grade.RINGAN),
    ("ntp_servers", ["192.0.2.1"], "ntp", Grade.RINGAN),
    (
        "dns_pings",
        {"10.0.0.53": {"sent": 2, "received": 0, "loss_percent": 100.0}},
        "dns_reachable",
        Grade.RINGAN,
    ),
    ("ntp_synced", False, "ntp_sync", Grade.RINGAN),
    ("dhcp", {"pool_size": 101, "leases_active": 100}, "dhcp_pool", Grade.RINGAN),
]
AP_CASES = [
    ("radios.wifi1.enabled", False, "radios_enabled", Grade.RINGAN),
    ("radios.wifi1.up", False, "radios_up", Grade.SEDANG),
    ("clients", [], "wireless_clients", Grade.SEDANG),
    ("clients", [{"mac": "x", "signal_dbm": -88}], "wireless_signal", Grade.RINGAN),
]


@pytest.mark.parametrize(("path", "value", "check", "grade"), CASES + AP_CASES)
def test_each_failure_carries_its_grade(path: str, value: Any, check: str, grade: Grade) -> None:
    role = "ap" if (path, value, check, grade) in AP_CASES else "router"
    health = _grade(_with(path, value), role=role)
    assert [r.check for r in health.failed] == [check]
    assert health.grade is grade


def test_unreachable_device_is_berat() -> None:
    health = evaluate(
        host="X",
        opd="dinkes",
        role="router",
        platform="cisco_ios",
        config=_config(),
        facts=None,
        unreachable="connection refused",
    )
    assert health.grade is Grade.BERAT
    assert [r.check for r in health.failed] == ["reachable"]


def test_a_failed_section_is_not_checked_never_a_pass() -> None:
    facts = copy.deepcopy(HEALTHY)
    for key in (
        "uptime_seconds",
        "cpu_load_percent",
        "memory_free_bytes",
        "memory_total_bytes",
        "storage_free_bytes",
        "storage_total_bytes",
    ):
        del facts[key]
    facts["errors"] = {"resource": {"error": "cannot parse", "raw": "garbage"}}
    health = _grade(facts)
    errored = {r.check for r in health.not_checked}
    assert errored == {"recent_reboot", "cpu_load", "memory", "storage"}
    assert not health.complete
    assert all(r.details["raw"] == "garbage" for r in health.not_checked)
    assert health.state == "partial" and health.grade is Grade.OK
    assert health.verdict == "belum lengkap"  # never "ok" while checks were not made


def test_first_run_skips_counter_growth() -> None:
    health = _grade(_with("interfaces.ether2.rx_errors", 40), previous=None)
    skipped = {r.check for r in health.results if r.status == "skip"}
    assert {"interface_errors", "link_flaps"} <= skipped
    assert health.grade is Grade.OK


def test_counter_reset_counts_from_zero() -> None:
    previous = copy.deepcopy(PREVIOUS)
    previous["interfaces"]["ether2"]["rx_errors"] = 1000
    health = _grade(_with("interfaces.ether2.rx_errors", 0), previous=previous)
    assert health.grade is Grade.OK


def test_overrides_change_threshold_grade_and_enablement() -> None:
    facts = _with("cpu_load_percent", 90.0)
    assert _grade(facts, thresholds={"cpu_load_max_percent": 95}).grade is Grade.OK
    assert _grade(facts, checks={"cpu_load": {"grade": "sedang"}}).grade is Grade.SEDANG
    assert _grade(facts, checks={"cpu_load": {"enabled": False}}).grade is Grade.OK
    down = _with("interfaces.ether2.up", False)
    assert _grade(down, interfaces={"ignore": ["ether2"]}).grade is Grade.OK


@pytest.mark.parametrize(
    "layer",
    [
        {"thresholds": {"no_such": 1}},
        {"thresholds": {"cpu_load_max_percent": "high"}},
        {"checks": {"no_such": {}}},
        {"checks": {"cpu_load": {"grade": "parah"}}},
        {"bogus": 1},
    ],
)
def test_bad_overrides_are_inventory_errors(layer: dict[str, Any]) -> None:
    with pytest.raises(InventoryError):
        build_config([("hosts.yaml: RTR-X", layer)])


def test_opd_grade_is_worst_of_its_devices() -> None:
    ok = _grade(HEALTHY)
    bad = _grade(_with("temperatures", {"cpu": 90.0}))
    other = evaluate(
        host="Y",
        opd="bappeda",
        role="router",
        platform="cisco_ios",
        config=_config(),
        facts=None,
        unreachable="timeout",
    )
    assert worst_by_opd([ok, bad, other]) == {"dinkes": Grade.SEDANG, "bappeda": Grade.BERAT}


def test_every_configured_check_has_a_function_and_grades_are_documented() -> None:
    config = _config()
    assert set(config.checks) - {"reachable"} == set(CHECK_FUNCTIONS)
    assert set(grading_table()) == {"ok", "ringan", "sedang", "berat"}
    assert grading_table()["sedang"]["escalate"] is True


def test_a_dead_port_stays_reported_on_every_run_until_repaired() -> None:
    from netrawat.health.store import snapshot_of

    previous = snapshot_of(cast(DeviceFacts, HEALTHY))
    down = _with("interfaces.ether2.up", False)
    for _ in range(3):  # the snapshot of a run with ether2 down must keep it monitored
        health = _grade(down, previous=previous)
        assert [r.check for r in health.failed] == ["interface_link_down"]
        previous = snapshot_of(cast(DeviceFacts, down), previous)
    assert previous is not None and previous["interfaces"]["ether2"]["seen_up"] is True
    health = _grade(down, previous=previous, interfaces={"ignore": ["ether2"]})
    assert health.grade is Grade.OK
