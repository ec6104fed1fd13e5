"""Two runs at once on one state directory: the state files health and audit keep between runs
are never torn (atomic writes), and a second overlapping health/audit run is refused with the
holder named (exit 3), as a second backup is; the first run finishes untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import fleet_args, run_json

from netrawat.audit.model import DeviceAudit
from netrawat.audit.store import previous_findings, save_findings
from netrawat.exitcodes import ExitCode
from netrawat.health.store import load_snapshot, save_snapshot, snapshot_path
from netrawat_lab.handle import Lab

HOST = "RTR-DISDIKBUD"


def _wait_for_holder(lock: Path, proc: subprocess.Popen[bytes], seconds: float = 20) -> None:
    """Until ``proc`` has written itself into the lock file (it holds the lock)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the first run ended before it took the lock"
        try:
            if json.loads(lock.read_text() or "{}").get("pid") == proc.pid:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    raise AssertionError(f"{lock} never named pid {proc.pid}")


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


@pytest.mark.lab
@pytest.mark.parametrize("playbook", ["health", "audit"])
def test_a_second_overlapping_run_is_refused_and_the_first_writes_whole_files(
    lab: Lab, tmp_path: Path, capsys: pytest.CaptureFixture[str], playbook: str
) -> None:
    state = tmp_path / "state"
    args = (playbook, "--secrets", str(lab.secrets), *fleet_args(lab.inventory, state))
    args += ("--host", HOST)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with lab.faulted(HOST, "slow", "15"):  # the first run holds the lock for a while
        first = subprocess.Popen(
            [sys.executable, "-m", "netrawat", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_holder(state / "locks" / f"{playbook}.lock", first)
            code, _, err = run_json(capsys, *args)
            out, _ = first.communicate(timeout=120)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
    assert code == ExitCode.CANNOT_RUN, err
    assert f"another {playbook} run holds the lock: pid {first.pid}" in err
    assert "hint:" in err and "Traceback" not in err
    assert first.returncode in (ExitCode.OK, ExitCode.HOSTS_FAILED)
    report: dict[str, Any] = json.loads(out)
    kept = state / ("health" if playbook == "health" else "audit")
    assert json.loads((kept / f"{HOST}.json").read_text())  # whole JSON, from the first run
    assert _leftovers(kept) == []
    assert report  # the first run's own report, complete
    assert (state / "locks" / f"{playbook}.lock").read_text() == ""  # released: names no one


def test_snapshots_written_by_many_threads_are_never_torn(tmp_path: Path) -> None:
    """Writers racing on one host's snapshot while a reader reads: every read parses and is
    one writer's whole snapshot; no temporary file is left."""
    directory = tmp_path / "health"
    big = {f"ether{i}": {"rx_errors": i, "seen_up": True} for i in range(400)}
    torn: list[str] = []
    stop = threading.Event()

    def write(n: int) -> None:
        for k in range(30):
            save_snapshot(directory, HOST, {"writer": n, "k": k, "interfaces": big})

    def read() -> None:
        while not stop.is_set():
            path = snapshot_path(directory, HOST)
            if not path.exists():
                continue
            try:
                data = json.loads(path.read_text())
            except ValueError as exc:
                torn.append(str(exc))
                continue
            if data.get("interfaces") != big:
                torn.append("incomplete snapshot")

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()
    assert torn == []
    assert (load_snapshot(directory, HOST) or {}).get("k") == 29
    assert _leftovers(directory) == []


def test_audit_findings_written_by_many_threads_are_never_torn(tmp_path: Path) -> None:
    torn: list[str] = []
    stop = threading.Event()
    audit = DeviceAudit(HOST, "dinkes", "mikrotik_routeros")

    def write() -> None:
        for k in range(40):
            save_findings(tmp_path, audit, f"run-{k}")

    def read() -> None:
        path = tmp_path / "audit" / f"{HOST}.json"
        while not stop.is_set():
            if path.exists() and previous_findings(tmp_path, HOST) is None:
                torn.append(path.read_text())

    reader = threading.Thread(target=read)
    reader.start()
    writers = [threading.Thread(target=write) for _ in range(4)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join()
    assert torn == []
    assert previous_findings(tmp_path, HOST) == frozenset()
    assert _leftovers(tmp_path / "audit") == []
