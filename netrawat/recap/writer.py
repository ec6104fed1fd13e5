"""What a `netrawat.recap.recorder.Run` needs from its database: two kinds of insert.

Two writers fulfil it: `netrawat.recap.store.RecapStore` (SQLAlchemy: any backend, creates
and migrates the schema) and `netrawat.recap.sqlite_writer.SqliteWriter` (the standard
library's sqlite3 on an existing SQLite recap at the current revision: no SQLAlchemy import,
about 0.2 s less per run). Both store the very same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class RunRequest:
    """The request a run works on: it must be open; ``open`` registers an unknown one."""

    number: str
    open: bool
    opd: str
    summary: str
    operator: str


class NotSimple(Exception):
    """The sqlite3 writer leaves this case (an unknown or closed request: an error to word)
    to the SQLAlchemy path; nothing was written."""


class RunWriter(Protocol):
    """A recap database a run writes into; thread-safe, each call its own transaction."""

    url: str

    def insert_run(self, row: Mapping[str, Any], request: RunRequest | None) -> None:
        """Check (or register) ``request`` and insert the ``runs`` row, in one transaction."""

    def insert(self, table: str, row: Mapping[str, Any]) -> None:
        """Insert one row into ``table`` (run_hosts, run_items, run_ends)."""

    def close(self) -> None:
        """Release the connections."""
