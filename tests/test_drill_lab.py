"""`netrawat drill` over real SSH: the lab's RouterOS and IOS backups are restored onto fresh
factory devices of the same platform and model (a private lab the command starts and stops),
read back, and reproduce the backup exactly apart from the secrets a backup never holds; a
backup that does not restore is named with its lines (exit 1); the recap keeps each drill."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import fleet_args, inventory_copy, run_json

from netrawat.cli.main import run as cli
from netrawat.configs.repo import ConfigRepo
from netrawat.exitcodes import ExitCode
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab
ROS, IOS = "RTR-DINKES", "CR-DINKES"


def test_backups_restore_onto_fresh_devices_and_a_broken_one_is_named(
    lab: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(lab, tmp_path / "inventory", 8)
    args = ("--host", ROS, "--host", IOS, *fleet_args(inventory, state.root))
    code, _, err = run_json(capsys, "backup", *args)
    assert code == ExitCode.OK, err
    code, report, err = run_json(capsys, "drill", *args)
    assert code == ExitCode.OK, json.dumps(
        [h for h in report["hosts"] if h["status"] != "restored"], indent=1
    )[:3000]
    hosts = {h["host"]: h for h in report["hosts"]}
    assert {h["status"] for h in hosts.values()} == {"restored"}
    assert hosts[ROS]["method"] == "/import"
    assert any("dry-run" in step for step in hosts[ROS]["steps"])
    assert any("<removed>" in line for line in hosts[ROS]["not_restorable"])  # SNMP community
    assert any(line.startswith("username ") for line in hosts[IOS]["not_restorable"])
    capsys.readouterr()  # the report book shows each device's last drill
    assert cli(["recap", "--state", str(state.root), "--lang", "en"]) == ExitCode.OK
    book = capsys.readouterr().out
    section = book[book.index("## Restore drills per device") :]
    assert f"| dinkes | {ROS} | restored exactly |" in section
    assert f"| dinkes | {IOS} | restored exactly |" in section
    # a backup that no longer restores (a line the device refuses) fails the drill
    repo = ConfigRepo(state.configs)
    path = f"dinkes/{ROS}.rsc"
    broken = (state.configs / path).read_text() + "/ip dns set servers=not-an-address\n"
    repo.commit({path: broken}, "broken backup for the drill test", frozenset(), {})
    code, report, _ = run_json(capsys, "drill", "--host", ROS, *fleet_args(inventory, state.root))
    assert code == ExitCode.HOSTS_FAILED
    assert report["hosts"][0]["status"] == "failed"
    reason = report["hosts"][0]["reason"]
    assert "dry-run" in reason and "invalid value for argument servers" in reason
