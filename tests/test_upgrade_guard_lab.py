"""The upgrade guard over real SSH against the lab's ``upgrade=VERSION`` fault: a backup run
names every device whose OS release changed since its last backup (``RTR-DINKES 7.16.1 →
7.17``), re-validates the commands first (the release probe, the export command for the new
release: a RouterOS 6 refuses ``show-sensitive``) and records the release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import fleet_args, inventory_copy, run_json

from netrawat.configs.versions import VersionStore
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.query import get_run
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab
ROS, IOS = "RTR-DINKES", "CR-DINKES"


def last_releases(state: StateDir) -> dict[str, str]:
    return {h: k.version for h, k in VersionStore.load(state.versions).known.items()}


def backup(inventory: Path, state: StateDir, capsys: pytest.CaptureFixture[str]) -> Any:
    code, report, err = run_json(
        capsys, "backup", "--host", ROS, "--host", IOS, *fleet_args(inventory, state.root)
    )
    assert code == ExitCode.OK, err
    return report


def host(report: Any, name: str) -> Any:
    return next(h for h in report["hosts"] if h["host"] == name)


def summary(state: StateDir, run_id: str) -> str:
    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, run_id)
    finally:
        store.close()
    assert entry is not None
    return str(entry.summary)


def test_an_upgrade_is_named_revalidated_and_recorded(
    clean_lab: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(clean_lab, tmp_path / "inventory", 6)
    first = backup(inventory, state, capsys)
    assert first["upgrades"] == []
    assert last_releases(state) == {ROS: "7.16.1", IOS: "15.7"}
    clean_lab.fault(ROS, "upgrade", "7.17")
    clean_lab.fault(IOS, "upgrade", "15.9(3)M7")
    report = backup(inventory, state, capsys)
    assert report["upgrades"] == [f"{IOS} 15.7 \u2192 15.9", f"{ROS} 7.16.1 \u2192 7.17"]
    assert host(report, ROS)["revalidated"][0] == "/system resource print"
    assert host(report, IOS)["revalidated"][0] == "show version"
    assert f"{ROS} 7.16.1 \u2192 7.17" in summary(state, report["run_id"])
    assert last_releases(state)[ROS] == "7.17"
    assert backup(inventory, state, capsys)["upgrades"] == []


def test_a_routeros_6_refusing_show_sensitive_is_fetched_again_for_its_release(
    clean_lab: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = inventory_copy(clean_lab, tmp_path / "inventory", 6)
    backup(inventory, state, capsys)
    hosts = yaml.safe_load((inventory / "hosts.yaml").read_text())
    hosts[ROS].setdefault("data", {})["os_version"] = "7.16.1"  # a stale declaration
    (inventory / "hosts.yaml").write_text(yaml.safe_dump(hosts))
    clean_lab.fault(ROS, "upgrade", "6.48.6")
    report = backup(inventory, state, capsys)
    outcome = host(report, ROS)
    assert outcome["status"] != "failed", outcome["reason"]  # the same config, sanitized
    assert outcome["upgraded_from"] == "7.16.1" and outcome["os_version"] == "6.48.6"
    assert outcome["revalidated"] == ["/system resource print", "/export terse"]
