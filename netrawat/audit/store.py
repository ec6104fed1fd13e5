"""The finding ids of each host's last audit (``<state>/audit/<host>.json``), so a run can tell
which findings are new since the previous one (the preventive notification names only those)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from netrawat.audit.model import DeviceAudit
from netrawat.state import write_owner_only

DIRECTORY = "audit"


def _path(root: Path, host: str) -> Path:
    return root / DIRECTORY / f"{host}.json"


def previous_findings(root: Path, host: str) -> frozenset[str] | None:
    """The finding ids of the host's last audit (None: never audited, or unreadable)."""
    try:
        data = json.loads(_path(root, host).read_text(encoding="utf-8"))
        return frozenset(str(i) for i in data["findings"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_findings(root: Path, audit: DeviceAudit, run_id: str | None) -> None:
    """Remember this audit's findings (not when the device could not be audited)."""
    if audit.error is not None:
        return
    path = _path(root, audit.host)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = {
        "host": audit.host,
        "run_id": run_id,
        "at": datetime.now(UTC).isoformat(),
        "findings": [r.rule.id for r in audit.findings],
    }
    write_owner_only(path, json.dumps(data, indent=2))
