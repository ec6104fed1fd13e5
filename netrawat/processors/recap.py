"""A Nornir processor that records every host's outcome of a run in the recap.

    with start_run(state, playbook="health", request=number, opds=opds) as run:
        nr = nr.with_processors([RecapProcessor(run)])
        nr.run(task=health_check)

For each host, when its top-level task completes, it records:

- outcome: ``failed`` if the task failed, ``changed`` if it changed something, else ``ok``;
  a task can say more precisely with ``Result(..., outcome="unchanged"|"skipped")``;
- grade, actions, commit, details: from the ``grade=``, ``actions=``, ``commit=`` and
  ``details=`` keyword attributes of the task's `Result`s (Nornir keeps extra keyword
  arguments as attributes), the heaviest grade winning; commits are also added to the run;
- error: the failing result's exception (a `NetrawatError`'s one-line message).
"""

from __future__ import annotations

import logging
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result, Task

from netrawat.errors import NetrawatError
from netrawat.recap.recorder import Run
from netrawat.recap.values import GRADES

MAX_ERROR_LENGTH = 1000
log = logging.getLogger(__name__)


def _error_text(result: MultiResult) -> str | None:
    for item in result:
        if not item.failed:
            continue
        exc = item.exception
        if isinstance(exc, NetrawatError):
            return exc.one_line()
        if exc is not None:
            return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:MAX_ERROR_LENGTH]
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


def _collect(result: MultiResult) -> dict[str, Any]:
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
    return {"grade": _heaviest(grades), "actions": actions, "details": details, "commit": commit}


class RecapProcessor:
    """Records per-host outcomes of top-level tasks into a recap `Run` (thread-safe)."""

    def __init__(self, run: Run, *, task_name: str | None = None) -> None:
        self.run = run
        self.task_name = task_name
        """Record only the top-level task of this name (default: every top-level task)."""

    def task_started(self, task: Task) -> None:
        """Nothing to record yet."""

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        """Hosts were recorded one by one."""

    def task_instance_started(self, task: Task, host: Host) -> None:
        """Nothing to record yet."""

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Record the host's outcome, grade, actions, commit and error."""
        if self.task_name is not None and task.name != self.task_name:
            return
        fields = _collect(result)
        opd = host.get("opd")
        try:
            self.run.host(
                host.name,
                opd=str(opd) if opd is not None else None,
                outcome=_outcome(result),
                error=_error_text(result),
                **fields,
            )
            if fields["commit"]:
                self.run.add_commit(str(fields["commit"]))
        except NetrawatError as exc:
            # The device work is done: a recap database hiccup must not fail the host or the run.
            log.warning("recap: could not record %s: %s", host.name, exc.one_line())

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        """Subtasks are part of their top-level task."""

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Subtasks are part of their top-level task."""


def result_with(host: Host, result: Any = None, **recap: Any) -> Result:
    """A `Result` carrying recap attributes: ``grade``, ``actions``, ``commit``, ``details``."""
    return Result(host=host, result=result, **recap)
