"""The recording API every playbook calls: one append-only recap entry per run.

Usage in a playbook::

    from netrawat.recap import start_run

    with start_run(state, playbook="backup", request="045/112/Diskes/XI/2026",
                   opds=["dinkes"], options={"dry_run": False}) as run:
        nr = nr.with_processors([RecapProcessor(run)])   # per-host outcomes, automatically
        ...
        run.host("RTR-DINKES", opd="dinkes", outcome="changed", grade="ringan",
                 actions=["set ntp"], commit="3f2a9c1", details={...})
        run.add_commit("3f2a9c1")
        run.add_report("/var/lib/netrawat/health/2026-11-23.json")
        run.escalate("PSU broken: reported to Kabid")
        run.set_summary("12 hosts backed up, 1 failed")

- `start_run` checks the request first (unknown → `InputError` asking to open it, unless
  ``open_request=True`` which registers it; closed → `InputError`), so call it *before*
  touching any device. ``request=None`` with ``preventive_id="PM-20261123-0200"`` records a
  preventive run; neither records an ad-hoc run.
- The run row is inserted at once (status *running*); every `Run.host`/`add_*` call is its own
  short transaction, so a run killed with ``kill -9`` keeps what it recorded and shows up as
  *interrupted*. At the end one ``run_ends`` row gives the status: ``ok`` (no host failed),
  ``failed`` (some host failed, or a `NetrawatError` left the block), ``crashed`` (any other
  exception left the block; it is re-raised) or ``interrupted`` (Ctrl-C). Nothing is updated
  after that.
- `Run` is thread-safe (Nornir's threaded runner calls the processor from many threads).
  Recording the same host twice is fine: the last record of a host wins in the report.
- The writer: an existing SQLite recap at the current revision is written with the standard
  library's sqlite3 (`netrawat.recap.sqlite_writer`: no SQLAlchemy import); anything else with
  SQLAlchemy (`netrawat.recap.store`), which creates, migrates or refuses the database. Both
  store the same rows; `Run` is the same either way.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netrawat.errors import CannotRunError, InputError, NetrawatError
from netrawat.recap import values
from netrawat.recap.location import SQLITE_BUSY_TIMEOUT_MS
from netrawat.recap.operators import current_operator
from netrawat.recap.sqlite_writer import open_sqlite_writer
from netrawat.recap.writer import NotSimple, RunRequest, RunWriter
from netrawat.state import StateDir

if TYPE_CHECKING:
    from netrawat.recap.store import RecapStore

MAX_ERROR_LENGTH = 4000


@dataclass(frozen=True)
class HostRecord:
    """What a run recorded about one host."""

    host: str
    opd: str | None
    outcome: str
    grade: str | None
    actions: tuple[str, ...]
    commit: str | None
    error: str | None
    details: Mapping[str, Any]


def _json_safe(value: Any) -> Any:
    """Details are stored as JSON: anything else becomes its string form."""
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


@dataclass
class Run:
    """One playbook run being recorded. Get it from `start_run`, not by hand."""

    store: RunWriter
    """Where the run is written: a `RecapStore` (SQLAlchemy) or a `SqliteWriter`."""
    run_id: str
    playbook: str
    request: str | None
    preventive_id: str | None
    operator: str
    started_at: datetime
    hosts: dict[str, HostRecord] = field(default_factory=dict)
    finished: bool = False
    _summary: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    best_effort: bool = False
    """Recording must never stop the work (a backup): a database error marks the run
    `unrecorded` and later records are skipped, instead of raising."""
    unrecorded: str | None = None
    """Why this run could not be (fully) recorded, if it could not."""
    _items: set[tuple[str, str]] = field(default_factory=set, repr=False)

    def _insert(self, table: str, **row: Any) -> None:
        if self.unrecorded is not None:
            return
        try:
            with self._lock:
                self.store.insert(table, {"run_id": self.run_id, **row})
        except CannotRunError as exc:
            if not (self.best_effort and is_busy(exc)):
                raise
            self.unrecorded = exc.message

    def host(
        self,
        name: str,
        *,
        opd: str | None = None,
        outcome: str,
        grade: str | None = None,
        actions: Sequence[str] = (),
        commit: str | None = None,
        error: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> HostRecord:
        """Record one host's outcome (`values.OUTCOMES`) and grade."""
        record = HostRecord(
            host=name,
            opd=opd,
            outcome=values.choice(outcome, values.OUTCOMES, "host outcome"),
            grade=values.choice(grade, values.GRADES, "grade") if grade else None,
            actions=tuple(str(a) for a in actions),
            commit=commit,
            error=error[:MAX_ERROR_LENGTH] if error else None,
            details=_json_safe(dict(details or {})),
        )
        self.hosts[name] = record  # kept in memory even if the write below fails
        self._insert(
            "run_hosts",
            host=record.host,
            opd=record.opd,
            outcome=record.outcome,
            grade=record.grade,
            actions=list(record.actions),
            commit=record.commit,
            error=record.error,
            details=record.details,
            at=datetime.now(UTC),
        )
        return record

    def _item(self, kind: str, value: str, *, once: bool = False) -> None:
        if once:  # hosts are recorded again as a run learns more: their commit counts once
            with self._lock:
                if (kind, value) in self._items:
                    return
                self._items.add((kind, value))
        self._insert("run_items", kind=kind, value=value, at=datetime.now(UTC))

    def add_commit(self, sha: str) -> None:
        """A commit the run made in the config repository (each one once)."""
        self._item("commit", sha, once=True)

    def add_report(self, path: str | os.PathLike[str]) -> None:
        """A report file the run wrote."""
        self._item("report", str(path))

    def escalate(self, reason: str) -> None:
        """Damage the section cannot repair itself: reported to the Head of Division (Kabid)."""
        self._item("escalation", values.short_text(reason, "escalation reason"), once=True)

    def add_error(self, message: str) -> None:
        """A run-level error (not tied to one host)."""
        self._item("error", message[:MAX_ERROR_LENGTH])

    def set_summary(self, text: str) -> None:
        """One line saying what the run did; stored with the run's end."""
        self._summary = text

    @property
    def failed_hosts(self) -> list[str]:
        """Hosts whose last record is ``failed``."""
        return [name for name, rec in self.hosts.items() if rec.outcome == "failed"]

    def finish(self, status: str | None = None) -> str:
        """Write the run's end (once). ``status`` defaults to failed (a host failed),
        incomplete (a host not checked, not verified or blocked) or ok, from the hosts."""
        if self.finished:
            return status or "ok"
        incomplete = any(r.outcome in values.INCOMPLETE_OUTCOMES for r in self.hosts.values())
        final = status or ("failed" if self.failed_hosts else "incomplete" if incomplete else "ok")
        self._insert("run_ends", ended_at=datetime.now(UTC), status=final, summary=self._summary)
        self.finished = True
        return final


def process_start(pid: int) -> str | None:
    """When process ``pid`` started (Linux: clock ticks since boot), to tell a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 counts after the command name, which may hold spaces: split after its ')'.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _new_run_id(started: datetime, playbook: str) -> str:
    return f"{started:%Y%m%dT%H%M%SZ}-{playbook}-{uuid.uuid4().hex[:8]}"


def begin_run(
    store: RunWriter,
    *,
    playbook: str,
    request: str | None = None,
    preventive_id: str | None = None,
    operator: str | None = None,
    opds: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    open_request: bool = False,
    request_summary: str | None = None,
) -> Run:
    """Insert the run row (status running) and return the `Run`; prefer `start_run`."""
    name = values.short_text(playbook, "playbook name", max_length=32).lower()
    number = values.request_number(request) if request is not None else None
    prevent = values.preventive_id(preventive_id) if preventive_id else None
    if number and prevent:
        raise InputError(
            "a run has either a request number or a preventive id, not both",
            "preventive runs have no letter: drop --request",
        )
    who = operator or current_operator()
    started = datetime.now(UTC)
    run = Run(store, _new_run_id(started, name), name, number, prevent, who, started)
    letter = None
    if number:
        opd = (opds[0] if opds else "unknown").lower()
        summary = request_summary or f"opened by a {name} run"
        letter = RunRequest(number, open_request, opd, summary, who)
    row = {
        "run_id": run.run_id,
        "playbook": name,
        "request_number": number,
        "preventive_id": prevent,
        "operator": who,
        "opds": sorted({o.lower() for o in opds}),
        "options": _json_safe(dict(options or {})),
        "started_at": started,
        "machine": socket.gethostname(),
        "pid": os.getpid(),
        "process_start": process_start(os.getpid()),
    }
    store.insert_run(row, letter)
    return run


def _open_run(
    state: StateDir | None, db_url: str | None, wait_ms: int, begin: Mapping[str, Any]
) -> Run:
    """The begun run: on the sqlite3 writer when the recap allows it (`open_sqlite_writer`),
    else on SQLAlchemy (`open_store`: creation, migration, refusal, every error's words)."""
    writer = open_sqlite_writer(state, db_url, wait_ms)
    if writer is not None:
        try:
            return begin_run(writer, **begin)
        except NotSimple:
            writer.close()
        except BaseException:
            writer.close()
            raise
    from netrawat.recap.store import open_store

    store = open_store(state, db_url, wait_ms)
    try:
        return begin_run(store, **begin)
    except BaseException:
        store.close()
        raise


@contextmanager
def start_run(
    state: StateDir | None,
    *,
    playbook: str,
    request: str | None = None,
    preventive_id: str | None = None,
    operator: str | None = None,
    opds: Sequence[str] = (),
    options: Mapping[str, Any] | None = None,
    open_request: bool = False,
    db_url: str | None = None,
    store: RecapStore | None = None,
    best_effort: bool = False,
) -> Iterator[Run]:
    """Record one playbook run in the recap database of ``state`` (or ``db_url``/``store``).

    See the module docstring. Raises `InputError` before the run starts when the request is
    unknown (and ``open_request`` is false), closed, or malformed.

    ``best_effort`` (a backup: the work must not wait for the bookkeeping): SQLite waits at
    most `BEST_EFFORT_WAIT_MS` for a lock; a database that stays locked yields a run that is
    not recorded (`Run.unrecorded` says why) instead of stopping the work. A damaged one
    still stops the run (exit 3 with its hint).
    """
    begin: dict[str, Any] = {
        "playbook": playbook,
        "request": request,
        "preventive_id": preventive_id,
        "operator": operator,
        "opds": opds,
        "options": options,
        "open_request": open_request,
    }
    wait = BEST_EFFORT_WAIT_MS if best_effort else SQLITE_BUSY_TIMEOUT_MS
    try:
        if store is not None:
            run = begin_run(store, **begin)
        else:
            run = _open_run(state, db_url, wait, begin)
    except CannotRunError as exc:
        if not (best_effort and is_busy(exc)):
            raise
        yield _unrecorded_run(playbook, request, preventive_id, operator, exc.message)
        return
    run.best_effort = best_effort
    try:
        try:
            yield run
        except KeyboardInterrupt:
            run.finish("interrupted")
            raise
        except NetrawatError as exc:
            run.add_error(exc.one_line())
            run.finish("failed")
            raise
        except BaseException as exc:
            run.add_error(f"{type(exc).__name__}: {exc}")
            run.finish("crashed")
            raise
        run.finish()
    finally:
        if store is None:
            run.store.close()


def is_busy(exc: CannotRunError) -> bool:
    """The database is locked or busy (another writer): worth going on without it. A damaged
    or unreachable database is not: that stays exit 3 with its hint."""
    text = exc.message.lower()
    return "locked" in text or "busy" in text


BEST_EFFORT_WAIT_MS = 5_000
"""How long a best-effort run waits for a locked SQLite recap (the work goes on without it)."""


def _unrecorded_run(
    playbook: str,
    request: str | None,
    preventive_id: str | None,
    operator: str | None,
    reason: str,
) -> Run:
    """A run the recap could not take: same interface, records nothing, says why."""
    started = datetime.now(UTC)
    return Run(
        store=None,  # type: ignore[arg-type]  # never used: unrecorded skips every write
        run_id=_new_run_id(started, playbook),
        playbook=playbook,
        request=request,
        preventive_id=preventive_id,
        operator=operator or current_operator(),
        started_at=started,
        best_effort=True,
        unrecorded=reason,
    )
