"""Logins: console sessions (cookie) and API tokens (bearer), both stored hashed, with a login
rate limit counted from the audit log.

A session or token is a random 256-bit value given to the client once; the database keeps
only its SHA-256, so a stolen database copy logs nobody in. Sessions end after
``idle_timeout`` without a request and after ``session_lifetime`` in any case; tokens after
``token_lifetime``. Changing a user's password or removing the user ends both.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from netrawat.accounts import audit
from netrawat.accounts.users import User, authenticate, get_user
from netrawat.recap import schema
from netrawat.web.services import Services

TOUCH_EVERY = timedelta(seconds=30)
"""A session's last-seen time is written at most this often (not on every request)."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class RateLimited(Exception):
    """Too many failed logins for this user name or address."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many failed logins")
        self.retry_after = retry_after


def login(
    services: Services, username: str, password: str, remote: str | None, via: str
) -> User | None:
    """Check the password (audited either way); `RateLimited` after too many failures."""
    settings = services.settings
    since = datetime.now(UTC) - settings.login_window
    by_user, by_remote = audit.recent_failures(
        services.store, since=since, username=username[:64], remote=remote
    )
    if by_user >= settings.max_failures_per_user or by_remote >= settings.max_failures_per_address:
        audit.record(
            services.store,
            username=username[:64],
            action="login",
            remote=remote,
            via=via,
            outcome="limited",
        )
        raise RateLimited(int(settings.login_window.total_seconds()))
    user = authenticate(services.store, username, password)
    audit.record(
        services.store,
        username=username[:64],
        action="login",
        remote=remote,
        via=via,
        outcome="ok" if user else "failed",
    )
    return user


@dataclass(frozen=True)
class Session:
    """A logged-in console session."""

    user: User
    id_hash: str
    csrf: str


def open_session(services: Services, user: User, remote: str | None) -> tuple[str, Session]:
    """A new session for ``user``: the cookie value (given once) and the session."""
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    with services.store.begin() as conn:
        conn.execute(
            sa.insert(schema.user_sessions).values(
                id_hash=digest(cookie),
                username=user.name,
                csrf=csrf,
                created_at=now,
                last_seen_at=now,
                remote=remote,
            )
        )
    return cookie, Session(user, digest(cookie), csrf)


def find_session(services: Services, cookie: str | None) -> Session | None:
    """The live session of a cookie; expired ones are deleted."""
    if not cookie or len(cookie) > 200:
        return None
    settings, table, now = services.settings, schema.user_sessions, datetime.now(UTC)
    key = digest(cookie)
    with services.store.begin() as conn:
        row = conn.execute(sa.select(table).where(table.c.id_hash == key)).first()
        if row is None:
            return None
        expired = (
            now - row.last_seen_at > settings.idle_timeout
            or now - row.created_at > settings.session_lifetime
        )
        user = None if expired else get_user(conn, row.username)
        if user is None:
            conn.execute(sa.delete(table).where(table.c.id_hash == key))
            return None
        if now - row.last_seen_at > TOUCH_EVERY:
            conn.execute(sa.update(table).where(table.c.id_hash == key).values(last_seen_at=now))
    return Session(user, key, row.csrf)


def close_session(services: Services, session: Session) -> None:
    """Log out."""
    table = schema.user_sessions
    with services.store.begin() as conn:
        conn.execute(sa.delete(table).where(table.c.id_hash == session.id_hash))


def csrf_ok(session: Session, sent: str | None) -> bool:
    """Whether a form carried the session's CSRF token."""
    return bool(sent) and hmac.compare_digest(session.csrf, str(sent))


def issue_token(services: Services, user: User, remote: str | None) -> tuple[str, datetime]:
    """A new API token for ``user`` (given once) and when it expires."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    expires = now + services.settings.token_lifetime
    with services.store.begin() as conn:
        conn.execute(
            sa.insert(schema.api_tokens).values(
                token_hash=digest(token),
                username=user.name,
                created_at=now,
                expires_at=expires,
                remote=remote,
            )
        )
    return token, expires


def find_token_user(services: Services, token: str) -> User | None:
    """The user of a live API token."""
    if not token or len(token) > 200:
        return None
    table, now = schema.api_tokens, datetime.now(UTC)
    key = digest(token)
    with services.store.begin() as conn:
        row = conn.execute(sa.select(table).where(table.c.token_hash == key)).first()
        if row is None:
            return None
        if row.expires_at <= now:
            conn.execute(sa.delete(table).where(table.c.token_hash == key))
            return None
        user = get_user(conn, row.username)
        if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
            conn.execute(sa.update(table).where(table.c.token_hash == key).values(last_used_at=now))
    return user


def revoke_token(services: Services, token: str) -> None:
    """End an API token."""
    table = schema.api_tokens
    with services.store.begin() as conn:
        conn.execute(sa.delete(table).where(table.c.token_hash == digest(token)))
