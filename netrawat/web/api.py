"""The REST API under ``/api/v1`` (described by ``/api/v1/openapi.json``).

``POST /api/v1/auth/token`` trades a user name and password for a bearer token; every other
endpoint wants ``Authorization: Bearer TOKEN`` (401 without a valid one). Viewers read;
engineers and admins also open/close requests and start runs (403 for a viewer). No response
carries a device credential or an unsanitized config: configs come from the sanitized config
repository only, and a last guard (`netrawat.web.guard`) withholds any response that would
contain a value of the secrets file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from netrawat.accounts import audit
from netrawat.accounts.users import User
from netrawat.errors import NetrawatError
from netrawat.recap import values
from netrawat.recap.query import get_run
from netrawat.web import auth, jobs
from netrawat.web.common import remote_of, request_json, run_json, services_of
from netrawat.web.fleetview import check_sha, device_json, fleet_rows
from netrawat.web.history import letters, run_summaries
from netrawat.web.services import Services

router = APIRouter(prefix="/api/v1")
bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


class ProblemDetail(BaseModel):
    error: str
    hint: str | None = None


class Problem(BaseModel):
    """Every error this API answers itself (401, 403, 404, 409, 429, 400 for a value the
    schema allows but netrawat refuses, with a hint); 422 is a body that breaks the schema."""

    detail: ProblemDetail


def _documented(status: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": Problem, "description": description}}


UNAUTHORIZED = _documented(401, "No valid bearer token")
FORBIDDEN = _documented(403, "The user's role may not do this")
NOT_FOUND = _documented(404, "No such item")
INVALID = _documented(400, "A value netrawat refuses (the detail says why, with a hint)")


class TokenRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    role: str


class RunRequest(BaseModel):
    playbook: Literal["backup", "health", "diff", "repair", "audit"]
    hosts: list[str] | None = Field(default=None, max_length=jobs.MAX_HOSTS)
    opd: str | None = Field(default=None, max_length=64)
    request: str | None = Field(default=None, max_length=120)
    template: str | None = Field(default=None, max_length=64)
    vars: dict[str, str] | None = None
    apply: bool = False


class NewRequest(BaseModel):
    number: str = Field(min_length=1, max_length=120)
    opd: str = Field(min_length=1, max_length=64)
    summary: str = Field(min_length=1, max_length=2000)
    received_at: datetime | None = None


class CloseRequest(BaseModel):
    result: Literal["restored", "escalated", "procurement", "unresolved", "cancelled"]
    note: str | None = Field(default=None, max_length=2000)


def problem(status: int, error: NetrawatError | str) -> HTTPException:
    """An error response with a detail and, for our own errors, the hint."""
    if isinstance(error, NetrawatError):
        return HTTPException(status, detail={"error": error.message, "hint": error.hint})
    return HTTPException(status, detail={"error": error})


def api_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    """The user of the bearer token, else 401."""
    services = services_of(request)
    user = auth.find_token_user(services, credentials.credentials) if credentials else None
    if user is None:
        raise HTTPException(
            401,
            detail={"error": "a valid bearer token is needed", "hint": "POST /api/v1/auth/token"},
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def engineer(user: Annotated[User, Depends(api_user)]) -> User:
    """The user when they may change things (engineer or admin), else 403."""
    if not user.can("engineer"):
        raise problem(403, f"role {user.role} may only read: this needs engineer or admin")
    return user


Reader = Annotated[User, Depends(api_user)]
Engineer = Annotated[User, Depends(engineer)]


def _audit(
    services: Services,
    request: Request,
    user: str | None,
    *,
    action: str,
    target: str,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        services.store, username=user, action=action, target=target,
        remote=remote_of(request), via="api", outcome=outcome, detail=detail,
    )  # fmt: skip


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    responses={
        401: {"description": "Wrong user name or password"},
        429: {"description": "Rate limited"},
    },
    tags=["auth"],
)
def create_token(body: TokenRequest, request: Request) -> TokenResponse:
    """Log in: a bearer token for the other endpoints."""
    services = services_of(request)
    try:
        user = auth.login(services, body.username, body.password, remote_of(request), "api")
    except auth.RateLimited as exc:
        raise HTTPException(
            429,
            detail={"error": "too many failed logins", "hint": "wait and try again"},
            headers={"Retry-After": str(exc.retry_after)},
        ) from None
    if user is None:
        raise problem(401, "wrong user name or password")
    token, expires = auth.issue_token(services, user, remote_of(request))
    return TokenResponse(token=token, expires_at=expires, role=user.role)


@router.delete("/auth/token", status_code=204, responses=UNAUTHORIZED, tags=["auth"])
def delete_token(
    request: Request,
    user: Reader,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Response:
    """Log out: the token stops working."""
    services = services_of(request)
    if credentials:
        auth.revoke_token(services, credentials.credentials)
    _audit(services, request, user.name, action="logout", target="api token")
    return Response(status_code=204)


class DeviceOut(BaseModel):
    name: str
    opd: str
    role: str
    platform: str
    grade: str | None
    failed_checks: list[str]
    not_checked: list[str]
    health_state: str | None
    verdict: str | None
    escalate: bool
    checked_at: datetime | None
    last_backup_at: datetime | None
    last_backup_outcome: str | None
    last_backup_commit: str | None
    last_backup_commit_at: datetime | None
    drift: str | None
    drift_checked_at: datetime | None
    baseline: str | None
    """The latest security-baseline audit: compliant | findings | failed."""
    baseline_grade: str | None
    baseline_findings: list[str]
    baseline_checked_at: datetime | None
    drill: str | None = None
    """The latest restore drill (``netrawat drill``): restored | differs | failed."""
    drill_at: datetime | None = None


@router.get(
    "/devices",
    response_class=JSONResponse,
    responses={200: {"model": list[DeviceOut], "description": "The fleet"}, **UNAUTHORIZED},
    tags=["fleet"],
)
def list_devices(
    request: Request, user: Reader, opd: Annotated[str | None, Query(max_length=64)] = None
) -> JSONResponse:
    """The fleet: OPD, role, platform, latest grade and not-checked items, last backup commit
    and time, drift."""
    rows = fleet_rows(services_of(request).inventory, services_of(request).latest)
    # plain rows of JSON types: serialized as they are (300 devices in a few ms)
    return JSONResponse([r for r in rows if not opd or r["opd"] == opd.lower()])


def _device(services: Services, name: str) -> Any:
    device = services.inventory.devices().get(name)
    if device is None:
        raise problem(404, f"no device {name!r} in the inventory")
    return device


@router.get(
    "/devices/{name}", response_model=DeviceOut, responses={**UNAUTHORIZED, **NOT_FOUND},
    tags=["fleet"],
)  # fmt: skip
def show_device(request: Request, user: Reader, name: str) -> dict[str, Any]:
    """One device with its latest state."""
    services = services_of(request)
    device = _device(services, name)
    return device_json(device, services.latest.refresh().get(name))


@router.get("/devices/{name}/configs", responses={**UNAUTHORIZED, **NOT_FOUND}, tags=["fleet"])
def list_configs(request: Request, user: Reader, name: str) -> list[dict[str, Any]]:
    """The device's backups: commits of the config repository, newest first."""
    services = services_of(request)
    device = _device(services, name)
    return [
        {"commit": c.sha, "at": c.at.isoformat(), "message": c.message}
        for c in services.history.commits(device.path)
    ]


@router.get(
    "/devices/{name}/configs/{commit}",
    responses={**UNAUTHORIZED, **NOT_FOUND, **INVALID},
    tags=["fleet"],
)
def show_config(request: Request, user: Reader, name: str, commit: str) -> dict[str, Any]:
    """The sanitized config of the device at a commit."""
    services = services_of(request)
    device = _device(services, name)
    try:
        check_sha(commit)
    except NetrawatError as exc:
        raise problem(400, exc) from None
    full = services.history.full_sha(commit)
    text = services.history.text(device.path, full, device.platform) if full else None
    if text is None or full is None:
        raise problem(404, f"no backup of {name} at commit {commit}")
    _audit(services, request, user.name, action="config.read", target=f"{name}@{full}")
    return {"device": name, "path": device.path, "commit": full, "config": text}


@router.get("/runs", responses=UNAUTHORIZED, tags=["runs"])
def list_runs(
    request: Request,
    user: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    playbook: Annotated[str | None, Query(max_length=32)] = None,
) -> list[dict[str, Any]]:
    """Recorded runs, newest first."""
    found = run_summaries(services_of(request).store, limit=limit, offset=offset, playbook=playbook)
    return [r.to_json() for r in found]


@router.get("/runs/{run_id}", responses={**UNAUTHORIZED, **NOT_FOUND}, tags=["runs"])
def show_run(request: Request, user: Reader, run_id: str) -> dict[str, Any]:
    """One run with its hosts; ``job-N`` (from POST /runs) shows the job and, once its run
    started, the run."""
    services = services_of(request)
    if run_id.startswith("job-") and run_id[4:].isdigit():
        job = jobs.get_job(services.store, int(run_id[4:]))
        if job is None:
            raise problem(404, f"no job {run_id}")
        data = job.to_json()
        run = None
        if job.run_id:
            with services.store.begin() as conn:
                run = get_run(conn, job.run_id)
        data["run"] = run_json(run, hosts=True) if run else None
        return data
    with services.store.begin() as conn:
        found = get_run(conn, run_id)
    if found is None:
        raise problem(404, f"no run {run_id!r}")
    return run_json(found, hosts=True)


@router.post(
    "/runs",
    status_code=202,
    responses={**UNAUTHORIZED, **FORBIDDEN, **INVALID},
    tags=["runs"],
)
def start_run(request: Request, user: Engineer, body: RunRequest) -> dict[str, Any]:
    """Start backup, health, diff, repair or audit (the security baseline) on hosts or an OPD
    (engineer, admin). A repair is a
    dry run unless ``apply`` is true with a request number. The run goes to the worker
    process; follow it at ``GET /api/v1/runs/job-N``."""
    services = services_of(request)
    known = {d.name: d.opd for d in services.inventory.devices().values()}
    try:
        spec = jobs.check_spec(
            body.playbook,
            hosts=body.hosts or [],
            opd=body.opd,
            known_hosts=known,
            request=body.request,
            template=body.template,
            variables=body.vars,
            apply=body.apply,
        )
    except NetrawatError as exc:
        raise problem(400, exc) from None
    job = jobs.enqueue(services.store, spec, user.name)
    _audit(
        services,
        request,
        user.name,
        action="run.start",
        target=spec.describe(),
        detail={"job": job.key},
    )
    return job.to_json()


@router.get("/requests", responses=UNAUTHORIZED, tags=["requests"])
def list_requests_api(
    request: Request,
    user: Reader,
    status: Literal["open", "closed"] | None = None,
    opd: Annotated[str | None, Query(max_length=64)] = None,
) -> list[dict[str, Any]]:
    """Requests (OPD letters), newest first."""
    found = letters(services_of(request).store, opd=opd, status=status)
    return [request_json(r) for r in found]


@router.post(
    "/requests",
    status_code=201,
    responses={**UNAUTHORIZED, **FORBIDDEN, **INVALID, **_documented(409, "Already registered")},
    tags=["requests"],
)
def open_request_api(request: Request, user: Engineer, body: NewRequest) -> dict[str, Any]:
    """Register an OPD's letter (SOP step 1; engineer, admin)."""
    from netrawat.recap.requests import get_request, open_request

    services = services_of(request)
    try:
        number = values.request_number(body.number)
        try:
            get_request(services.store, number)
        except NetrawatError:
            pass
        else:
            raise problem(409, f"request {number} is already registered")
        created = open_request(
            services.store,
            number,
            opd=body.opd,
            summary=body.summary,
            received_at=_aware(body.received_at),
            operator=f"web:{user.name}",
        )
    except NetrawatError as exc:
        raise problem(400, exc) from None
    _audit(services, request, user.name, action="request.open", target=created.number)
    return request_json(created)


def _aware(moment: datetime | None) -> datetime | None:
    """A date without a zone is WIB (the section's clock)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=values.LOCAL_TZ)


@router.post(
    "/requests/{number:path}/close",
    responses={
        **UNAUTHORIZED,
        **FORBIDDEN,
        **NOT_FOUND,
        **INVALID,
        **_documented(409, "Already closed"),
    },
    tags=["requests"],
)
def close_request_api(
    request: Request, user: Engineer, number: str, body: CloseRequest
) -> dict[str, Any]:
    """Record a request's outcome and close it (SOP step 5; engineer, admin)."""
    from netrawat.recap.requests import close_request, get_request

    services = services_of(request)
    try:
        found = get_request(services.store, number)
    except NetrawatError as exc:
        raise problem(404, exc) from None
    if not found.is_open:
        raise problem(409, f"request {found.number} is already closed")
    try:
        closed = close_request(
            services.store, found.number, result=body.result, note=body.note,
            operator=f"web:{user.name}",
        )  # fmt: skip
    except NetrawatError as exc:
        raise problem(400, exc) from None
    _audit(
        services,
        request,
        user.name,
        action="request.close",
        target=closed.number,
        detail={"result": closed.result},
    )
    return request_json(closed)


@router.get("/requests/{number:path}", responses={**UNAUTHORIZED, **NOT_FOUND}, tags=["requests"])
def show_request_api(request: Request, user: Reader, number: str) -> dict[str, Any]:
    """A request's timeline and its SOP steps against their targets."""
    from netrawat.recap.timeline import build_timeline, timeline_json

    if number.endswith("/close"):
        raise problem(404, "use POST to close a request")
    try:
        return timeline_json(build_timeline(services_of(request).store, number))
    except NetrawatError as exc:
        raise problem(404, exc) from None
