"""`Lab`: one lab directory, from Python (the CLI, the pytest fixture, the benchmarks).

lab = Lab.up(Path("/tmp/lab"), devices=8)      # start, write inventory + secrets
lab.fault("RTR-DINKES", "wan-loss", "40")
lab.history("RTR-DINKES")                      # every line the device received
lab.down()
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netrawat_lab import layout
from netrawat_lab.control import LabClient, start_lab, stop_lab
from netrawat_lab.errors import LabInputError
from netrawat_lab.faults import check_fault, parse_fault
from netrawat_lab.fleet import LabCredentials, Layout, block_for, generate_fleet
from netrawat_lab.fleetfile import load_fleet
from netrawat_lab.frominventory import InventorySource, fleet_from_inventory
from netrawat_lab.labinventory import write_inventory
from netrawat_lab.spec import DeviceSpec

DEFAULT_DEVICES = 63
"""Without an inventory: the built-in OPDs, three devices each."""


def plan_fleet(
    lab_dir: Path,
    *,
    devices: int | None = None,
    fleet: Path | None = None,
    block: int | None = None,
    inventory: Path | None = None,
) -> tuple[list[DeviceSpec], InventorySource | None]:
    """The devices a lab will serve (and the inventory they mirror, if any): the ``fleet``
    file, else ``devices`` generated, else the directory's previous fleet.yaml, else one per
    host of the OPD ``inventory``, else a built-in city fleet."""
    if devices is not None and fleet is not None:
        raise LabInputError("--devices and --fleet exclude each other", hint="give one of them")
    if fleet is not None:
        return load_fleet(fleet), None
    plan = Layout(block or block_for(lab_dir), LabCredentials.generate())
    if devices is not None:
        return generate_fleet(devices, plan), None
    if (lab_dir / layout.FLEET).exists():
        specs = load_fleet(lab_dir / layout.FLEET)
        mirrored = inventory is not None and _mirrors(specs, inventory)
        source = InventorySource.read(inventory) if inventory and mirrored else None
        return specs, source
    if inventory is not None and (inventory / "hosts.yaml").exists():
        return fleet_from_inventory(inventory, plan)
    return generate_fleet(DEFAULT_DEVICES, plan), None


def _mirrors(specs: list[DeviceSpec], inventory: Path) -> bool:
    """Whether a saved fleet was made from ``inventory`` (same host names)."""
    source = InventorySource.read(inventory)
    return bool(source.hosts) and set(source.hosts) == {s.hostname for s in specs}


@dataclass
class Lab:
    """A lab directory and, while it runs, its devices."""

    dir: Path
    specs: list[DeviceSpec] = field(default_factory=list)
    pid: int | None = None

    @classmethod
    def up(
        cls,
        lab_dir: Path,
        *,
        devices: int | None = None,
        fleet: Path | None = None,
        specs: list[DeviceSpec] | None = None,
        latency_ms: int = 0,
        block: int | None = None,
        inventory: Path | None = None,
        env: Mapping[str, str] | None = None,
        owner_pid: int | None = None,
    ) -> Lab:
        """Start a lab in ``lab_dir``; returns once every device accepts connections."""
        lab_dir = lab_dir.resolve()
        lab_dir.mkdir(parents=True, exist_ok=True)
        source = None
        if specs is None:
            specs, source = plan_fleet(
                lab_dir, devices=devices, fleet=fleet, block=block, inventory=inventory
            )
        pid = start_lab(lab_dir, specs, latency_ms, env=env, owner_pid=owner_pid)
        write_inventory(lab_dir, specs, source)
        return cls(lab_dir, specs, pid)

    @classmethod
    def existing(cls, lab_dir: Path) -> Lab:
        """The lab of a directory (its fleet file; running or not)."""
        path = lab_dir / layout.FLEET
        specs = load_fleet(path) if path.exists() else []
        return cls(lab_dir.resolve(), specs)

    def down(self) -> bool:
        """Stop the lab; False if it was not running."""
        return stop_lab(self.dir)

    @property
    def client(self) -> LabClient:
        return LabClient(self.dir)

    @property
    def inventory(self) -> Path:
        """The directory to pass as ``--inventory``."""
        return self.dir

    @property
    def secrets(self) -> Path:
        return self.dir / layout.SECRETS

    def fault(self, host: str, name: str, value: str | None = None) -> None:
        """Turn on a fault (see `netrawat_lab.contract`) on a running device:
        ``fault(host, "slow", "500")`` or ``fault(host, "slow=500")``."""
        name, value = parse_fault(name) if value is None else check_fault(name, value)
        self.client.fault(host, name, value)

    def clear(self, host: str) -> None:
        """Clear every fault of a device."""
        self.client.clear(host)

    def clear_all(self) -> None:
        """Clear every fault of every device."""
        for spec in self.specs:
            self.client.clear(spec.hostname)

    def reset(self, host: str) -> None:
        """Put a device back exactly as it was seeded when the lab started: configuration
        (RouterOS: what the API sees too; IOS: running and startup), files, safe mode,
        archive and revert timer, interfaces, log, faults (the fleet file's come back on),
        and its `history` emptied. Its listeners, host key and open sessions stay."""
        self.client.reset(host)

    def reset_all(self) -> list[str]:
        """`reset` every device of the lab (one control request); their names."""
        return self.client.reset()

    def history(self, host: str, reset: bool = False) -> list[str]:
        """The lines ``host`` received so far (shell lines and exec commands)."""
        return [entry["line"] for entry in self.client.history(host, reset=reset)]

    def snapshot(self, host: str) -> dict[str, Any]:
        """The personality's view of a device (``config``, ``faults``, ...)."""
        return self.client.snapshot(host)

    def spec(self, host: str) -> DeviceSpec:
        for spec in self.specs:
            if spec.hostname == host:
                return spec
        raise KeyError(host)

    def hosts(
        self, platform: str | None = None, role: str | None = None, api: bool | None = None
    ) -> list[str]:
        """Names of the lab's devices, filtered by platform, role, and API on/off."""
        return [
            s.hostname
            for s in self.specs
            if (platform is None or s.platform == platform)
            and (role is None or s.role == role)
            and (api is None or bool(s.api_port) == api)
        ]

    @contextlib.contextmanager
    def faulted(self, host: str, name: str, value: str | None = None) -> Iterator[None]:
        """A fault for the duration of a ``with`` block, cleared after."""
        self.fault(host, name, value)
        try:
            yield
        finally:
            self.clear(host)
