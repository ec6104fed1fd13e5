"""The recap on PostgreSQL (a shared server): the same API and report on a real server.

The fixture starts a throwaway server (initdb + pg_ctl on a loopback port); the test is skipped,
with the reason, where the PostgreSQL binaries or psycopg are absent.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from recap_fixtures import NUMBER, postgres_url_fixture  # noqa: F401

from netrawat.cli.main import run as cli
from netrawat.errors import InputError
from netrawat.recap import open_store, start_run
from netrawat.recap.query import load_runs
from netrawat.recap.render import render_markdown
from netrawat.recap.report import build_report, choose_period
from netrawat.recap.requests import close_request, open_request

WRITER = textwrap.dedent(
    """
    import sys
    from netrawat.recap import open_store, start_run
    store = open_store(None, sys.argv[1])
    with start_run(None, playbook="backup", request=sys.argv[2], store=store) as run:
        for n in range(20):
            run.host(f"R{sys.argv[3]}-{n}", opd="dinkes", outcome="ok")
    """
)


def test_postgres_round_trip(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(None, postgres_url)
    assert store.engine.dialect.name == "postgresql"
    assert store.engine.dialect.driver == "psycopg"
    open_request(store, NUMBER, opd="dinkes", summary="Internet mati")
    with start_run(None, playbook="health", request=NUMBER, store=store) as run:
        run.host("RTR-DINKES", opd="dinkes", outcome="failed", grade="berat", error="timeout")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, postgres_url, NUMBER, str(i)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    close_request(store, NUMBER, result="escalated")
    with pytest.raises(InputError, match="was closed"):
        close_request(store, NUMBER, result="restored")
    with store.begin() as conn:
        runs = load_runs(conn)
    assert [len(r.hosts) for r in runs] == [1, 20, 20, 20]
    assert runs[0].started_at.tzinfo is not None and runs[0].grade == "berat"
    report = build_report(store, choose_period(None, None, None))
    assert "berat" in render_markdown(report, "id")
    store.close()
    assert cli(["request", "show", NUMBER, "--json", "--db", postgres_url]) == 0
    assert '"result": "escalated"' in capsys.readouterr().out
