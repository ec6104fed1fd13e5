"""The recap writer on the standard library's sqlite3: a run that only records imports no
SQLAlchemy (about 0.2 s of start-up) and spends less CPU per host.

It is taken only for a SQLite recap that already exists at this release's revision
(`netrawat.recap.revision.HEAD`); anything else (PostgreSQL, a new, older, newer or damaged
database, an unknown or closed request) goes through `netrawat.recap.store` as before.

The connection behaves as `netrawat.recap.store` sets it up (driver transactions off, each
transaction ``BEGIN IMMEDIATE``, busy timeout, WAL, synchronous NORMAL, foreign keys, an
owner-only file), and the rows are stored as SQLAlchemy stores them: JSON columns as
``json.dumps`` text, datetimes as naive UTC ``YYYY-MM-DD HH:MM:SS.ffffff`` text
(`netrawat.recap.schema.UtcDateTime` on SQLAlchemy's SQLite ``DATETIME``), so every reader
reads them alike (tests/test_recap_sqlite_writer.py compares both writers).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from netrawat.errors import CannotRunError
from netrawat.recap.location import db_hint, plain_sqlite_path, resolve_url, set_up_sqlite
from netrawat.recap.revision import HEAD, VERSION_TABLE
from netrawat.recap.writer import NotSimple, RunRequest
from netrawat.state import StateDir

JSON_COLUMNS: dict[str, frozenset[str]] = {
    "runs": frozenset({"opds", "options"}),
    "run_hosts": frozenset({"actions", "details"}),
    "run_items": frozenset(),
    "run_ends": frozenset(),
    "requests": frozenset(),
}
"""The tables this writer inserts into, with their JSON columns (see `netrawat.recap.schema`)."""


def stored_datetime(value: datetime) -> str:
    """An aware datetime as SQLAlchemy stores a `UtcDateTime` in SQLite.

    >>> from datetime import timedelta, timezone
    >>> stored_datetime(datetime(2026, 12, 2, 8, 5, 1, 42, tzinfo=timezone(timedelta(hours=7))))
    '2026-12-02 01:05:01.000042'
    """
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the recap database")
    utc = value.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond:06d}"
    )


def _stored(table: str, column: str, value: Any) -> Any:
    if column in JSON_COLUMNS[table]:
        return json.dumps(value)
    if isinstance(value, datetime):
        return stored_datetime(value)
    return value


def _insert(conn: sqlite3.Connection, table: str, row: Mapping[str, Any]) -> None:
    if table not in JSON_COLUMNS or not all(c.isidentifier() for c in row):
        raise ValueError(f"not a recap run table or column: {table} {sorted(row)}")
    names = ", ".join(f'"{column}"' for column in row)
    marks = ", ".join("?" for _ in row)
    conn.execute(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        [_stored(table, column, value) for column, value in row.items()],
    )


class SqliteWriter:
    """An open SQLite recap at `HEAD`; thread-safe (one connection, one transaction at a
    time: SQLite serializes writers anyway)."""

    def __init__(self, conn: sqlite3.Connection, url: str) -> None:
        self._conn = conn
        self.url = url
        self._lock = threading.Lock()

    @contextmanager
    def begin(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction; database errors become `CannotRunError` with
        the hint `netrawat.recap.store.RecapStore.begin` gives."""
        with self._lock:
            try:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    yield self._conn
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        with suppress(sqlite3.Error):
                            self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as exc:
                raise CannotRunError(
                    f"recap database {self.url} failed: {exc}", db_hint(self.url, str(exc))
                ) from exc

    def insert_run(self, row: Mapping[str, Any], request: RunRequest | None) -> None:
        """Check (or register) the run's request and insert its ``runs`` row."""
        with self.begin() as conn:
            if request is not None:
                _check_request(conn, request)
            _insert(conn, "runs", row)

    def insert(self, table: str, row: Mapping[str, Any]) -> None:
        """Insert one row, in its own transaction."""
        with self.begin() as conn:
            _insert(conn, table, row)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()


def _check_request(conn: sqlite3.Connection, request: RunRequest) -> None:
    """The request is open (or unknown and registered now); else `NotSimple`."""
    known = conn.execute("SELECT 1 FROM requests WHERE number = ?", (request.number,)).fetchone()
    if known is None:
        if not request.open:
            raise NotSimple(f"request {request.number!r} is not registered")
        now = datetime.now(UTC)
        row = {
            "number": request.number,
            "opd": request.opd,
            "summary": request.summary,
            "received_at": now,
            "opened_at": now,
            "opened_by": request.operator,
        }
        _insert(conn, "requests", row)
        return
    closed = conn.execute(
        "SELECT 1 FROM request_events WHERE request_number = ? AND kind = 'closed' LIMIT 1",
        (request.number,),
    ).fetchone()
    if closed is not None:
        raise NotSimple(f"request {request.number!r} is closed")


def _connect(path: str, busy_ms: int) -> sqlite3.Connection:
    # mode=rw: an existing file only (SQLAlchemy's path creates a new one).
    conn = sqlite3.connect(f"file:{quote(path)}?mode=rw", uri=True, check_same_thread=False)
    try:
        set_up_sqlite(conn, busy_ms)
    except BaseException:
        conn.close()
        raise
    return conn


def open_sqlite_writer(
    state: StateDir | None, url: str | None, busy_ms: int
) -> SqliteWriter | None:
    """The sqlite3 writer for the recap of ``state`` (or ``url``), or None when that recap is
    not an existing plain SQLite file at `HEAD` that opens cleanly (use `open_store`)."""
    resolved = resolve_url(state, url)
    path = plain_sqlite_path(resolved)
    if path is None or not os.path.isfile(path):
        return None
    try:
        conn = _connect(path, busy_ms)
    except sqlite3.Error:
        return None
    try:
        found = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
    except sqlite3.Error:
        found = []
    if found != [(HEAD,)]:
        conn.close()
        return None
    os.chmod(path, 0o600)  # as open_store: the fleet's history is owner-only
    return SqliteWriter(conn, resolved)
