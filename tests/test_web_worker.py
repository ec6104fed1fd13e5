"""The worker runs what the console and the API start, over real SSH against the lab: the
``netrawat`` command itself (same playbooks, same run lock), recorded in the recap under the
web user, with the run found while it goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from netrawat.accounts.users import add_user
from netrawat.cli.main import run as cli
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store
from netrawat.recap.query import get_run
from netrawat.runlock import run_lock
from netrawat.state import StateDir
from netrawat.web import jobs
from netrawat.web.common import safe_details
from netrawat.web.worker import log_path, run_pending
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab


@pytest.fixture
def web_state(lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StateDir:
    """A state whose host keys of RTR-DINKES are pinned (by a backup, as a first night would)."""
    state = StateDir.resolve(tmp_path / "state")
    for name, value in {
        "NETRAWAT_STATE": str(state.root),
        "NETRAWAT_INVENTORY": str(lab.inventory),
        "NETRAWAT_SECRETS": str(lab.secrets),
    }.items():
        monkeypatch.setenv(name, value)
    assert cli(["backup", "--host", "RTR-DINKES", "--trust-new-hosts"]) == ExitCode.OK
    return state


def test_a_web_health_run_goes_through_the_cli_and_the_recap(web_state: StateDir) -> None:
    store = open_store(web_state)
    try:
        add_user(store, "budi", "engineer", "kopi pagi di tepi Kapuas", by="test")
        known = {"RTR-DINKES": "dinkes", "AP-DINKES-1": "dinkes"}
        spec = jobs.check_spec("health", hosts=["RTR-DINKES"], opd=None, known_hosts=known)
        job = jobs.enqueue(store, spec, "budi")
        assert run_pending(store, web_state) == 1
        done = jobs.get_job(store, job.id)
        assert done is not None and done.status == "done" and done.exit_code == ExitCode.OK
        assert done.run_id and done.run_id.split("-")[1] == "health"
        with store.begin() as conn:
            run = get_run(conn, done.run_id)
        assert run is not None and run.operator == "web:budi" and run.status == "ok"
        assert [h.host for h in run.hosts] == ["RTR-DINKES"]
        assert "RTR-DINKES" in log_path(web_state, job.id).read_text()
    finally:
        store.close()


def test_a_web_backup_meets_the_cli_run_lock(web_state: StateDir) -> None:
    store = open_store(web_state)
    try:
        spec = jobs.check_spec(
            "backup", hosts=["RTR-DINKES"], opd=None, known_hosts={"RTR-DINKES": "dinkes"}
        )
        job = jobs.enqueue(store, spec, "budi")
        with run_lock(web_state, "backup"):  # an engineer's backup is running in a terminal
            run_pending(store, web_state)
        refused = jobs.get_job(store, job.id)
        assert refused is not None and refused.status == "failed"
        assert refused.exit_code == ExitCode.CANNOT_RUN and "lock" in (refused.message or "")
    finally:
        store.close()


def test_a_web_audit_run_goes_through_the_cli_and_the_recap(web_state: StateDir) -> None:
    """The security baseline from the console: `netrawat audit --host ...` run by the worker,
    recorded as the web user; the rehearsal lab keeps factory services, so findings (exit 1)."""
    store = open_store(web_state)
    try:
        known = {"RTR-DINKES": "dinkes", "AP-DINKES-1": "dinkes"}
        spec = jobs.check_spec("audit", hosts=["RTR-DINKES"], opd=None, known_hosts=known)
        assert spec.argv() == ["audit", "--host", "RTR-DINKES"]
        job = jobs.enqueue(store, spec, "budi")
        assert run_pending(store, web_state) == 1
        done = jobs.get_job(store, job.id)
        assert done is not None and done.status == "done", done
        assert done.exit_code == ExitCode.HOSTS_FAILED
        assert done.run_id and done.run_id.split("-")[1] == "audit"
        with store.begin() as conn:
            run = get_run(conn, done.run_id)
        assert run is not None and run.operator == "web:budi"
        (host,) = run.hosts
        assert host.host == "RTR-DINKES" and host.details["audit"] == "findings"
        rules = [f["rule"] for f in host.details["findings"]]
        assert rules and rules[0] in log_path(web_state, job.id).read_text()
        assert safe_details("audit", host.details)["rules"] == rules
    finally:
        store.close()
