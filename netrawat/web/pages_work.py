"""Console pages about the work: requests (open, close, SOP timeline), runs (start one, watch
it live, its hosts and log), the report book (downloads) and the audit log."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from netrawat.accounts import audit
from netrawat.errors import NetrawatError
from netrawat.recap import values
from netrawat.recap.query import get_run
from netrawat.web import auth, jobs
from netrawat.web.common import remote_of, run_json, services_of
from netrawat.web.fleetview import mask_secrets
from netrawat.web.history import letters, run_summaries
from netrawat.web.session import (
    PageError,
    checked_form,
    current_session,
    lang_of,
    render,
    require_role,
)
from netrawat.web.worker import log_path

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[auth.Session, Depends(current_session)]
LOG_TAIL = 20_000
MEDIA = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _audit(
    request: Request, session: auth.Session, action: str, target: str, **detail: Any
) -> None:
    audit.record(
        services_of(request).store, username=session.user.name, action=action, target=target,
        remote=remote_of(request), detail=detail or None,
    )  # fmt: skip


# -- requests -----------------------------------------------------------------------------


@router.get("/requests", response_class=HTMLResponse)
def requests_page(
    request: Request, session: SessionDep, status: str | None = None, error: str | None = None
) -> Response:
    chosen = status if status in ("open", "closed") else None
    found = letters(services_of(request).store, status=chosen)
    opds = sorted({d.opd for d in services_of(request).inventory.devices().values()})
    return render(
        request, "requests.html", session, requests=found, status=chosen, opds=opds, error=error
    )


@router.post("/requests")
async def open_request_page(request: Request, session: SessionDep) -> Response:
    from netrawat.recap.requests import open_request

    form = await checked_form(request, session)
    require_role(session, "engineer")
    try:
        received = (
            values.moment(form["received"], "received date") if form.get("received") else None
        )
        created = open_request(
            services_of(request).store, form.get("number", ""), opd=form.get("opd", ""),
            summary=form.get("summary", ""), received_at=received,
            operator=f"web:{session.user.name}",
        )  # fmt: skip
    except NetrawatError as exc:
        return requests_page(request, session, error=exc.one_line())
    _audit(request, session, "request.open", created.number)
    return RedirectResponse(f"/request?number={_q(created.number)}", 303)


@router.get("/request", response_class=HTMLResponse)
def request_page(
    request: Request,
    session: SessionDep,
    number: Annotated[str, Query(max_length=120)],
    error: str | None = None,
) -> Response:
    from netrawat.recap.timeline import build_timeline

    try:
        timeline = build_timeline(services_of(request).store, number)
    except NetrawatError as exc:
        raise PageError(404, "not_found", exc.message) from None
    return render(
        request, "request.html", session, tl=timeline, results=values.CLOSE_RESULTS, error=error
    )


@router.post("/request/close")
async def close_request_page(request: Request, session: SessionDep) -> Response:
    from netrawat.recap.requests import close_request

    form = await checked_form(request, session)
    require_role(session, "engineer")
    number = form.get("number", "")
    try:
        closed = close_request(
            services_of(request).store, number, result=form.get("result", ""),
            note=form.get("note") or None, operator=f"web:{session.user.name}",
        )  # fmt: skip
    except NetrawatError as exc:
        return request_page(request, session, number=number, error=exc.one_line())
    _audit(request, session, "request.close", closed.number, result=closed.result)
    return RedirectResponse(f"/request?number={_q(closed.number)}", 303)


def _q(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


# -- runs ---------------------------------------------------------------------------------


@router.get("/runs", response_class=HTMLResponse)
def runs_page(
    request: Request, session: SessionDep, error: str | None = None, host: str | None = None
) -> Response:
    from netrawat.repair.library import template_names

    services = services_of(request)
    devices = services.inventory.devices()
    return render(
        request,
        "runs.html",
        session,
        runs=run_summaries(services.store, limit=60),
        jobs=jobs.list_jobs(services.store, limit=20),
        devices=list(devices.values()),
        opds=sorted({d.opd for d in devices.values()}),
        templates=template_names(),
        error=error,
        chosen_host=host,
    )


def _variables(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        if line.strip():
            key, sep, value = line.partition("=")
            if not sep:
                raise PageError(400, "not_found", f"{line[:40]!r} is not NAME=VALUE")
            found[key.strip()] = value.strip()
    return found


@router.post("/runs")
async def start_run_page(request: Request, session: SessionDep) -> Response:
    form = await checked_form(request, session)
    require_role(session, "engineer")
    services = services_of(request)
    hosts = [str(h) for h in (await request.form()).getlist("host") if h]
    apply = form.get("apply") == "1"
    if apply and form.get("confirm") != "1":
        return runs_page(request, session, error="apply_confirm")
    known = {d.name: d.opd for d in services.inventory.devices().values()}
    try:
        spec = jobs.check_spec(
            form.get("playbook", ""),
            hosts=hosts,
            opd=form.get("opd") or None,
            known_hosts=known,
            request=form.get("request") or None,
            template=form.get("template") or None if form.get("playbook") == "repair" else None,
            variables=_variables(form.get("vars", ""))
            if form.get("playbook") == "repair"
            else None,
            apply=apply,
        )
    except NetrawatError as exc:
        return runs_page(request, session, error=exc.one_line())
    job = jobs.enqueue(services.store, spec, session.user.name)
    _audit(request, session, "run.start", spec.describe(), job=job.key)
    return RedirectResponse(f"/jobs/{job.id}", 303)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, session: SessionDep, run_id: str) -> Response:
    with services_of(request).store.begin() as conn:
        run = get_run(conn, run_id)
    if run is None:
        raise PageError(404, "not_found", run_id)
    return render(request, "run.html", session, run=run_json(run, hosts=True))


def _job_view(request: Request, job_id: int) -> dict[str, Any]:
    services = services_of(request)
    job = jobs.get_job(services.store, job_id)
    if job is None:
        raise PageError(404, "not_found", f"job-{job_id}")
    run = None
    if job.run_id:
        with services.store.begin() as conn:
            found = get_run(conn, job.run_id)
        run = run_json(found, hosts=True) if found else None
    try:
        log = log_path(services.settings.state, job.id).read_text(
            encoding="utf-8", errors="replace"
        )
    except OSError:
        log = ""
    # the command's own output shows sanitized configs only; scanned once more, as configs are
    shown = mask_secrets(log[-LOG_TAIL:], "")
    return {"job": job.to_json(), "run": run, "log": shown, "spec": jobs.spec_of(job)}


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, session: SessionDep, job_id: int) -> Response:
    return render(request, "job.html", session, **_job_view(request, job_id))


@router.get("/jobs/{job_id}/progress")
def job_progress(request: Request, session: SessionDep, job_id: int) -> Response:
    view = _job_view(request, job_id)
    view.pop("spec")
    return JSONResponse(view)


# -- report book --------------------------------------------------------------------------


@router.get("/report", response_class=HTMLResponse)
def report_page(
    request: Request,
    session: SessionDep,
    *,
    month: Annotated[str | None, Query(max_length=7)] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    opd: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    from netrawat.recap.report import build_report, choose_period

    services = services_of(request)
    opds = sorted({d.opd for d in services.inventory.devices().values()})
    try:
        period = choose_period(month or None, date_from or None, date_to or None)
        report = build_report(services.store, period, opd or None)
    except NetrawatError as exc:
        raise PageError(400, "not_found", exc.message) from None
    query = request.url.query
    return render(
        request, "report.html", session, report=report,
        period=period, opds=opds, opd=opd, month=month, date_from=date_from, date_to=date_to,
        query=query,
    )  # fmt: skip


@router.get("/report/download")
def report_download(
    request: Request,
    session: SessionDep,
    *,
    fmt: Annotated[str, Query(pattern="^(md|html|csv|xlsx)$")] = "md",
    month: Annotated[str | None, Query(max_length=7)] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    opd: Annotated[str | None, Query(max_length=64)] = None,
    table: Annotated[str, Query(max_length=20)] = "requests",
) -> Response:
    from netrawat.recap import render as renderers
    from netrawat.recap.report import build_report, choose_period

    services = services_of(request)
    lang = lang_of(request)
    try:
        period = choose_period(month or None, date_from or None, date_to or None)
        report = build_report(services.store, period, opd or None)
        if fmt == "xlsx":
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "rekap.xlsx"
                renderers.render_xlsx(report, lang, path)
                body: bytes = path.read_bytes()
        elif fmt == "csv":
            body = renderers.render_csv(report, lang, table).encode("utf-8")
        elif fmt == "html":
            body = renderers.render_html(report, lang).encode("utf-8")
        else:
            body = renderers.render_markdown(report, lang).encode("utf-8")
    except NetrawatError as exc:
        raise PageError(400, "not_found", exc.message) from None
    name = f"rekap-{period.first:%Y%m%d}-{period.last:%Y%m%d}{'-' + opd if opd else ''}.{fmt}"
    _audit(request, session, "report.download", name)
    return Response(
        body,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# -- audit ----------------------------------------------------------------------------------


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request, session: SessionDep, page: Annotated[int, Query(ge=0, le=10000)] = 0
) -> Response:
    require_role(session, "admin")
    entries = audit.list_entries(services_of(request).store, limit=200, offset=page * 200)
    return render(request, "audit.html", session, entries=entries, page=page)
