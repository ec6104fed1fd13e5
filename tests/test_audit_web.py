"""The console's fleet view shows each device's latest security-baseline audit, folded from the
recap rows the audit playbook records (status, grade, failing rules)."""

from __future__ import annotations

from pathlib import Path

from netrawat.audit.engine import audit_device, load_baseline
from netrawat.audit.model import AuditFacts
from netrawat.playbooks.audit import _entry
from netrawat.recap import open_store, start_run
from netrawat.state import StateDir
from netrawat.web.fleetview import Device, device_json
from netrawat.web.latest import LatestState

CAPTURE = Path(__file__).parent / "captures/oxidized/routeros#L009UiGS_7.15.2#output.txt"


def test_fleet_rows_carry_the_latest_baseline(tmp_path: Path) -> None:
    state = StateDir.resolve(tmp_path / "state")
    baseline = load_baseline("mikrotik_routeros")
    facts = AuditFacts("mikrotik_routeros", CAPTURE.read_text(), {"/user print terse": ""}, {})
    device = audit_device(baseline, facts, {}, host="RTR-DINKES", opd="dinkes", role="router")
    store = open_store(state)
    try:
        with start_run(state, playbook="audit", opds=["dinkes"], store=store) as run:
            entry = _entry(device)  # what the audit playbook records of a host
            run.host(
                entry.host,
                opd=entry.opd,
                outcome=entry.outcome,
                grade=entry.grade,
                error=entry.error,
                details=entry.details,
            )
        latest = LatestState(store)
        row = device_json(
            Device("RTR-DINKES", "dinkes", "router", "mikrotik_routeros", "dinkes/RTR-DINKES.rsc"),
            latest.refresh()["RTR-DINKES"],
        )
    finally:
        store.close()
    assert row["baseline"] == "findings" and row["baseline_grade"] == "berat"
    assert "ros-telnet-off" in row["baseline_findings"] and row["baseline_checked_at"]
