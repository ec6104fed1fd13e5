"""Reading runs back from the recap database, with their status worked out.

A run with a ``run_ends`` row has that status. One without is *running* while its process
lives, else *interrupted* (killed, machine crashed): a ``kill -9`` never hides a run.
"""

from __future__ import annotations

import socket
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netrawat.pids import pid_alive
from netrawat.recap import schema
from netrawat.recap.recorder import HostRecord, process_start
from netrawat.recap.values import GRADES

STALE_AFTER = timedelta(hours=24)
"""A run of another machine with no end after this long is taken as interrupted."""


@dataclass(frozen=True)
class RunEntry:
    """One recorded run, as the report and the timeline see it."""

    run_id: str
    playbook: str
    request: str | None
    preventive_id: str | None
    operator: str
    opds: tuple[str, ...]
    options: Mapping[str, Any]
    started_at: datetime
    ended_at: datetime | None
    status: str
    summary: str | None
    hosts: tuple[HostRecord, ...] = ()
    items: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def grade(self) -> str | None:
        """The heaviest damage grade any host got in this run."""
        return heaviest(h.grade for h in self.hosts)

    @property
    def actions(self) -> tuple[str, ...]:
        """Every action taken on any host, in order, without repeats."""
        return tuple(dict.fromkeys(a for h in self.hosts for a in h.actions))

    def outcome_counts(self) -> dict[str, int]:
        """How many hosts ended in each outcome."""
        counts: dict[str, int] = defaultdict(int)
        for record in self.hosts:
            counts[record.outcome] += 1
        return dict(counts)

    def item(self, kind: str) -> tuple[str, ...]:
        """Commits, reports, escalations or errors the run added."""
        return self.items.get(kind, ())

    @property
    def commits(self) -> tuple[str, ...]:
        own = [h.commit for h in self.hosts if h.commit]
        return tuple(dict.fromkeys([*self.item("commit"), *own]))


def heaviest(grades: Iterable[str | None]) -> str | None:
    """The heaviest of some grades (berat > sedang > ringan), or None."""
    known = [g for g in grades if g in GRADES]
    return max(known, key=GRADES.index) if known else None


def _status_without_end(row: Any, now: datetime) -> str:
    if row.machine == socket.gethostname():
        same = row.process_start is None or process_start(row.pid) == row.process_start
        return "running" if pid_alive(row.pid) and same else "interrupted"
    return "interrupted" if now - row.started_at > STALE_AFTER else "running"


def _hosts_of(conn: Connection, run_ids: Sequence[str]) -> dict[str, dict[str, HostRecord]]:
    found: dict[str, dict[str, HostRecord]] = defaultdict(dict)
    rows = conn.execute(
        sa.select(schema.run_hosts)
        .where(schema.run_hosts.c.run_id.in_(run_ids))
        .order_by(schema.run_hosts.c.id)
    )
    for row in rows:
        found[row.run_id][row.host] = HostRecord(
            host=row.host,
            opd=row.opd,
            outcome=row.outcome,
            grade=row.grade,
            actions=tuple(row.actions or ()),
            commit=row.commit,
            error=row.error,
            details=row.details or {},
        )
    return found


def _items_of(conn: Connection, run_ids: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = conn.execute(
        sa.select(schema.run_items)
        .where(schema.run_items.c.run_id.in_(run_ids))
        .order_by(schema.run_items.c.id)
    )
    for row in rows:
        found[row.run_id][row.kind].append(row.value)
    return found


def load_runs(conn: Connection, where: Sequence[sa.ColumnElement[bool]] = ()) -> list[RunEntry]:
    """Runs matching ``where`` (clauses on ``schema.runs``), oldest first, fully assembled."""
    query = (
        sa.select(
            schema.runs,
            schema.run_ends.c.ended_at,
            schema.run_ends.c.status,
            schema.run_ends.c.summary,
        )
        .outerjoin(schema.run_ends, schema.run_ends.c.run_id == schema.runs.c.run_id)
        .where(*where)
        .order_by(schema.runs.c.started_at, schema.runs.c.run_id)
    )
    rows = list(conn.execute(query))
    ids = [row.run_id for row in rows]
    hosts, items = ({}, {}) if not ids else (_hosts_of(conn, ids), _items_of(conn, ids))
    now = datetime.now(UTC)
    return [
        RunEntry(
            run_id=row.run_id,
            playbook=row.playbook,
            request=row.request_number,
            preventive_id=row.preventive_id,
            operator=row.operator,
            opds=tuple(row.opds or ()),
            options=row.options or {},
            started_at=row.started_at,
            ended_at=row.ended_at,
            status=row.status or _status_without_end(row, now),
            summary=row.summary,
            hosts=tuple(hosts.get(row.run_id, {}).values()),
            items={k: tuple(v) for k, v in items.get(row.run_id, {}).items()},
        )
        for row in rows
    ]


def runs_of_request(conn: Connection, number: str) -> list[RunEntry]:
    """Every run attached to request ``number``."""
    return load_runs(conn, [schema.runs.c.request_number == number])


def get_run(conn: Connection, run_id: str) -> RunEntry | None:
    """One run by id."""
    found = load_runs(conn, [schema.runs.c.run_id == run_id])
    return found[0] if found else None
