"""The worker process: runs the queued web jobs, one at a time, as ``netrawat`` commands.

``netrawat serve`` starts it (``python -m netrawat.web.worker``) with the same environment
(state, inventory, secrets, recap database); it stops when its parent does. Each job is
``python -m netrawat <playbook> ...`` with ``NETRAWAT_OPERATOR=web:<user>``: the same
playbooks and run lock as a terminal run, recorded in the recap under the web user. Its output
(the same report an engineer reads in a terminal) goes to ``<state>/logs/web-job-<id>.log``,
which the console shows live. The recap run is found by the child's pid as soon as it starts,
so the console shows host outcomes while the run goes on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from netrawat.recap import schema
from netrawat.recap.operators import OPERATOR_ENV
from netrawat.recap.store import RecapStore, open_store
from netrawat.state import StateDir
from netrawat.web import jobs

POLL_SECONDS = 0.5
JOB_TIMEOUT_SECONDS = 6 * 3600


def log_path(state: StateDir, job_id: int) -> Path:
    return state.logs / f"web-job-{job_id}.log"


def _find_run(store: RecapStore, pid: int, job: jobs.Job) -> str | None:
    runs = schema.runs
    since = job.started_at or job.requested_at
    query = (
        sa.select(runs.c.run_id)
        .where(runs.c.pid == pid, runs.c.started_at >= since)
        .order_by(runs.c.started_at)
        .limit(1)
    )
    with store.begin() as conn:
        return conn.execute(query).scalar_one_or_none()


def _last_error(log: Path) -> str | None:
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    errors = [line for line in lines if line.startswith("error:")]
    chosen = errors or lines
    return chosen[-1] if chosen else None


def run_job(store: RecapStore, state: StateDir, job: jobs.Job) -> None:
    """Run one claimed job to its end and record the outcome."""
    spec = jobs.spec_of(job)
    env = {**os.environ, OPERATOR_ENV: f"web:{job.requested_by}", "NO_COLOR": "1"}
    log = log_path(state, job.id)
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "netrawat", *spec.argv()],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        run_id = None
        deadline = time.monotonic() + JOB_TIMEOUT_SECONDS
        while child.poll() is None:
            if run_id is None:
                run_id = _find_run(store, child.pid, job)
                if run_id:
                    jobs.set_run_id(store, job.id, run_id)
            if time.monotonic() > deadline:
                child.send_signal(signal.SIGINT)
            time.sleep(POLL_SECONDS)
    code = child.returncode
    run_id = run_id or _find_run(store, child.pid, job)
    status = "done" if code in (0, 1) else "failed"
    message = None if status == "done" else _last_error(log)
    jobs.finish(store, job.id, status=status, exit_code=code, run_id=run_id, message=message)


def serve_forever(store: RecapStore, state: StateDir, parent: int | None = None) -> None:
    """Run jobs until the parent process goes away (or forever without one)."""
    jobs.interrupt_orphans(store, own=os.getpid())
    while parent is None or os.getppid() == parent:
        job = jobs.claim_next(store, os.getpid())
        if job is None:
            time.sleep(POLL_SECONDS)
            continue
        run_job(store, state, job)


def run_pending(store: RecapStore, state: StateDir) -> int:
    """Run every queued job now, in this process's child processes (tests); how many."""
    done = 0
    while (job := jobs.claim_next(store, os.getpid())) is not None:
        run_job(store, state, job)
        done += 1
    return done


def main() -> None:
    """``python -m netrawat.web.worker``: settings from the environment ``netrawat serve``
    passes (NETRAWAT_STATE, NETRAWAT_RECAP_DB, NETRAWAT_INVENTORY, NETRAWAT_SECRETS)."""
    state = StateDir.resolve(None)
    store = open_store(None if os.environ.get("NETRAWAT_RECAP_DB") else state, None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parent = int(os.environ.get("NETRAWAT_WORKER_PARENT", "0")) or None
    try:
        serve_forever(store, state, parent)
    except KeyboardInterrupt:
        pass
    finally:
        store.close()


if __name__ == "__main__":
    main()
