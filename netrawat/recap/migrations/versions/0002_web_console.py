"""The web console and API: users, their sessions and tokens, the audit log, queued runs; the
console's per-host lookup index on run_hosts.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    # a development build between the console and this migration made these tables already
    existing = set(sa.inspect(op.get_bind()).get_table_names())

    def create_table(name: str, *columns: sa.Column[object]) -> None:
        if name not in existing:
            op.create_table(name, *columns)

    create_table(
        "users",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("password_changed_at", UTC_TIME, nullable=False),
    )
    create_table(
        "user_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column(
            "username", sa.String(64), sa.ForeignKey("users.name"), nullable=False, index=True
        ),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("last_seen_at", UTC_TIME, nullable=False),
        sa.Column("remote", sa.String(64), nullable=True),
    )
    create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "username", sa.String(64), sa.ForeignKey("users.name"), nullable=False, index=True
        ),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("last_used_at", UTC_TIME, nullable=True),
        sa.Column("remote", sa.String(64), nullable=True),
    )
    create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", UTC_TIME, nullable=False, index=True),
        sa.Column("username", sa.String(64), nullable=True, index=True),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("target", sa.Text, nullable=True),
        sa.Column("remote", sa.String(64), nullable=True, index=True),
        sa.Column("via", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.JSON, nullable=True),
    )
    create_table(
        "web_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("playbook", sa.String(32), nullable=False),
        sa.Column("selection", sa.JSON, nullable=False),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("requested_by", sa.String(64), nullable=False),
        sa.Column("requested_at", UTC_TIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("started_at", UTC_TIME, nullable=True),
        sa.Column("ended_at", UTC_TIME, nullable=True),
        sa.Column("exit_code", sa.Integer, nullable=True),
        sa.Column("run_id", sa.String(64), nullable=True),
        sa.Column("worker_pid", sa.Integer, nullable=True),
        sa.Column("message", sa.Text, nullable=True),
    )
    indexes = {i["name"] for i in sa.inspect(op.get_bind()).get_indexes("run_hosts")}
    if "ix_run_hosts_host_id" not in indexes:
        op.create_index("ix_run_hosts_host_id", "run_hosts", ["host", "id"])
    meta = sa.table("recap_meta", sa.column("key", sa.String), sa.column("value", sa.String))
    op.execute(meta.update().where(meta.c.key == "schema_version").values(value="2"))
