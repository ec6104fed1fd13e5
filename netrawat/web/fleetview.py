"""What the console and the API show about the fleet: the inventory joined with the recap's
latest state, the config history of a device (git), and search across the latest backups.

Only the sanitized config repository (``<state>/configs``) is ever read; the unsanitized
copies in ``<state>/private`` are not. Every config text is scanned once more for secrets
before it leaves (`netrawat.configs.secretscan`): a hit is masked, never shown.
"""

from __future__ import annotations

import re
import subprocess
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from netrawat.configs.repo import BRANCH, ConfigRepo, backup_path
from netrawat.configs.secretscan import scan
from netrawat.errors import InputError
from netrawat.inventory.filters import host_opd
from netrawat.inventory.model import load_inventory
from netrawat.platforms import profile_for
from netrawat.web.latest import HostState, LatestState

_SHA = re.compile(r"^[0-9a-f]{7,40}$")
MAX_PATTERN = 200
MAX_HITS_PER_DEVICE = 50
MASK = "<hidden by netrawat>"


@dataclass(frozen=True)
class Device:
    """A device of the inventory."""

    name: str
    opd: str
    role: str
    platform: str
    path: str
    """Its backup's path in the config repository."""


class InventoryView:
    """The inventory, re-read when one of its files changes."""

    FILES = ("hosts.yaml", "groups.yaml", "defaults.yaml")

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._stamp: tuple[float, ...] = ()
        self._devices: dict[str, Device] = {}
        self._lock = threading.Lock()

    def _current_stamp(self) -> tuple[float, ...]:
        stamps = []
        for name in self.FILES:
            path = self.directory / name
            stamps.append(path.stat().st_mtime if path.exists() else 0.0)
        return tuple(stamps)

    def devices(self) -> dict[str, Device]:
        """Every device by name (sorted by OPD, then name)."""
        stamp = self._current_stamp()
        with self._lock:
            if stamp != self._stamp:
                inventory = load_inventory(self.directory)
                found = []
                for host in inventory.hosts.values():
                    opd = host_opd(host)
                    ext = profile_for(str(host.platform)).config_extension
                    found.append(
                        Device(
                            name=host.name,
                            opd=opd,
                            role=str(host.get("role") or "-"),
                            platform=str(host.platform),
                            path=backup_path(opd, host.name, ext),
                        )
                    )
                found.sort(key=lambda d: (d.opd, d.name))
                self._devices = {d.name: d for d in found}
                self._stamp = stamp
            return self._devices


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def device_json(device: Device, state: HostState | None) -> dict[str, Any]:
    """One row of ``GET /api/v1/devices`` (and of the dashboard)."""
    health = state.health if state else None
    return {
        "name": device.name,
        "opd": device.opd,
        "role": device.role,
        "platform": device.platform,
        "grade": health.grade if health else None,
        "failed_checks": sorted(health.failed) if health else [],
        "not_checked": list(health.not_checked) if health else [],
        "health_state": health.state if health else None,
        "verdict": health.verdict if health else None,
        "escalate": bool(health and health.escalate),
        "checked_at": _iso(health.at) if health else None,
        "last_backup_at": _iso(state.backup_at) if state else None,
        "last_backup_outcome": state.backup_outcome if state else None,
        "last_backup_commit": state.backup_commit if state else None,
        "last_backup_commit_at": _iso(state.backup_commit_at) if state else None,
        "drift": state.drift if state else None,
        "drift_checked_at": _iso(state.drift_at) if state else None,
        "baseline": state.baseline if state else None,
        "baseline_grade": state.baseline_grade if state else None,
        "baseline_findings": list(state.baseline_findings) if state else [],
        "baseline_checked_at": _iso(state.baseline_at) if state else None,
        "drill": state.drill if state else None,
        "drill_at": _iso(state.drill_at) if state else None,
    }


def fleet_rows(inventory: InventoryView, latest: LatestState) -> list[dict[str, Any]]:
    """Every device with its latest state."""
    states = latest.refresh()
    return [device_json(d, states.get(d.name)) for d in inventory.devices().values()]


@dataclass(frozen=True)
class Commit:
    """One commit that changed a device's backup."""

    sha: str
    at: datetime
    message: str


def check_sha(value: str) -> str:
    """A commit id (7-40 lowercase hex digits)."""
    if not _SHA.match(value):
        raise InputError(f"invalid commit id {value!r}", "use 7-40 hexadecimal digits")
    return value


class ConfigHistory:
    """Read-only views of the config repository. The commits of every path are indexed once
    per branch head (one ``git log`` over the whole history), so a device page does not walk
    the history again."""

    def __init__(self, root: Path) -> None:
        self.repo = ConfigRepo(root)
        self._indexed: str | None = None
        self._by_path: dict[str, list[Commit]] = {}
        self._lock = threading.Lock()

    def head(self) -> str | None:
        """The branch's commit (read from its loose ref when there is one: no process)."""
        ref = self.repo.root / ".git" / "refs" / "heads" / BRANCH
        try:
            return ref.read_text(encoding="ascii").strip() or None
        except OSError:
            return self.repo.head() if (self.repo.root / ".git").exists() else None

    def _index(self) -> dict[str, list[Commit]]:
        head = self.head()
        with self._lock:
            if head != self._indexed:
                by_path: dict[str, list[Commit]] = {}
                out = self._git("log", "--format=%x1e%H%x1f%cI%x1f%s", "--name-only", BRANCH)
                for block in (out or "").split("\x1e")[1:]:
                    first, _, names = block.partition("\n")
                    sha, when, message = first.split("\x1f", 2)
                    commit = Commit(sha, datetime.fromisoformat(when).astimezone(UTC), message)
                    for name in names.split():
                        by_path.setdefault(name, []).append(commit)
                self._by_path, self._indexed = by_path, head
            return self._by_path

    def _git(self, *args: str) -> str | None:
        if not (self.repo.root / ".git").exists():
            return None
        proc = subprocess.run(
            ["git", "-C", str(self.repo.root), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.stdout if proc.returncode == 0 else None

    def commits(self, path: str, limit: int = 400) -> list[Commit]:
        """Commits that changed ``path``, newest first."""
        return self._index().get(path, [])[:limit]

    def text(self, path: str, commit: str, platform: str) -> str | None:
        """The stored text of ``path`` at ``commit`` (secret-scanned), or None."""
        out = self._git("show", f"{check_sha(commit)}:{path}")
        return None if out is None else mask_secrets(out, platform)

    def full_sha(self, commit: str) -> str | None:
        out = self._git("rev-parse", "--verify", "--quiet", f"{check_sha(commit)}^{{commit}}")
        return out.strip() if out else None

    def diff(self, path: str, old: str, new: str, platform: str) -> str | None:
        """The unified diff of ``path`` between two commits (secret-scanned)."""
        out = self._git("diff", "--no-color", check_sha(old), check_sha(new), "--", path)
        return None if out is None else mask_secrets(out, platform)

    def latest_files(self) -> dict[str, str]:
        """Every file on the branch: path -> text (one ``git cat-file --batch`` for all)."""
        if self.head() is None:
            return {}
        names = [n for n in (self._git("ls-tree", "-r", "--name-only", BRANCH) or "").splitlines()]
        if not names:
            return {}
        proc = subprocess.run(
            ["git", "-C", str(self.repo.root), "cat-file", "--batch"],
            input="".join(f"{BRANCH}:{n}\n" for n in names).encode(),
            capture_output=True,
            check=False,
        )
        found, out, at = {}, proc.stdout, 0
        for name in names:
            end = out.index(b"\n", at)
            header = out[at:end].split()
            at = end + 1
            if len(header) < 3 or header[1] != b"blob":
                continue
            size = int(header[2])
            found[name] = out[at : at + size].decode("utf-8", errors="replace")
            at += size + 1
        return found


def mask_secrets(text: str, platform: str) -> str:
    """``text`` with any line the secret scan flags replaced (belt and braces: the backup
    already refused to commit such a line)."""
    findings = scan(text, platform)
    if not findings:
        return text
    bad = {f.line for f in findings}
    lines = text.splitlines(keepends=True)
    return "".join(MASK + "\n" if i + 1 in bad else line for i, line in enumerate(lines))


@dataclass(frozen=True)
class SearchHit:
    """Lines of one device's latest backup that match."""

    device: str
    opd: str
    lines: tuple[tuple[int, str], ...]


def compile_query(query: str, regex: bool) -> re.Pattern[str]:
    """The search pattern: plain text (case-insensitive) or a regular expression."""
    if not query or len(query) > MAX_PATTERN:
        raise InputError("search text empty or too long", f"use 1-{MAX_PATTERN} characters")
    try:
        return re.compile(query if regex else re.escape(query), re.IGNORECASE)
    except re.error as exc:
        raise InputError(f"invalid regular expression: {exc}", "check the pattern") from exc


def search(
    history: ConfigHistory, devices: dict[str, Device], pattern: re.Pattern[str]
) -> list[SearchHit]:
    """Matching lines per device across the latest backups."""
    by_path = {d.path: d for d in devices.values()}
    hits = []
    for path, text in sorted(history.latest_files().items()):
        device = by_path.get(path)
        if device is None:
            continue
        clean = mask_secrets(text, device.platform)
        found = [(n, line) for n, line in enumerate(clean.splitlines(), 1) if pattern.search(line)][
            :MAX_HITS_PER_DEVICE
        ]
        if found:
            hits.append(SearchHit(device.name, device.opd, tuple(found)))
    return hits
