"""The ONE place a run gets its fleet: inventory, credentials, filters, host keys, runner.

Usage in a playbook::

    with open_fleet(spec) as fleet:
        result = fleet.nornir.run(task=backup_config)
        ...

`open_fleet` resolves the inventory directory (``--inventory`` / ``$NETRAWAT_INVENTORY`` /
``./inventory``), the secrets file and the state directory; validates the inventory (an
`InventoryError` / `CredentialsError` before anything connects); applies credentials and
per-platform connection options (strict host-key checking against ``<state>/known_hosts``);
applies the filters; with ``--trust-new-hosts`` pins the keys of hosts seen for the first
time; and returns a Nornir object with a threaded runner of ``spec.workers``, the
progress bar processor and the session closer (a host's connections end when its top-level
task does) attached (add more with ``fleet.add_processor(p)``).
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.core.processor import Processor
from nornir.core.task import MultiResult
from nornir.plugins.runners import ThreadedRunner

from netrawat.errors import InputError
from netrawat.fleetspec import FleetSpec, Selection
from netrawat.hostkeys import (
    Endpoint,
    PinReport,
    cut_known_hosts,
    cut_origins,
    load_known_hosts,
    pin_new_hosts,
)
from netrawat.inventory.connections import Timeouts, apply_connection_options, use_known_hosts
from netrawat.inventory.filters import check_selection, host_opd, matches
from netrawat.inventory.model import load_inventory
from netrawat.inventory.secrets import Secrets, load_secrets
from netrawat.paths import default_state_dir
from netrawat.pids import pid_alive
from netrawat.processors.progress import ProgressProcessor
from netrawat.processors.recap import HostEntry, RecordingProcessor
from netrawat.processors.sessions import InterruptibleRunner, SessionCloser
from netrawat.runlog import RunLog, open_run_log
from netrawat.shards import ShardContext, ShardedRunner, default_processes
from netrawat.state import StateDir, unusable

logging.getLogger("nornir").addHandler(logging.NullHandler())
"""Nornir logs every failed task with its traceback; without a handler Python would print
those on stderr. Playbooks report failed hosts themselves (one line each)."""

if TYPE_CHECKING:
    from netrawat.recap import Run

Outcome = TypeVar("Outcome")

__all__ = ["Fleet", "FleetSpec", "Preflight", "Selection", "open_fleet"]

DEFAULT_INVENTORY = Path("inventory")
"""Relative to the working directory, used without --inventory / $NETRAWAT_INVENTORY."""


@dataclass
class Fleet:
    """The selected hosts of a run, ready to run tasks on."""

    nornir: Nornir
    state: StateDir
    inventory_dir: Path
    spec: FleetSpec
    secrets: Secrets
    pins: PinReport = field(default_factory=PinReport)
    """What ``--trust-new-hosts`` pinned in this run (empty without it)."""
    log: RunLog | None = None
    """This run's log file in ``<state>/logs/`` (task tracebacks end up there)."""
    scratch: Path | None = None
    """This run's per-host known_hosts files (see `netrawat.hostkeys.cut_known_hosts`)."""

    @property
    def log_path(self) -> str:
        """This run's log file ("" without one)."""
        return str(self.log.path) if self.log is not None else ""

    @property
    def hosts(self) -> dict[str, Host]:
        """The selected hosts by name."""
        return dict(self.nornir.inventory.hosts)

    @property
    def opds(self) -> list[str]:
        """The OPD codes of the selected hosts, sorted."""
        return sorted({host_opd(h) for h in self.nornir.inventory.hosts.values()})

    @contextmanager
    def start_run(self, playbook: str, **recap: Any) -> Iterator[Run]:
        """Record this run in the recap (`netrawat.recap.start_run` on this fleet's state and
        OPDs; ``recap`` passes request, preventive_id, open_request, options)."""
        from netrawat.recap import start_run

        with start_run(self.state, playbook=playbook, opds=self.opds, **recap) as run:
            yield run

    @contextmanager
    def recording(
        self,
        run: Run,
        task_name: str,
        describe: Callable[[Host, MultiResult], Outcome],
        entry: Callable[[Outcome], HostEntry],
    ) -> Iterator[RecordingProcessor[Outcome]]:
        """Record each host of the top-level task ``task_name`` in ``run`` as it finishes:
        ``describe`` makes the playbook's outcome of a host, ``entry`` what the recap keeps."""
        processor = RecordingProcessor(run, task_name, describe, entry)
        with self.attached(processor):
            yield processor

    @contextmanager
    def attached(self, processor: Processor) -> Iterator[Processor]:
        """``processor`` sees the runs made inside the block (sub-fleets share it)."""
        self.nornir.processors.append(processor)
        try:
            yield processor
        finally:
            self.nornir.processors.remove(processor)

    def add_processor(self, processor: Processor) -> None:
        """Attach one more Nornir processor (recap, ...) next to the progress bar.

        Use this rather than ``nornir.with_processors([...])``, which would drop the others.
        """
        self.nornir.processors.append(processor)

    @contextmanager
    def changing_devices(self) -> Iterator[None]:
        """Runs inside the block change devices: on Ctrl-C the hosts already contacted finish
        their step (their sessions are not cut mid-change); hosts not started are skipped."""
        runner = self.nornir.runner
        if not isinstance(runner, InterruptibleRunner | ShardedRunner):
            yield
            return
        before = runner.cut_on_interrupt
        runner.cut_on_interrupt = False
        try:
            yield
        finally:
            runner.cut_on_interrupt = before

    def close(self) -> None:
        """Close every connection the run opened, and the run log."""
        try:
            self.nornir.close_connections(on_good=True, on_failed=True)
        finally:
            if self.log is not None:
                self.log.close()
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> Fleet:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def resolve_inventory_dir(spec: FleetSpec) -> Path:
    """``--inventory`` (typer already read ``$NETRAWAT_INVENTORY`` into it), else ./inventory."""
    return (spec.inventory or DEFAULT_INVENTORY).expanduser().resolve()


def state_dir_of(spec: FleetSpec) -> StateDir:
    """The state directory (``--state`` / ``$NETRAWAT_STATE`` / XDG default), not created."""
    return StateDir((spec.state or default_state_dir()).expanduser().resolve())


def load_selection(spec: FleetSpec, known_hosts: Path) -> tuple[Nornir, Secrets]:
    """Validated, credentialed and filtered Nornir for ``spec``; no network, no state.

    Every host of the inventory is validated and must have credentials, selected or not.
    """
    inventory_dir = resolve_inventory_dir(spec)
    inventory = load_inventory(inventory_dir)
    secrets = load_secrets(spec.secrets, inventory_dir)
    for host in inventory.hosts.values():
        apply_connection_options(host, secrets.for_host(host), known_hosts)
    if not inventory.hosts:
        raise InputError(
            f"the inventory {inventory_dir} has no hosts (hosts.yaml is empty)",
            "list the fleet's devices in hosts.yaml (see the Inventory model section)",
        )
    selection = spec.selection
    check_selection(inventory, selection)
    nornir = Nornir(inventory=inventory, runner=ThreadedRunner(num_workers=spec.workers))
    selected = nornir.filter(filter_func=matches(selection))
    if not selected.inventory.hosts:
        raise InputError(
            f"no host matches the filters {selection.describe()}",
            "filters combine with AND across kinds; run `netrawat inventory` to list the fleet",
        )
    return selected, secrets


Preflight = Callable[[Nornir, StateDir], None]
"""A playbook's own checks of the selected hosts, run by `open_fleet` after loading the
inventory and before any network or state change (raise `InputError` to refuse the run)."""

ALL_CONNECTIONS = ("netmiko", "napalm")
CONNECTION_PLUGINS = "nornir.plugins.connections"


def register_connections(names: tuple[str, ...]) -> None:
    """Register the named Nornir connection plugins (what InitNornir's auto-registration
    does, for these only: importing NAPALM and its drivers costs a run that never uses it
    about a second). ``netmiko`` is netrawat's own (`netrawat.sshsession.Netmiko`: the
    nornir_netmiko plugin with cheaper channel reads), also over one registered before."""
    wanted = set(names)
    if "netmiko" in wanted:
        from netrawat.sshsession import Netmiko  # imports netmiko: only when connecting

        if ConnectionPluginRegister.available.get("netmiko") is not Netmiko:
            ConnectionPluginRegister.available.pop("netmiko", None)
            ConnectionPluginRegister.register("netmiko", Netmiko)
        wanted.discard("netmiko")
    for entry in metadata.entry_points(group=CONNECTION_PLUGINS):
        if entry.name in wanted and entry.name not in ConnectionPluginRegister.available:
            ConnectionPluginRegister.register(entry.name, entry.load())


def open_fleet(
    spec: FleetSpec,
    connections: tuple[str, ...] = ALL_CONNECTIONS,
    *,
    preflight: Preflight | None = None,
) -> Fleet:
    """Load, validate and filter the fleet, run the playbook's ``preflight`` checks, then
    prepare the state and host keys (see module docstring)."""
    inventory_dir = resolve_inventory_dir(spec)
    state = state_dir_of(spec)
    nornir, secrets = load_selection(spec, state.known_hosts)
    if preflight is not None:
        preflight(nornir, state)
    state.ensure()  # only once the inventory is known good: bad input leaves no trace
    register_connections(connections)
    try:
        scratch, pins = _prepare_host_keys(spec, nornir, state)
    except OSError as exc:
        raise unusable(exc, str(state.root)) from exc
    nornir = nornir.with_processors([ProgressProcessor(), SessionCloser()])
    try:
        log = open_run_log(state.logs)
    except OSError as exc:
        shutil.rmtree(scratch, ignore_errors=True)
        raise unusable(exc, str(state.logs)) from exc
    nornir = nornir.with_runner(
        shard_runner(spec, len(nornir.inventory.hosts), connections, str(log.path))
    )
    logging.getLogger(__name__).info(
        "fleet: %d hosts from %s, spec %s", len(nornir.inventory.hosts), inventory_dir, spec
    )
    return Fleet(
        nornir=nornir,
        state=state,
        inventory_dir=inventory_dir,
        spec=spec,
        secrets=secrets,
        pins=pins,
        log=log,
        scratch=scratch,
    )


def shard_runner(
    spec: FleetSpec, hosts: int, connections: tuple[str, ...], log_path: str
) -> InterruptibleRunner | ShardedRunner:
    """The run's Nornir runner: threads, or shards over processes (`netrawat.shards`)."""
    processes = spec.processes or default_processes(hosts)
    if processes <= 1:
        return InterruptibleRunner(num_workers=spec.workers)
    context = ShardContext(connections, log_path, cut_origins())
    return ShardedRunner(processes, spec.workers, context)


SCRATCH_PREFIX = ".known_hosts-"


def _prepare_host_keys(spec: FleetSpec, nornir: Nornir, state: StateDir) -> tuple[Path, PinReport]:
    """Pin new keys if asked, then cut one known_hosts file per host into this run's scratch
    directory ``<state>/.known_hosts-<pid>-*`` (those of dead runs, a ``kill -9``, go first)."""
    load_known_hosts(state.known_hosts)  # a corrupt file stops the run, not every host
    pins = PinReport()
    if spec.trust_new_hosts:
        pins = pin_new_hosts(
            _endpoints(nornir),
            state.known_hosts,
            workers=spec.workers,
            timeout=max(Timeouts.of(h).connect for h in nornir.inventory.hosts.values()),
        )
        _announce(pins, state)
    remove_stale_scratch(state.root)
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=state.root))
    files = cut_known_hosts(state.known_hosts, _endpoints(nornir), scratch)
    for name, host in nornir.inventory.hosts.items():
        use_known_hosts(host, files[name])
    return scratch, pins


def remove_stale_scratch(root: Path) -> list[Path]:
    """Remove the scratch directories of runs that are no longer alive (their pid is in the
    name; a directory without one is from an older netrawat and removed too)."""
    removed = []
    for path in root.glob(f"{SCRATCH_PREFIX}*"):
        pid = path.name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and pid_alive(int(pid)):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _announce(pins: PinReport, state: StateDir) -> None:
    """Say on stderr which keys trust-on-first-use pinned: an auditable, deliberate act."""
    if not pins.pinned:
        return
    from rich.console import Console

    names = ", ".join(pins.pinned)
    Console(stderr=True, highlight=False, markup=False).print(
        f"pinned {len(pins.pinned)} new SSH host key(s) into {state.known_hosts}: {names} "
        f"(list fingerprints: ssh-keygen -lf {shlex.quote(str(state.known_hosts))})",
        soft_wrap=True,
    )


def _endpoints(nornir: Nornir) -> list[Endpoint]:
    return [
        Endpoint(name=h.name, hostname=str(h.hostname), port=int(h.port or 22))
        for h in nornir.inventory.hosts.values()
    ]
