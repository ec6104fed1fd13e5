"""One run at a time: a lock file in ``<state>/locks`` holding the owner's pid and start time.

Usage in a playbook::

    with run_lock(state, "backup"):
        ...  # a second run on the same state directory gets LockHeldError (exit code 3)

The lock is an ``flock`` on ``<state>/locks/<name>.lock``: the kernel releases it when the
owner dies, even on ``kill -9``, so a stale lock (file left behind by a dead process) is
recovered automatically by the next run, which reports it in `RunLock.recovered_from`.
The file names the holder (pid, host, start time, command) so the refusal message can say
who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from netrawat.errors import InputError, LockHeldError
from netrawat.state import StateDir

_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")


@dataclass(frozen=True)
class RunLock:
    """A held lock. ``recovered_from`` describes a stale holder found in the file, if any."""

    path: str
    fd: int
    recovered_from: dict[str, Any] | None


def _holder(fd: int) -> dict[str, Any] | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 4096)
    try:
        data = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {"unreadable": True}
    return data if isinstance(data, dict) else None


def _describe(holder: dict[str, Any] | None) -> str:
    if not holder or "pid" not in holder:
        return "another netrawat process"
    return (
        f"pid {holder['pid']} on {holder.get('host', '?')} since {holder.get('started', '?')}"
        f" ({holder.get('command', '?')})"
    )


def _write_owner(fd: int) -> None:
    owner = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(sys.argv[:1] + sys.argv[1:4])[:200],
    }
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(owner).encode("utf-8"))
    os.fsync(fd)


def acquire(state: StateDir, name: str) -> RunLock:
    """Take the named lock or raise `LockHeldError` naming the holder."""
    if not _NAME.match(name):
        raise InputError(f"invalid lock name {name!r}", "use lowercase letters, digits, - or _")
    state.locks.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = state.locks / f"{name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(fd)
        os.close(fd)
        raise LockHeldError(
            f"another {name} run holds the lock: {_describe(holder)}",
            f"wait for it to finish; the lock is {path} and frees itself when that process ends",
        ) from None
    stale = _holder(fd)
    _write_owner(fd)
    return RunLock(str(path), fd, stale)


def release(lock: RunLock) -> None:
    """Give the lock up: empty the file (no stale holder left) and unlock."""
    with suppress(OSError):
        os.ftruncate(lock.fd, 0)
    with suppress(OSError):
        fcntl.flock(lock.fd, fcntl.LOCK_UN)
    os.close(lock.fd)


@contextmanager
def run_lock(state: StateDir, name: str) -> Iterator[RunLock]:
    """Hold the named lock for the duration of the block."""
    lock = acquire(state, name)
    try:
        yield lock
    finally:
        release(lock)
