"""The audit log: who did what, when and from where, through the console, the API or the CLI.

Append-only, in the recap database. Login failures are audited too: the login rate limit
counts them (`recent_failures`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from netrawat.recap import schema
from netrawat.recap.store import RecapStore


@dataclass(frozen=True)
class AuditEntry:
    """One audited action."""

    id: int
    at: datetime
    username: str | None
    action: str
    target: str | None
    remote: str | None
    via: str
    outcome: str
    detail: Mapping[str, Any] | None


def record(
    store: RecapStore,
    *,
    username: str | None,
    action: str,
    target: str | None = None,
    remote: str | None = None,
    via: str = "web",
    outcome: str = "ok",
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry."""
    with store.begin() as conn:
        conn.execute(
            sa.insert(schema.audit_log).values(
                at=datetime.now(UTC),
                username=username,
                action=action[:48],
                target=target[:2000] if target else None,
                remote=remote[:64] if remote else None,
                via=via,
                outcome=outcome[:16],
                detail=dict(detail) if detail else None,
            )
        )


def recent_failures(
    store: RecapStore, *, since: datetime, username: str | None, remote: str | None
) -> tuple[int, int]:
    """Failed logins since ``since``: (for this user name, from this address)."""
    log = schema.audit_log
    base = sa.select(sa.func.count()).where(
        log.c.action == "login", log.c.outcome == "failed", log.c.at >= since
    )
    with store.begin() as conn:
        by_user = conn.execute(base.where(log.c.username == username)).scalar_one()
        by_remote = conn.execute(base.where(log.c.remote == remote)).scalar_one()
    return int(by_user), int(by_remote)


def list_entries(store: RecapStore, *, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    """The newest entries first."""
    log = schema.audit_log
    query = sa.select(log).order_by(log.c.id.desc()).limit(limit).offset(offset)
    with store.begin() as conn:
        return [
            AuditEntry(
                id=r.id,
                at=r.at,
                username=r.username,
                action=r.action,
                target=r.target,
                remote=r.remote,
                via=r.via,
                outcome=r.outcome,
                detail=r.detail,
            )
            for r in conn.execute(query)
        ]
