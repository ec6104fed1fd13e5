"""The ONE place a run gets its fleet: inventory, credentials, filters, host keys, runner.

Usage in a playbook::

    with open_fleet(options) as fleet:
        result = fleet.nornir.run(task=backup_config)
        ...

`open_fleet` resolves the inventory directory (``--inventory`` / ``$NETRAWAT_INVENTORY`` /
``./inventory``), the secrets file and the state directory; validates the inventory (an
`InventoryError` / `CredentialsError` before anything connects); applies credentials and
per-platform connection options (strict host-key checking against ``<state>/known_hosts``);
applies the filters; with ``--trust-new-hosts`` pins the keys of hosts seen for the first
time; and returns a Nornir object with a threaded runner of ``options.workers`` and the
progress bar processor attached (add more with ``fleet.add_processor(p)``).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import TracebackType

from nornir.core import Nornir
from nornir.core.inventory import Host
from nornir.core.plugins.connections import ConnectionPluginRegister
from nornir.core.processor import Processor
from nornir.plugins.runners import ThreadedRunner
from rich.console import Console

from netrawat.cli.options import FleetOptions
from netrawat.errors import InputError
from netrawat.hostkeys import (
    Endpoint,
    PinReport,
    cut_known_hosts,
    load_known_hosts,
    pin_new_hosts,
)
from netrawat.inventory.connections import Timeouts, apply_connection_options, use_known_hosts
from netrawat.inventory.filters import Selection, check_selection, matches
from netrawat.inventory.model import load_inventory
from netrawat.inventory.secrets import Secrets, load_secrets
from netrawat.paths import default_state_dir
from netrawat.processors.progress import ProgressProcessor
from netrawat.runlog import RunLog, open_run_log
from netrawat.state import StateDir

logging.getLogger("nornir").addHandler(logging.NullHandler())
"""Nornir logs every failed task with its traceback; without a handler Python would print
those on stderr. Playbooks report failed hosts themselves (one line each)."""

DEFAULT_INVENTORY = Path("inventory")
"""Relative to the working directory, used without --inventory / $NETRAWAT_INVENTORY."""


@dataclass
class Fleet:
    """The selected hosts of a run, ready to run tasks on."""

    nornir: Nornir
    state: StateDir
    inventory_dir: Path
    options: FleetOptions
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

    def add_processor(self, processor: Processor) -> None:
        """Attach one more Nornir processor (recap, ...) next to the progress bar.

        Use this rather than ``nornir.with_processors([...])``, which would drop the others.
        """
        self.nornir.processors.append(processor)

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


def resolve_inventory_dir(options: FleetOptions) -> Path:
    """``--inventory`` (typer already read ``$NETRAWAT_INVENTORY`` into it), else ./inventory."""
    return (options.inventory or DEFAULT_INVENTORY).expanduser().resolve()


def state_dir_of(options: FleetOptions) -> StateDir:
    """The state directory (``--state`` / ``$NETRAWAT_STATE`` / XDG default), not created."""
    return StateDir((options.state or default_state_dir()).expanduser().resolve())


def selection_of(options: FleetOptions) -> Selection:
    """The host filters of the command line."""
    return Selection(
        hosts=options.hosts,
        opds=options.opds,
        roles=options.roles,
        platforms=options.platforms,
        groups=options.groups,
    )


def load_selection(options: FleetOptions, known_hosts: Path) -> tuple[Nornir, Secrets]:
    """Validated, credentialed and filtered Nornir for ``options``; no network, no state.

    Every host of the inventory is validated and must have credentials, selected or not.
    """
    inventory_dir = resolve_inventory_dir(options)
    inventory = load_inventory(inventory_dir)
    secrets = load_secrets(options.secrets, inventory_dir)
    for host in inventory.hosts.values():
        apply_connection_options(host, secrets.for_host(host), known_hosts)
    selection = selection_of(options)
    check_selection(inventory, selection)
    nornir = Nornir(inventory=inventory, runner=ThreadedRunner(num_workers=options.workers))
    selected = nornir.filter(filter_func=matches(selection))
    if not selected.inventory.hosts:
        raise InputError(
            f"no host matches the filters {selection.describe()}",
            "filters combine with AND across kinds; run `netrawat inventory` to list the fleet",
        )
    return selected, secrets


ALL_CONNECTIONS = ("netmiko", "napalm")
CONNECTION_PLUGINS = "nornir.plugins.connections"


def register_connections(names: tuple[str, ...]) -> None:
    """Register the named Nornir connection plugins (what InitNornir's auto-registration
    does, for these only: importing NAPALM and its drivers costs a run that never uses it
    about a second)."""
    for entry in metadata.entry_points(group=CONNECTION_PLUGINS):
        if entry.name in names and entry.name not in ConnectionPluginRegister.available:
            ConnectionPluginRegister.register(entry.name, entry.load())


def open_fleet(options: FleetOptions, connections: tuple[str, ...] = ALL_CONNECTIONS) -> Fleet:
    """Load, validate and filter the fleet and prepare host keys (see module docstring)."""
    inventory_dir = resolve_inventory_dir(options)
    state = state_dir_of(options)
    nornir, secrets = load_selection(options, state.known_hosts)
    state.ensure()  # only once the inventory is known good: bad input leaves no trace
    load_known_hosts(state.known_hosts)  # a corrupt file stops the run, not every host
    register_connections(connections)
    pins = PinReport()
    if options.trust_new_hosts:
        pins = pin_new_hosts(
            _endpoints(nornir),
            state.known_hosts,
            workers=options.workers,
            timeout=max(Timeouts.of(h).connect for h in nornir.inventory.hosts.values()),
        )
        _announce(pins, state)
    scratch = Path(tempfile.mkdtemp(prefix=".known_hosts-", dir=state.root))
    files = cut_known_hosts(state.known_hosts, _endpoints(nornir), scratch)
    for name, host in nornir.inventory.hosts.items():
        use_known_hosts(host, files[name])
    nornir = nornir.with_processors([ProgressProcessor()])
    log = open_run_log(state.logs)
    logging.getLogger(__name__).info(
        "fleet: %d hosts from %s, options %s", len(nornir.inventory.hosts), inventory_dir, options
    )
    return Fleet(
        nornir=nornir,
        state=state,
        inventory_dir=inventory_dir,
        options=options,
        secrets=secrets,
        pins=pins,
        log=log,
        scratch=scratch,
    )


def _announce(pins: PinReport, state: StateDir) -> None:
    """Say on stderr which keys trust-on-first-use pinned: an auditable, deliberate act."""
    if not pins.pinned:
        return
    names = ", ".join(pins.pinned)
    Console(stderr=True, highlight=False).print(
        f"pinned {len(pins.pinned)} new SSH host key(s) into {state.known_hosts}: {names} "
        f"(list fingerprints: ssh-keygen -lf {state.known_hosts})",
        soft_wrap=True,
    )


def _endpoints(nornir: Nornir) -> list[Endpoint]:
    return [
        Endpoint(name=h.name, hostname=str(h.hostname), port=int(h.port or 22))
        for h in nornir.inventory.hosts.values()
    ]
