"""Tables of the recap database (the SOP's report book, *Buku laporan*).

Everything is append-only: a row is inserted once and never updated.

- ``requests``: one row per OPD letter (SOP step 1, receipt). Its state (open, closed) is not a
  column: it follows from its ``request_events``.
- ``request_events``: what happened to a request over time: ``closed`` (SOP step 5), notes.
- ``runs``: one row per playbook run, inserted when the run starts. Its end is a separate
  ``run_ends`` row, so a run killed with ``kill -9`` stays visible as *interrupted*.
- ``run_hosts``: per-host outcomes, inserted as hosts finish (the last row of a host wins).
- ``run_items``: commits, report paths, escalations and errors a run adds as it goes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

SCHEMA_VERSION = 2
"""Also kept in recap_meta for netrawat 0.1, which refuses a newer schema; migrations: Alembic."""


class UtcDateTime(sa.TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no zone: store naive UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the recap database")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = sa.MetaData()

meta = sa.Table(
    "recap_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)

requests = sa.Table(
    "requests",
    metadata,
    sa.Column("number", sa.String(120), primary_key=True),
    sa.Column("opd", sa.String(64), nullable=False, index=True),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False, index=True),
    sa.Column("opened_at", UtcDateTime, nullable=False),
    sa.Column("opened_by", sa.String(64), nullable=False),
)

request_events = sa.Table(
    "request_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "request_number",
        sa.String(120),
        sa.ForeignKey("requests.number"),
        nullable=False,
        index=True,
    ),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("operator", sa.String(64), nullable=False),
    sa.Column("result", sa.String(32), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("run_id", sa.String(64), primary_key=True),
    sa.Column("playbook", sa.String(32), nullable=False),
    sa.Column(
        "request_number",
        sa.String(120),
        sa.ForeignKey("requests.number"),
        nullable=True,
        index=True,
    ),
    sa.Column("preventive_id", sa.String(64), nullable=True, index=True),
    sa.Column("operator", sa.String(64), nullable=False),
    sa.Column("opds", sa.JSON, nullable=False),
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False, index=True),
    sa.Column("machine", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
    sa.Column("process_start", sa.String(32), nullable=True),
)

run_ends = sa.Table(
    "run_ends",
    metadata,
    sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id"), primary_key=True),
    sa.Column("ended_at", UtcDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("summary", sa.Text, nullable=True),
)

run_hosts = sa.Table(
    "run_hosts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id"), nullable=False, index=True),
    sa.Column("host", sa.String(128), nullable=False),
    sa.Column("opd", sa.String(64), nullable=True),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("grade", sa.String(16), nullable=True),
    sa.Column("actions", sa.JSON, nullable=False),
    sa.Column("commit", sa.String(64), nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)

run_items = sa.Table(
    "run_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id"), nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
)

# -- the web console and API (issue 16) ----------------------------------------------------
# Plain tables in the same metadata: `open_store` creates them on first use (checkfirst), and a
# migration tool (Alembic autogenerate) sees them like the others. Unlike the report book above,
# sessions, tokens and jobs are updated in place; the audit log is append-only.

users = sa.Table(
    "users",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("password_changed_at", UtcDateTime, nullable=False),
)

user_sessions = sa.Table(
    "user_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),  # sha256 of the cookie, never it
    sa.Column("username", sa.String(64), sa.ForeignKey("users.name"), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("last_seen_at", UtcDateTime, nullable=False),
    sa.Column("remote", sa.String(64), nullable=True),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 of the token, never it
    sa.Column("username", sa.String(64), sa.ForeignKey("users.name"), nullable=False, index=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("last_used_at", UtcDateTime, nullable=True),
    sa.Column("remote", sa.String(64), nullable=True),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime, nullable=False, index=True),
    sa.Column("username", sa.String(64), nullable=True, index=True),
    sa.Column("action", sa.String(48), nullable=False),
    sa.Column("target", sa.Text, nullable=True),
    sa.Column("remote", sa.String(64), nullable=True, index=True),
    sa.Column("via", sa.String(8), nullable=False),  # web, api, cli
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("detail", sa.JSON, nullable=True),
)

web_jobs = sa.Table(
    "web_jobs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("playbook", sa.String(32), nullable=False),
    sa.Column("selection", sa.JSON, nullable=False),
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("requested_by", sa.String(64), nullable=False),
    sa.Column("requested_at", UtcDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, index=True),
    sa.Column("started_at", UtcDateTime, nullable=True),
    sa.Column("ended_at", UtcDateTime, nullable=True),
    sa.Column("exit_code", sa.Integer, nullable=True),
    sa.Column("run_id", sa.String(64), nullable=True),
    sa.Column("worker_pid", sa.Integer, nullable=True),
    sa.Column("message", sa.Text, nullable=True),
)

# The console's latest-state lookups (dashboard, device page): one host's rows, newest first.
sa.Index("ix_run_hosts_host_id", run_hosts.c.host, run_hosts.c.id)
