"""Ctrl-C on a run whose device hangs: the run ends at once (its sessions cut, the hosts not
started skipped) instead of waiting for the device's read timeout; what was done is kept."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from helpers import inventory_copy

from netrawat.configs.repo import ConfigRepo
from netrawat.exitcodes import ExitCode
from netrawat.recap import open_store, schema
from netrawat.recap.query import RunEntry, get_run
from netrawat.state import StateDir
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

READ_TIMEOUT = 120
"""The hung device's read timeout: a run that waited for it would take two minutes."""


def _last_backup(state: StateDir) -> RunEntry | None:
    """The newest backup run in the recap, read the way a report does."""
    store = open_store(state)
    try:
        with store.begin() as conn:
            query = sa.select(schema.runs.c.run_id).where(schema.runs.c.playbook == "backup")
            runs = [r.run_id for r in conn.execute(query.order_by(schema.runs.c.started_at))]
            return get_run(conn, runs[-1]) if runs else None
    finally:
        store.close()


def _recorded_hosts(state: StateDir) -> dict[str, str]:
    entry = _last_backup(state)
    return {h.host: h.outcome for h in entry.hosts} if entry else {}


def test_ctrl_c_cuts_a_hung_session_instead_of_waiting_for_its_read_timeout(
    clean_lab: Lab, state: StateDir, tmp_path: Path
) -> None:
    lab = clean_lab
    inventory = inventory_copy(lab, tmp_path / "inventory", READ_TIMEOUT)
    argv = [sys.executable, "-m", "netrawat", "backup", "--trust-new-hosts"]
    argv += ["--inventory", str(inventory), "--state", str(state.root)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with lab.faulted("CR-DINKES", "hang"):  # its running-config stops part-way
        proc = subprocess.Popen(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        try:
            deadline = time.monotonic() + 60
            done: dict[str, str] = {}
            while time.monotonic() < deadline and len(done) < len(lab.specs) - 1:
                time.sleep(0.3)
                if state.recap_db.exists():
                    done = _recorded_hosts(state)
            assert len(done) == len(lab.specs) - 1, done  # only the hung one is left
            interrupted_at = time.monotonic()
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=READ_TIMEOUT + 30)
            took = time.monotonic() - interrupted_at
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert took < READ_TIMEOUT / 4, f"Ctrl-C took {took:.1f} s: it waited for the device"
    lines = err.strip().splitlines()
    assert lines[-1].startswith("interrupted (Ctrl-C)") and "Traceback" not in err, err
    assert _recorded_hosts(state) == done  # the hosts done are kept; the cut one is not
    entry = _last_backup(state)
    assert entry is not None and entry.status == "interrupted"
    holder = (state.locks / "backup.lock").read_text()
    assert holder == "" or json.loads(holder)["pid"] != proc.pid  # the lock was released


def test_ctrl_c_lets_a_repair_being_applied_finish_its_step(
    clean_lab: Lab, state: StateDir, tmp_path: Path
) -> None:
    """A repair with --apply is not cut: the host mid-change ends its step (push, re-read,
    checks) and is recorded; only then does the command exit 130."""
    lab, host = clean_lab, "RTR-DISDIKBUD"
    inventory = inventory_copy(lab, tmp_path / "inventory", 30)
    argv = [sys.executable, "-m", "netrawat", "repair", "restore_dns", "--host", host]
    argv += ["--apply", "--request", "045/112/Diskes/XI/2026", "--open", "--trust-new-hosts"]
    argv += ["--inventory", str(inventory), "--state", str(state.root)]
    lab.fault(host, "wrong-dns")
    lab.history(host, reset=True)
    with lab.faulted(host, "slow", "40"):
        proc = subprocess.Popen(
            argv, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not any(
                "/ip dns set" in line for line in lab.history(host)
            ):
                time.sleep(0.05)
            sent = lab.history(host)
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert any("/ip dns set" in line for line in sent), sent
    assert proc.returncode == ExitCode.INTERRUPTED, err
    store = open_store(state)
    try:
        with store.begin() as conn:
            query = sa.select(schema.runs.c.run_id).where(schema.runs.c.playbook == "repair")
            entry = get_run(conn, conn.execute(query).scalars().one())
    finally:
        store.close()
    assert entry is not None and entry.status == "interrupted"
    assert [(h.host, h.outcome) for h in entry.hosts] == [(host, "changed")], entry.hosts
    after = lab.history(host)
    pushed = max(i for i, line in enumerate(after) if "/ip dns set" in line)
    assert any(line.startswith("/export") for line in after[pushed:]), after  # re-read after


def test_ctrl_c_after_the_commit_keeps_it_in_the_recap(
    lab: Lab, state: StateDir, tmp_path: Path
) -> None:
    """Ctrl-C while the backup pushes its commit (a remote that never answers): the run
    reads interrupted, the lock is free, and its changed hosts name the commit that holds
    them (the next run sees them unchanged: it would never be recorded, before)."""
    inventory = inventory_copy(lab, tmp_path / "inventory", 20)
    silent = socket.create_server(("127.0.0.1", 0))  # a git daemon that never answers
    silent.settimeout(60)
    remote = f"git://127.0.0.1:{silent.getsockname()[1]}/configs.git"
    argv = [sys.executable, "-m", "netrawat", "backup", "--trust-new-hosts", "--push", remote]
    argv += ["--inventory", str(inventory), "--state", str(state.root)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        pushing, _ = silent.accept()  # the commit is made, the push has started
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        pushing.close()
    finally:
        silent.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert "Traceback" not in err, err
    head = ConfigRepo(state.configs).head()
    entry = _last_backup(state)
    assert head is not None and entry is not None and entry.status == "interrupted"
    assert entry.hosts and {h.commit for h in entry.hosts if h.outcome == "changed"} == {head}
    holder = (state.locks / "backup.lock").read_text()
    assert holder == "" or json.loads(holder)["pid"] != proc.pid  # the lock was released
