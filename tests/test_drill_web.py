"""The console's device rows carry each device's last restore drill (from the recap rows the
drill playbook records)."""

from __future__ import annotations

from pathlib import Path

from netrawat.recap import open_store, start_run
from netrawat.state import StateDir
from netrawat.web.fleetview import Device, device_json
from netrawat.web.latest import LatestState


def test_fleet_rows_carry_the_last_drill(tmp_path: Path) -> None:
    state = StateDir.resolve(tmp_path / "state")
    store = open_store(state)
    try:
        for result in ("differs", "restored"):
            with start_run(state, playbook="drill", opds=["dinkes"], store=store) as run:
                run.host(
                    "RTR-DINKES",
                    opd="dinkes",
                    outcome="ok" if result == "restored" else "failed",
                    details={"drill": result, "commit": "abc"},
                )
        row = device_json(
            Device("RTR-DINKES", "dinkes", "router", "mikrotik_routeros", "dinkes/RTR-DINKES.rsc"),
            LatestState(store).refresh()["RTR-DINKES"],
        )
    finally:
        store.close()
    assert row["drill"] == "restored" and row["drill_at"]
