"""Collection on real captured output: parsed sections give facts, unparseable or rejected
output becomes an error that keeps the raw text (never a silent pass)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from nornir.core.inventory import Defaults, Group, Host, ParentGroups

from netrawat.errors import InventoryError
from netrawat.health.collect_routeros_cli import collect_routeros_cli
from netrawat.health.engine import evaluate
from netrawat.health.inventory_layers import config_for_host
from netrawat.health.model import Grade

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = ROOT / "tests" / "captures"
NTC_ROS = CAPTURES / "ntc-templates" / "tests" / "mikrotik_routeros"
SESSION = CAPTURES / "oxidized" / "routeros#CHR_7.16#simulation.yaml"


def _captured_device() -> dict[str, str]:
    """Commands answered with real captured output; the rest as RouterOS rejects them."""
    commands = yaml.safe_load(SESSION.read_text())["commands"]
    return {
        "/system resource print": str(commands["/system resource print\n"]).replace("\\x20", " "),
        "/system identity print": "  name: RTR-DINKES\n",
        "/interface print terse without-paging": (
            NTC_ROS
            / "interface_print_terse_without-paging"
            / "mikrotik_routeros_interface_print_terse_without-paging2.raw"
        ).read_text(),
        "/ip route print terse without-paging where dst-address=0.0.0.0/0": (
            NTC_ROS
            / "ip_route_print_terse_without-paging"
            / "mikrotik_routeros_ip_route_print_terse_without-paging.raw"
        ).read_text(),
        "/ping 192.168.8.1 count=5": (
            NTC_ROS / "ping" / "mikrotik_routeros_ping_address_unreachable.raw"
        ).read_text(),
    }


def _send(answers: dict[str, str]) -> Callable[[str], str]:
    def send(command: str) -> str:
        rejected = f"bad command name {command.split(maxsplit=1)[0]} (line 1 column 1)"
        return answers.get(command, rejected)

    return send


def test_real_outputs_become_facts_and_rejected_commands_errors() -> None:
    facts = collect_routeros_cli(
        _send(_captured_device()), role="router", ping_targets=(), ping_count=5
    )
    assert facts["identity"] == "RTR-DINKES"
    assert facts["cpu_load_percent"] == 2.0  # CHR 7.16 capture, build-time 2024-09-20
    assert facts["gateway"] == "192.168.8.1"
    assert facts["pings"]["192.168.8.1"]["loss_percent"] == 100.0
    errors = facts["errors"]
    assert {"health", "interfaces", "dns", "ntp", "dhcp"} <= set(errors)
    assert errors["dns"]["raw"].startswith("bad command name")


def test_garbage_output_is_an_error_result_with_raw_text() -> None:
    answers = _captured_device()
    answers["/system resource print"] = "\x1b[2J%%% something else entirely %%%\n"
    facts = collect_routeros_cli(_send(answers), role="router", ping_targets=(), ping_count=5)
    assert "uptime_seconds" not in facts
    assert facts["errors"]["resource"]["raw"] == answers["/system resource print"]
    host = _host({}, {})
    health = evaluate(
        host="RTR-DINKES",
        opd="dinkes",
        role="router",
        platform="mikrotik_routeros",
        config=config_for_host(host),
        facts=facts,
    )
    cpu = next(r for r in health.results if r.check == "cpu_load")
    assert cpu.status == "not_checked"
    assert cpu.details["raw"] == answers["/system resource print"]
    assert not health.complete


def _host(group_health: dict[str, object], host_health: dict[str, object]) -> Host:
    defaults = Defaults(
        data={"dns_servers": ["10.0.0.53"], "health": {"thresholds": {"cpu_load_max_percent": 50}}}
    )
    group = Group("opd_dinkes", data={"opd": "dinkes", "health": group_health}, defaults=defaults)
    data = {"role": "router", "opd": "dinkes", "health": host_health}
    return Host("RTR-DINKES", groups=ParentGroups([group]), data=data, defaults=defaults)


def test_overrides_from_defaults_group_and_host_merge_in_order() -> None:
    config = config_for_host(_host({"thresholds": {"cpu_load_max_percent": 70}}, {}))
    assert config.thresholds["cpu_load_max_percent"] == 70
    assert config.thresholds["memory_free_min_percent"] == 10  # untouched default
    config = config_for_host(
        _host(
            {"thresholds": {"cpu_load_max_percent": 70}},
            {"thresholds": {"cpu_load_max_percent": 90}},
        )
    )
    assert config.thresholds["cpu_load_max_percent"] == 90
    assert config.dns_servers == ("10.0.0.53",)
    assert config.checks["temperature"].grade is Grade.SEDANG


def test_broken_override_names_where_it_is() -> None:
    with pytest.raises(InventoryError, match=r"hosts\.yaml: RTR-DINKES"):
        config_for_host(_host({}, {"checks": {"no_such_check": {}}}))
