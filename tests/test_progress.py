"""The progress bar processor: drawn on a terminal, silent otherwise (cron), counts failures."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import fleet_spec
from inventory_factory import base_hosts, write_inventory
from nornir.core import Nornir
from nornir.core.task import Result, Task
from rich.console import Console

from netrawat.fleet import load_selection
from netrawat.processors.progress import ProgressProcessor


def _fleet(tmp_path: Path, count: int) -> Nornir:
    template = base_hosts()["AP-DINKES-01"]
    hosts = {
        f"AP-DINKES-{i:02d}": {**template, "port": 20000 + i, "data": {"role": "ap"}}
        for i in range(count)
    }
    inventory = write_inventory(tmp_path / "inv", hosts=hosts)
    nornir, _ = load_selection(fleet_spec(inventory=inventory), tmp_path / "known_hosts")
    return nornir


def _check(task: Task) -> Result:
    if task.host.name.endswith("03"):
        raise RuntimeError("unreachable")
    return Result(host=task.host, result="ok")


def test_bar_on_a_terminal_counts_hosts_and_failures(tmp_path: Path) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    nornir = _fleet(tmp_path, 6).with_processors([ProgressProcessor(console)])
    result = nornir.run(task=_check, name="health")
    assert result.failed_hosts.keys() == {"AP-DINKES-03"}
    text = out.getvalue()
    assert "health" in text and "6/6" in text and "1 failed" in text


def test_silent_without_a_terminal(tmp_path: Path) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=False)
    nornir = _fleet(tmp_path, 6).with_processors([ProgressProcessor(console)])
    nornir.run(task=_check)
    assert out.getvalue() == ""


def test_silent_on_small_runs(tmp_path: Path) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True)
    nornir = _fleet(tmp_path, 2).with_processors([ProgressProcessor(console)])
    nornir.run(task=_check)
    assert out.getvalue() == ""


def test_no_bar_for_closing_the_sessions(tmp_path: Path) -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    nornir = _fleet(tmp_path, 6).with_processors([ProgressProcessor(console)])
    nornir.close_connections(on_good=True, on_failed=True)
    assert "close_connections" not in out.getvalue() and "6/6" not in out.getvalue()


PLAIN_STDERR_PROBE = """
import json, os, sys
from netrawat.processors.progress import ProgressProcessor
bar = ProgressProcessor()
enabled = bar.enabled
print(json.dumps([enabled, "rich" in sys.modules, bar.console.is_terminal]))
"""


def test_a_default_bar_asks_rich_only_when_stderr_may_be_a_terminal() -> None:
    """stderr piped (cron, a log): no bar and rich not even loaded; FORCE_COLOR or TTY_COMPATIBLE
    set: rich's console decides, as before (it says "terminal")."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    for extra, expected in [
        ({}, [False, False, False]),
        ({"FORCE_COLOR": "1"}, [True, True, True]),
    ]:
        done = subprocess.run(
            [sys.executable, "-c", PLAIN_STDERR_PROBE],
            env=env | extra,
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(done.stdout) == expected, extra
