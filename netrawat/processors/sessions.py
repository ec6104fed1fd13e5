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

Ctrl-C (`InterruptibleRunner`): hosts not started yet are skipped, and the sessions of the
hosts being worked on are cut at once (`cut_sessions`): the run ends within a second or two
instead of waiting for a hung device up to its read timeout (while the hosts still queued
went on running, before). A run that changes devices (`InterruptibleRunner.cut_on_interrupt` off:
repair with ``--apply``, `netrawat.fleet.Fleet.changing_devices`) lets the hosts already
contacted finish their step instead.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Task
from nornir.plugins.runners import ThreadedRunner

log = logging.getLogger(__name__)

CUT_GRACE = 1.0
"""Seconds an interrupted run waits for its cut hosts to end before it goes on ending."""


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


def _shut(sock: object) -> None:
    """Shut a socket both ways: a thread blocked on it wakes at once (``close`` would not)."""
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


def _cut(connection: Any) -> None:
    """Cut the sessions under one connection object, whatever library made it: netmiko (its
    paramiko transport; its channel dropped, so the worker's next read fails at once instead
    of polling an empty buffer until the read timeout), NAPALM IOS (a netmiko session under
    ``device``), napalm-ros (a librouteros socket under ``api``, a netmiko one under ``ssh``)."""
    if connection is None:
        return
    for inner in ("device", "ssh"):
        nested = getattr(connection, inner, None)
        if nested is not None and nested is not connection:
            _cut(nested)
    api = getattr(connection, "api", None)
    if api is not None:
        _shut(getattr(getattr(getattr(api, "protocol", None), "transport", None), "sock", None))
    client: Any = getattr(connection, "remote_conn_pre", None)
    transport = client.get_transport() if hasattr(client, "get_transport") else None
    if transport is not None:
        _shut(getattr(transport, "sock", None))
    channel = getattr(connection, "channel", None)
    if channel is not None and hasattr(channel, "remote_conn"):
        channel.remote_conn = None


def cut_sessions(hosts: Iterable[Host]) -> int:
    """Cut every open session of ``hosts`` now, from any thread (an interrupted run); the
    number of connections cut. Never raises: the run is ending anyway."""
    count = 0
    for host in hosts:
        for name, plugin in list(host.connections.items()):
            try:
                _cut(getattr(plugin, "connection", None))
                count += 1
            except Exception as exc:  # best effort: the run is being interrupted
                log.debug("cutting %s of %s: %s", name, host.name, exc)
    return count


def sessions_cut(task: Task) -> bool:
    """Whether the run of ``task`` was interrupted (Ctrl-C) and its sessions cut: its hosts'
    results are then not their work's outcome but the cut. (A run that changes devices is
    not cut: its hosts finish their step, and their results are real.)"""
    event = getattr(getattr(task.nornir, "runner", None), "cut", None)
    return isinstance(event, threading.Event) and event.is_set()


class InterruptibleRunner(ThreadedRunner):
    """Nornir's threaded runner, ending at once on Ctrl-C (see the module docstring).

    With Nornir's own runner a Ctrl-C left the queued hosts in its thread pool, where they
    went on running while the run wound up, and closing a hung host's session waited for
    that host's read (netmiko's session lock) up to its read timeout. This one cancels the
    queued hosts, cuts the sessions of the running ones and re-raises within `CUT_GRACE`
    seconds.
    """

    def __init__(self, num_workers: int = 20, grace: float = CUT_GRACE) -> None:
        super().__init__(num_workers)
        self.grace = grace
        self.cut_on_interrupt = True
        self.cut = threading.Event()
        """Set once Ctrl-C came and the sessions are being cut (`sessions_cut`)."""

    def run(self, task: Task, hosts: list[Host]) -> AggregatedResult:
        self.cut.clear()
        result = AggregatedResult(task.name)
        pool = ThreadPoolExecutor(self.num_workers)
        futures = [pool.submit(task.copy().start, host) for host in hosts]
        try:
            wait(futures)
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            self._stop(hosts, futures)
            raise
        pool.shutdown(wait=True)
        for future in futures:
            worker_result = future.result()
            result[worker_result.host.name] = worker_result
        return result

    def _stop(self, hosts: list[Host], futures: list[Future[MultiResult]]) -> None:
        """After Ctrl-C: cut the running hosts' sessions, and go on cutting those that open
        later (a worker that was still logging in) from a daemon thread until every host
        ends; wait up to the grace time for them. A run that changes devices waits for its
        step instead (a second Ctrl-C stops that wait)."""
        if not self.cut_on_interrupt:
            wait(futures)
            return
        self.cut.set()

        def keep_cutting() -> None:
            while True:
                cut_sessions(hosts)
                if not wait(futures, timeout=0.1).not_done:
                    return

        threading.Thread(target=keep_cutting, name="netrawat-cut", daemon=True).start()
        wait(futures, timeout=self.grace)
