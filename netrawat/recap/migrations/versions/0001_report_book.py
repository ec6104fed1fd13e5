"""The report book as netrawat 0.1 created it (before Alembic): requests, runs and what they did.

Revision ID: 0001
Revises: -
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    meta = op.create_table(
        "recap_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
    )
    op.bulk_insert(meta, [{"key": "schema_version", "value": "1"}])
    op.create_table(
        "requests",
        sa.Column("number", sa.String(120), primary_key=True),
        sa.Column("opd", sa.String(64), nullable=False, index=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("received_at", UTC_TIME, nullable=False, index=True),
        sa.Column("opened_at", UTC_TIME, nullable=False),
        sa.Column("opened_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "request_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "request_number",
            sa.String(120),
            sa.ForeignKey("requests.number"),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("operator", sa.String(64), nullable=False),
        sa.Column("result", sa.String(32), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_table(
        "runs",
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
        sa.Column("started_at", UTC_TIME, nullable=False, index=True),
        sa.Column("machine", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("process_start", sa.String(32), nullable=True),
    )
    op.create_table(
        "run_ends",
        sa.Column("run_id", sa.String(64), sa.ForeignKey("runs.run_id"), primary_key=True),
        sa.Column("ended_at", UTC_TIME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text, nullable=True),
    )
    op.create_table(
        "run_hosts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.String(64), sa.ForeignKey("runs.run_id"), nullable=False, index=True
        ),
        sa.Column("host", sa.String(128), nullable=False),
        sa.Column("opd", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("grade", sa.String(16), nullable=True),
        sa.Column("actions", sa.JSON, nullable=False),
        sa.Column("commit", sa.String(64), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
    )
    op.create_table(
        "run_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id", sa.String(64), sa.ForeignKey("runs.run_id"), nullable=False, index=True
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
    )
