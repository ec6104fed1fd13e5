"""The recording processor: each host's outcome goes into the recap as that host finishes.

`netrawat.fleet.Fleet.recording` attaches it for one top-level task of a playbook::

    with fleet.start_run("backup", request=number) as run:
        with fleet.recording(run, "backup", describe=host_outcome, entry=recap_entry) as rec:
            fleet.nornir.run(task=backup_host, name="backup", ...)
        hosts = rec.outcomes_for(results)      # what the playbook reports, computed once

``describe(host, multi_result)`` turns one host's results into the playbook's own outcome
object (graded, classified: in the worker thread, as soon as the host is done) and
``entry(outcome)`` says what the recap keeps of it (`HostEntry`). A run killed with ``kill -9``
keeps every host recorded so far; the playbook records again only what it learns after the
task (a commit, an escalation decided over the whole run): the last record of a host wins.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result, Task

from netrawat.errors import NetrawatError
from netrawat.failures import classify
from netrawat.processors.sessions import sessions_cut
from netrawat.recap.values import GRADES

if TYPE_CHECKING:
    from netrawat.recap.recorder import Run

log = logging.getLogger(__name__)
MAX_ERROR_LENGTH = 1000

Outcome = TypeVar("Outcome")


@dataclass(frozen=True)
class HostEntry:
    """What the recap keeps of one host's outcome in a run."""

    host: str
    opd: str | None
    outcome: str
    """``ok`` | ``changed`` | ``unchanged`` | ``failed`` | ``skipped`` | ... (the playbook's)."""
    grade: str | None = None
    actions: Sequence[str] = ()
    commit: str | None = None
    error: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    escalation: str | None = None
    """A line for the Kabid (SOP step 4), recorded as the run's escalation."""


class RecordingProcessor(Generic[Outcome]):
    """Describes and records each host when its top-level task ``task_name`` completes."""

    def __init__(
        self,
        run: Run,
        task_name: str,
        describe: Callable[[Host, MultiResult], Outcome],
        entry: Callable[[Outcome], HostEntry],
    ) -> None:
        self.run = run
        self.task_name = task_name
        self.describe = describe
        self.entry = entry
        self.outcomes: dict[str, Outcome] = {}
        self._lock = threading.Lock()

    def record(self, outcome: Outcome) -> None:
        """Record (or record again) one host's outcome; a recap database hiccup is logged,
        never a failure of the host or the run: the device work is done."""
        entry = self.entry(outcome)
        try:
            self.run.host(
                entry.host,
                opd=entry.opd,
                outcome=entry.outcome,
                grade=entry.grade,
                actions=list(entry.actions),
                commit=entry.commit,
                error=entry.error,
                details=dict(entry.details),
            )
            if entry.commit:
                self.run.add_commit(entry.commit)
            if entry.escalation:
                self.run.escalate(entry.escalation)
        except NetrawatError as exc:
            log.warning("recap: could not record %s: %s", entry.host, exc.one_line())

    def outcome_of(self, host: Host, result: MultiResult) -> Outcome:
        """The host's outcome: described when its task completed, else now (and recorded)."""
        with self._lock:
            known = self.outcomes.get(host.name)
        if known is not None:
            return known
        outcome = self.describe(host, result)
        with self._lock:
            self.outcomes[host.name] = outcome
        self.record(outcome)
        return outcome

    def outcomes_for(self, hosts: Mapping[str, Host], results: AggregatedResult) -> list[Outcome]:
        """Every host's outcome, in name order (for the playbook's report)."""
        return [self.outcome_of(hosts[name], results[name]) for name in sorted(results)]

    # -- the Nornir processor protocol --------------------------------------------------------

    def task_started(self, task: Task) -> None:
        """Nothing to record yet."""

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        """Hosts were recorded one by one."""

    def task_instance_started(self, task: Task, host: Host) -> None:
        """Nothing to record yet."""

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Describe and record the host now: a killed run keeps it. Not once Ctrl-C cut the
        sessions: the host's result is then the cut, not its work (the run is *interrupted*)."""
        if task.name != self.task_name or sessions_cut(task):
            return
        try:
            self.outcome_of(host, result)
        except Exception:  # a bug in describe: the playbook describes the host again later
            log.exception("recap: could not describe %s", host.name)
            with self._lock:
                self.outcomes.pop(host.name, None)

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        """Subtasks are part of their top-level task."""

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Subtasks are part of their top-level task."""


# -- tasks that say it all in their Results ---------------------------------------------------


def _error_text(result: MultiResult) -> str | None:
    for item in result:
        if item.failed:
            if item.exception is not None:
                return classify(item.exception).one_line()[:MAX_ERROR_LENGTH]
            return " ".join(str(item.result).split())[:MAX_ERROR_LENGTH] or "failed"
    return None


def _heaviest(grades: list[str]) -> str | None:
    known = [g for g in grades if g in GRADES]
    return max(known, key=GRADES.index) if known else None


def _outcome(result: MultiResult) -> str:
    if result.failed:
        return "failed"
    stated = [getattr(r, "outcome", None) for r in result]
    explicit = [s for s in stated if isinstance(s, str)]
    if explicit:
        return explicit[-1]
    return "changed" if result.changed else "ok"


def entry_from_results(host: Host, result: MultiResult) -> HostEntry:
    """A host's entry from its Results' keyword attributes (``grade=``, ``actions=``,
    ``commit=``, ``details=``, ``outcome=``; see `result_with`), the heaviest grade winning;
    a failure's error is the one classifier's line."""
    grades: list[str] = []
    actions: list[str] = []
    details: dict[str, Any] = {}
    commit: str | None = None
    for item in result:
        grade = getattr(item, "grade", None)
        grades.extend([grade] if isinstance(grade, str) else [])
        actions.extend(str(a) for a in getattr(item, "actions", None) or ())
        details.update(getattr(item, "details", None) or {})
        commit = getattr(item, "commit", None) or commit
    opd = host.get("opd")
    return HostEntry(
        host.name,
        str(opd) if opd is not None else None,
        _outcome(result),
        grade=_heaviest(grades),
        actions=actions,
        commit=commit,
        error=_error_text(result),
        details=details,
    )


class RecapProcessor(RecordingProcessor[HostEntry]):
    """Records tasks that carry their recap attributes in their Results (`result_with`):
    every top-level task, or only ``task_name``."""

    def __init__(self, run: Run, *, task_name: str | None = None) -> None:
        super().__init__(run, task_name or "", entry_from_results, lambda entry: entry)

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Record the host's outcome, grade, actions, commit and error."""
        if not self.task_name or task.name == self.task_name:
            self.record(entry_from_results(host, result))


def result_with(host: Host, result: Any = None, **recap: Any) -> Result:
    """A `Result` carrying recap attributes: ``grade``, ``actions``, ``commit``, ``details``."""
    return Result(host=host, result=result, **recap)
