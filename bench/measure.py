"""Measuring one benchmarked command: wall time, CPU, peak memory, and the lab's CPU meanwhile.

`run_measured` starts the command as a child process, samples the resident memory and thread
count of it and of all its descendants (Ansible forks workers, ``netrawat --processes``
worker processes) every `SAMPLE_SECONDS`, and reaps it with
``wait4`` for the CPU time it and its descendants used. The lab's own CPU time over the same
interval says whether the lab or the client was the busier side.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.2
MB = 1024 * 1024


@dataclass(frozen=True)
class Measured:
    """What one command cost."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    """Largest resident set of any one process of the run (the main one for netrawat)."""
    peak_tree_rss_mb: float
    """Largest sum of resident sets of the process and all its descendants at one moment."""
    lab_cpu_s: float
    returncode: int
    stdout: str
    stderr: str
    peak_threads: int = 0
    """Most threads alive at one moment in the process and all its descendants."""


class _MemorySampler(threading.Thread):
    """Samples a process tree's memory until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak_main = 0
        self.peak_tree = 0
        self.peak_threads = 0
        self.done = threading.Event()

    def _sample(self) -> None:
        try:
            main = self.root.memory_info().rss
            threads = self.root.num_threads()
            children = self.root.children(recursive=True)
        except psutil.Error:
            return
        total = main
        for child in children:
            try:
                total += child.memory_info().rss
                threads += child.num_threads()
            except psutil.Error:
                continue
        self.peak_main = max(self.peak_main, main)
        self.peak_tree = max(self.peak_tree, total)
        self.peak_threads = max(self.peak_threads, threads)

    def run(self) -> None:
        while not self.done.is_set():
            self._sample()
            self.done.wait(SAMPLE_SECONDS)


def lab_cpu(pid: int | None) -> float:
    """CPU seconds the lab process has used so far (0 if unknown)."""
    if pid is None:
        return 0.0
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return float(times.user + times.system)


def run_measured(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    lab_pid: int | None = None,
    timeout_s: float = 3600,
) -> Measured:
    """Run ``argv`` to the end (killed after ``timeout_s``) and say what it cost."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        lab_before = lab_cpu(lab_pid)
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        sampler = _MemorySampler(proc.pid)
        sampler.start()
        timer = threading.Timer(timeout_s, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
        lab_used = lab_cpu(lab_pid) - lab_before
        out.seek(0)
        err.seek(0)
        return Measured(
            wall_s=wall,
            cpu_s=usage.ru_utime + usage.ru_stime,
            peak_rss_mb=max(sampler.peak_main, usage.ru_maxrss * 1024) / MB,
            peak_tree_rss_mb=sampler.peak_tree / MB,
            lab_cpu_s=lab_used,
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            peak_threads=sampler.peak_threads,
        )


def python_command(script: Path, *args: str) -> list[str]:
    """A bench script run with the project's interpreter."""
    return [sys.executable, str(script), *args]


__all__ = ["Measured", "python_command", "run_measured"]
