"""Maintenance requests (SOP step 1): the OPD's letter, opened, worked on by runs, closed.

A request's state is never updated in place: opening inserts a ``requests`` row, closing
inserts a ``closed`` event. A closed request cannot be reused; a new letter gets a new number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netrawat.errors import InputError
from netrawat.recap import schema, values
from netrawat.recap.operators import current_operator
from netrawat.recap.writer import RunRequest

if TYPE_CHECKING:
    from netrawat.recap.store import RecapStore


@dataclass(frozen=True)
class Request:
    """One OPD letter and its current state."""

    number: str
    opd: str
    summary: str
    received_at: datetime
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None = None
    closed_by: str | None = None
    result: str | None = None
    close_note: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def status(self) -> str:
        return "open" if self.is_open else "closed"

    def to_json(self) -> dict[str, Any]:
        """The request as ``request show --json`` and the API print it."""
        return {
            "number": self.number,
            "opd": self.opd,
            "summary": self.summary,
            "status": self.status,
            "received_at": self.received_at.isoformat(),
            "opened_at": self.opened_at.isoformat(),
            "opened_by": self.opened_by,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "closed_by": self.closed_by,
            "result": self.result,
            "note": self.close_note,
        }


def _load(conn: Connection, number: str) -> Request | None:
    row = conn.execute(sa.select(schema.requests).where(schema.requests.c.number == number)).first()
    if row is None:
        return None
    closed = conn.execute(
        sa.select(schema.request_events)
        .where(
            schema.request_events.c.request_number == number,
            schema.request_events.c.kind == "closed",
        )
        .order_by(schema.request_events.c.id)
    ).first()
    return Request(
        number=row.number,
        opd=row.opd,
        summary=row.summary,
        received_at=row.received_at,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        closed_at=closed.at if closed else None,
        closed_by=closed.operator if closed else None,
        result=closed.result if closed else None,
        close_note=closed.note if closed else None,
    )


def unknown_request(number: str) -> InputError:
    """The error for a request number the recap does not hold."""
    return InputError(
        f"request {number!r} is not registered",
        f"open it first: netrawat request open '{number}' --opd OPD --summary '...' "
        "(or pass --open to the run)",
    )


def _closed(request: Request) -> InputError:
    return InputError(
        f"request {request.number!r} was closed on {request.closed_at:%Y-%m-%d %H:%M} UTC "
        f"(result {request.result})",
        "a closed request is not reused: register the new letter under its own number",
    )


def get_request(store: RecapStore, number: str) -> Request:
    """The request numbered ``number``; unknown numbers are a clear error."""
    number = values.request_number(number)
    with store.begin() as conn:
        found = _load(conn, number)
    if found is None:
        raise unknown_request(number)
    return found


def require_open(conn: Connection, number: str) -> Request:
    """The open request ``number`` inside a transaction; unknown or closed is an error."""
    found = _load(conn, number)
    if found is None:
        raise unknown_request(number)
    if not found.is_open:
        raise _closed(found)
    return found


def open_for_run(conn: Connection, request: RunRequest) -> None:
    """A run's request inside its transaction: registered first when ``request.open`` and
    unknown; it must be open."""
    known = conn.execute(
        sa.select(schema.requests.c.number).where(schema.requests.c.number == request.number)
    ).first()
    if request.open and known is None:
        insert_request(
            conn,
            request.number,
            opd=request.opd,
            summary=request.summary,
            received_at=None,
            operator=request.operator,
        )
    require_open(conn, request.number)


def insert_request(
    conn: Connection,
    number: str,
    *,
    opd: str,
    summary: str,
    received_at: datetime | None,
    operator: str,
) -> Request:
    """Insert a new request row inside a transaction (it must not exist yet)."""
    existing = _load(conn, number)
    if existing is not None:
        raise InputError(
            f"request {number!r} is already registered ({existing.status}, OPD {existing.opd})",
            f"see it with: netrawat request show '{number}'",
        )
    now = datetime.now(UTC)
    received = received_at or now
    if received > now:
        raise InputError(
            f"received date {received:%Y-%m-%d %H:%M} UTC is in the future",
            "give the date the letter arrived",
        )
    conn.execute(
        sa.insert(schema.requests).values(
            number=number,
            opd=opd,
            summary=summary,
            received_at=received,
            opened_at=now,
            opened_by=operator,
        )
    )
    created = _load(conn, number)
    assert created is not None
    return created


def open_request(
    store: RecapStore,
    number: str,
    *,
    opd: str,
    summary: str,
    received_at: datetime | None = None,
    operator: str | None = None,
) -> Request:
    """Register an OPD's letter (SOP step 1). ``received_at`` defaults to now."""
    number = values.request_number(number)
    opd_code = values.short_text(opd, "OPD code", max_length=64).lower()
    text = values.short_text(summary, "summary")
    with store.begin() as conn:
        return insert_request(
            conn,
            number,
            opd=opd_code,
            summary=text,
            received_at=received_at,
            operator=operator or current_operator(),
        )


def close_request(
    store: RecapStore,
    number: str,
    *,
    result: str,
    note: str | None = None,
    operator: str | None = None,
) -> Request:
    """Record the outcome of a request (SOP step 5). A closed request stays closed."""
    number = values.request_number(number)
    outcome = values.choice(result, values.CLOSE_RESULTS, "result")
    text = values.short_text(note, "note") if note else None
    with store.begin() as conn:
        require_open(conn, number)
        conn.execute(
            sa.insert(schema.request_events).values(
                request_number=number,
                kind="closed",
                at=datetime.now(UTC),
                operator=operator or current_operator(),
                result=outcome,
                note=text,
            )
        )
        closed = _load(conn, number)
    assert closed is not None
    return closed


def list_requests(
    store: RecapStore, *, opd: str | None = None, status: str | None = None
) -> list[Request]:
    """Every request (newest first), optionally of one OPD and/or in one status."""
    query = sa.select(schema.requests.c.number).order_by(schema.requests.c.received_at.desc())
    if opd:
        query = query.where(schema.requests.c.opd == opd.lower())
    with store.begin() as conn:
        found = [_load(conn, number) for number in conn.execute(query).scalars()]
    chosen = [r for r in found if r is not None]
    if status:
        chosen = [r for r in chosen if r.status == status]
    return chosen
