"""Recap queries of the console that must stay fast on a year of history: run summaries
(counts per outcome, not every host's details), one host's runs and health history (through
the ``run_hosts (host, id)`` index), and one host's checks from a health run's report file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from netrawat.recap import schema
from netrawat.recap.query import _status_without_end
from netrawat.recap.store import RecapStore
from netrawat.web.latest import not_checked_of


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    playbook: str
    request: str | None
    preventive_id: str | None
    operator: str
    opds: tuple[str, ...]
    started_at: datetime
    ended_at: datetime | None
    status: str
    summary: str | None
    outcomes: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "playbook": self.playbook,
            "request": self.request,
            "preventive_id": self.preventive_id,
            "operator": self.operator,
            "opds": list(self.opds),
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "status": self.status,
            "summary": self.summary,
            "outcomes": self.outcomes,
        }


def run_summaries(
    store: RecapStore, *, limit: int, offset: int = 0, playbook: str | None = None
) -> list[RunSummary]:
    """The newest runs first, with host counts per outcome."""
    runs, ends, rh = schema.runs, schema.run_ends, schema.run_hosts
    query = (
        sa.select(runs, ends.c.ended_at, ends.c.status, ends.c.summary)
        .outerjoin(ends, ends.c.run_id == runs.c.run_id)
        .order_by(runs.c.started_at.desc(), runs.c.run_id.desc())
        .limit(limit)
        .offset(offset)
    )
    if playbook:
        query = query.where(runs.c.playbook == playbook)
    now = datetime.now(UTC)
    with store.begin() as conn:
        rows = conn.execute(query).all()
        ids = [r.run_id for r in rows]
        counts: dict[str, dict[str, int]] = {}
        if ids:
            latest = (
                sa.select(sa.func.max(rh.c.id))
                .where(rh.c.run_id.in_(ids))
                .group_by(rh.c.run_id, rh.c.host)
            )
            tally = (
                sa.select(rh.c.run_id, rh.c.outcome, sa.func.count())
                .where(rh.c.id.in_(latest))
                .group_by(rh.c.run_id, rh.c.outcome)
            )
            for run_id, outcome, n in conn.execute(tally):
                counts.setdefault(run_id, {})[outcome] = int(n)
    return [
        RunSummary(
            run_id=r.run_id,
            playbook=r.playbook,
            request=r.request_number,
            preventive_id=r.preventive_id,
            operator=r.operator,
            opds=tuple(r.opds or ()),
            started_at=r.started_at,
            ended_at=r.ended_at,
            status=r.status or _status_without_end(r, now),
            summary=r.summary,
            outcomes=counts.get(r.run_id, {}),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class HostRun:
    """One run as it concerned one host."""

    run_id: str
    playbook: str
    request: str | None
    started_at: datetime
    status: str | None
    outcome: str
    grade: str | None
    commit: str | None
    error: str | None
    failed: dict[str, str]
    not_checked: list[str]


def host_runs(
    store: RecapStore, host: str, *, playbook: str | None = None, limit: int = 50
) -> list[HostRun]:
    """The runs that touched ``host``, newest first (its last record in each run)."""
    rh, runs, ends = schema.run_hosts, schema.runs, schema.run_ends
    query = (
        sa.select(
            rh.c.id,
            rh.c.run_id,
            rh.c.outcome,
            rh.c.grade,
            rh.c.commit,
            rh.c.error,
            rh.c.details,
            runs.c.playbook,
            runs.c.request_number,
            runs.c.started_at,
            ends.c.status,
        )
        .join(runs, runs.c.run_id == rh.c.run_id)
        .outerjoin(ends, ends.c.run_id == rh.c.run_id)
        .where(rh.c.host == host)
        .order_by(rh.c.id.desc())
        .limit(limit * 3)
    )
    if playbook:
        query = query.where(runs.c.playbook == playbook)
    seen: set[str] = set()
    found: list[HostRun] = []
    with store.begin() as conn:
        rows = conn.execute(query).all()
    for r in rows:
        if r.run_id in seen:
            continue
        seen.add(r.run_id)
        details = r.details if isinstance(r.details, dict) else {}
        failed = details.get("failed") if r.playbook == "health" else None
        found.append(
            HostRun(
                run_id=r.run_id,
                playbook=r.playbook,
                request=r.request_number,
                started_at=r.started_at,
                status=r.status,
                outcome=r.outcome,
                grade=r.grade,
                commit=r.commit,
                error=r.error,
                failed={str(k): str(v) for k, v in failed.items()}
                if isinstance(failed, dict)
                else {},
                not_checked=not_checked_of(details) if r.playbook == "health" else [],
            )
        )
    return found[:limit]


def host_checks(state_health: Path, run_id: str, host: str) -> list[dict[str, Any]]:
    """Every check of ``host`` in health run ``run_id`` (from the run's report file)."""
    if "/" in run_id or run_id.startswith("."):
        return []
    path = state_health / "runs" / f"{run_id}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return []
    for device in data.get("devices", []):
        if device.get("host") == host:
            return [
                {k: c.get(k) for k in ("check", "status", "grade", "message")}
                for c in device.get("checks", [])
            ]
    return []


def letters(store: RecapStore, *, status: str | None = None, opd: str | None = None) -> list[Any]:
    """Requests newest first with their state, in one query (`list_requests` loads each
    request on its own: a year of letters would cost hundreds of queries per page)."""
    from netrawat.recap.requests import Request

    req, ev = schema.requests, schema.request_events
    closed = (
        sa.select(
            ev.c.request_number,
            sa.func.min(ev.c.id).label("first_close"),
        )
        .where(ev.c.kind == "closed")
        .group_by(ev.c.request_number)
        .subquery()
    )
    event = ev.alias("close_event")
    query = (
        sa.select(req, event.c.at, event.c.operator, event.c.result, event.c.note)
        .outerjoin(closed, closed.c.request_number == req.c.number)
        .outerjoin(event, event.c.id == closed.c.first_close)
        .order_by(req.c.received_at.desc())
    )
    if opd:
        query = query.where(req.c.opd == opd.lower())
    if status == "open":
        query = query.where(closed.c.first_close.is_(None))
    elif status == "closed":
        query = query.where(closed.c.first_close.is_not(None))
    with store.begin() as conn:
        rows = conn.execute(query).all()
    return [
        Request(
            number=r.number,
            opd=r.opd,
            summary=r.summary,
            received_at=r.received_at,
            opened_at=r.opened_at,
            opened_by=r.opened_by,
            closed_at=r.at,
            closed_by=r.operator,
            result=r.result,
            close_note=r.note,
        )
        for r in rows
    ]
