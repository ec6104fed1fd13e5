"""The recap database survives several writer processes at once and a kill -9 mid-run."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from recap_fixtures import NUMBER, state_fixture, store_fixture  # noqa: F401

from netrawat.recap import RecapStore, schema, start_run
from netrawat.recap.query import load_runs
from netrawat.recap.report import build_report, choose_period
from netrawat.recap.requests import get_request, open_request
from netrawat.state import StateDir

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from netrawat.recap import start_run
    from netrawat.state import StateDir
    state, number = StateDir(Path(sys.argv[1])), sys.argv[2]
    index, hosts = sys.argv[3], int(sys.argv[4])
    with start_run(state, playbook="backup", request=number, opds=["dinkes"]) as run:
        for n in range(hosts):
            run.host(f"R{index}-{n}", opd="dinkes", outcome="changed", commit=f"{index}{n:04d}")
            run.add_commit(f"{index}{n:04d}")
        run.set_summary(f"writer {index}")
    """
)

CLOSER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from netrawat.cli.main import run
    sys.exit(run(["request", "close", sys.argv[2], "--result", "restored", "--state", sys.argv[1]]))
    """
)

KILLED = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from netrawat.recap import start_run
    from netrawat.state import StateDir
    with start_run(StateDir(Path(sys.argv[1])), playbook="health", opds=["dinkes"]) as run:
        for n in range(3):
            run.host(f"R{n}", opd="dinkes", outcome="ok", grade="ringan")
        print("READY", flush=True)
        n = 3
        while True:  # keep writing until killed
            run.host(f"R{n}", opd="dinkes", outcome="ok", details={"pad": "x" * 2000})
            n += 1
    """
)


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_writer_processes(state: StateDir, store: RecapStore) -> None:
    open_request(store, NUMBER, opd="dinkes", summary="x")
    writers, hosts = 5, 30
    procs = [_spawn(WRITER, str(state.root), NUMBER, str(i), str(hosts)) for i in range(writers)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    with store.begin() as conn:
        runs = load_runs(conn)
    assert len(runs) == writers
    assert all(r.status == "ok" and len(r.hosts) == hosts for r in runs)
    assert sorted(r.summary or "" for r in runs) == [f"writer {i}" for i in range(writers)]
    assert sum(len(r.item("commit")) for r in runs) == writers * hosts


def test_concurrent_close_only_one_wins(state: StateDir, store: RecapStore) -> None:
    open_request(store, NUMBER, opd="dinkes", summary="x")
    procs = [_spawn(CLOSER, str(state.root), NUMBER) for _ in range(4)]
    results = []
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        results.append((proc.returncode, err))
    assert sorted(code for code, _ in results) == [0, 2, 2, 2], results
    assert all("was closed" in err for code, err in results if code == 2)
    assert get_request(store, NUMBER).result == "restored"


def test_kill_9_mid_run_leaves_an_interrupted_entry(state: StateDir, store: RecapStore) -> None:
    proc = _spawn(KILLED, str(state.root))
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "READY"
    time.sleep(0.3)  # let it write more rows, then kill it mid-write
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(state.recap_db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with store.begin() as conn:
        (killed,) = load_runs(conn)
    assert killed.status == "interrupted" and killed.ended_at is None
    assert len(killed.hosts) >= 3 and killed.grade == "ringan"

    with start_run(state, playbook="health", opds=["dinkes"]) as run:
        run.host("R0", opd="dinkes", outcome="ok")
    report = build_report(store, choose_period(None, None, None))
    assert [r.status for r in report.other_runs] == ["interrupted", "ok"]


def test_running_run_is_shown_as_running(state: StateDir, store: RecapStore) -> None:
    with start_run(state, playbook="backup") as run:
        with store.begin() as conn:
            assert [r.status for r in load_runs(conn)] == ["running"]
        run.host("R1", outcome="ok")
    with store.begin() as conn:
        assert [r.status for r in load_runs(conn)] == ["ok"]


def test_crash_inside_the_run_is_recorded(state: StateDir, store: RecapStore) -> None:
    try:
        with start_run(state, playbook="repair") as run:
            run.host("R1", outcome="failed", error="boom")
            raise RuntimeError("template missing")
    except RuntimeError:
        pass
    with store.begin() as conn:
        (crashed,) = load_runs(conn)
    assert crashed.status == "crashed"
    assert crashed.item("error") == ("RuntimeError: template missing",)


def test_state_files_are_private(state: StateDir, store: RecapStore) -> None:
    assert oct(Path(state.recap_db).stat().st_mode & 0o777) == "0o600"
    assert oct(state.root.stat().st_mode & 0o777) == "0o700"


def test_reused_pid_does_not_keep_a_dead_run_running(store: RecapStore) -> None:
    """A killed run whose pid now belongs to another process is still shown interrupted."""
    with store.begin() as conn:
        conn.execute(
            sa.insert(schema.runs).values(
                run_id="old",
                playbook="backup",
                operator="op",
                opds=[],
                options={},
                started_at=datetime.now(UTC),
                machine=socket.gethostname(),
                pid=os.getpid(),
                process_start="1",  # not this process's start: the pid was reused
            )
        )
        (old,) = load_runs(conn)
    assert old.status == "interrupted"
