"""A change that cuts the device's management path is undone by the device itself: RouterOS
Safe Mode and the IOS revert timer (with ``archive``), against the lab's ``cut-on-change``
fault, over real SSH. The lab runs with ``NETRAWAT_LAB_MINUTE=0.25`` (a device minute lasts
a quarter of a second) so the 9-minute TCP timeout and the revert timer take seconds."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import paramiko
import pytest
import yaml
from helpers import fleet_args, inventory_copy, run_json

from netrawat.configs.normalize import normalize
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.query import get_run
from netrawat.state import StateDir
from netrawat_lab.handle import Lab
from netrawat_lab.testing import Slot, rehearsal_fleet

pytestmark = pytest.mark.lab
REQUEST = "046/112/Diskes/XI/2026"
ROS, IOS = "RTR-DINKES", "CR-DINKES"


def _config(lab: Lab, host: str) -> str:
    return normalize(str(lab.snapshot(host)["config"]), lab.spec(host).platform).text


def _reachable(lab: Lab, host: str) -> bool:
    spec = lab.spec(host)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(
            spec.address,
            spec.port,
            spec.username,
            spec.password,
            timeout=5,
            allow_agent=False,
            look_for_keys=False,
        )
    except (OSError, paramiko.SSHException):
        return False
    client.close()
    return True


def _recap(state: StateDir, run_id: str) -> str:
    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, run_id)
    finally:
        store.close()
    assert entry is not None
    return json.dumps(dataclasses.asdict(entry), default=str)


@pytest.fixture
def cut_lab(private_lab: Any, tmp_path: Path) -> tuple[Lab, Path]:
    """RTR-DINKES and CR-DINKES (archive path set) with wrong DNS, armed to cut access on
    the next change; an inventory with short timeouts and a 20 s wait for the revert."""
    specs = [s for s in rehearsal_fleet(Slot(2, 10000)) if s.hostname in (ROS, IOS)]
    for spec in specs:
        spec.faults = {"wrong-dns": None, "cut-on-change": None}
        if spec.hostname == IOS:
            spec.seed["archive_path"] = "flash:archive-"
    lab = private_lab(specs, env={"NETRAWAT_LAB_MINUTE": "0.25"})
    inventory = inventory_copy(lab, tmp_path / "inventory", 6)
    defaults = yaml.safe_load((inventory / "defaults.yaml").read_text())
    defaults["data"]["safe_change"] = {"timer_minutes": 5, "revert_wait": 30}
    (inventory / "defaults.yaml").write_text(yaml.safe_dump(defaults))
    return lab, inventory


@pytest.mark.parametrize("host", [ROS, IOS])
def test_a_change_cutting_access_is_reverted_by_the_device(
    cut_lab: tuple[Lab, Path], state: StateDir, capsys: pytest.CaptureFixture[str], host: str
) -> None:
    lab, inventory = cut_lab
    before = _config(lab, host)
    code, report, err = run_json(
        capsys,
        "repair",
        "restore_dns",
        "--host",
        host,
        "--apply",
        "--request",
        REQUEST,
        "--open",
        *fleet_args(inventory, state.root),
    )
    assert code == ExitCode.HOSTS_FAILED, err
    outcome = report["hosts"][0]
    assert outcome["status"] == "reverted-by-device", outcome["reason"]
    assert "reverted by the device" in outcome["reason"]
    assert outcome["safety"]["armed"] and outcome["safety"]["session_lost"]
    assert outcome["safety"]["device_reverted"] is True
    assert outcome["safety"]["mechanism"] == ("safe-mode" if host == ROS else "revert-timer")
    assert _config(lab, host) == before  # back as it was, by itself
    assert _reachable(lab, host)
    assert "reverted by the device" in _recap(state, report["run_id"])


def test_require_safe_refuses_a_router_without_archive_and_nothing_is_sent(
    clean_lab: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(clean_lab, tmp_path / "inventory", 6)
    clean_lab.fault(IOS, "wrong-dns")
    before = _config(clean_lab, IOS)
    code, report, err = run_json(
        capsys,
        *("repair", "restore_dns", "--host", IOS, "--apply", "--request", REQUEST, "--open"),
        "--require-safe",
        *fleet_args(inventory, state.root),
    )
    assert code == ExitCode.HOSTS_FAILED, err
    outcome = report["hosts"][0]
    assert outcome["status"] == "blocked"
    assert "--require-safe" in outcome["reason"] and "archive" in outcome["reason"]
    assert outcome["sent"] == [] and _config(clean_lab, IOS) == before


def test_without_a_net_a_cut_router_is_reported_lost_not_reverted(
    private_lab: Any, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    """IOS without archive: the SSH rollback is all there is, and it cannot reach the router."""
    specs = [s for s in rehearsal_fleet(Slot(2, 10000)) if s.hostname == IOS]
    specs[0].faults = {"wrong-dns": None, "cut-on-change": None}
    lab = private_lab(specs)
    inventory = inventory_copy(lab, tmp_path / "inventory", 4)
    code, report, _ = run_json(
        capsys,
        *("repair", "restore_dns", "--host", IOS, "--apply", "--request", REQUEST, "--open"),
        *fleet_args(inventory, state.root),
    )
    assert code == ExitCode.HOSTS_FAILED
    outcome = report["hosts"][0]
    assert outcome["safety"]["armed"] is False and "archive" in outcome["safety"]["note"]
    assert outcome["status"] == "rollback-failed"
    assert not _reachable(lab, IOS)


def test_a_good_change_is_kept_safe_mode_released_and_timer_confirmed(
    private_lab: Any, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    specs = [s for s in rehearsal_fleet(Slot(2, 10000)) if s.hostname in (ROS, IOS)]
    for spec in specs:
        spec.faults = {"wrong-dns": None}
        if spec.hostname == IOS:
            spec.seed["archive_path"] = "flash:archive-"
    lab = private_lab(specs)
    inventory = inventory_copy(lab, tmp_path / "inventory", 6)
    code, report, err = run_json(
        capsys,
        *("repair", "restore_dns", "--host", ROS, "--host", IOS, "--apply"),
        *("--request", REQUEST, "--open", "--require-safe"),
        *fleet_args(inventory, state.root),
    )
    assert code == ExitCode.OK, err
    for outcome in report["hosts"]:
        assert outcome["status"] == "repaired", outcome["reason"]
        assert outcome["safety"]["armed"] and outcome["safety"]["released"]
        assert not outcome["safety"]["session_lost"]
    history = lab.history(IOS)
    assert any(line.startswith("configure terminal revert timer 5") for line in history)
    assert "configure confirm" in history
    assert "\x18" not in "".join(lab.history(ROS))  # Ctrl-X is a key, recorded as ^X
    assert lab.history(ROS).count("^X") == 2  # taken, then released


def test_safe_mode_held_by_another_session_blocks_the_change(
    clean_lab: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    """Changes made while someone else holds Safe Mode would be undone if THEIR session
    dropped: the repair answers the hijack question 'd' and sends nothing."""
    inventory = inventory_copy(clean_lab, tmp_path / "inventory", 6)
    clean_lab.fault(ROS, "wrong-dns")
    spec = clean_lab.spec(ROS)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        spec.address,
        spec.port,
        spec.username + "+ct",
        spec.password,
        allow_agent=False,
        look_for_keys=False,
    )
    shell = client.invoke_shell()
    try:
        seen = ""
        while "] > " not in seen:
            seen += shell.recv(4096).decode()
        shell.send("\x18")
        while "[Safe Mode taken]" not in seen:
            seen += shell.recv(4096).decode()
        code, report, err = run_json(
            capsys,
            *("repair", "restore_dns", "--host", ROS, "--apply", "--request", REQUEST, "--open"),
            *fleet_args(inventory, state.root),
        )
        assert code == ExitCode.HOSTS_FAILED, err
        outcome = report["hosts"][0]
        assert outcome["status"] == "blocked" and outcome["sent"] == []
        assert outcome["safety"]["held_elsewhere"] is True
        assert "another session holds Safe Mode" in outcome["reason"]
        shell.send("\x18")  # the engineer releases it
        while "[Safe Mode released]" not in seen:
            seen += shell.recv(4096).decode()
    finally:
        client.close()
