"""SOP step 4: the section repairs light damage itself; heavier damage goes to the Kabid.

A device's latest health grade comes from the newest ``<state>/health/runs/<run-id>.json``
that graded it from evidence (run ids start with their UTC start time, so names sort by age).
A grade whose row in ``netrawat/health/grading.yaml`` says ``escalate: true`` (sedang, berat)
blocks a repair unless ``--force`` is given; either way the recap records the escalation.

Only evidence blocks: a run where the device was not checked (``grade`` null: nothing could be
checked after the login, or its SSH host key was refused) is passed over, and so is a grade
whose only failed check is ``reachable`` - the repair connects now or fails before sending
anything, and older reports graded a device unreachable for failures after its login.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from netrawat.health.config import grading_table
from netrawat.health.report import ESCALATION


@dataclass(frozen=True)
class LatestGrade:
    """A device's grade in its newest health run."""

    host: str
    grade: str
    run_id: str
    failed: tuple[str, ...] = ()

    @property
    def escalates(self) -> bool:
        return bool(grading_table().get(self.grade, {}).get("escalate"))

    def escalation(self, forced: bool) -> str:
        """The recap's escalation line for this device."""
        what = "repaired anyway with --force" if forced else "not repaired"
        checks = ", ".join(self.failed) or "-"
        return (
            f"{ESCALATION}: {self.host} graded {self.grade} by health run {self.run_id} "
            f"(failed: {checks}); {what}"
        )


def _devices(path: Path) -> list[dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    devices = data.get("devices") if isinstance(data, dict) else None
    return [d for d in devices or [] if isinstance(d, dict)]


def latest_grades(health_dir: Path, hosts: Iterable[str]) -> dict[str, LatestGrade]:
    """The newest grade of each of ``hosts`` that was ever surveyed."""
    wanted = set(hosts)
    found: dict[str, LatestGrade] = {}
    runs = health_dir / "runs"
    for path in sorted(runs.glob("*.json"), reverse=True) if runs.is_dir() else []:
        for device in _devices(path):
            name = str(device.get("host"))
            if name in wanted and name not in found:
                grade = _evidence_grade(device)
                if grade is None:
                    continue
                failed = device.get("failed")
                found[name] = LatestGrade(
                    name,
                    grade,
                    path.stem,
                    tuple(str(f) for f in failed) if isinstance(failed, list) else (),
                )
        if len(found) == len(wanted):
            break
    return found


NO_EVIDENCE_STATES = frozenset({"not_checked", "host_key_changed", "host_key_unknown"})


def _evidence_grade(device: dict[str, object]) -> str | None:
    """The device's grade if it was made from evidence on the device, else None."""
    grade = device.get("grade")
    if grade is None or device.get("state") in NO_EVIDENCE_STATES:
        return None
    if device.get("failed") == ["reachable"]:
        return None
    return str(grade)
