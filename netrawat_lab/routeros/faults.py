"""Device-state faults of a RouterOS lab device (`netrawat_lab.contract.DEVICE_FAULTS`).

Faults that are configuration changes (``wrong-dns``, ``wrong-ntp``, ``radio-disabled``,
``config-reset``) go through the model like any operator's change, so exports and prints show
them; `FaultBook.clear` puts the configuration back exactly as it was before the first one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from netrawat_lab.contract import DEVICE_FAULTS
from netrawat_lab.errors import LabInputError
from netrawat_lab.routeros.hardware import VERSION
from netrawat_lab.routeros.live import Knobs
from netrawat_lab.routeros.model import RouterOSModel
from netrawat_lab.routeros.seed import UPLINK, build_hardware, factory_default

if TYPE_CHECKING:
    from netrawat_lab.routeros.device import RouterOSDevice

WRONG_DNS = "8.8.8.8"
WRONG_NTP = "10.99.99.123"
DEFAULT_LAN_PORT = "ether2"


def _number(value: str | None, default: int, name: str) -> int:
    if value in (None, ""):
        return default
    if not str(value).isdigit():
        raise LabInputError(
            f"fault {name} needs a number, not {value!r}", hint=f"e.g. {name}={default}"
        )
    return int(str(value))


class FaultBook:
    """The faults switched on for one device, and how to undo them."""

    def __init__(self, device: RouterOSDevice) -> None:
        self.device = device
        self.active: dict[str, str | None] = {}
        self._saved_config: dict[str, object] | None = None
        self.applying = False
        """True while a fault changes the configuration (not a session's change)."""

    def has(self, name: str) -> bool:
        """Whether a fault is on."""
        return name in self.active

    def apply(self, name: str, value: str | None) -> None:
        """Switch a fault on (`LabInputError` for a name this device does not know)."""
        handler = self._handlers().get(name)
        if handler is None or name not in DEVICE_FAULTS:
            raise LabInputError(
                f"unknown device fault {name!r}",
                hint=f"use one of: {', '.join(sorted(DEVICE_FAULTS))}",
            )
        self.applying = True
        try:
            handler(value)
        finally:
            self.applying = False
        self.active[name] = value
        self.device.live.add_log("system,info", f"lab fault {name} on")

    def clear(self) -> None:
        """Undo every fault: knobs back to normal, configuration as it was."""
        live = self.device.live
        live.knobs = Knobs(clients=int(str(self.device.spec.seed.get("clients", 7))))
        if self._saved_config is not None:
            self.device.model.restore(self._saved_config)
            self._saved_config = None
        self.device.safe_mode.reset()
        self.device.live.release = VERSION
        self.device.access_cut = False  # the server listens again itself
        self.active.clear()

    def _save_config(self) -> None:
        if self._saved_config is None:
            self._saved_config = self.device.model.dump()

    def _handlers(self) -> dict[str, Callable[[str | None], None]]:
        knobs = self.device.live.knobs
        return {
            "interface-down": lambda v: self._link_down(
                self._port(v, DEFAULT_LAN_PORT, "interface-down")
            ),
            "uplink-down": lambda v: self._link_down(self._port(v, UPLINK, "uplink-down")),
            "flapping": lambda v: knobs.flapping.add(self._port(v, DEFAULT_LAN_PORT, "flapping")),
            "high-cpu": lambda v: setattr(knobs, "cpu_load", _number(v, 97, "high-cpu")),
            "low-memory": lambda v: setattr(knobs, "free_memory_fraction", 0.03),
            "overheating": lambda v: setattr(knobs, "temperature", _number(v, 88, "overheating")),
            "wan-loss": lambda v: setattr(
                knobs, "ping_loss", min(100, _number(v, 100, "wan-loss"))
            ),
            "no-clients": lambda v: setattr(knobs, "clients", 0),
            "wrong-dns": lambda v: self._configure("/ip/dns", {"servers": v or WRONG_DNS}),
            "wrong-ntp": lambda v: self._configure(
                "/system/ntp/client", {"servers": v or WRONG_NTP}
            ),
            "radio-disabled": lambda v: self._radios_off(),
            "config-reset": lambda v: self._reset(),
            "startup-screens": lambda v: None,
            "echo-wrap": lambda v: None,  # read by the shell (`shell.echo_width`)
            "cut-on-change": lambda v: None,  # armed: `RouterOSDevice._cut_on_change`
            "no-io-memory": lambda v: None,  # IOS only
            "upgrade": lambda v: setattr(self.device.live, "release", v or VERSION),
        }

    def _port(self, value: str | None, default: str, fault: str) -> str:
        """The interface a link fault is for: ``value`` if the device has it (`LabInputError`
        naming its interfaces if not), else ``default``."""
        if not value:
            return default
        names = [item.values.get("name", "") for item in self.device.model.items("/interface")]
        if value not in names:
            raise LabInputError(
                f"{self.device.spec.hostname} has no interface {value!r} for {fault}",
                hint=f"its interfaces: {', '.join(names)}",
            )
        return value

    def _link_down(self, name: str) -> None:
        live = self.device.live
        live.knobs.down.add(name)
        live.link_downs[name] = live.link_downs.get(name, 0) + 1
        live.add_log("interface,info", f"{name} link down")

    def _configure(self, path: str, props: dict[str, str]) -> None:
        self._save_config()
        self.device.model.set(path, None, props)

    def _radios_off(self) -> None:
        self._save_config()
        for radio in self.device.model.items("/interface/wifi"):
            self.device.model.disable("/interface/wifi", radio.id)

    def _reset(self) -> None:
        self._save_config()
        fresh = RouterOSModel()
        build_hardware(fresh, self.device.hw)
        factory_default(fresh, self.device.spec, self.device.hw)
        self.device.model.restore(fresh.dump())
