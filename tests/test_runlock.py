"""The run lock: a second run is refused with a clear message; a dead holder's lock is reused."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from netrawat.errors import LockHeldError
from netrawat.exitcodes import ExitCode
from netrawat.runlock import acquire, release, run_lock
from netrawat.state import StateDir

HOLDER = """
import sys, time
from pathlib import Path
from netrawat.runlock import acquire
from netrawat.state import StateDir
acquire(StateDir.resolve(Path(sys.argv[1])), "backup")
print("held", flush=True)
time.sleep(60)
"""


def _holder(state: StateDir) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(state.root)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_run_is_refused_while_the_first_lives(state: StateDir) -> None:
    proc = _holder(state)
    try:
        with pytest.raises(LockHeldError) as info:
            acquire(state, "backup")
        assert info.value.exit_code == ExitCode.CANNOT_RUN
        assert f"pid {proc.pid}" in info.value.one_line()
        assert "hint:" in info.value.one_line()
    finally:
        proc.kill()
        proc.wait()


def test_lock_of_a_killed_process_is_recovered(state: StateDir) -> None:
    proc = _holder(state)
    proc.kill()  # SIGKILL: no cleanup ran, the file still names the dead holder
    proc.wait()
    assert json.loads((state.locks / "backup.lock").read_text())["pid"] == proc.pid
    lock = acquire(state, "backup")
    try:
        assert lock.recovered_from is not None
        assert lock.recovered_from["pid"] == proc.pid
    finally:
        release(lock)


def test_released_lock_is_free_and_names_no_one(state: StateDir) -> None:
    with run_lock(state, "backup") as lock:
        assert lock.recovered_from is None
        with pytest.raises(LockHeldError):  # also refused inside the same process
            acquire(state, "backup")
    assert (state.locks / "backup.lock").read_text() == ""
    with run_lock(state, "backup") as again:
        assert again.recovered_from is None
    with run_lock(state, "health"), run_lock(state, "backup"):
        pass  # different names do not block each other
