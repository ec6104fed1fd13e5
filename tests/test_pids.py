"""One liveness probe for pids (run lock holders, unfinished recap runs, web worker jobs)."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys

import netrawat.pids
from netrawat.pids import pid_alive


def test_docstring_examples() -> None:
    result = doctest.testmod(netrawat.pids)
    assert result.attempted > 0 and result.failed == 0


def test_a_process_is_alive_until_it_is_reaped() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                             stdin=subprocess.PIPE)  # fmt: skip
    try:
        assert pid_alive(child.pid)
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait()
    assert not pid_alive(child.pid)


def test_own_pid_and_other_users_processes_are_alive_no_pid_is_not() -> None:
    assert pid_alive(os.getpid())
    assert pid_alive(1)  # init: alive whether or not we may signal it (PermissionError)
    assert not pid_alive(None) and not pid_alive(0) and not pid_alive(-1)
