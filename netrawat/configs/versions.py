"""What OS release each host ran at its last good backup: ``<state>/versions.json``.

A small store any playbook can read and write (the backup keeps it; an upgrade guard can
compare a host's release now with the one remembered here)::

    store = VersionStore.load(state.versions)
    store.major("RTR-DINKES")             # 7, or None when never seen
    store.remember("RTR-DINKES", "7.16.1")
    store.save()

The backup uses it to skip the RouterOS version query (``/system resource print``) that
picks the export flag: only a host's first backup, or one whose export was refused or whose
export header names another major release, asks the device again. The file is a cache: a
missing or unreadable one is an empty store (every host is asked once more), never an error.
It is written atomically (temporary file, then rename), mode 0600.

The file::

    {"RTR-DINKES": {"version": "7.16.1", "seen": "2026-12-01T22:50:03Z"}, ...}
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from netrawat.state import write_owner_only

log = logging.getLogger(__name__)

_MAJOR = re.compile(r"^\s*(\d+)\.")


def major_of(version: str) -> int | None:
    """The major release of a version string.

    >>> major_of("7.16.1"), major_of("6.48.6 (long-term)"), major_of("15.9(3)M7"), major_of("")
    (7, 6, 15, None)
    """
    match = _MAJOR.match(version)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class KnownVersion:
    """A host's release as last seen, and when (UTC, ISO 8601)."""

    version: str
    seen: str

    @property
    def major(self) -> int | None:
        return major_of(self.version)


class VersionStore:
    """Host name -> `KnownVersion`, loaded from and saved to one JSON file."""

    def __init__(self, path: Path, known: dict[str, KnownVersion] | None = None) -> None:
        self.path = path
        self.known: dict[str, KnownVersion] = dict(known or {})

    @classmethod
    def load(cls, path: Path) -> VersionStore:
        """The store in ``path``; empty when the file is missing or unreadable (logged)."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as exc:
            log.warning("%s unreadable (%s): every host's version is asked again", path, exc)
            return cls(path)
        known = {}
        for host, entry in raw.items() if isinstance(raw, dict) else ():
            if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                known[str(host)] = KnownVersion(entry["version"], str(entry.get("seen", "")))
        return cls(path, known)

    def get(self, host: str) -> KnownVersion | None:
        return self.known.get(host)

    def major(self, host: str) -> int | None:
        """The major release remembered for ``host``, or None."""
        entry = self.known.get(host)
        return entry.major if entry else None

    def majors(self, hosts: list[str] | None = None) -> dict[str, int]:
        """Host -> remembered major release (of ``hosts`` only, when given)."""
        names = self.known if hosts is None else [h for h in hosts if h in self.known]
        return {h: m for h in names if (m := self.major(h)) is not None}

    def remember(self, host: str, version: str, when: datetime | None = None) -> bool:
        """Record ``host``'s release; True if it differs from the one remembered before."""
        previous = self.known.get(host)
        stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.known[host] = KnownVersion(version, stamp)
        return previous is not None and previous.version != version

    def forget(self, host: str) -> None:
        """Drop ``host`` (its next run asks the device again)."""
        self.known.pop(host, None)

    def save(self) -> None:
        """Write the store atomically, owner-only (`netrawat.state.write_owner_only`)."""
        data = {h: {"version": k.version, "seen": k.seen} for h, k in sorted(self.known.items())}
        write_owner_only(self.path, json.dumps(data, indent=1) + "\n")
