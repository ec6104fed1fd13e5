"""Grades from evidence only, over real SSH: after a good login, a section that fails (NAPALM
raising on real Catalyst output, a command that hangs) is *not checked* with its reason and
the rest is graded; a refused host key is its own state. Never berat, never a Kabid alert, never
"ok" for what was not checked; exit 1 (not fully checked)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import fleet_args, inventory_copy, run_json

from netrawat.cli.main import run
from netrawat.exitcodes import ExitCode
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

IOS = "CR-DINKES"
RESOURCE_CHECKS = {"recent_reboot", "cpu_load", "memory", "temperature", "sensors"}


def _health(
    capsys: pytest.CaptureFixture[str], inventory: Path, lab: Lab, state: Path, *args: str
) -> tuple[int, dict[str, Any]]:
    code, report, err = run_json(
        capsys, "health", "--secrets", str(lab.secrets), *fleet_args(inventory, state), *args
    )
    assert report, err
    return code, report


def _device(report: dict[str, Any], host: str) -> dict[str, Any]:
    return next(d for d in report["devices"] if d["host"] == host)


def _statuses(device: dict[str, Any]) -> dict[str, str]:
    return {c["check"]: c["status"] for c in device["checks"]}


def test_napalm_getter_raising_leaves_its_checks_not_checked_and_grades_the_rest(
    clean_lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # real Catalyst 4500/2960 `show memory statistics`: no I/O row -> NAPALM UnboundLocalError
    clean_lab.fault(IOS, "no-io-memory")
    code, report = _health(capsys, clean_lab.inventory, clean_lab, tmp_path / "s", "--host", IOS)
    assert code == ExitCode.HOSTS_FAILED  # not fully checked
    device = _device(report, IOS)
    statuses = _statuses(device)
    assert {c for c, s in statuses.items() if s == "not_checked"} == RESOURCE_CHECKS - {
        "recent_reboot"  # uptime comes from get_facts, read before get_environment raised
    }
    assert statuses["reachable"] == "pass" and statuses["identity"] == "pass"
    assert statuses["uplink_down"] == "pass" and statuses["gateway_ping"] == "pass"
    cpu = next(c for c in device["checks"] if c["check"] == "cpu_load")
    assert "UnboundLocalError" in cpu["message"], cpu
    assert device["state"] == "partial" and device["verdict"] == "belum lengkap"
    assert device["grade"] == "ok" and not device["complete"]
    assert report["escalate"] == [] and report["not_fully_checked"] == [IOS]


def test_hung_running_config_after_login_is_not_checked_never_unreachable(
    clean_lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(clean_lab, tmp_path / "inventory", 4)
    state = tmp_path / "state"
    number = "046/112/Diskes/XI/2026"
    clean_lab.fault(IOS, "hang")  # `show running-config` stops part-way, session stays open
    code, report = _health(
        capsys, inventory, clean_lab, state, "--host", IOS, "--request", number, "--open"
    )
    assert code == ExitCode.HOSTS_FAILED
    device = _device(report, IOS)
    statuses = _statuses(device)
    assert statuses["reachable"] == "pass", json.dumps(device, indent=1)
    assert {"dns", "ntp", "ntp_sync", "dns_reachable"} <= {
        c for c, s in statuses.items() if s == "not_checked"
    }
    # the sections after the hang ran on a fresh session and were graded
    assert statuses["interface_link_down"] == "pass" and statuses["gateway_ping"] == "pass"
    assert device["failed"] == [] and device["grade"] == "ok"
    assert report["escalate"] == [] and report["worst_grade"] == "ok"
    assert run(["request", "show", number, "--state", str(state), "--json"]) == ExitCode.OK
    shown = capsys.readouterr().out
    assert "not_checked" in shown and "berat" not in shown


def test_changed_host_key_is_its_own_loud_state_never_ok(
    clean_lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    code, _ = _health(capsys, clean_lab.inventory, clean_lab, state, "--host", IOS)  # pins
    clean_lab.fault(IOS, "host-key-changed")
    code, report = _health(capsys, clean_lab.inventory, clean_lab, state, "--host", IOS)
    assert code == ExitCode.HOSTS_FAILED
    device = _device(report, IOS)
    assert device["state"] == "host_key_changed" and device["verdict"] == "KUNCI SSH BERUBAH"
    assert device["grade"] is None and not device["complete"]
    assert "SSH HOST KEY CHANGED" in device["error"]
    assert report["escalate"] == []
    capsys.readouterr()
    run(["health", "--inventory", str(clean_lab.inventory), "--secrets", str(clean_lab.secrets),
         "--state", str(state), "--host", IOS])  # fmt: skip
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert "KUNCI SSH BERUBAH" in shown and "tidak ada tindakan" not in shown
