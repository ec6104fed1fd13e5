"""The console's tables and queries on PostgreSQL (a shared recap server): users, tokens,
the latest state (folded with its margin for late commits), jobs, requests and the audit log,
through the API. Skipped, saying why, without the PostgreSQL binaries or psycopg."""

from __future__ import annotations

from pathlib import Path

import pytest
from recap_fixtures import postgres_url_fixture  # noqa: F401
from web_fixtures import seed

from netrawat.accounts.audit import list_entries
from netrawat.recap import open_store, start_run

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _own_database(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS netrawat_web")
        c.execute("CREATE DATABASE netrawat_web")
    return url.rsplit("/", 1)[0] + "/netrawat_web"


def test_console_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    url = _own_database(postgres_url)
    local = seed(tmp_path, roles=())
    store = open_store(None, url)
    try:
        from netrawat.accounts.users import add_user

        add_user(store, "budi", "engineer", "kopi pagi di tepi Kapuas", by="test")
        with start_run(None, playbook="health", opds=["dinkes"], store=store) as run:
            run.host("RTR-DINKES", opd="dinkes", outcome="failed", grade="ringan",
                     details={"failed": {"dns": "x"}, "not_checked": {}})  # fmt: skip
        client = local.client(db_url=url)
        token = client.post(
            "/api/v1/auth/token", json={"username": "budi", "password": "kopi pagi di tepi Kapuas"}
        )
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        rows = {d["name"]: d for d in client.get("/api/v1/devices", headers=headers).json()}
        assert rows["RTR-DINKES"]["grade"] == "ringan"
        with start_run(None, playbook="health", opds=["dinkes"], store=store) as run:
            run.host("RTR-DINKES", opd="dinkes", outcome="ok", details={"failed": {}})
        rows = {d["name"]: d for d in client.get("/api/v1/devices", headers=headers).json()}
        assert rows["RTR-DINKES"]["grade"] == "ok"
        job = client.post(
            "/api/v1/runs", headers=headers, json={"playbook": "backup", "opd": "dinkes"}
        )
        assert job.status_code == 202 and job.json()["id"] == "job-1"
        body = {"number": "060/112/Dinkes/XI/2026", "opd": "dinkes", "summary": "x"}
        assert client.post("/api/v1/requests", headers=headers, json=body).status_code == 201
        assert {e.action for e in list_entries(store)} >= {"login", "run.start", "request.open"}
    finally:
        store.close()
