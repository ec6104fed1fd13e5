"""SOP timing: how long each step of a request took against its target, overruns flagged.

The rules of measurement are in `netrawat.recap.sop`. A step still going on (request open,
run still running) is measured up to *now* and marked in progress: it is flagged as soon as
it passes its target, not only once it ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from netrawat.recap.query import RunEntry, heaviest
from netrawat.recap.requests import Request
from netrawat.recap.sop import LIGHT_GRADE, SOP_STEPS, SopStep, step_of


@dataclass(frozen=True)
class StepTiming:
    """One SOP step of one request, timed."""

    step: SopStep
    start: datetime
    end: datetime
    in_progress: bool

    @property
    def duration(self) -> timedelta:
        return max(self.end - self.start, timedelta(0))

    @property
    def target(self) -> timedelta:
        return self.step.target

    @property
    def overrun(self) -> bool:
        """True when the step took (or has taken so far) longer than its target."""
        return self.duration > self.step.target


def _span(runs: Sequence[RunEntry], now: datetime) -> tuple[datetime, datetime, bool] | None:
    if not runs:
        return None
    start = min(r.started_at for r in runs)
    going = any(r.ended_at is None and r.status == "running" for r in runs)
    ends = [r.ended_at or r.started_at for r in runs]
    return start, now if going else max(ends), going


def _receipt(request: Request, runs: Sequence[RunEntry], now: datetime) -> StepTiming:
    step = SOP_STEPS["receipt"]
    if runs:
        return StepTiming(step, request.received_at, runs[0].started_at, False)
    end = request.closed_at or now
    return StepTiming(step, request.received_at, end, request.is_open)


def _by_step(key: str, step: SopStep, runs: Sequence[RunEntry], now: datetime) -> StepTiming | None:
    chosen = [r for r in runs if step_of(r.playbook) == key]
    if key == "survey":
        repairs = [r.started_at for r in runs if step_of(r.playbook) == "repair"]
        if repairs:
            chosen = [r for r in chosen if r.started_at < min(repairs)] or chosen[:1]
    span = _span(chosen, now)
    return StepTiming(step, *span) if span else None


def _report(request: Request, runs: Sequence[RunEntry], now: datetime) -> StepTiming | None:
    if not runs:
        return None
    last = max((r.ended_at or r.started_at) for r in runs)
    end = request.closed_at or now
    return StepTiming(SOP_STEPS["report"], last, max(end, last), request.is_open)


def request_steps(request: Request, runs: Sequence[RunEntry], now: datetime) -> list[StepTiming]:
    """The timed SOP steps of ``request`` (steps that did not happen are left out)."""
    ordered = sorted(runs, key=lambda r: r.started_at)
    grade = heaviest(r.grade for r in ordered)
    repair_key = "light_repair" if grade == LIGHT_GRADE else "repair"
    timings: list[StepTiming | None] = [
        _receipt(request, ordered, now),
        _by_step("survey", SOP_STEPS["survey"], ordered, now),
        _by_step("repair", SOP_STEPS[repair_key], ordered, now),
        _report(request, ordered, now),
    ]
    return [t for t in timings if t is not None]
