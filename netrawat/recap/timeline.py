"""The timeline of one request: letter received, registered, runs, escalations, closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from netrawat.recap.query import RunEntry, heaviest, runs_of_request
from netrawat.recap.requests import Request, get_request
from netrawat.recap.store import RecapStore
from netrawat.recap.timing import StepTiming, request_steps


@dataclass(frozen=True)
class Event:
    """One moment in a request's life: ``kind`` (received, opened, run_started, run_<status>,
    escalation, closed) is translated by the caller; ``text`` is data (OPD, summary, counts)."""

    at: datetime
    kind: str
    text: str
    operator: str | None = None
    run_id: str | None = None


@dataclass(frozen=True)
class Timeline:
    """A request, its runs, its events in order and its timed SOP steps."""

    request: Request
    runs: tuple[RunEntry, ...]
    events: tuple[Event, ...]
    steps: tuple[StepTiming, ...]

    @property
    def grade(self) -> str | None:
        return heaviest(r.grade for r in self.runs)


def _run_events(run: RunEntry) -> list[Event]:
    counts = ", ".join(f"{o} {n}" for o, n in sorted(run.outcome_counts().items())) or "-"
    grade = f" · {run.grade}" if run.grade else ""
    found = [Event(run.started_at, "run_started", run.playbook, run.operator, run.run_id)]
    found += [
        Event(run.started_at, "escalation", e, run.operator, run.run_id)
        for e in run.item("escalation")
    ]
    ended = run.ended_at or run.started_at
    found.append(
        Event(
            ended,
            f"run_{run.status}",
            f"{run.playbook}: {counts}{grade}",
            run.operator,
            run.run_id,
        )
    )
    return found


def build_timeline(store: RecapStore, number: str) -> Timeline:
    """The full timeline of request ``number`` (unknown numbers are a clear error)."""
    request = get_request(store, number)
    with store.begin() as conn:
        runs = runs_of_request(conn, request.number)
    events = [
        Event(request.received_at, "received", request.opd),
        Event(request.opened_at, "opened", request.summary, request.opened_by),
    ]
    for run in runs:
        events += _run_events(run)
    if request.closed_at:
        note = f": {request.close_note}" if request.close_note else ""
        events.append(
            Event(
                request.closed_at,
                "closed",
                f"{request.result}{note}",
                request.closed_by,
            )
        )
    events.sort(key=lambda e: e.at)
    steps = request_steps(request, runs, datetime.now(UTC))
    return Timeline(request, tuple(runs), tuple(events), tuple(steps))


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    """The timeline as plain JSON data."""
    request = timeline.request
    return {
        "number": request.number,
        "opd": request.opd,
        "summary": request.summary,
        "status": request.status,
        "result": request.result,
        "grade": timeline.grade,
        "received_at": request.received_at.isoformat(),
        "closed_at": request.closed_at.isoformat() if request.closed_at else None,
        "events": [
            {
                "at": e.at.isoformat(),
                "kind": e.kind,
                "text": e.text,
                "operator": e.operator,
                "run_id": e.run_id,
            }
            for e in timeline.events
        ],
        "steps": [
            {
                "step": s.step.number,
                "key": s.step.key,
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "duration_s": int(s.duration.total_seconds()),
                "target_s": int(s.target.total_seconds()),
                "overrun": s.overrun,
                "in_progress": s.in_progress,
            }
            for s in timeline.steps
        ],
        "runs": [r.run_id for r in timeline.runs],
    }
