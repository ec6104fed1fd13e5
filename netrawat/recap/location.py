"""Where the recap database is, how a SQLite connection to it is set up, and what to do when
it fails (no SQLAlchemy needed here).

Default: ``sqlite:///<state>/recap.sqlite``; ``--db URL`` or ``$NETRAWAT_RECAP_DB`` name
another one (``postgresql://...`` means psycopg 3).
"""

from __future__ import annotations

import os
import re
import sqlite3

from netrawat.paths import RECAP_DB_ENV
from netrawat.state import StateDir

DB_ENV = RECAP_DB_ENV
SQLITE_BUSY_TIMEOUT_MS = 60_000
SQLITE_PREFIX = "sqlite:///"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9 +./_~-]+")
"""Characters SQLAlchemy's URL parser keeps as they are (no %-escapes, no query string)."""


def resolve_url(state: StateDir | None, url: str | None = None) -> str:
    """The database URL: ``url``, else ``$NETRAWAT_RECAP_DB``, else SQLite in the state dir."""
    chosen = url or os.environ.get(DB_ENV)
    if chosen:
        return with_driver(chosen)
    if state is None:
        state = StateDir.resolve(None)
    return f"{SQLITE_PREFIX}{state.recap_db}"


def with_driver(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy alone would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def plain_sqlite_path(url: str) -> str | None:
    """The file of a plain ``sqlite:///PATH`` URL that SQLAlchemy would read the same way;
    None for anything else (another backend, memory, a query string, %-escapes).

    >>> plain_sqlite_path("sqlite:////var/lib/netrawat/recap.sqlite")
    '/var/lib/netrawat/recap.sqlite'
    >>> plain_sqlite_path("sqlite:////tmp/a%20b.sqlite") is None
    True
    """
    if not url.startswith(SQLITE_PREFIX):
        return None
    path = url[len(SQLITE_PREFIX) :]
    return path if _PLAIN_PATH.fullmatch(path) and path != ":memory:" else None


def db_hint(url: str, reason: str) -> str:
    """What to do about a database error: a damaged SQLite file is moved aside (netrawat starts
    a new one; the old one stays for recovery), anything else checked."""
    damaged = "not a database" in reason or "malformed" in reason
    if damaged and url.startswith(SQLITE_PREFIX):
        path = url[len(SQLITE_PREFIX) :]
        return (
            f"the file is damaged: move it aside (mv {path} {path}.damaged) and run again; "
            "netrawat starts a new recap, the old file stays for recovery (sqlite3 .recover)"
        )
    return "check the database is reachable and writable (--db URL / NETRAWAT_RECAP_DB)"


def set_up_sqlite(conn: sqlite3.Connection, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    """Every recap SQLite connection, whichever writer opened it: the caller owns the
    transactions (``BEGIN IMMEDIATE``; the driver must not open them itself), waits up to
    ``busy_ms`` for another writer's lock, WAL, synchronous NORMAL, foreign keys on."""
    conn.isolation_level = None
    conn.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
