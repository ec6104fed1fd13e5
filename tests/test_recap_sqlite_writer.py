"""The sqlite3 recap writer stores exactly what SQLAlchemy stores, and is taken only for an
existing SQLite recap at HEAD (issue 19): everything else goes through SQLAlchemy as before.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from helpers import fleet_args, inventory_copy
from recap_fixtures import NUMBER

from netrawat.errors import CannotRunError, InputError
from netrawat.recap import RecapStore, begin_run, open_store, start_run
from netrawat.recap.query import RunEntry, get_run
from netrawat.recap.recorder import Run, is_busy
from netrawat.recap.requests import close_request, get_request, open_request
from netrawat.recap.sqlite_writer import SqliteWriter, open_sqlite_writer
from netrawat.recap.writer import RunRequest, RunWriter
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

TABLES = ("requests", "request_events", "runs", "run_hosts", "run_items", "run_ends")
WIB = timezone(timedelta(hours=7))


def _new_recap(root: Path) -> StateDir:
    state = StateDir.resolve(root)
    open_store(state).close()  # created at HEAD through SQLAlchemy
    return state


def _fast(state: StateDir, busy_ms: int = 60_000) -> SqliteWriter:
    writer = open_sqlite_writer(state, None, busy_ms)
    assert writer is not None
    return writer


def _dump(path: Path, masked: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the run tables with each value's SQLite storage class."""
    conn = sqlite3.connect(path)
    try:
        found = {}
        for table in TABLES:
            cursor = conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
            names = [d[0] for d in cursor.description]
            found[table] = [
                tuple(
                    (name, "<masked>" if name in masked else value, type(value).__name__)
                    for name, value in zip(names, row, strict=True)
                )
                for row in cursor.fetchall()
            ]
        return found
    finally:
        conn.close()


ODD = {
    "text": "Jl. Rahadi Usman — ruang server, lantai 2 ✓ 漢字",
    "none": None,
    "nested": {"list": [1, 2.5, True, None, "ä"], "empty": {}},
    "quote": 'say "hi"\n\ttab',
}


def _write_fixed(writer: RunWriter) -> None:
    """The same rows with fixed values, through either writer's interface."""
    row = {
        "run_id": "20261202T010000Z-backup-0000beef",
        "playbook": "backup",
        "request_number": NUMBER,
        "preventive_id": None,
        "operator": "ops",
        "opds": ["dinkes", "diskominfo"],
        "options": {"dry_run": False, "odd": ODD},
        "started_at": datetime(2026, 12, 2, 8, 0, 0, 0, tzinfo=WIB),  # aware, not UTC
        "machine": "noc-1",
        "pid": 4242,
        "process_start": None,
    }
    writer.insert_run(row, RunRequest(NUMBER, True, "dinkes", "surat ✓", "ops"))
    host = {
        "run_id": row["run_id"],
        "host": "RTR-DINKES",
        "opd": None,
        "outcome": "changed",
        "grade": "ringan",
        "actions": ["set ntp", "ünïcode"],
        "commit": None,
        "error": "x" * 10,
        "details": ODD,
        "at": datetime(2026, 12, 2, 1, 0, 1, 999999, tzinfo=UTC),
    }
    writer.insert("run_hosts", host)
    writer.insert("run_hosts", {**host, "actions": [], "details": {}, "error": None})
    item_at = datetime(2026, 12, 31, 23, 59, 59, 5, tzinfo=WIB)
    writer.insert(
        "run_items",
        {"run_id": row["run_id"], "kind": "escalation", "value": "PSU ✗", "at": item_at},
    )
    end = {"run_id": row["run_id"], "ended_at": item_at, "status": "ok", "summary": None}
    writer.insert("run_ends", end)


def test_both_writers_store_the_very_same_rows(tmp_path: Path) -> None:
    fast_state, sa_state = _new_recap(tmp_path / "fast"), _new_recap(tmp_path / "sa")
    writer, store = _fast(fast_state), open_store(sa_state)
    try:
        _write_fixed(writer)
        _write_fixed(store)
    finally:
        writer.close()
        store.close()
    now_columns = ("received_at", "opened_at")  # the request is registered "now"
    fast = _dump(fast_state.recap_db, now_columns)
    assert fast == _dump(sa_state.recap_db, now_columns)
    assert fast["runs"][0][7] == ("started_at", "2026-12-02 01:00:00.000000", "str")
    received = sqlite3.connect(fast_state.recap_db).execute("SELECT received_at FROM requests")
    assert received.fetchone()[0].count(":") == 2  # naive UTC text, as SQLAlchemy stores it


def _entry(state: StateDir, run_id: str) -> RunEntry:
    store = open_store(state)
    try:
        with store.begin() as conn:
            found = get_run(conn, run_id)
    finally:
        store.close()
    assert found is not None
    return found


def _record(run: Run) -> None:
    run.host(
        "RTR-DINKES",
        opd="dinkes",
        outcome="changed",
        grade="ringan",
        actions=["set ntp ✓"],
        commit="3f2a9c1",
        details=ODD,
    )
    run.host("CR-DINKES", opd=None, outcome="failed", error="timeout — ✗", details={"n": None})
    run.host("RTR-DINKES", opd="dinkes", outcome="unchanged", details={})  # the last one wins
    run.add_commit("3f2a9c1")
    run.add_commit("3f2a9c1")  # once
    run.add_report(Path("/var/lib/netrawat/health/2026-12-02.json"))
    run.escalate("PSU rusak: dilaporkan ke Kabid")
    run.add_error("push to origin failed")
    run.set_summary("2 hosts ✓")
    run.finish()


def _comparable(entry: RunEntry) -> dict[str, Any]:
    seen = vars(entry).copy()
    for moment in ("started_at", "ended_at"):
        assert seen.pop(moment).tzinfo == UTC
    seen.pop("run_id")
    return seen


def test_a_run_reads_back_the_same_through_sqlalchemy(tmp_path: Path) -> None:
    """The same run via `Run` on each writer, read by the recap's SQLAlchemy queries."""
    entries, requests = [], []
    for name in ("fast", "sa"):
        state = _new_recap(tmp_path / name)
        store = open_store(state)
        open_request(store, "001/X/2026", opd="dinkes", summary="an open letter")
        writer: RunWriter = _fast(state) if name == "fast" else store
        run = begin_run(
            writer,
            playbook="Repair",
            request=NUMBER,
            opds=["DINKES", "bkd"],
            options={"apply": True, "odd": ODD, "path": Path("/x")},
            open_request=True,
            operator="ops",
        )
        _record(run)
        other = begin_run(writer, playbook="health", request="001/X/2026", operator="ops")
        other.finish("interrupted")
        writer.close()
        entries.append(_comparable(_entry(state, run.run_id)))
        entries.append(_comparable(_entry(state, other.run_id)))
        found = get_request(store, NUMBER)
        assert found.opened_at.tzinfo == UTC and found.received_at == found.opened_at
        requests.append((found.number, found.opd, found.summary, found.opened_by, found.status))
        store.close()
    assert entries[:2] == entries[2:]
    outcomes = {h.host: h.outcome for h in entries[0]["hosts"]}
    assert outcomes == {"RTR-DINKES": "unchanged", "CR-DINKES": "failed"}
    assert entries[0]["status"] == "failed" and entries[1]["status"] == "interrupted"
    assert entries[0]["items"]["commit"] == ("3f2a9c1",)
    assert requests[0] == requests[1] == (NUMBER, "dinkes", "opened by a repair run", "ops", "open")


def test_only_an_existing_sqlite_recap_at_head_takes_the_sqlite3_writer(tmp_path: Path) -> None:
    state = StateDir.resolve(tmp_path / "state")
    assert open_sqlite_writer(state, None, 100) is None  # no file yet: SQLAlchemy creates it
    assert not state.recap_db.exists()
    open_store(state).close()
    _fast(state).close()
    url = f"sqlite:///{state.recap_db}"
    _fast_url = open_sqlite_writer(None, url, 100)
    assert _fast_url is not None
    _fast_url.close()
    for other in (
        "postgresql://u@127.0.0.1/x",
        f"{url}?timeout=1",
        "sqlite://",
        "sqlite:///:memory:",
    ):
        assert open_sqlite_writer(None, other, 100) is None, other
    conn = sqlite3.connect(state.recap_db)
    conn.execute("UPDATE alembic_version SET version_num = '0001'")  # older (or newer): migrate
    conn.commit()
    conn.close()
    assert open_sqlite_writer(state, None, 100) is None
    damaged = StateDir.resolve(tmp_path / "damaged")
    damaged.recap_db.write_bytes(b"no database, only damage " * 100)
    assert open_sqlite_writer(damaged, None, 100) is None
    with (
        pytest.raises(CannotRunError) as caught,
        start_run(damaged, playbook="backup", best_effort=True),
    ):
        pass
    assert "move it aside" in (caught.value.hint or "")


def test_a_newer_recap_is_refused_not_written(tmp_path: Path) -> None:
    state = _new_recap(tmp_path / "state")
    conn = sqlite3.connect(state.recap_db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with (
        pytest.raises(CannotRunError, match="newer than this netrawat"),
        start_run(state, playbook="backup"),
    ):
        pass
    assert _dump(state.recap_db)["runs"] == []


def test_request_errors_read_as_on_the_sqlalchemy_path(tmp_path: Path) -> None:
    """Unknown or closed: the sqlite3 writer writes nothing and leaves the words to the
    SQLAlchemy path (the same errors as before)."""
    state = _new_recap(tmp_path / "state")
    with (
        pytest.raises(InputError, match="is not registered"),
        start_run(state, playbook="backup", request=NUMBER),
    ):
        pass
    store = open_store(state)
    open_request(store, NUMBER, opd="dinkes", summary="x")
    close_request(store, NUMBER, result="restored")
    store.close()
    with (
        pytest.raises(InputError, match="was closed on"),
        start_run(state, playbook="backup", request=NUMBER, open_request=True),
    ):
        pass
    assert _dump(state.recap_db)["runs"] == []
    with start_run(state, playbook="backup", request="002/X/2026", open_request=True) as run:
        assert isinstance(run.store, SqliteWriter)  # registered on the fast path
    assert _entry(state, run.run_id).request == "002/X/2026"


def test_a_locked_recap_leaves_a_best_effort_run_unrecorded(tmp_path: Path) -> None:
    state = _new_recap(tmp_path / "state")
    writer = _fast(state, busy_ms=100)
    run = begin_run(writer, playbook="backup")
    run.best_effort = True
    holder = sqlite3.connect(state.recap_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(CannotRunError) as caught:
            writer.insert(
                "run_items",
                {"run_id": run.run_id, "kind": "report", "value": "x", "at": datetime.now(UTC)},
            )
        assert is_busy(caught.value) and "database is locked" in caught.value.message
        run.host("R1", outcome="ok")
        assert run.unrecorded is not None and "locked" in run.unrecorded
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    run.host("R2", outcome="ok")  # skipped: the run stays unrecorded
    writer.close()
    assert _entry(state, run.run_id).hosts == ()  # its start is there, an unfinished run


def test_an_unfinished_run_reads_as_interrupted(tmp_path: Path) -> None:
    """No end row (a kill -9): the run reads as interrupted once its process is gone."""
    state = _new_recap(tmp_path / "state")
    code = (
        "import os, sys\nfrom pathlib import Path\nfrom netrawat.recap import start_run\n"
        "from netrawat.state import StateDir\n"
        "with start_run(StateDir(Path(sys.argv[1])), playbook='health') as run:\n"
        "    run.host('R1', outcome='ok')\n    print(run.run_id, flush=True)\n"
        "    assert 'sqlalchemy' not in sys.modules\n    os._exit(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(state.root)], capture_output=True, text=True, check=True
    )
    entry = _entry(state, done.stdout.strip())
    assert entry.status == "interrupted" and [h.host for h in entry.hosts] == ["R1"]


@pytest.mark.lab
def test_a_repeat_backup_imports_no_sqlalchemy_and_is_recorded(lab: Lab, tmp_path: Path) -> None:
    inventory = inventory_copy(lab, tmp_path / "inventory", 10)
    state = _new_recap(tmp_path / "state")
    argv = [sys.executable, "-X", "importtime", "-m", "netrawat", "backup"]
    done = subprocess.run(
        [*argv, *fleet_args(inventory, state.root)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = [
        line.split("|")[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    ]
    assert "netrawat.recap.sqlite_writer" in imported
    assert not [m for m in imported if m.split(".")[0] in ("sqlalchemy", "alembic")]
    run_id = json.loads(done.stdout)["run_id"]
    entry = _entry(state, run_id)
    assert entry.status == "ok" and len(entry.hosts) == len(lab.specs)


def test_the_store_still_writes_for_a_given_store(tmp_path: Path) -> None:
    """``start_run(store=...)`` keeps the SQLAlchemy store it was given."""
    state = _new_recap(tmp_path / "state")
    store = open_store(state)
    with start_run(None, playbook="backup", store=store) as run:
        assert isinstance(run.store, RecapStore)
    store.close()
    assert _entry(state, run.run_id).status == "ok"
