"""The console pages with the test client: login (cookie flags, CSRF, rate limit, idle
timeout, logout), every page for an engineer, what a viewer may not do, the language switch,
report downloads, config search; and `netrawat user` on the command line."""

from __future__ import annotations

import importlib.util
import io
import re
import subprocess
import sys
from datetime import timedelta
from urllib.parse import quote

import pytest
from web_fixtures import NUMBER, PASSWORDS, Console, console_fixture, csrf_of, login  # noqa: F401

from netrawat.accounts.audit import list_entries
from netrawat.cli.main import run as cli
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_pages_need_a_login(console: Console) -> None:
    client = console.client()
    for path in ("/", "/devices/RTR-DINKES", "/runs", "/requests", "/report", "/search"):
        reply = client.get(path, follow_redirects=False)
        assert reply.status_code == 303
        assert reply.headers["location"] == f"/login?next={quote(path, safe='')}"


def test_login_sets_a_strict_httponly_cookie(console: Console) -> None:
    client = console.client()
    reply = login(client, "engineer")
    assert reply.status_code == 303 and reply.headers["location"] == "/"
    cookie = next(c for c in reply.headers.get_list("set-cookie") if "netrawat_session=" in c)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
    page = client.get("/")
    assert page.status_code == 200 and "budi (engineer)" in page.text
    assert page.headers["x-frame-options"] == "DENY" and "content-security-policy" in page.headers


def test_cookie_is_secure_over_tls(console: Console) -> None:
    client = console.client()
    client.base_url = client.base_url.copy_with(scheme="https")
    reply = login(client, "viewer")
    cookie = next(c for c in reply.headers.get_list("set-cookie") if "netrawat_session=" in c)
    assert "Secure" in cookie


def test_login_form_without_its_csrf_token_is_refused(console: Console) -> None:
    client = console.client()
    reply = client.post(
        "/login", data={"username": "budi", "password": PASSWORDS["engineer"], "csrf": "x"}
    )
    assert reply.status_code == 403 and "netrawat_session" not in reply.headers.get(
        "set-cookie", ""
    )


def test_wrong_password_then_rate_limit(console: Console) -> None:
    client = console.client(max_failures_per_user=2)
    assert login(client, "admin", password="salah salah salah").status_code == 401
    assert login(client, "admin", password="salah salah salah").status_code == 401
    limited = login(client, "admin")
    assert limited.status_code == 429 and "Terlalu banyak" in limited.text


def test_idle_session_ends(console: Console) -> None:
    client = console.client(idle_timeout=timedelta(seconds=-1))
    assert login(client, "viewer").status_code == 303
    reply = client.get("/", follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"].endswith("&ended=1")
    assert "Sesi berakhir" in client.get(reply.headers["location"]).text


def test_logout_needs_csrf_and_ends_the_session(console: Console) -> None:
    client = console.client()
    login(client, "viewer")
    page = client.get("/")
    assert client.post("/logout", data={"csrf": "wrong"}).status_code == 403
    out = client.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_every_page_renders_for_an_engineer(console: Console) -> None:
    client = console.client()
    login(client, "engineer")
    old, new = console.commits
    pages = {
        "/": ["RTR-DINKES", "ringan", "RTR-RSUD", NUMBER, "Eskalasi menunggu Kabid"],
        "/devices/RTR-DINKES": [new[:8], old[:8], "dns", "Riwayat kesehatan"],
        f"/devices/RTR-DINKES/configs/{old}": ["servers=10.0.0.53"],
        f"/devices/RTR-DINKES/diff?a={old[:8]}&b={new[:8]}": ["-/ip dns set servers=10.0.0.53"],
        "/requests": [NUMBER, "Buka permintaan"],
        f"/request?number={quote(NUMBER, safe='')}": ["Linimasa", "Tutup permintaan"],
        "/runs": ["Jalankan pekerjaan", "health", "backup"],
        "/report": ["download-xlsx"],
        "/search?q=servers": ["RTR-DINKES", "8.8.8.8"],
        "/search?q=servers%3D%5B0-9%5D%2B%5C.8&regex=1": ["8.8.8.8"],
    }
    for path, expected in pages.items():
        reply = client.get(path)
        assert reply.status_code == 200, path
        for text in expected:
            assert text in reply.text, (path, text)
    assert client.get("/devices/NOPE").status_code == 404
    assert client.get("/audit").status_code == 403
    assert "invalid regular expression" in client.get("/search?q=%28&regex=1").text


def test_run_page_lists_hosts(console: Console) -> None:
    client = console.client()
    login(client, "viewer")
    runs = re.findall(r'href="/runs/([^"]+health[^"]+)"', client.get("/runs").text)
    page = client.get(f"/runs/{runs[0]}")
    assert page.status_code == 200 and "RTR-RSUD" in page.text and "no answer" in page.text


def test_engineer_opens_a_request_and_starts_a_run(console: Console) -> None:
    client = console.client()
    login(client, "engineer")
    token = csrf_of(client.get("/requests").text)
    opened = client.post(
        "/requests",
        data={"csrf": token, "number": "050/112/Dinkes/XI/2026", "opd": "dinkes",
              "summary": "Printer jaringan mati"},
        follow_redirects=False,
    )  # fmt: skip
    assert opened.status_code == 303 and "050%2F112" in opened.headers["location"]
    started = client.post(
        "/runs",
        data={"csrf": token, "playbook": "health", "host": "RTR-DINKES"},
        follow_redirects=False,
    )
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
    job = client.get(started.headers["location"])
    assert job.status_code == 200 and 'id="job-status"' in job.text
    progress = client.get(started.headers["location"] + "/progress").json()
    assert progress["job"]["status"] == "queued" and progress["job"]["requested_by"] == "budi"
    refused = client.post("/runs", data={"playbook": "health", "host": "RTR-DINKES"})
    assert refused.status_code == 403  # no CSRF token


def test_engineer_starts_an_audit_from_the_runs_page(console: Console) -> None:
    client = console.client()
    login(client, "engineer")
    page = client.get("/runs")
    assert '<option value="audit">' in page.text and '<option value="drill">' not in page.text
    started = client.post(
        "/runs",
        data={"csrf": csrf_of(page.text), "playbook": "audit", "opd": "dinkes"},
        follow_redirects=False,
    )
    assert started.status_code == 303 and started.headers["location"].startswith("/jobs/")
    progress = client.get(started.headers["location"] + "/progress").json()
    assert progress["job"]["playbook"] == "audit" and progress["job"]["opd"] == "dinkes"


def test_repair_apply_needs_confirmation(console: Console) -> None:
    client = console.client()
    login(client, "engineer")
    token = csrf_of(client.get("/runs").text)
    form = {"csrf": token, "playbook": "repair", "host": "RTR-DINKES", "template": "restore_dns",
            "apply": "1", "request": NUMBER}  # fmt: skip
    unconfirmed = client.post("/runs", data=form, follow_redirects=False)
    assert unconfirmed.status_code == 200 and "form-error" in unconfirmed.text
    confirmed = client.post("/runs", data={**form, "confirm": "1"}, follow_redirects=False)
    assert confirmed.status_code == 303


def test_viewer_cannot_start_runs_or_open_requests(console: Console) -> None:
    client = console.client()
    login(client, "viewer")
    page = client.get("/runs")
    assert 'id="viewer-note"' in page.text and 'id="run-submit"' not in page.text
    token = csrf_of(page.text)
    run = client.post("/runs", data={"csrf": token, "playbook": "health", "host": "RTR-DINKES"})
    assert run.status_code == 403
    audit = client.post("/runs", data={"csrf": token, "playbook": "audit", "opd": "dinkes"})
    assert audit.status_code == 403
    request = client.post(
        "/requests", data={"csrf": token, "number": "9/V/2026", "opd": "dinkes", "summary": "x"}
    )
    assert request.status_code == 403


def test_report_downloads(console: Console) -> None:
    client = console.client()
    login(client, "viewer")
    xlsx = client.get("/report/download?fmt=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx.headers["content-disposition"]
    for fmt in ("md", "html", "csv"):
        assert client.get(f"/report/download?fmt={fmt}").status_code == 200
    assert client.get("/report/download?fmt=exe").status_code == 422
    assert client.get("/report?month=2026-13").status_code == 400


def test_english_switch(console: Console) -> None:
    client = console.client()
    login(client, "admin")
    assert "Dasbor" in client.get("/").text
    client.get("/lang/en?next=/")
    page = client.get("/")
    assert "Dashboard" in page.text and "Escalations waiting for the Kabid" in page.text
    reply = client.get("/lang/id?next=//evil.example", follow_redirects=False)
    assert reply.headers["location"] == "/"
    audit = client.get("/audit")
    assert audit.status_code == 200 and "login" in audit.text


def test_user_commands(console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    state = ["--state", str(console.settings.state.root)]

    def user(*args: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return cli(["user", *args, *state])

    strong = "sungai Kapuas sore hari"
    assert user("add", "dodi", "--role", "engineer", stdin=f"{strong}\n") == ExitCode.OK
    assert user("add", "dodi", "--role", "viewer", stdin=f"{strong}\n") == ExitCode.BAD_INPUT
    assert user("add", "eko", "--role", "viewer", stdin="\n") == ExitCode.BAD_INPUT
    assert user("add", "eko", "--role", "viewer", stdin="rahasia\n") == ExitCode.BAD_INPUT
    assert user("add", "eko", "--role", "viewer", stdin="eko-eko-eko-eko\n") == ExitCode.BAD_INPUT
    assert user("add", "eko", "--role", "boss", stdin=f"{strong}\n") == ExitCode.BAD_INPUT
    assert user("add", "Bad Name", "--role", "viewer", stdin=f"{strong}\n") == ExitCode.BAD_INPUT
    client = console.client()
    api = client.post("/api/v1/auth/token", json={"username": "dodi", "password": strong})
    headers = {"Authorization": f"Bearer {api.json()['token']}"}
    assert client.get("/api/v1/devices", headers=headers).status_code == 200
    assert user("passwd", "dodi", stdin="pendek\n") == ExitCode.BAD_INPUT
    assert user("passwd", "dodi", stdin="hujan deras di Pontianak\n") == ExitCode.OK
    assert client.get("/api/v1/devices", headers=headers).status_code == 401  # token ended
    assert user("list") == ExitCode.OK
    assert user("remove", "dodi") == ExitCode.OK
    assert user("remove", "dodi") == ExitCode.BAD_INPUT
    store = open_store(console.settings.state)
    try:
        actions = [(e.action, e.target, e.via) for e in list_entries(store)]
    finally:
        store.close()
    assert ("user.add", "dodi", "cli") in actions and ("user.remove", "dodi", "cli") in actions
    store = open_store(console.settings.state)
    try:
        with store.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT password_hash FROM users WHERE name='budi'")
            stored = stored.scalar()
    finally:
        store.close()
    assert str(stored).startswith("$argon2id$") and PASSWORDS["engineer"] not in str(stored)


@pytest.mark.parametrize("ending", ["\r\n", "\r", ""])  # "\n": test_user_commands
def test_user_password_from_stdin_loses_its_line_ending(console: Console, ending: str) -> None:
    """Through the real command and its real stdin: a password line from a Windows editor
    (``\\r\\n``) logs in with the password typed, not with an invisible ``\\r`` on it."""
    name = f"win{len(ending)}{'r' if ending.startswith(chr(13)) else 'n'}"
    password = "sungai Landak pagi hari"
    where = ["--state", str(console.settings.state.root)]
    done = subprocess.run(
        [sys.executable, "-m", "netrawat", "user", "add", name, "--role", "viewer", *where],
        input=f"{password}{ending}".encode(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == ExitCode.OK, done.stderr.decode()
    client = console.client()
    token = client.post("/api/v1/auth/token", json={"username": name, "password": password})
    assert token.status_code == 200, token.text
    wrong = client.post("/api/v1/auth/token", json={"username": name, "password": password + "\r"})
    assert wrong.status_code == 401


def test_serve_options(
    console: Console, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    where = ["--inventory", str(console.settings.inventory)]
    where += ["--state", str(console.settings.state.root)]
    assert cli(["serve", "--listen", "localhost", *where]) == ExitCode.BAD_INPUT
    capsys.readouterr()
    assert cli(["serve", "--systemd-unit", "--listen", "127.0.0.1:8443", *where]) == ExitCode.OK
    unit = capsys.readouterr().out
    assert "-m netrawat serve --listen 127.0.0.1:8443" in unit
    assert f'Environment="NETRAWAT_STATE={console.settings.state.root}"' in unit
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "uvicorn" else real(name)
    )
    assert cli(["serve", *where]) == ExitCode.CANNOT_RUN
    assert "pip install 'netrawat[web]'" in capsys.readouterr().err
