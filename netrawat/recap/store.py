"""The recap database: an SQLAlchemy engine from a URL, with the schema in place.

Default: ``sqlite:///<state>/recap.sqlite`` in WAL mode with a busy timeout, so several
processes (a cron run, an engineer's run, a report) write and read at once. A shared server
uses PostgreSQL: ``--db postgresql://user@host/netrawat`` or ``NETRAWAT_RECAP_DB`` (driver:
psycopg 3, the ``postgres`` extra).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from netrawat.errors import CannotRunError, InputError
from netrawat.paths import RECAP_DB_ENV
from netrawat.recap.migrate import upgrade
from netrawat.state import StateDir

DB_ENV = RECAP_DB_ENV
SQLITE_BUSY_TIMEOUT_MS = 60_000


def resolve_url(state: StateDir | None, url: str | None = None) -> str:
    """The database URL: ``url``, else ``$NETRAWAT_RECAP_DB``, else SQLite in the state dir."""
    chosen = url or os.environ.get(DB_ENV)
    if chosen:
        return _with_driver(chosen)
    if state is None:
        state = StateDir.resolve(None)
    return f"sqlite:///{state.recap_db}"


def _with_driver(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy alone would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(
    dbapi_connection: Any, _record: Any, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS
) -> None:
    # Own the transactions (see _sqlite_begin): the driver must not open them itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


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
                _db_hint(self.url, exc),
            ) from exc

    def close(self) -> None:
        """Release the pooled connections."""
        self.engine.dispose()


def _db_hint(url: str, exc: sa.exc.DBAPIError) -> str:
    """What to do about a database error: a damaged SQLite file is moved aside (netrawat starts
    a new one; the old one stays for recovery), anything else checked."""
    damaged = "not a database" in str(exc.orig) or "malformed" in str(exc.orig)
    if damaged and url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        return (
            f"the file is damaged: move it aside (mv {path} {path}.damaged) and run again; "
            "netrawat starts a new recap, the old file stays for recovery (sqlite3 .recover)"
        )
    return "check the database is reachable and writable (--db URL / NETRAWAT_RECAP_DB)"


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
