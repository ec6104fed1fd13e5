"""The recap database: an SQLAlchemy engine from a URL, with the schema in place.

Default: ``sqlite:///<state>/recap.sqlite`` in WAL mode with a busy timeout, so several
processes (a cron run, an engineer's run, a report) write and read at once. A shared server
uses PostgreSQL: ``--db postgresql://user@host/netrawat`` or ``NETRAWAT_RECAP_DB`` (driver:
psycopg 3, the ``postgres`` extra).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from netrawat.errors import CannotRunError, InputError
from netrawat.recap import schema
from netrawat.recap.location import SQLITE_BUSY_TIMEOUT_MS, db_hint, resolve_url, set_up_sqlite
from netrawat.recap.migrate import upgrade
from netrawat.recap.requests import open_for_run
from netrawat.recap.writer import RunRequest
from netrawat.state import StateDir


def _sqlite_pragmas(
    dbapi_connection: Any, _record: Any, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> None:
    set_up_sqlite(dbapi_connection, busy_ms)  # transactions are ours: see _sqlite_begin


def _sqlite_begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock up front: a read-then-write transaction never fails with
    # "database is locked" half-way (the busy timeout applies to BEGIN instead).
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout (``busy_ms``) and immediate
    transactions."""
    try:
        engine = sa.create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise InputError(
            f"recap database URL {_redact(url)!r} is not usable: {exc}",
            "use sqlite:///PATH or postgresql://USER@HOST/DB (install netrawat[postgres])",
        ) from exc
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", functools.partial(_sqlite_pragmas, busy_ms=busy_ms))
        sa.event.listen(engine, "begin", _sqlite_begin)
    return engine


def _redact(url: str) -> str:
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unparsable>"


@dataclass
class RecapStore:
    """An open recap database. Thread-safe: each call takes its own pooled connection."""

    engine: Engine
    url: str

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction; database errors become `CannotRunError` with a hint."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except (sa.exc.OperationalError, sa.exc.DatabaseError) as exc:
            raise CannotRunError(
                f"recap database {_redact(self.url)} failed: {exc.orig}",
                db_hint(self.url, str(exc.orig)),
            ) from exc

    def close(self) -> None:
        """Release the pooled connections."""
        self.engine.dispose()

    # -- a run's writer (`netrawat.recap.writer.RunWriter`) -----------------------------------

    def insert_run(self, row: Mapping[str, Any], request: RunRequest | None) -> None:
        """Check (or register) the run's request and insert its ``runs`` row."""
        with self.begin() as conn:
            if request is not None:
                open_for_run(conn, request)
            conn.execute(sa.insert(schema.runs).values(**row))

    def insert(self, table: str, row: Mapping[str, Any]) -> None:
        """Insert one row, in its own transaction."""
        with self.begin() as conn:
            conn.execute(sa.insert(schema.metadata.tables[table]).values(**row))


def open_store(
    state: StateDir | None = None, url: str | None = None, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> RecapStore:
    """Open (and on first use create) the recap database of ``state`` or at ``url``; SQLite
    waits up to ``busy_ms`` for a lock another writer holds."""
    resolved = resolve_url(state, url)
    store = RecapStore(create_engine(resolved, busy_ms), resolved)
    with store.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes creating the schema at once would collide: serialize them.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(6271983)"))
        upgrade(conn, _redact(resolved))
    _private_sqlite_file(store.engine)
    return store


def _private_sqlite_file(engine: Engine) -> None:
    """The SQLite file holds the fleet's history: owner-only (its -wal/-shm files follow)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:" and os.path.exists(database):
        os.chmod(database, 0o600)
