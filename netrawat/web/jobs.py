"""Runs the console and the API start: queued as ``web_jobs`` rows, executed by the worker
process (`netrawat.web.worker`), never inside a web request.

A job is the ``netrawat`` command itself (same playbooks, options, run lock and recap entry as
an engineer's terminal run), with the web user recorded as the run's operator.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from netrawat.errors import InputError
from netrawat.pids import pid_alive
from netrawat.recap import schema, values
from netrawat.recap.store import RecapStore

PLAYBOOKS = ("backup", "health", "diff", "repair", "audit")
"""What the console and the API may start. Not ``drill``: it starts a private lab of fresh
devices on the console's server (README, *Web console and API*), so it stays a CLI or
scheduled run."""
STATUSES = ("queued", "running", "done", "failed", "interrupted")
_VAR = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_TEMPLATE = re.compile(r"^[a-z][a-z0-9_]{0,60}$")
MAX_HOSTS = 500


@dataclass(frozen=True)
class JobSpec:
    """A validated run request."""

    playbook: str
    hosts: tuple[str, ...] = ()
    opd: str | None = None
    request: str | None = None
    template: str | None = None
    variables: Mapping[str, str] | None = None
    apply: bool = False

    def argv(self) -> list[str]:
        """The ``netrawat`` command line of this job."""
        args = [self.playbook]
        if self.playbook == "repair":
            assert self.template is not None
            args.append(self.template)
            for key, value in sorted((self.variables or {}).items()):
                args += ["--var", f"{key}={value}"]
            if self.apply:
                args.append("--apply")
        for host in self.hosts:
            args += ["--host", host]
        if self.opd:
            args += ["--opd", self.opd]
        if self.request:
            args += ["--request", self.request]
        return args

    def describe(self) -> str:
        where = ", ".join(self.hosts) if self.hosts else f"OPD {self.opd}"
        mode = ""
        if self.playbook == "repair":
            mode = f" {self.template} ({'apply' if self.apply else 'dry run'})"
        return f"{self.playbook}{mode} on {where}"


def check_spec(
    playbook: str,
    *,
    hosts: Sequence[str],
    opd: str | None,
    known_hosts: Mapping[str, str],
    request: str | None = None,
    template: str | None = None,
    variables: Mapping[str, str] | None = None,
    apply: bool = False,
) -> JobSpec:
    """Validate a run request against the inventory (``known_hosts``: name -> OPD)."""
    if playbook not in PLAYBOOKS:
        raise InputError(f"unknown playbook {playbook!r}", f"use one of: {', '.join(PLAYBOOKS)}")
    chosen = _selection(hosts, opd, known_hosts)
    number = values.request_number(request) if request else None
    if playbook != "repair":
        if template or variables or apply:
            raise InputError("template, vars and apply are for repairs only", "drop them")
        return JobSpec(playbook, chosen, opd.lower() if opd else None, number)
    if not template or not _TEMPLATE.match(template):
        raise InputError("a repair needs its template", 'e.g. "template": "restore_dns"')
    for key, value in (variables or {}).items():
        if not _VAR.match(key) or any(c in str(value) for c in "\r\n\0"):
            raise InputError(f"invalid repair variable {key!r}", "NAME: one-line value")
    if apply and not number:
        raise InputError(
            "applying a repair needs the request number", 'add "request": "NO" (or dry run)'
        )
    return JobSpec(
        playbook,
        chosen,
        opd.lower() if opd else None,
        number,
        template,
        {k: str(v) for k, v in (variables or {}).items()},
        apply,
    )


def _selection(
    hosts: Sequence[str], opd: str | None, known_hosts: Mapping[str, str]
) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(h for h in hosts if h))
    if bool(chosen) == bool(opd):
        raise InputError("give either hosts or an OPD", 'e.g. {"hosts": ["RTR-DINKES"]}')
    if len(chosen) > MAX_HOSTS:
        raise InputError(f"more than {MAX_HOSTS} hosts", "select by OPD instead")
    unknown = [h for h in chosen if h not in known_hosts]
    if unknown:
        raise InputError(f"unknown host(s): {', '.join(unknown[:5])}", "see GET /api/v1/devices")
    if opd and opd.lower() not in set(known_hosts.values()):
        raise InputError(f"unknown OPD {opd!r}", "see GET /api/v1/devices")
    return chosen


@dataclass(frozen=True)
class Job:
    """A queued or finished web job."""

    id: int
    playbook: str
    selection: Mapping[str, Any]
    options: Mapping[str, Any]
    requested_by: str
    requested_at: datetime
    status: str
    started_at: datetime | None
    ended_at: datetime | None
    exit_code: int | None
    run_id: str | None
    message: str | None

    @property
    def key(self) -> str:
        return f"job-{self.id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "playbook": self.playbook,
            "hosts": list(self.selection.get("hosts", [])),
            "opd": self.selection.get("opd"),
            "request": self.options.get("request"),
            "template": self.options.get("template"),
            "apply": bool(self.options.get("apply")),
            "requested_by": self.requested_by,
            "requested_at": self.requested_at.isoformat(),
            "status": self.status,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "exit_code": self.exit_code,
            "run_id": self.run_id,
            "message": self.message,
        }


def _job(row: Any) -> Job:
    return Job(
        id=row.id,
        playbook=row.playbook,
        selection=row.selection or {},
        options=row.options or {},
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        status=row.status,
        started_at=row.started_at,
        ended_at=row.ended_at,
        exit_code=row.exit_code,
        run_id=row.run_id,
        message=row.message,
    )


def enqueue(store: RecapStore, spec: JobSpec, user: str) -> Job:
    """Queue a job for the worker."""
    with store.begin() as conn:
        result = conn.execute(
            sa.insert(schema.web_jobs).values(
                playbook=spec.playbook,
                selection={"hosts": list(spec.hosts), "opd": spec.opd},
                options={
                    "request": spec.request,
                    "template": spec.template,
                    "variables": dict(spec.variables or {}),
                    "apply": spec.apply,
                },
                requested_by=user,
                requested_at=datetime.now(UTC),
                status="queued",
            )
        )
        new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
    job = get_job(store, int(new_id or 0))
    assert job is not None
    return job


def spec_of(job: Job) -> JobSpec:
    """The command a stored job runs."""
    return JobSpec(
        playbook=job.playbook,
        hosts=tuple(job.selection.get("hosts") or ()),
        opd=job.selection.get("opd"),
        request=job.options.get("request"),
        template=job.options.get("template"),
        variables=job.options.get("variables") or {},
        apply=bool(job.options.get("apply")),
    )


def get_job(store: RecapStore, job_id: int) -> Job | None:
    with store.begin() as conn:
        row = conn.execute(sa.select(schema.web_jobs).where(schema.web_jobs.c.id == job_id)).first()
    return _job(row) if row else None


def list_jobs(store: RecapStore, limit: int = 50) -> list[Job]:
    """Newest first."""
    table = schema.web_jobs
    with store.begin() as conn:
        rows = conn.execute(sa.select(table).order_by(table.c.id.desc()).limit(limit))
        return [_job(r) for r in rows]


def claim_next(store: RecapStore, pid: int) -> Job | None:
    """Take the oldest queued job for this worker (atomically)."""
    table = schema.web_jobs
    with store.begin() as conn:
        row = conn.execute(
            sa.select(table.c.id).where(table.c.status == "queued").order_by(table.c.id).limit(1)
        ).first()
        if row is None:
            return None
        taken = conn.execute(
            sa.update(table)
            .where(table.c.id == row.id, table.c.status == "queued")
            .values(status="running", started_at=datetime.now(UTC), worker_pid=pid)
        )
        if taken.rowcount != 1:
            return None
    return get_job(store, row.id)


def set_run_id(store: RecapStore, job_id: int, run_id: str) -> None:
    table = schema.web_jobs
    with store.begin() as conn:
        conn.execute(sa.update(table).where(table.c.id == job_id).values(run_id=run_id))


def finish(
    store: RecapStore,
    job_id: int,
    *,
    status: str,
    exit_code: int | None,
    run_id: str | None,
    message: str | None,
) -> None:
    table = schema.web_jobs
    with store.begin() as conn:
        conn.execute(
            sa.update(table)
            .where(table.c.id == job_id)
            .values(
                status=status,
                exit_code=exit_code,
                ended_at=datetime.now(UTC),
                run_id=run_id,
                message=message[:4000] if message else None,
            )
        )


def interrupt_orphans(store: RecapStore, own: int) -> None:
    """Jobs left *running* by a worker that died (not this one, no live process) are marked
    interrupted; the recap shows their run as interrupted too."""
    table = schema.web_jobs
    with store.begin() as conn:
        rows = conn.execute(
            sa.select(table.c.id, table.c.worker_pid).where(table.c.status == "running")
        )
        dead = [r.id for r in rows if r.worker_pid == own or not pid_alive(r.worker_pid)]
        if dead:
            conn.execute(
                sa.update(table)
                .where(table.c.id.in_(dead))
                .values(status="interrupted", ended_at=datetime.now(UTC), message="worker died")
            )
