"""Users of the web console and API, with a role each: viewer < engineer < admin.

- viewer: reads everything (dashboard, devices, sanitized configs, runs, requests, reports);
- engineer: also opens/closes requests and starts runs (backup, health, diff, repair);
- admin: also reads the audit log. Users themselves are managed with ``netrawat user``.

Passwords are stored as argon2id hashes (`netrawat.accounts.passwords`), never in clear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from netrawat.accounts.passwords import (
    check_strength,
    hash_password,
    needs_rehash,
    verify_password,
)
from netrawat.errors import InputError
from netrawat.recap import schema
from netrawat.recap.store import RecapStore

ROLES = ("viewer", "engineer", "admin")
_NAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")


@dataclass(frozen=True)
class User:
    """One console/API user (the hash stays in the database)."""

    name: str
    role: str
    created_at: datetime
    created_by: str
    password_changed_at: datetime

    def can(self, role: str) -> bool:
        """Whether this user holds ``role`` or a stronger one."""
        return ROLES.index(self.role) >= ROLES.index(role)


def check_name(name: str) -> str:
    """A valid user name (lowercase letters, digits, '.', '_', '-'; 2-64 long)."""
    if not _NAME.match(name):
        raise InputError(
            f"invalid user name {name!r}",
            "use 2-64 lowercase letters, digits, '.', '_' or '-', starting with a letter",
        )
    return name


def check_role(role: str) -> str:
    """A known role."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}", f"use one of: {', '.join(ROLES)}")
    return role


def _user(row: sa.Row[tuple[object, ...]]) -> User:
    return User(
        name=row.name,
        role=row.role,
        created_at=row.created_at,
        created_by=row.created_by,
        password_changed_at=row.password_changed_at,
    )


def add_user(store: RecapStore, name: str, role: str, password: str, by: str) -> User:
    """Create a user; the name must be new and the password strong enough."""
    check_name(name)
    check_role(role)
    check_strength(password, name)
    now = datetime.now(UTC)
    with store.begin() as conn:
        if _row(conn, name) is not None:
            raise InputError(
                f"user {name!r} already exists", f"change its password: netrawat user passwd {name}"
            )
        conn.execute(
            sa.insert(schema.users).values(
                name=name,
                role=role,
                password_hash=hash_password(password),
                created_at=now,
                created_by=by,
                password_changed_at=now,
            )
        )
        row = _row(conn, name)
    assert row is not None
    return _user(row)


def _row(conn: sa.Connection, name: str) -> sa.Row[tuple[object, ...]] | None:
    return conn.execute(sa.select(schema.users).where(schema.users.c.name == name)).first()


def unknown_user(name: str) -> InputError:
    """The error for a user name the database does not hold."""
    return InputError(f"no user {name!r}", "list them with: netrawat user list")


def get_user(conn: sa.Connection, name: str) -> User | None:
    """The user called ``name``, or None."""
    row = _row(conn, name)
    return _user(row) if row is not None else None


def list_users(store: RecapStore) -> list[User]:
    """Every user, by name."""
    with store.begin() as conn:
        rows = conn.execute(sa.select(schema.users).order_by(schema.users.c.name))
        return [_user(r) for r in rows]


def _forget_logins(conn: sa.Connection, name: str) -> None:
    conn.execute(sa.delete(schema.user_sessions).where(schema.user_sessions.c.username == name))
    conn.execute(sa.delete(schema.api_tokens).where(schema.api_tokens.c.username == name))


def remove_user(store: RecapStore, name: str) -> None:
    """Delete a user with its sessions and API tokens (its audit entries stay)."""
    with store.begin() as conn:
        if _row(conn, name) is None:
            raise unknown_user(name)
        _forget_logins(conn, name)
        conn.execute(sa.delete(schema.users).where(schema.users.c.name == name))


def set_password(store: RecapStore, name: str, password: str) -> User:
    """Change a user's password; every session and token of the user ends."""
    check_strength(password, name)
    with store.begin() as conn:
        if _row(conn, name) is None:
            raise unknown_user(name)
        conn.execute(
            sa.update(schema.users)
            .where(schema.users.c.name == name)
            .values(password_hash=hash_password(password), password_changed_at=datetime.now(UTC))
        )
        _forget_logins(conn, name)
        row = _row(conn, name)
    assert row is not None
    return _user(row)


def authenticate(store: RecapStore, name: str, password: str) -> User | None:
    """The user when name and password match, else None (same cost either way)."""
    with store.begin() as conn:
        row = _row(conn, name) if _NAME.match(name) else None
    stored = str(row.password_hash) if row is not None else None
    if not verify_password(stored, password) or row is None:
        return None
    if stored and needs_rehash(stored):
        with store.begin() as conn:
            conn.execute(
                sa.update(schema.users)
                .where(schema.users.c.name == name)
                .values(password_hash=hash_password(password))
            )
    return _user(row)
