"""Last-run snapshots per host (``<state>/health/<host>.json``) for counter growth.

Only a complete interface reading replaces the snapshot: a failed or partial run never
overwrites the baseline the next run compares against.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netrawat.health.model import DeviceFacts

_COUNTERS = ("up", "rx_errors", "tx_errors", "crc_errors", "link_downs")


def snapshot_path(directory: Path, host: str) -> Path:
    """The snapshot file of ``host`` (name made safe for a file system)."""
    return directory / f"{re.sub(r'[^A-Za-z0-9._-]', '_', host)}.json"


def snapshot_of(
    facts: DeviceFacts, previous: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """What the next run needs from this one, or None when interfaces were not read.

    ``seen_up`` sticks: an interface that once had link stays monitored while it is down, so
    a port that dies is reported on every run until it is repaired or listed under
    ``health.interfaces.ignore``. The uplink is remembered the same way.
    """
    interfaces = facts.get("interfaces")
    if not interfaces:
        return None
    before: Mapping[str, Any] = (previous or {}).get("interfaces", {})
    saved: dict[str, dict[str, Any]] = {}
    for name, iface in interfaces.items():
        counters: Mapping[str, Any] = iface
        entry = {k: counters[k] for k in _COUNTERS if k in counters}
        entry["seen_up"] = bool(iface.get("up")) or bool(before.get(name, {}).get("seen_up"))
        saved[name] = entry
    return {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "uptime_seconds": facts.get("uptime_seconds"),
        "uplink": facts.get("uplink") or (previous or {}).get("uplink"),
        "interfaces": saved,
    }


def load_snapshot(directory: Path, host: str) -> dict[str, Any] | None:
    """Last run's snapshot, or None (first run, or an unreadable file: treated as first run)."""
    try:
        data = json.loads(snapshot_path(directory, host).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def save_snapshot(directory: Path, host: str, snapshot: dict[str, Any]) -> None:
    """Write atomically (temp file in the same directory, synced, then renamed), owner-only:
    a reader, or a run killed mid-write, sees the old snapshot or the new one, never half."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = snapshot_path(directory, host)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(snapshot, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
