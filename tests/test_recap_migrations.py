"""The recap database upgrades in place (Alembic): what users already have keeps working."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from netrawat.errors import CannotRunError
from netrawat.recap import open_store, schema, start_run
from netrawat.recap.migrate import HEAD, _config, current_revision
from netrawat.recap.query import load_runs
from netrawat.recap.requests import get_request
from netrawat.state import StateDir

OLD_DUMP = Path(__file__).parent / "data" / "recap-0.1.sql"
NUMBER = "045/112/Diskes/XI/2026"


def _state(tmp_path: Path) -> StateDir:
    state = StateDir(tmp_path / "state")
    state.ensure()
    return state


def _differences(conn: sa.Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(conn), schema.metadata))


def test_one_line_of_migrations_ends_at_head() -> None:
    script = ScriptDirectory.from_config(_config(None))  # type: ignore[arg-type]
    assert script.get_heads() == [HEAD]


def test_the_migrations_build_exactly_the_schema_a_new_database_gets(tmp_path: Path) -> None:
    new = open_store(_state(tmp_path / "new"))  # created directly, stamped HEAD
    with new.begin() as conn:
        assert current_revision(conn) == HEAD
        assert _differences(conn) == []
    new.close()
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'migrated.sqlite'}")
    with engine.begin() as conn:
        command.upgrade(_config(conn), "head")  # type: ignore[arg-type]
        assert current_revision(conn) == HEAD
        assert _differences(conn) == [], "a table or index was added without a migration"
    engine.dispose()


def test_a_netrawat_0_1_database_upgrades_in_place_and_keeps_its_history(
    tmp_path: Path,
) -> None:
    state = _state(tmp_path)
    with sqlite3.connect(state.recap_db) as old:
        old.executescript(OLD_DUMP.read_text(encoding="utf-8"))
    store = open_store(state)
    try:
        with store.begin() as conn:
            assert current_revision(conn) == HEAD
            assert _differences(conn) == []
            runs = {r.playbook: r for r in load_runs(conn)}
            meta = conn.execute(sa.select(schema.meta.c.value)).scalar()
        assert meta == str(schema.SCHEMA_VERSION)
        assert set(runs) == {"health", "backup"}
        health = runs["health"]
        assert [(h.host, h.grade) for h in health.hosts] == [("RTR-DINKES", "sedang")]
        assert health.item("escalation") == ("lapor Kabid: RTR-DINKES sedang",)
        assert runs["backup"].item("commit") == ("0123456789abcdef0123456789abcdef01234567",)
        assert get_request(store, NUMBER) is not None
        with start_run(state, playbook="diff", request=NUMBER, store=store) as run:
            run.host("RTR-DINKES", opd="dinkes", outcome="ok")
        with store.begin() as conn:
            assert len(load_runs(conn)) == 3
            conn.execute(sa.select(schema.users)).all()  # the console's tables exist
    finally:
        store.close()
    store = open_store(state)  # a second open finds it current: nothing to do
    store.close()


def test_a_database_from_a_newer_netrawat_is_refused_untouched(tmp_path: Path) -> None:
    state = _state(tmp_path)
    open_store(state).close()
    with sqlite3.connect(state.recap_db) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    before = state.recap_db.read_bytes()
    with pytest.raises(CannotRunError, match="newer than this netrawat"):
        open_store(state)
    assert state.recap_db.read_bytes() == before


def test_a_database_with_the_console_tables_but_no_alembic_yet_upgrades(tmp_path: Path) -> None:
    """A development build between the web console and Alembic made the console's tables
    without stamping a revision: 0002 takes the tables it finds."""
    state = _state(tmp_path)
    with sqlite3.connect(state.recap_db) as old:
        old.executescript(OLD_DUMP.read_text(encoding="utf-8"))
    engine = sa.create_engine(f"sqlite:///{state.recap_db}")
    with engine.begin() as conn:
        schema.users.create(conn)
        schema.web_jobs.create(conn)
    engine.dispose()
    store = open_store(state)
    try:
        with store.begin() as conn:
            assert current_revision(conn) == HEAD
            assert _differences(conn) == []
    finally:
        store.close()
