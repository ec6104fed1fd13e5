"""The recap database is upgraded in place by Alembic migrations (`netrawat.recap.migrations`).

`upgrade` runs when a store opens: a database already at this release's revision costs one
small query; an older one (netrawat 0.1 kept ``recap_meta.schema_version = 1`` and no Alembic
table) is stamped at its revision and brought forward by the migrations; an empty one gets the
current tables at once, stamped `HEAD` (tests check that the migrations build the very same
schema). A database written by a newer netrawat is refused, never altered.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from netrawat.errors import CannotRunError
from netrawat.recap.revision import HEAD, VERSION_TABLE

PRE_ALEMBIC = {"1": "0001"}
"""``recap_meta.schema_version`` of a database made before Alembic -> its revision."""

_version = sa.Table(
    VERSION_TABLE,
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), primary_key=True),
)


def current_revision(conn: Connection) -> str | None:
    """The database's Alembic revision, None when it has none yet."""
    if not sa.inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def _pre_alembic(conn: Connection) -> str | None:
    """The revision of a database netrawat 0.1 made (no Alembic table), or None."""
    if not sa.inspect(conn).has_table("recap_meta"):
        return None
    version = conn.execute(
        sa.text("SELECT value FROM recap_meta WHERE key = 'schema_version'")
    ).scalar()
    return PRE_ALEMBIC.get(str(version), str(version))


def _config(conn: Connection) -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "netrawat.recap:migrations")
    config.attributes["connection"] = conn
    return config


def upgrade(conn: Connection, where: str) -> None:
    """Bring the database behind ``conn`` (inside its transaction) to `HEAD`."""
    current = current_revision(conn)
    if current == HEAD:
        return
    start = current or _pre_alembic(conn)
    if start is None:
        _create(conn)
        return
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = _config(conn)
    known = {s.revision for s in ScriptDirectory.from_config(config).walk_revisions()}  # type: ignore[arg-type]
    if start is not None and start not in known:
        raise CannotRunError(
            f"recap database {where} is at schema {start}, newer than this netrawat",
            "upgrade netrawat on this machine (every machine sharing the database)",
        )
    try:
        if current is None:
            command.stamp(config, start)  # type: ignore[arg-type]
        command.upgrade(config, HEAD)  # type: ignore[arg-type]
    except CommandError as exc:
        raise CannotRunError(
            f"recap database {where} could not be upgraded: {exc}",
            "restore it from a copy, or move it aside to start a new one",
        ) from exc


def _create(conn: Connection) -> None:
    """A new database: this release's tables, stamped `HEAD` (no migration to replay)."""
    from netrawat.recap import schema

    schema.metadata.create_all(conn)
    _version.create(conn)
    conn.execute(sa.insert(_version).values(version_num=HEAD))
    conn.execute(
        sa.insert(schema.meta).values(key="schema_version", value=str(schema.SCHEMA_VERSION))
    )
