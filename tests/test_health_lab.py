"""Health checks against the device lab over real SSH / RouterOS API: every fault → its check
and grade; a healthy fleet passes; the RouterOS API and CLI paths agree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import fleet_args, fleet_spec, run_json

from netrawat.cli.main import run
from netrawat.exitcodes import ExitCode
from netrawat.fleet import open_fleet
from netrawat.health.inventory_layers import config_for_host
from netrawat.tasks.collect_health import collect_health
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

# fault, value, host, the check that must fail, the device grade expected
FAULTS: list[tuple[str, str | None, str, str, str]] = [
    ("interface-down", None, "RTR-DISDIKBUD", "interface_link_down", "sedang"),
    ("interface-down", None, "CR-DINKES", "interface_link_down", "sedang"),
    ("flapping", None, "RTR-DISDIKBUD", "interface_errors", "sedang"),
    ("flapping", None, "CR-DISDIKBUD", "interface_errors", "sedang"),
    ("high-cpu", None, "CR-DINKES", "cpu_load", "ringan"),
    ("low-memory", None, "RTR-DISDIKBUD", "memory", "ringan"),
    ("overheating", None, "RTR-DISDIKBUD", "temperature", "sedang"),
    ("overheating", None, "CR-DISDIKBUD", "temperature", "sedang"),
    ("wan-loss", None, "RTR-DISDIKBUD", "gateway_ping", "berat"),
    ("wan-loss", "40", "RTR-DISDIKBUD", "gateway_ping", "sedang"),
    ("wrong-dns", None, "RTR-DINKES", "dns", "ringan"),
    ("wrong-ntp", None, "CR-DISDIKBUD", "ntp", "ringan"),
    ("radio-disabled", None, "AP-DINKES-1", "radios_enabled", "ringan"),
    ("no-clients", None, "AP-DINKES-1", "wireless_clients", "sedang"),
    ("config-reset", None, "RTR-DISDIKBUD", "identity", "berat"),
    ("config-reset", None, "CR-DISDIKBUD", "identity", "berat"),
    ("uplink-down", None, "RTR-DINKES", "uplink_down", "berat"),
    ("uplink-down", None, "CR-DINKES", "uplink_down", "berat"),
    ("unreachable", None, "RTR-DISDIKBUD", "reachable", "berat"),
    ("auth-failure", None, "CR-DINKES", "reachable", "berat"),
]
NEEDS_LAST_RUN = {"interface-down", "flapping"}
"""Faults seen as a change since the last run: a baseline run comes first."""


def _health(
    lab: Lab, state: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, Any]:
    code, report, err = run_json(
        capsys, "health", "--secrets", str(lab.secrets), *fleet_args(lab.inventory, state), *args
    )
    return code, report or {"stderr": err}


@pytest.fixture
def state(tmp_path: Path) -> Path:
    """A fresh state directory (host keys pinned on first use, no last run)."""
    return tmp_path / "state"


def _device(report: Any, host: str) -> dict[str, Any]:
    return next(d for d in report["devices"] if d["host"] == host)


def test_healthy_fleet_passes_everything(
    lab: Lab, state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _health(lab, state, capsys)  # first run: records the counters
    assert code == ExitCode.OK
    code, report = _health(lab, state, capsys)
    assert code == ExitCode.OK, json.dumps(report, indent=1)
    assert report["worst_grade"] == "ok"
    for device in report["devices"]:
        assert device["failed"] == [] and device["complete"], device
        skipped = [c["check"] for c in device["checks"] if c["status"] == "skip"]
        assert "interface_errors" not in skipped  # the first run recorded the counters


@pytest.mark.parametrize(("fault", "value", "host", "check", "grade"), FAULTS)
def test_each_lab_fault_gives_its_check_and_grade(
    lab: Lab,
    state: Path,
    capsys: pytest.CaptureFixture[str],
    fault: str,
    value: str | None,
    host: str,
    check: str,
    grade: str,
) -> None:
    if fault in NEEDS_LAST_RUN:
        assert _health(lab, state, capsys, "--host", host)[0] == ExitCode.OK
    with lab.faulted(host, fault, value):
        code, report = _health(lab, state, capsys, "--host", host)
    assert code == ExitCode.HOSTS_FAILED
    device = _device(report, host)
    assert check in device["failed"], json.dumps(device, indent=1)
    assert device["grade"] == grade, json.dumps(device, indent=1)
    assert report["opds"][device["opd"]]["grade"] == grade
    assert (host in report["escalate"]) == (grade in ("sedang", "berat"))


def _facts(lab: Lab, host: str, via: str, state: Path) -> dict[str, Any]:
    options = fleet_spec(
        inventory=lab.inventory,
        secrets=lab.secrets,
        state=state,
        hosts=(host,),
        trust_new_hosts=True,
    )
    with open_fleet(options) as fleet:
        configs = {host: config_for_host(fleet.hosts[host])}
        result = fleet.nornir.run(task=collect_health, configs=configs, via=via)
    assert not result.failed, result[host][0].exception
    return dict(result[host][0].result)


def test_routeros_api_and_cli_paths_agree(lab: Lab, tmp_path: Path) -> None:
    host = lab.hosts(platform="mikrotik_routeros", role="router", api=True)[0]
    cli = _facts(lab, host, "cli", tmp_path)
    api = _facts(lab, host, "api", tmp_path)
    assert cli.get("errors") is None and api.get("errors") is None, (
        cli.get("errors"),
        api.get("errors"),
    )
    for key in (
        "identity",
        "dns_servers",
        "ntp_servers",
        "ntp_synced",
        "gateway",
        "uplink",
        "dhcp",
    ):
        assert cli[key] == api[key], key
    assert set(cli["temperatures"]) == set(api["temperatures"])
    assert cli["memory_total_bytes"] == pytest.approx(api["memory_total_bytes"], rel=0.01)
    for name, iface in cli["interfaces"].items():
        other = api["interfaces"][name]
        assert (iface["enabled"], iface["up"]) == (other["enabled"], other["up"]), name
        assert sorted(iface.get("addresses", [])) == sorted(other.get("addresses", [])), name
    assert set(cli["interfaces"]) == set(api["interfaces"])


def test_routeros_cli_path_works_with_the_api_disabled(lab: Lab, tmp_path: Path) -> None:
    host = lab.hosts(platform="mikrotik_routeros", role="router", api=False)[0]
    facts = _facts(lab, host, "auto", tmp_path)
    assert facts["collected_via"] == "routeros-cli"
    assert not facts.get("errors")


def test_unknown_request_is_refused_before_connecting(
    lab: Lab, state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = len(lab.history("RTR-DINKES"))
    code, _ = _health(lab, state, capsys, "--host", "RTR-DINKES", "--request", "999/XX/2026")
    assert code == ExitCode.BAD_INPUT
    assert len(lab.history("RTR-DINKES")) == before


def test_request_run_is_recorded_with_grade_and_escalation(
    lab: Lab, state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    number = "045/112/Diskes/XI/2026"
    with lab.faulted("RTR-DISDIKBUD", "overheating"):
        code, report = _health(
            lab, state, capsys, "--opd", "disdikbud", "--request", number, "--open"
        )
    assert code == ExitCode.HOSTS_FAILED, report
    assert report["request"] == number
    assert Path(report["report"]).is_file()
    assert run(["request", "show", number, "--state", str(state), "--json"]) == ExitCode.OK
    shown = capsys.readouterr().out
    assert "health" in shown and "sedang" in shown


def test_api_path_on_a_router_without_api_is_bad_input(
    lab: Lab, state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    host = lab.hosts(platform="mikrotik_routeros", role="router", api=False)[0]
    code, report = _health(lab, state, capsys, "--host", host, "--via", "api")
    assert code == ExitCode.BAD_INPUT
    assert "no api_port" in report["stderr"]


def test_unknown_host_key_is_an_error_not_a_grade(
    lab: Lab, state: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SSH only: the RouterOS API (RTR-DINKES) has no host key to check
    capsys.readouterr()
    code = run(
        [
            "health",
            "--inventory",
            str(lab.inventory),
            "--secrets",
            str(lab.secrets),
            "--state",
            str(state),
            "--host",
            "CR-DINKES",
            "--json",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == ExitCode.HOSTS_FAILED
    device = _device(report, "CR-DINKES")
    assert device["grade"] is None and not device["complete"]  # never "ok"
    assert device["state"] == "host_key_unknown"
    assert "--trust-new-hosts" in device["error"]
