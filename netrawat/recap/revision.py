"""The recap schema revision this release writes (no SQLAlchemy: the sqlite3 writer checks it).

Migrations and their checks live in `netrawat.recap.migrate`.
"""

from __future__ import annotations

HEAD = "0002"
"""The newest revision this release knows (tests/test_recap_migrations.py checks it)."""

VERSION_TABLE = "alembic_version"
