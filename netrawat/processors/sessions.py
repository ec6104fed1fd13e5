"""A Nornir processor that ends a host's sessions as soon as that host's work is done.

Attached by `netrawat.fleet.open_fleet`. When a host's top-level task (one ``nornir.run``)
completes, in the worker thread that ran it, every connection the host opened is closed:
the netmiko session (and its paramiko transport thread), a NAPALM driver. A run of N hosts
with W workers therefore never holds more than about W sessions, instead of keeping every
finished host's session (a transport thread and its buffers each) until the whole run ends:
memory, threads and client CPU per device stay flat from 50 to 5,000 devices.

A playbook that runs several rounds on the same host (repair: pre-change backup, the repair
task, the after backup; preventive: drift, backup, health) simply reconnects in the next
round: every round is a top-level task that opens its connection with
``task.host.get_connection``. Work that must stay on one session belongs in one task (the
repair task pushes, re-reads, checks and rolls back inside one task).
"""

from __future__ import annotations

import logging

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Task

log = logging.getLogger(__name__)


class SessionCloser:
    """Closes a host's open connections when its top-level task completes."""

    def task_started(self, task: Task) -> None:
        """Nothing to do before the hosts run."""

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        """Hosts were closed one by one."""

    def task_instance_started(self, task: Task, host: Host) -> None:
        """Nothing to do before a host runs."""

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Close every connection of ``host`` (in its worker thread); never fail the host."""
        for name in list(host.connections):
            try:
                host.close_connection(name)
            except Exception as exc:  # a close is best effort: the host's work is done
                log.debug("closing %s of %s: %s", name, host.name, exc)
                host.connections.pop(name, None)

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        """Subtasks share their top-level task's sessions."""

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Subtasks share their top-level task's sessions."""
