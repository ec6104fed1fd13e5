"""Console pages about the fleet: login, dashboard, device (config history, diffs, health
history with each check, runs), config search. Server-side Jinja2; no page needs JavaScript
except the live progress of a run (`netrawat.web.pages_work`)."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from netrawat.accounts import audit
from netrawat.errors import NetrawatError
from netrawat.web import auth
from netrawat.web.common import remote_of, services_of
from netrawat.web.fleetview import compile_query, device_json, fleet_rows, search
from netrawat.web.history import host_checks, host_runs, letters
from netrawat.web.session import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    PageError,
    checked_form,
    current_session,
    login_csrf,
    render,
    secure,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[auth.Session, Depends(current_session)]


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no //host or scheme: no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, next: str | None = None, ended: int = 0, error: str | None = None
) -> Response:
    token = login_csrf(request)
    response = render(
        request,
        "login.html",
        None,
        login_token=token,
        next=_safe_next(next),
        error=error or ("session_ended" if ended else None),
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure(request)
    )
    return response


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    services = services_of(request)
    target = _safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not csrf or expected != csrf:
        raise PageError(403, "csrf_failed")
    try:
        user = auth.login(services, username, password, remote_of(request), "web")
    except auth.RateLimited:
        return render(
            request, "login.html", None, code=429, login_token=csrf, next=target,
            error="rate_limited",
        )  # fmt: skip
    if user is None:
        return render(
            request, "login.html", None, code=401, login_token=csrf, next=target,
            error="login_failed",
        )  # fmt: skip
    cookie, _session = auth.open_session(services, user, remote_of(request))
    response = RedirectResponse(target, 303)
    set_session_cookie(request, response, cookie)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, session: SessionDep) -> Response:
    await checked_form(request, session)
    services = services_of(request)
    auth.close_session(services, session)
    audit.record(
        services.store, username=session.user.name, action="logout", remote=remote_of(request)
    )
    response = RedirectResponse("/login", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), 303)
    response.set_cookie(
        LANG_COOKIE, code if code in ("id", "en") else "id", samesite="lax", max_age=3600 * 24 * 365
    )
    return response


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep) -> Response:
    services = services_of(request)
    rows = fleet_rows(services.inventory, services.latest)
    by_opd: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_opd[row["opd"]].append(row)
    open_requests = letters(services.store, status="open")
    requests_by_opd: dict[str, list[Any]] = defaultdict(list)
    for letter in open_requests:
        requests_by_opd[letter.opd].append(letter)
    return render(
        request,
        "dashboard.html",
        session,
        by_opd=dict(sorted(by_opd.items())),
        requests_by_opd=requests_by_opd,
        escalations=[r for r in rows if r["escalate"]],
        total=len(rows),
    )


def _device(request: Request, name: str) -> Any:
    device = services_of(request).inventory.devices().get(name)
    if device is None:
        raise PageError(404, "not_found", name)
    return device


@router.get("/devices/{name}", response_class=HTMLResponse)
def device_page(request: Request, session: SessionDep, name: str) -> Response:
    services = services_of(request)
    device = _device(request, name)
    row = device_json(device, services.latest.refresh().get(name))
    runs = host_runs(services.store, name, limit=40)
    return render(
        request,
        "device.html",
        session,
        device=device,
        row=row,
        commits=services.history.commits(device.path, limit=200),
        health=[r for r in host_runs(services.store, name, playbook="health", limit=30)],
        runs=runs,
    )


@router.get("/devices/{name}/configs/{commit}", response_class=HTMLResponse)
def config_page(request: Request, session: SessionDep, name: str, commit: str) -> Response:
    services = services_of(request)
    device = _device(request, name)
    try:
        full = services.history.full_sha(commit)
    except NetrawatError as exc:
        raise PageError(400, "not_found", exc.message) from None
    text = services.history.text(device.path, full, device.platform) if full else None
    if text is None or full is None:
        raise PageError(404, "not_found", commit)
    audit.record(
        services.store, username=session.user.name, action="config.read",
        target=f"{name}@{full}", remote=remote_of(request),
    )  # fmt: skip
    return render(request, "config.html", session, device=device, commit=full, text=text)


@router.get("/devices/{name}/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    session: SessionDep,
    name: str,
    a: Annotated[str, Query(max_length=40)],
    b: Annotated[str, Query(max_length=40)],
) -> Response:
    services = services_of(request)
    device = _device(request, name)
    try:
        old, new = services.history.full_sha(a), services.history.full_sha(b)
    except NetrawatError as exc:
        raise PageError(400, "not_found", exc.message) from None
    diff = services.history.diff(device.path, old, new, device.platform) if old and new else None
    if diff is None or old is None or new is None:
        raise PageError(404, "not_found", f"{a}..{b}")
    return render(request, "diff.html", session, device=device, old=old, new=new, diff=diff)


@router.get("/devices/{name}/health/{run_id}", response_class=HTMLResponse)
def checks_page(request: Request, session: SessionDep, name: str, run_id: str) -> Response:
    services = services_of(request)
    device = _device(request, name)
    checks = host_checks(services.settings.state.health, run_id, name)
    return render(request, "checks.html", session, device=device, run_id=run_id, checks=checks)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=200)] = "",
    regex: int = 0,
) -> Response:
    services = services_of(request)
    hits, error = [], None
    if q:
        try:
            hits = search(
                services.history, services.inventory.devices(), compile_query(q, bool(regex))
            )
        except NetrawatError as exc:
            error = exc.message
    return render(request, "search.html", session, q=q, regex=bool(regex), hits=hits, error=error)


def quote_path(value: str) -> str:
    return quote(value, safe="")
