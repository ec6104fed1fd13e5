"""The REST API (/api/v1) with FastAPI's test client: every status the contract names (200,
201, 202, 204, 401, 403, 404, 409, 422, 429), sanitized configs only, no secret in any reply,
and every action audited."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from web_fixtures import (  # noqa: F401
    NUMBER,
    PASSWORD,
    PASSWORDS,
    USERS,
    Console,
    console_fixture,
    login,
    seed,
)

from netrawat.accounts.audit import list_entries
from netrawat.recap import open_store, start_run
from netrawat.recap.requests import close_request, list_requests, open_request
from netrawat.web.history import letters

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

READS = [
    "/api/v1/devices",
    "/api/v1/devices/RTR-DINKES",
    "/api/v1/devices/RTR-DINKES/configs",
    "/api/v1/runs",
    "/api/v1/requests",
    f"/api/v1/requests/{NUMBER}",
]


def test_openapi_document_describes_the_api(console: Console) -> None:
    doc = console.client().get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/auth/token", "/api/v1/devices", "/api/v1/devices/{name}/configs/{commit}",
                 "/api/v1/runs", "/api/v1/runs/{run_id}", "/api/v1/requests"):  # fmt: skip
        assert path in doc["paths"]
    assert "bearer" in str(doc["components"]["securitySchemes"]).lower()
    assert not any(p.startswith(("/login", "/devices")) for p in doc["paths"])  # pages stay out


@pytest.mark.parametrize("path", READS)
def test_no_token_is_401(console: Console, path: str) -> None:
    client = console.client()
    reply = client.get(path)
    assert reply.status_code == 401 and reply.headers["www-authenticate"] == "Bearer"
    assert client.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_writes_without_token_are_401(console: Console) -> None:
    client = console.client()
    assert (
        client.post("/api/v1/runs", json={"playbook": "health", "opd": "dinkes"}).status_code == 401
    )
    body = {"number": "1/X/2026", "opd": "dinkes", "summary": "x"}
    assert client.post("/api/v1/requests", json=body).status_code == 401


def test_token_login_wrong_password_unknown_user_and_bad_body(console: Console) -> None:
    client = console.client()
    wrong = client.post("/api/v1/auth/token", json={"username": "budi", "password": "salah sekali"})
    assert wrong.status_code == 401 and "token" not in wrong.json()
    nobody = client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x"})
    assert nobody.status_code == 401
    assert client.post("/api/v1/auth/token", json={"username": "budi"}).status_code == 422
    good = client.post(
        "/api/v1/auth/token", json={"username": "budi", "password": PASSWORDS["engineer"]}
    )
    assert good.status_code == 200 and good.json()["role"] == "engineer"
    assert len(good.json()["token"]) >= 40


def test_login_rate_limit_is_429(console: Console) -> None:
    client = console.client(max_failures_per_user=3)
    for _ in range(3):
        reply = client.post("/api/v1/auth/token", json={"username": "citra", "password": "no"})
        assert reply.status_code == 401
    limited = client.post(
        "/api/v1/auth/token", json={"username": "citra", "password": PASSWORDS["admin"]}
    )
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_expired_token_is_401(console: Console) -> None:
    client = console.client(token_lifetime=timedelta(seconds=-1))
    headers = console.token(client, "viewer")
    assert client.get("/api/v1/devices", headers=headers).status_code == 401


def test_logout_revokes_the_token(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "viewer")
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/devices", headers=headers).status_code == 401


def test_devices_latest_state(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "viewer")
    devices = {d["name"]: d for d in client.get("/api/v1/devices", headers=headers).json()}
    assert set(devices) == {"RTR-DINKES", "AP-DINKES-01", "RTR-RSUD"}
    rtr = devices["RTR-DINKES"]
    assert (rtr["opd"], rtr["role"], rtr["platform"]) == ("dinkes", "router", "mikrotik_routeros")
    assert rtr["grade"] == "ringan" and rtr["failed_checks"] == ["dns"]
    assert rtr["last_backup_commit"] == console.commits[1] and rtr["last_backup_at"]
    assert devices["RTR-RSUD"]["not_checked"] == ["ntp"] and devices["RTR-RSUD"]["escalate"]
    assert devices["AP-DINKES-01"]["last_backup_outcome"] == "failed"
    only = client.get("/api/v1/devices?opd=rsud", headers=headers).json()
    assert [d["name"] for d in only] == ["RTR-RSUD"]
    assert client.get("/api/v1/devices/NOPE", headers=headers).status_code == 404


def test_configs_are_the_sanitized_backups(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "viewer")
    history = client.get("/api/v1/devices/RTR-DINKES/configs", headers=headers).json()
    assert [c["commit"] for c in history] == [console.commits[1], console.commits[0]]
    old = client.get(
        f"/api/v1/devices/RTR-DINKES/configs/{console.commits[0][:8]}", headers=headers
    )
    assert old.status_code == 200 and "servers=10.0.0.53" in old.json()["config"]
    assert old.json()["commit"] == console.commits[0] and "<removed>" in old.json()["config"]
    missing = client.get(f"/api/v1/devices/RTR-DINKES/configs/{'0' * 40}", headers=headers)
    assert missing.status_code == 404
    bad = client.get("/api/v1/devices/RTR-DINKES/configs/HEAD~1", headers=headers)
    assert bad.status_code == 400
    none = client.get("/api/v1/devices/RTR-RSUD/configs", headers=headers)
    assert none.status_code == 200 and none.json() == []


def test_runs_list_and_detail(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "viewer")
    runs = client.get("/api/v1/runs", headers=headers).json()
    assert [r["playbook"] for r in runs][:2] == ["health", "backup"]
    assert runs[0]["outcomes"] == {"failed": 2}
    detail = client.get(f"/api/v1/runs/{runs[0]['run_id']}", headers=headers).json()
    hosts = {h["host"]: h for h in detail["hosts"]}
    assert hosts["RTR-DINKES"]["details"]["failed"] == {"dns": "configured: 8.8.8.8"}
    assert detail["escalations"] == ["lapor Kabid: RTR-RSUD (rsud) berat"]
    assert client.get("/api/v1/runs/nope", headers=headers).status_code == 404
    assert client.get("/api/v1/runs/job-99999", headers=headers).status_code == 404
    assert client.get("/api/v1/runs?limit=0", headers=headers).status_code == 422


def test_viewer_cannot_start_runs_or_open_requests(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "viewer")
    run = client.post("/api/v1/runs", headers=headers, json={"playbook": "health", "opd": "dinkes"})
    assert run.status_code == 403
    audit = client.post(
        "/api/v1/runs", headers=headers, json={"playbook": "audit", "opd": "dinkes"}
    )
    assert audit.status_code == 403
    body = {"number": "9/V/2026", "opd": "dinkes", "summary": "x"}
    assert client.post("/api/v1/requests", headers=headers, json=body).status_code == 403
    close = client.post(
        f"/api/v1/requests/{NUMBER}/close", headers=headers, json={"result": "restored"}
    )
    assert close.status_code == 403


def test_engineer_starts_a_run_it_goes_to_the_worker(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "engineer")
    reply = client.post(
        "/api/v1/runs", headers=headers, json={"playbook": "health", "hosts": ["RTR-DINKES"]}
    )
    assert reply.status_code == 202
    job = reply.json()
    assert job["id"].startswith("job-") and job["status"] == "queued" and job["run_id"] is None
    shown = client.get(f"/api/v1/runs/{job['id']}", headers=headers).json()
    assert shown["requested_by"] == "budi" and shown["hosts"] == ["RTR-DINKES"]
    dry = client.post(
        "/api/v1/runs", headers=headers,
        json={"playbook": "repair", "opd": "dinkes", "template": "restore_dns"},
    )  # fmt: skip
    assert dry.status_code == 202 and dry.json()["apply"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"playbook": "health"},
        {"playbook": "health", "hosts": ["NOPE"]},
        {"playbook": "health", "opd": "nope"},
        {"playbook": "health", "hosts": ["RTR-DINKES"], "opd": "dinkes"},
        {"playbook": "backup", "hosts": ["RTR-DINKES"], "apply": True},
        {"playbook": "repair", "hosts": ["RTR-DINKES"]},
        {"playbook": "audit", "hosts": ["RTR-DINKES"], "template": "restore_dns"},
        {"playbook": "audit", "opd": "nope"},
        {"playbook": "repair", "hosts": ["RTR-DINKES"], "template": "restore_dns", "apply": True},
        {"playbook": "repair", "hosts": ["RTR-DINKES"], "template": "restore_dns",
         "vars": {"servers": "1.1.1.1\n/system reset"}},
    ],
)  # fmt: skip
def test_invalid_runs_are_400(console: Console, body: dict[str, object]) -> None:
    client = console.client()
    headers = console.token(client, "engineer")
    reply = client.post("/api/v1/runs", headers=headers, json=body)
    assert reply.status_code == 400, reply.text


def test_a_body_outside_the_schema_is_422(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "engineer")
    reply = client.post("/api/v1/runs", headers=headers, json={"playbook": "reboot", "opd": "x"})
    assert reply.status_code == 422


@pytest.mark.parametrize("role", ["engineer", "admin"])
def test_engineers_and_admins_start_an_audit(console: Console, role: str) -> None:
    client = console.client()
    headers = console.token(client, role)
    body = {"playbook": "audit", "opd": "dinkes", "request": NUMBER}
    reply = client.post("/api/v1/runs", headers=headers, json=body)
    assert reply.status_code == 202, reply.text
    job = reply.json()
    assert job["playbook"] == "audit" and job["opd"] == "dinkes" and job["request"] == NUMBER
    shown = client.get(f"/api/v1/runs/{job['id']}", headers=headers).json()
    assert shown["status"] == "queued" and shown["requested_by"] == USERS[role]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["RunRequest"]
    assert "audit" in schema["properties"]["playbook"]["enum"]


def test_a_drill_is_not_started_from_the_web(console: Console) -> None:
    """A drill starts a private lab of fresh devices on the server: CLI or schedule only."""
    client = console.client()
    headers = console.token(client, "admin")
    reply = client.post(
        "/api/v1/runs", headers=headers, json={"playbook": "drill", "opd": "dinkes"}
    )
    assert reply.status_code == 422


def test_an_audit_run_shows_status_and_rules_not_evidence(tmp_path: Path) -> None:
    console = seed(tmp_path)
    store = open_store(console.settings.state)
    try:
        with start_run(
            console.settings.state, playbook="audit", opds=["dinkes"], store=store
        ) as run:
            run.host(
                "RTR-DINKES", opd="dinkes", outcome="failed", grade="berat",
                details={"audit": "findings", "errors": {}, "excepted": {},
                         "findings": [{"rule": "ros-telnet-off", "severity": "berat",
                                       "evidence": ["/ip service set telnet disabled=no"]}]},
            )  # fmt: skip
            run_id = run.run_id
    finally:
        store.close()
    client = console.client()
    headers = console.token(client, "viewer")
    shown = client.get(f"/api/v1/runs/{run_id}", headers=headers).json()
    assert shown["playbook"] == "audit"
    assert shown["hosts"][0]["details"] == {"audit": "findings", "rules": ["ros-telnet-off"]}
    assert "telnet disabled=no" not in client.get(f"/api/v1/runs/{run_id}", headers=headers).text
    login(client, "viewer")
    page = client.get(f"/runs/{run_id}")
    assert "findings: ros-telnet-off" in page.text and "telnet disabled=no" not in page.text


def test_requests_open_show_close(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "engineer")
    body = {"number": "046/112/Dinkes/XI/2026", "opd": "dinkes", "summary": "Wi-Fi mati"}
    created = client.post("/api/v1/requests", headers=headers, json=body)
    assert created.status_code == 201 and created.json()["opened_by"] == "web:budi"
    assert client.post("/api/v1/requests", headers=headers, json=body).status_code == 409
    bad = {"number": "bad\nnumber", "opd": "dinkes", "summary": "x"}
    assert client.post("/api/v1/requests", headers=headers, json=bad).status_code == 400
    listed = client.get("/api/v1/requests?status=open", headers=headers).json()
    assert body["number"] in [r["number"] for r in listed]
    shown = client.get(f"/api/v1/requests/{body['number']}", headers=headers)
    assert shown.status_code == 200 and shown.json()["events"][0]["kind"] == "received"
    unknown = client.get("/api/v1/requests/999/NOPE/2026", headers=headers)
    assert unknown.status_code == 404
    close = f"/api/v1/requests/{body['number']}/close"
    done = client.post(close, headers=headers, json={"result": "restored", "note": "kabel"})
    assert done.status_code == 200 and done.json()["status"] == "closed"
    assert client.post(close, headers=headers, json={"result": "restored"}).status_code == 409
    assert client.post(close, headers=headers, json={"result": "whatever"}).status_code == 422


def test_no_reply_ever_holds_a_secret(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "engineer")
    # someone pastes the device password into a request's summary: the API withholds the list
    leak = {"number": "047/112/Dinkes/XI/2026", "opd": "dinkes", "summary": f"pw {PASSWORD}"}
    assert client.post("/api/v1/requests", headers=headers, json=leak).status_code == 500
    listed = client.get("/api/v1/requests", headers=headers)
    assert listed.status_code == 500 and PASSWORD not in listed.text
    assert "withheld" in listed.text
    for path in ("/api/v1/devices", "/api/v1/runs", "/api/v1/devices/RTR-DINKES/configs"):
        assert PASSWORD not in client.get(path, headers=headers).text


def test_actions_are_audited(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "engineer")
    client.post("/api/v1/runs", headers=headers, json={"playbook": "backup", "opd": "rsud"})
    client.post("/api/v1/auth/token", json={"username": "ani", "password": "wrong password"})
    store = open_store(console.settings.state)
    try:
        entries = list_entries(store, limit=50)
    finally:
        store.close()
    actions = {(e.username, e.action, e.outcome, e.via) for e in entries}
    assert ("budi", "run.start", "ok", "api") in actions
    assert ("budi", "login", "ok", "api") in actions
    assert ("ani", "login", "failed", "api") in actions
    started = next(e for e in entries if e.action == "run.start")
    assert started.remote and started.target == "backup on OPD rsud"


def test_request_numbers_with_slashes_route(console: Console) -> None:
    client = console.client()
    headers = console.token(client, "viewer")
    assert client.get(f"/api/v1/requests/{quote(NUMBER)}", headers=headers).status_code == 200
    assert USERS["viewer"] == "ani"


def test_latest_state_follows_new_runs(tmp_path: Path) -> None:
    fresh = seed(tmp_path, roles=("viewer",))
    client = fresh.client()
    headers = fresh.token(client, "viewer")

    def rtr() -> dict[str, object]:
        rows = client.get("/api/v1/devices", headers=headers).json()
        return next(d for d in rows if d["name"] == "RTR-DINKES")

    assert rtr()["grade"] == "ringan"  # the first fold
    state = fresh.settings.state
    with start_run(state, playbook="health", opds=["dinkes"]) as run:
        run.host("RTR-DINKES", opd="dinkes", outcome="ok", details={"failed": {}, "errors": {}})
    with start_run(state, playbook="backup", opds=["dinkes"]) as run:
        run.host("RTR-DINKES", opd="dinkes", outcome="failed", error="timeout")
    with start_run(state, playbook="diff", opds=["dinkes"]) as run:
        run.host("RTR-DINKES", opd="dinkes", outcome="changed", details={"status": "drift"})
    now = rtr()  # folded incrementally
    assert now["grade"] == "ok" and now["failed_checks"] == []
    assert now["last_backup_outcome"] == "failed" and now["drift"] == "drift"
    assert now["last_backup_commit"] == fresh.commits[1]  # the last good backup's commit stays


def test_request_list_in_one_query_matches_the_recap(tmp_path: Path) -> None:
    fresh = seed(tmp_path, roles=())
    store = open_store(fresh.settings.state)
    try:
        for n in range(4):
            open_request(store, f"{n}/X/2026", opd="rsud" if n % 2 else "dinkes", summary="x")
        close_request(store, "1/X/2026", result="restored", note="kabel")
        close_request(store, "2/X/2026", result="cancelled")
        for status in (None, "open", "closed"):
            for opd in (None, "rsud"):
                mine = letters(store, status=status, opd=opd)
                theirs = list_requests(store, status=status, opd=opd)
                assert mine == theirs, (status, opd)
    finally:
        store.close()
