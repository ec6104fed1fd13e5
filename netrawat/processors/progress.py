"""A rich progress bar over the hosts of a run, on stderr, only when stderr is a terminal.

Cron and systemd runs (no TTY) and small runs stay silent. Attached by `open_fleet`; it counts
each host once per top-level task and shows how many failed so far.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Task

if TYPE_CHECKING:  # rich is imported when a bar may be drawn: a cron or --json run loads none
    from rich.console import Console
    from rich.progress import Progress, TaskID

MIN_HOSTS = 5
"""Runs over fewer hosts than this get no bar."""

HOUSEKEEPING = frozenset({"close_connections_task"})
"""Nornir's own tasks run at the end of a run (closing the sessions): no bar of their own."""


class ProgressProcessor:
    """Nornir processor drawing one bar per top-level task (``nr.run``)."""

    def __init__(self, console: Console | None = None, *, min_hosts: int = MIN_HOSTS) -> None:
        self._console = console
        self.min_hosts = min_hosts
        self._progress: Progress | None = None
        self._bar: TaskID | None = None
        self._failed = 0
        self._lock = threading.Lock()

    @property
    def console(self) -> Console:
        """The console given, else one on stderr (made on first use)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True)
        return self._console

    @property
    def enabled(self) -> bool:
        """Whether bars are drawn at all (a terminal on the console's stream)."""
        if self._console is None and _stderr_is_plainly_no_terminal():
            return False  # what rich's console would say
        return self.console.is_terminal

    def task_started(self, task: Task) -> None:
        total = len(task.nornir.inventory.hosts)
        if not self.enabled or total < self.min_hosts or task.name in HOUSEKEEPING:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._failed = 0
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._progress.start()
        self._bar = self._progress.add_task(task.name, total=total, failed=0)

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        if self._progress is not None:
            self._progress.stop()
        self._progress = None
        self._bar = None

    def task_instance_started(self, task: Task, host: Host) -> None:
        return None

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        if self._progress is None or self._bar is None:
            return
        with self._lock:
            self._failed += int(result.failed)
            self._progress.update(self._bar, advance=1, failed=self._failed)

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        return None

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        return None


def _stderr_is_plainly_no_terminal() -> bool:
    """stderr is no terminal and neither variable that makes rich treat a stream as one is set
    (``TTY_COMPATIBLE``, ``FORCE_COLOR``): rich's console would say "not a terminal" too (see
    ``Console.is_terminal``); in any other case it is asked."""
    if any(name in os.environ for name in _RICH_TERMINAL_VARIABLES):
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return isatty is None or not isatty()
    except ValueError:  # a closed stream
        return True


_RICH_TERMINAL_VARIABLES = ("TTY_COMPATIBLE", "FORCE_COLOR")
