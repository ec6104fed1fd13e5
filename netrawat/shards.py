"""One Nornir run split into shards over worker processes (``--processes N``).

One Python process tops out at one core: its threads share one interpreter lock, and a
fleet backup is CPU-bound on the client from a few hundred devices on. `ShardedRunner` is a
Nornir runner: `open_fleet` installs it when a run has more than one process, and every
playbook's ``fleet.nornir.run(...)`` then works as before, whatever it runs::

    parent (the playbook)                      worker processes (forkserver)
    run lock, pinned keys, recap run  ---->    shard 1: Nornir, its hosts, W/N threads
    processors: progress, recording   <----    shard 2: ...
    ONE AggregatedResult -> ONE commit         (each host's result as soon as it is done)

The hosts are dealt round-robin into one shard per process; each process gets the task
function (by reference: a module-level function) and its arguments, rebuilds a Nornir over
its shard with ``ceil(workers / processes)`` threads (``--workers`` stays the number of
devices worked on at once) and the session closer, and sends every host's result back as
soon as the host is done. The parent hands it to its own processors (progress bar,
recording) in its own thread, so they behave as in a one-process run, and returns one
`AggregatedResult`: the playbook commits, records and reports once. Everything that must be
one stays in the parent: the run lock, trust-on-first-use pinning (done before the run), the
git commit, the recap run. The workers read the per-host known_hosts files the parent cut;
they log into the same run log.

Exceptions cross the process boundary link by link (``__cause__``/``__context__`` kept); one
that cannot be pickled arrives as a `ShardError` subclass of the same name and message. A
worker that dies fails its unfinished hosts with a `ShardError`. Task arguments that cannot
be pickled make the run fall back to threads in the parent (logged).
"""

from __future__ import annotations

import atexit
import functools
import logging
import math
import multiprocessing
import os
import pickle
import queue
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing import forkserver
from typing import Any

from nornir.core import Nornir
from nornir.core.inventory import Host, Hosts, Inventory
from nornir.core.state import GlobalState
from nornir.core.task import AggregatedResult, MultiResult, Result, Task
from nornir.plugins.runners import ThreadedRunner

from netrawat.errors import exception_chain
from netrawat.hostkeys import restore_cut_origins
from netrawat.processors.sessions import InterruptibleRunner, SessionCloser
from netrawat.sshkex import tune_key_exchange

log = logging.getLogger(__name__)

SHARD_MIN_HOSTS = 500
"""The automatic choice starts a second process only from this many hosts per process: a
worker process costs about half a second of CPU to start, worth it only when each saves
more than that."""
POLL_SECONDS = 1.0
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(processName)s %(threadName)s] %(message)s"


def default_processes(hosts: int, cores: int | None = None) -> int:
    """Processes for a run of ``hosts`` hosts: one per `SHARD_MIN_HOSTS`, at most half the
    cores (the other half is left to SSH crypto, git and whatever else the machine runs: on
    2 shared cores a second process made a 1,000-device backup slower, see the bench).

    >>> default_processes(100, 8), default_processes(1200, 8), default_processes(5000, 8)
    (1, 2, 4)
    >>> default_processes(5000, 2)
    1
    """
    usable = (cores or len(os.sched_getaffinity(0))) // 2
    return max(1, min(usable, hosts // SHARD_MIN_HOSTS))


class ShardError(Exception):
    """A host's work lost in a worker process, or an exception that could not cross back."""


_REMOTE_TYPES: dict[tuple[str, str], type[ShardError]] = {}


def _remote_type(module: str, name: str) -> type[ShardError]:
    """A `ShardError` subclass named like an exception that could not be pickled."""
    key = (module, name)
    if key not in _REMOTE_TYPES:
        _REMOTE_TYPES[key] = type(name, (ShardError,), {"__module__": module})
    return _REMOTE_TYPES[key]


@dataclass(frozen=True)
class _Link:
    """One exception of a chain, ready to cross a process boundary."""

    pickled: bytes | None
    module: str
    name: str
    text: str
    caused: bool
    """Linked to the previous link by ``__cause__`` (else by ``__context__``)."""


def pack_exception(exc: BaseException) -> list[_Link]:
    """``exc`` and its chain as picklable links (see module docstring)."""
    links: list[_Link] = []
    previous: BaseException | None = None
    for link in exception_chain(exc):
        data: bytes | None = None
        try:
            packed = pickle.dumps((type(link), link.args, vars(link)))
            _rebuild(packed)  # the class, its arguments and attributes must all come back
            data = packed
        except Exception:
            pass
        caused = previous is not None and previous.__cause__ is link
        links.append(_Link(data, type(link).__module__, type(link).__qualname__, str(link), caused))
        previous = link
    return links


def _rebuild(data: bytes) -> BaseException:
    """An exception from (class, args, attributes) without calling its ``__init__`` (whose
    signature need not match ``args``: ``BackupRejected(check, reason, quarantined)``)."""
    cls, args, state = pickle.loads(data)
    exc: BaseException = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


def unpack_exception(links: list[_Link]) -> BaseException | None:
    """The chain `pack_exception` made, rebuilt (None for no links)."""
    rebuilt: list[BaseException] = []
    for link in links:
        if link.pickled is not None:
            exc = _rebuild(link.pickled)
        else:
            exc = _remote_type(link.module, link.name)(link.text)
        if rebuilt:
            if link.caused:
                rebuilt[-1].__cause__ = exc
            else:
                rebuilt[-1].__context__ = exc
        rebuilt.append(exc)
    return rebuilt[0] if rebuilt else None


def pack_result(multi: MultiResult) -> bytes:
    """``multi`` pickled without its host objects, exceptions as links (left unchanged)."""
    saved = [(item.host, item.exception) for item in multi]
    try:
        for item in multi:
            item.host = None
            if item.exception is not None:
                item.exception = pack_exception(item.exception)  # type: ignore[assignment]
        return pickle.dumps(multi)
    finally:
        for item, (host, exception) in zip(multi, saved, strict=True):
            item.host, item.exception = host, exception


def unpack_result(data: bytes, host: Host) -> MultiResult:
    """A `pack_result` from a worker, pointing at the parent's ``host``."""
    multi: MultiResult = pickle.loads(data)
    for item in multi:
        item.host = host
        if isinstance(item.exception, list):
            item.exception = unpack_exception(item.exception)
    return multi


@dataclass(frozen=True)
class ShardContext:
    """What a worker process needs besides its hosts and the task."""

    connections: tuple[str, ...]
    """Nornir connection plugins to register."""
    log_path: str = ""
    """The run log the worker appends to ("" : none)."""
    cut_origins: dict[str, str] = field(default_factory=dict)
    """Per-host known_hosts file -> the known_hosts it was cut from (for messages)."""


@dataclass(frozen=True)
class _Shard:
    number: int
    context: ShardContext
    inventory: bytes
    """The shard's `Inventory`, pickled."""
    task: bytes
    """(function, name, params), pickled."""
    workers: int
    dry_run: bool


class _Forward:
    """Worker-side processor: each host's start and result go to the parent at once."""

    def __init__(self, channel: Any, number: int) -> None:
        self.channel = channel
        self.number = number

    def task_started(self, task: Task) -> None:
        """The parent announced the task."""

    def task_completed(self, task: Task, result: AggregatedResult) -> None:
        """Hosts were sent one by one."""

    def task_instance_started(self, task: Task, host: Host) -> None:
        self.channel.put(("started", self.number, host.name, None))

    def task_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        self.channel.put(("host", self.number, host.name, pack_result(result)))

    def subtask_instance_started(self, task: Task, host: Host) -> None:
        """Part of the top-level task."""

    def subtask_instance_completed(self, task: Task, host: Host, result: MultiResult) -> None:
        """Part of the top-level task."""


def _worker_logging(path: str) -> None:
    if not path:
        return
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.INFO)
    for name in ("nornir", "netrawat"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)


def run_shard(shard: _Shard, channel: Any) -> None:
    """A worker process: run the task over the shard's hosts, results back on ``channel``."""
    from netrawat.fleet import register_connections  # the worker's own plugin registry

    try:
        _worker_logging(shard.context.log_path)
        restore_cut_origins(shard.context.cut_origins)
        tune_key_exchange()
        register_connections(shard.context.connections)
        inventory: Inventory = pickle.loads(shard.inventory)
        function, name, params = pickle.loads(shard.task)
        nornir = Nornir(
            inventory=inventory,
            runner=ThreadedRunner(num_workers=shard.workers),
            data=GlobalState(dry_run=shard.dry_run),
        ).with_processors([SessionCloser(), _Forward(channel, shard.number)])
        nornir.run(task=function, name=name, on_good=True, on_failed=True, **params)
    except BaseException as exc:  # the parent fails this shard's unfinished hosts
        log.exception("shard %d failed", shard.number)
        channel.put(("error", shard.number, "", f"{type(exc).__name__}: {exc}"))
    finally:
        channel.put(("done", shard.number, "", None))


def deal(hosts: list[Host], shards: int) -> list[list[Host]]:
    """``hosts`` dealt round-robin into ``shards`` non-empty lists (platforms spread evenly).

    >>> deal(list("abcde"), 2), deal(list("ab"), 3)
    ([['a', 'c', 'e'], ['b', 'd']], [['a'], ['b']])
    """
    return [hosts[i::shards] for i in range(min(shards, len(hosts)))]


class ShardedRunner:
    """A Nornir runner spreading the hosts over ``processes`` worker processes."""

    def __init__(self, processes: int, workers: int, context: ShardContext) -> None:
        self.processes = processes
        self.workers = workers
        self.context = context
        self.threaded = InterruptibleRunner(num_workers=workers)
        self.cut = self.threaded.cut
        """Set when Ctrl-C cut a run that stayed in this process (`InterruptibleRunner`)."""

    @property
    def cut_on_interrupt(self) -> bool:
        """Whether Ctrl-C cuts the sessions of a run kept in this process."""
        return self.threaded.cut_on_interrupt

    @cut_on_interrupt.setter
    def cut_on_interrupt(self, value: bool) -> None:
        self.threaded.cut_on_interrupt = value

    def run(self, task: Task, hosts: list[Host]) -> AggregatedResult:
        shards = deal(hosts, self.processes)
        if len(shards) < 2:
            return self.threaded.run(task, hosts)
        try:
            payload = pickle.dumps((task.task, task.name, task.params))
        except Exception as exc:
            log.info("task %s stays in one process (arguments: %s)", task.name, exc)
            return self.threaded.run(task, hosts)
        per_process = max(1, math.ceil(self.workers / len(shards)))
        return self._run(task, shards, payload, per_process)

    def _run(
        self, task: Task, shards: list[list[Host]], payload: bytes, workers: int
    ) -> AggregatedResult:
        context = multiprocessing.get_context("forkserver")
        # the server imports the task's module once; the workers fork from it with it loaded
        context.set_forkserver_preload([__name__, task.task.__module__])
        _stop_server_at_exit()
        channel = context.Queue()
        inventory = task.nornir.inventory
        processes = []
        for number, members in enumerate(shards):
            shard = _Shard(
                number,
                self.context,
                pickle.dumps(
                    Inventory(
                        hosts=Hosts({h.name: h for h in members}),
                        groups=inventory.groups,
                        defaults=inventory.defaults,
                    )
                ),
                payload,
                workers,
                task.global_dry_run,
            )
            process = context.Process(
                target=run_shard, args=(shard, channel), name=f"netrawat-shard-{number}"
            )
            process.start()
            processes.append(process)
        try:
            return self._collect(task, shards, processes, channel)
        finally:
            for process in processes:
                process.join(timeout=5)
                if process.is_alive():
                    process.kill()
            channel.close()

    def _collect(
        self, task: Task, shards: list[list[Host]], processes: list[Any], channel: Any
    ) -> AggregatedResult:
        result = AggregatedResult(task.name)
        by_name = {h.name: (n, h) for n, members in enumerate(shards) for h in members}
        open_shards = set(range(len(shards)))
        errors: dict[int, str] = {}
        for kind, number, name, payload in _messages(channel, processes, open_shards):
            if kind == "host":
                host = by_name[name][1]
                multi = unpack_result(payload, host)
                result[name] = multi
                task.processors.task_instance_completed(_for_host(task, host), host, multi)
            elif kind == "started":
                host = by_name[name][1]
                task.processors.task_instance_started(_for_host(task, host), host)
            elif kind == "error":
                errors[number] = str(payload)
            elif kind in ("done", "died"):
                open_shards.discard(number)
                if kind == "died":
                    errors.setdefault(number, f"worker process exited with {payload}")
        for name, (number, host) in by_name.items():
            if name not in result:
                why = errors.get(number, "worker process gave no result")
                multi = _lost(task, host, why)
                result[name] = multi
                task.processors.task_instance_completed(_for_host(task, host), host, multi)
        return result


def _messages(
    channel: Any, processes: list[Any], open_shards: set[int]
) -> Iterator[tuple[str, int, str, Any]]:
    """Worker messages until every shard is done; ``died`` for a worker gone silently."""
    quiet_rounds: dict[int, int] = {}
    while open_shards:
        try:
            yield channel.get(timeout=POLL_SECONDS)
            continue
        except queue.Empty:
            pass
        for number in list(open_shards):
            code = processes[number].exitcode
            if code is not None:
                quiet_rounds[number] = quiet_rounds.get(number, 0) + 1
                if quiet_rounds[number] >= 2:  # exited and nothing more arrived
                    yield ("died", number, "", code)


@functools.cache
def _stop_server_at_exit() -> None:
    """Stop and reap the fork server when this process exits, so that the CPU time of the
    workers it reaped is accounted to this process (``getrusage``, ``time``), as with
    threads. (Python keeps the server for the life of the process and never waits for it.)"""
    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None:
        atexit.register(stop)


def _for_host(task: Task, host: Host) -> Task:
    """The per-host copy of the task processors are given (as Nornir's runners do)."""
    copy = task.copy()
    copy.host = host
    return copy


def _lost(task: Task, host: Host, why: str) -> MultiResult:
    multi = MultiResult(task.name)
    error = ShardError(why)
    multi.append(Result(host=host, name=task.name, result=str(error), exception=error, failed=True))
    return multi


__all__ = [
    "SHARD_MIN_HOSTS",
    "ShardContext",
    "ShardError",
    "ShardedRunner",
    "deal",
    "default_processes",
]
