"""SOP timing: each step against its target, overruns flagged, steps in progress measured to now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from netrawat.recap.query import RunEntry
from netrawat.recap.recorder import HostRecord
from netrawat.recap.requests import Request
from netrawat.recap.sop import PLAYBOOK_STEP, SOP_STEPS
from netrawat.recap.timing import StepTiming, request_steps

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _request(closed_after: timedelta | None = None) -> Request:
    return Request(
        number="1/A",
        opd="dinkes",
        summary="x",
        received_at=T0,
        opened_at=T0,
        opened_by="op",
        closed_at=T0 + closed_after if closed_after else None,
        closed_by="op" if closed_after else None,
        result="restored" if closed_after else None,
    )


def _run(
    playbook: str,
    start: timedelta,
    length: timedelta | None,
    grade: str | None = None,
    status: str = "ok",
) -> RunEntry:
    host = HostRecord("R1", "dinkes", "ok", grade, (), None, None, {})
    return RunEntry(
        run_id=f"{playbook}-{start}",
        playbook=playbook,
        request="1/A",
        preventive_id=None,
        operator="op",
        opds=("dinkes",),
        options={},
        started_at=T0 + start,
        ended_at=T0 + start + length if length is not None else None,
        status=status if length is not None else "running",
        summary=None,
        hosts=(host,),
    )


H = timedelta(hours=1)


def _by_key(steps: list[StepTiming]) -> dict[str, StepTiming]:
    return {s.step.key: s for s in steps}


def test_targets_are_the_sop_targets() -> None:
    assert {k: s.target for k, s in SOP_STEPS.items()} == {
        "receipt": timedelta(days=1),
        "survey": 2 * H,
        "repair": timedelta(days=1),
        "light_repair": 3 * H,
        "report": H,
    }
    assert PLAYBOOK_STEP["health"] == "survey" and PLAYBOOK_STEP["repair"] == "repair"
    assert PLAYBOOK_STEP["backup"] is None and PLAYBOOK_STEP["diff"] is None


def test_all_within_targets() -> None:
    runs = [_run("health", 2 * H, H / 2, grade="sedang"), _run("repair", 4 * H, 5 * H)]
    steps = _by_key(request_steps(_request(closed_after=9 * H + H / 2), runs, T0 + 30 * H))
    assert steps["receipt"].duration == 2 * H
    assert steps["survey"].duration == H / 2
    assert steps["repair"].step.number == 3 and steps["repair"].duration == 5 * H
    assert steps["report"].duration == H / 2
    assert not any(s.overrun for s in steps.values())


def test_overruns_are_flagged() -> None:
    runs = [_run("health", 30 * H, 3 * H, grade="ringan"), _run("repair", 34 * H, 4 * H)]
    steps = _by_key(request_steps(_request(closed_after=40 * H), runs, T0 + 50 * H))
    assert steps["receipt"].overrun  # 30 h > 1 day
    assert steps["survey"].overrun  # 3 h > 2 h
    assert "repair" not in steps and steps["light_repair"].step.number == 4
    assert steps["light_repair"].overrun  # 4 h > 3 h for light damage
    assert steps["report"].overrun  # 2 h > 1 h


def test_heavy_damage_repair_has_one_day() -> None:
    runs = [_run("health", H, H, grade="berat"), _run("repair", 3 * H, 20 * H)]
    steps = _by_key(request_steps(_request(closed_after=23 * H + H / 4), runs, T0 + 30 * H))
    assert not steps["repair"].overrun


def test_open_request_without_runs_runs_over_while_waiting() -> None:
    steps = request_steps(_request(), [], T0 + 25 * H)
    assert [s.step.key for s in steps] == ["receipt"]
    assert steps[0].in_progress and steps[0].overrun
    assert not request_steps(_request(), [], T0 + 5 * H)[0].overrun


def test_running_survey_measured_to_now() -> None:
    steps = _by_key(request_steps(_request(), [_run("health", H, None)], T0 + 4 * H))
    assert steps["survey"].in_progress and steps["survey"].duration == 3 * H
    assert steps["survey"].overrun


def test_recheck_after_repair_does_not_stretch_survey() -> None:
    runs = [_run("health", H, H / 2), _run("repair", 2 * H, H), _run("health", 10 * H, H / 2)]
    steps = _by_key(request_steps(_request(closed_after=11 * H), runs, T0 + 12 * H))
    assert steps["survey"].duration == H / 2


@pytest.mark.parametrize("playbook", ["backup", "diff"])
def test_supporting_runs_count_for_receipt_and_report_only(playbook: str) -> None:
    steps = _by_key(request_steps(_request(closed_after=3 * H), [_run(playbook, H, H)], T0 + 4 * H))
    assert set(steps) == {"receipt", "report"}
