"""What a run is asked to work on, as plain values: the host filters (`Selection`) and the
fleet (`FleetSpec`). Parsed once, by the CLI or any caller (the web console, tests), and handed
to `netrawat.fleet.open_fleet`. Light on purpose: the CLI builds these before loading Nornir.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Selection:
    """The filter values given on the command line (empty tuple = no filter of that kind)."""

    hosts: tuple[str, ...] = ()
    opds: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    def describe(self) -> str:
        """The filters as command-line options, for messages."""
        parts = [
            f"--{kind} {value}"
            for kind, values in (
                ("host", self.hosts),
                ("opd", self.opds),
                ("role", self.roles),
                ("platform", self.platforms),
                ("group", self.groups),
            )
            for value in values
        ]
        return " ".join(parts) or "(no filter)"


@dataclass(frozen=True)
class FleetSpec:
    """Which fleet a run works on: inventory, state, secrets, workers, filters, host-key trust."""

    inventory: Path | None = None
    """The inventory directory; None: ``./inventory``."""
    state: Path | None = None
    """The state directory; None: ``$NETRAWAT_STATE`` / the XDG default."""
    secrets: Path | None = None
    workers: int = 20
    processes: int = 0
    """Worker processes the hosts are split over (0: chosen from host count and cores;
    see `netrawat.shards`)."""
    selection: Selection = field(default_factory=Selection)
    trust_new_hosts: bool = False
