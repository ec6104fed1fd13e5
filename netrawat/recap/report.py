"""The recap report's content: requests with their SOP timing, preventive and other runs,
totals per OPD and per grade, for one period and optionally one OPD.

A request is in the period when it was received, worked on (a run started) or closed in it.
Renderers (`netrawat.recap.render`) only lay this out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from netrawat.errors import InputError
from netrawat.recap import schema, values
from netrawat.recap.baseline import BaselineOpd, baseline_by_opd
from netrawat.recap.drills import DeviceDrill, last_drills
from netrawat.recap.query import RunEntry, heaviest, load_runs
from netrawat.recap.requests import Request, get_request
from netrawat.recap.store import RecapStore
from netrawat.recap.timing import StepTiming, request_steps


@dataclass(frozen=True)
class Period:
    """Local calendar days ``first`` .. ``last`` inclusive."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return values.local_midnight(self.first)

    @property
    def stop(self) -> datetime:
        return values.local_midnight(self.last + timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.first.isoformat()} - {self.last.isoformat()}"


def choose_period(
    month: str | None, first: str | None, last: str | None, today: date | None = None
) -> Period:
    """The period from ``--month`` or ``--from``/``--to``; default: the current month."""
    if month and (first or last):
        raise InputError("--month and --from/--to both given", "use one or the other")
    if month:
        start, following = values.month(month)
        return Period(start, following - timedelta(days=1))
    today = today or datetime.now(values.LOCAL_TZ).date()
    begin = values.day(first, "--from date") if first else today.replace(day=1)
    end = values.day(last, "--to date") if last else today
    if end < begin:
        raise InputError(f"--to {end} is before --from {begin}", "swap the dates")
    return Period(begin, end)


@dataclass(frozen=True)
class RequestLine:
    """One request in the report."""

    request: Request
    runs: tuple[RunEntry, ...]
    steps: tuple[StepTiming, ...]

    @property
    def grade(self) -> str | None:
        return heaviest(r.grade for r in self.runs)

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for r in self.runs for a in r.actions))

    @property
    def executors(self) -> tuple[str, ...]:
        people = [self.request.opened_by, *(r.operator for r in self.runs)]
        if self.request.closed_by:
            people.append(self.request.closed_by)
        return tuple(dict.fromkeys(people))

    @property
    def escalations(self) -> tuple[str, ...]:
        return tuple(e for r in self.runs for e in r.item("escalation"))

    @property
    def commits(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for r in self.runs for c in r.commits))

    @property
    def overrun(self) -> bool:
        return any(s.overrun for s in self.steps)


@dataclass(frozen=True)
class Report:
    """Everything one recap report shows."""

    period: Period
    opd: str | None
    generated_at: datetime
    requests: tuple[RequestLine, ...]
    preventive: tuple[RunEntry, ...]
    other_runs: tuple[RunEntry, ...]
    totals_opd: dict[str, Counter[str]] = field(default_factory=dict)
    totals_grade: Counter[str] = field(default_factory=Counter)
    baseline: tuple[BaselineOpd, ...] = ()
    """The security baseline per OPD (the period's audit runs; empty when there were none)."""
    drills: tuple[DeviceDrill, ...] = ()
    """Each device's last restore drill of the period (empty when there was none)."""


def _request_numbers(conn: sa.Connection, period: Period) -> set[str]:
    r, e, runs = schema.requests, schema.request_events, schema.runs
    received = sa.select(r.c.number).where(
        r.c.received_at >= period.start, r.c.received_at < period.stop
    )
    closed = sa.select(e.c.request_number).where(e.c.at >= period.start, e.c.at < period.stop)
    worked = sa.select(runs.c.request_number).where(
        runs.c.request_number.is_not(None),
        runs.c.started_at >= period.start,
        runs.c.started_at < period.stop,
    )
    found: set[str] = set()
    for query in (received, closed, worked):
        found.update(n for n in conn.execute(query).scalars() if n)
    return found


def _totals(lines: Sequence[RequestLine]) -> tuple[dict[str, Counter[str]], Counter[str]]:
    per_opd: dict[str, Counter[str]] = {}
    per_grade: Counter[str] = Counter()
    for line in lines:
        counts = per_opd.setdefault(line.request.opd, Counter())
        counts["requests"] += 1
        counts["closed" if not line.request.is_open else "open"] += 1
        counts["overruns"] += int(line.overrun)
        grade = line.grade or "ungraded"
        counts[grade] += 1
        per_grade[grade] += 1
    return dict(sorted(per_opd.items())), per_grade


def build_report(store: RecapStore, period: Period, opd: str | None = None) -> Report:
    """Collect the report of ``period`` (and only OPD ``opd`` when given)."""
    now = datetime.now(UTC)
    wanted = opd.lower() if opd else None
    with store.begin() as conn:
        numbers = _request_numbers(conn, period)
        loose = load_runs(
            conn,
            [
                schema.runs.c.request_number.is_(None),
                schema.runs.c.started_at >= period.start,
                schema.runs.c.started_at < period.stop,
            ],
        )
        all_runs = load_runs(conn, [schema.runs.c.request_number.in_(numbers)]) if numbers else []
    lines = []
    for number in numbers:
        request = get_request(store, number)
        if wanted and request.opd != wanted:
            continue
        runs = [r for r in all_runs if r.request == number]
        lines.append(RequestLine(request, tuple(runs), tuple(request_steps(request, runs, now))))
    lines.sort(key=lambda line: (line.request.received_at, line.request.number))
    loose = [r for r in loose if not wanted or wanted in r.opds]
    per_opd, per_grade = _totals(lines)
    in_period = [r for r in all_runs if period.start <= r.started_at < period.stop]
    baseline = tuple(
        b for b in baseline_by_opd([*loose, *in_period]) if not wanted or b.opd == wanted
    )
    return Report(
        period=period,
        opd=wanted,
        generated_at=now,
        requests=tuple(lines),
        preventive=tuple(r for r in loose if r.preventive_id),
        other_runs=tuple(r for r in loose if not r.preventive_id),
        totals_opd=per_opd,
        totals_grade=per_grade,
        baseline=baseline,
        drills=tuple(d for d in last_drills([*loose, *in_period]) if not wanted or d.opd == wanted),
    )
