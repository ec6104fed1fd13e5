"""A session lives only as long as its host's work: threads stay bounded by the workers.

A backup of a large lab with many workers, in-process, while a thread samples
``threading.active_count()``: every finished host's session (a paramiko transport thread) is
closed at once by `netrawat.processors.sessions.SessionCloser`, so the process never holds
much more than a runner thread and a transport thread per worker, whatever the fleet size.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import fleet_args, inventory_copy, run_json

from netrawat.exitcodes import ExitCode
from netrawat_lab.fleet import LabCredentials, Layout, generate_fleet
from netrawat_lab.handle import Lab

pytestmark = pytest.mark.lab

DEVICES = 200
WORKERS = 40
PER_WORKER = 3
"""A worker thread holds at most one session: its paramiko transport thread and, while the
key exchange runs, paramiko's handshake timer thread."""
SLACK = 15
"""Main, the sampler, transport threads winding down after their close (up to 0.1 s)."""


def kinds() -> dict[str, int]:
    """Live threads by kind (class and name without numbers), for the failure message."""
    return dict(
        Counter(
            f"{type(t).__name__}:{re.sub(r'[0-9]+', 'N', t.name)}" for t in threading.enumerate()
        )
    )


@dataclass
class Peak:
    """The most threads seen at once, and which they were."""

    count: int
    kinds: dict[str, int] = field(default_factory=dict)


@contextmanager
def thread_peak() -> Iterator[Peak]:
    """Sample the process's thread count every 20 ms while the block runs."""
    peak = Peak(threading.active_count())
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            count = threading.active_count()
            if count > peak.count:
                peak.count, peak.kinds = count, kinds()

    sampler = threading.Thread(target=sample, name="thread-sampler", daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()


def test_threads_stay_bounded_by_the_workers_on_a_large_fleet(
    private_lab: Callable[..., Lab], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lab = private_lab(generate_fleet(DEVICES, Layout(2, LabCredentials.generate())))
    inventory = inventory_copy(lab, tmp_path / "inventory", 20)
    args = ("backup", *fleet_args(inventory, tmp_path / "state"), "--workers", str(WORKERS))
    before = threading.active_count()
    with thread_peak() as peak:
        code, report, err = run_json(capsys, *args)
    assert code == ExitCode.OK, (report.get("counts"), err[-2000:])
    assert report["counts"]["changed"] == DEVICES
    # Keeping every finished host's session would hold ~DEVICES transport threads.
    assert peak.count <= before + PER_WORKER * WORKERS + SLACK, peak
    assert threading.active_count() <= before + SLACK  # nothing left over after the run
