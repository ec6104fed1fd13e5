"""The fault suite's tools (issue 15): run netrawat as a real process, kill it with SIGKILL at a
random moment, and check that nothing good was lost.

`Invariants.check` is what every fault must leave true: the config repository (and the private
one) passes ``git fsck --full --strict``; its branch is on the commit from before the fault or
a descendant of it; every backup stored before is still stored and readable; the recap database
passes SQLite's integrity check and its runs can be read.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def netrawat(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m netrawat ARGS`` to the end: exit code, stdout, stderr."""
    return subprocess.run(
        [sys.executable, "-m", "netrawat", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=timeout,
        check=False,
    )


def kill_at_random(args: list[str], longest: float, rng: random.Random) -> bool:
    """Start ``netrawat ARGS``, SIGKILL it after a random time up to ``longest`` seconds;
    True if it was killed while running (False: it had already finished)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "netrawat", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    time.sleep(rng.uniform(0.05, longest))
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return alive


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )


def stored(repo: Path) -> dict[str, str]:
    """Every file on the repository's branch, read from git objects (not the working tree)."""
    if git(repo, "rev-parse", "--verify", "--quiet", "refs/heads/main").returncode:
        return {}
    names = git(repo, "ls-tree", "-r", "--name-only", "main").stdout.split()
    return {n: git(repo, "show", f"main:{n}").stdout for n in names}


def head(repo: Path) -> str | None:
    found = git(repo, "rev-parse", "--verify", "--quiet", "refs/heads/main")
    return found.stdout.strip() or None


def one_line(stderr: str) -> bool:
    """No traceback, and every error is one line."""
    return "Traceback" not in stderr and "--- Logging error ---" not in stderr


@dataclass
class Invariants:
    """What a state directory held before a fault, to compare with after it."""

    state: Path
    heads: dict[str, str | None] = field(default_factory=dict)
    files: dict[str, dict[str, str]] = field(default_factory=dict)

    def snapshot(self) -> None:
        for name in ("configs", "private"):
            repo = self.state / name
            self.heads[name] = head(repo) if (repo / ".git").is_dir() else None
            self.files[name] = stored(repo) if (repo / ".git").is_dir() else {}

    def check(self) -> None:
        """Assert nothing good was lost (see module docstring); then take a new snapshot."""
        for name, before in self.files.items():
            repo = self.state / name
            if not (repo / ".git").is_dir():
                assert not before, f"{name}: repository gone"
                continue
            fsck = git(repo, "fsck", "--full", "--strict", "--no-progress")
            assert fsck.returncode == 0, f"{name}: git fsck: {fsck.stderr or fsck.stdout}"
            now = head(repo)
            old = self.heads[name]
            if old is not None:
                assert now is not None, f"{name}: branch lost"
                ancestor = git(repo, "merge-base", "--is-ancestor", old, now)
                assert ancestor.returncode == 0, f"{name}: branch left {old} for {now}"
            after = stored(repo)
            lost = sorted(set(before) - set(after))
            assert not lost, f"{name}: backups lost: {lost}"
            assert all(after[p] for p in before), f"{name}: an emptied backup"
        db = self.state / "recap.sqlite"
        if db.exists():
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                conn.execute("SELECT count(*) FROM runs").fetchone()
        self.snapshot()
