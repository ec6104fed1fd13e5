"""Repairs judge by evidence, over real SSH: a change the re-read proves stays when the
post-checks cannot run ("applied, not verified by checks", exit 1, recap ``unverified``);
only grades made from evidence block a repair; a blocked repair is no success in the recap."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import fleet_args, inventory_copy, run_json, send_config

from netrawat.configs.normalize import normalize
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.query import RunEntry, get_run
from netrawat.repair.escalation import latest_grades
from netrawat.state import StateDir
from netrawat_lab.handle import Lab
from netrawat_lab.testing import private_slot, rehearsal_fleet, start_test_lab

pytestmark = pytest.mark.lab

REQUEST = "047/112/Diskes/XI/2026"
ROS, IOS = "RTR-DINKES", "CR-DINKES"


@pytest.fixture(scope="module")
def elab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A lab of this module only: repairs change configurations other tests rely on."""
    slot = private_slot()
    handle = start_test_lab(tmp_path_factory.mktemp("evidencelab"), rehearsal_fleet(slot), slot)
    yield handle
    handle.down()


@pytest.fixture
def clean(elab: Lab) -> Iterator[Lab]:
    yield elab
    elab.clear_all()


def _run(
    capsys: pytest.CaptureFixture[str], lab: Lab, tmp: Path, state: StateDir, *args: str
) -> tuple[int, dict[str, Any], str]:
    inventory = tmp / "inventory"
    if not inventory.exists():
        inventory_copy(lab, inventory, 6)  # short timeouts
    return run_json(
        capsys, *args, "--secrets", str(lab.secrets), *fleet_args(inventory, state.root)
    )


def _apply(
    capsys: pytest.CaptureFixture[str], lab: Lab, tmp: Path, state: StateDir, *args: str
) -> tuple[int, dict[str, Any], str]:
    return _run(capsys, lab, tmp, state, "repair", *args, "--apply", "--request", REQUEST, "--open")


def _recorded(state: StateDir, run_id: str) -> RunEntry:
    store = open_store(state)
    try:
        with store.begin() as conn:
            entry = get_run(conn, run_id)
    finally:
        store.close()
    assert entry is not None
    return entry


def test_a_verified_push_whose_checks_cannot_run_stays_applied_not_verified(
    clean: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    send_config(clean.spec(IOS), ["interface Vlan1", "shutdown"])
    # one vty line: the post-checks' own session (NAPALM) is refused while the repair's is open
    clean.fault(IOS, "max-sessions", "1")
    code, report, err = _apply(
        capsys, clean, tmp_path, state, "enable_interface", "--host", IOS, "--var",
        "interface=Vlan1",
    )  # fmt: skip
    assert code == ExitCode.HOSTS_FAILED, err
    host = next(h for h in report["hosts"] if h["host"] == IOS)
    assert host["status"] == "unverified", host["reason"]
    assert host["reason"].startswith("applied, not verified by checks (interface_admin_down")
    assert "could not collect health facts" in host["reason"]
    assert host["changed"] is True and host["rollback"] is None
    config = normalize(str(clean.snapshot(IOS)["config"]), "cisco_ios").text
    vlan1 = config.split("interface Vlan1", 1)[1].split("\n!", 1)[0]
    assert "shutdown" not in vlan1, "the verified change stays"
    entry = _recorded(state, report["run_id"])
    assert entry.status == "incomplete"
    assert {h.host: h.outcome for h in entry.hosts} == {IOS: "unverified"}


def test_a_repair_blocked_by_a_grade_is_no_success_in_the_recap(
    clean: Lab, tmp_path: Path, state: StateDir, capsys: pytest.CaptureFixture[str]
) -> None:
    clean.fault(ROS, "overheating")  # evidence: sedang
    clean.fault(ROS, "wrong-dns")
    _run(capsys, clean, tmp_path, state, "health", "--host", ROS)
    code, report, _ = _apply(capsys, clean, tmp_path, state, "restore_dns", "--host", ROS)
    assert code == ExitCode.HOSTS_FAILED
    assert report["hosts"][0]["status"] == "blocked"
    entry = _recorded(state, report["run_id"])
    assert entry.status == "incomplete"  # never "berhasil"
    assert [h.outcome for h in entry.hosts] == ["blocked"]


def _run_file(runs: Path, name: str, device: dict[str, Any]) -> None:
    runs.mkdir(parents=True, exist_ok=True)
    (runs / f"{name}.json").write_text(json.dumps({"devices": [device]}))


def test_only_grades_made_from_evidence_block(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    _run_file(runs, "20261101T000000Z-health-a", {"host": "A", "grade": "sedang",
              "state": "partial", "failed": ["temperature"]})  # fmt: skip
    _run_file(runs, "20261102T000000Z-health-b", {"host": "A", "grade": None,
              "state": "not_checked", "failed": []})  # fmt: skip
    _run_file(runs, "20261103T000000Z-health-c", {"host": "B", "grade": None,
              "state": "host_key_changed", "failed": []})  # fmt: skip
    # an older report: a failure after the login graded the host unreachable
    _run_file(runs, "20261104T000000Z-health-d", {"host": "C", "grade": "berat",
              "failed": ["reachable"]})  # fmt: skip
    grades = latest_grades(tmp_path, ["A", "B", "C"])
    assert grades["A"].grade == "sedang" and grades["A"].escalates  # the newest evidence
    assert "B" not in grades and "C" not in grades
