"""Device-state faults of the IOS personality, and their exact undo.

Configuration faults (``wrong-dns``, ``wrong-ntp``, ``config-reset``) keep a copy of the
configuration as it was before the first of them; `clear_faults` puts it back.
"""

from __future__ import annotations

from netrawat_lab.errors import LabInputError
from netrawat_lab.ios.config import IOSConfig
from netrawat_lab.ios.grammar import CliError, expand_interface
from netrawat_lab.ios.seed import factory_config
from netrawat_lab.ios.show_system import DEFAULT_VERSION
from netrawat_lab.ios.state import Runtime

WRONG_DNS = "10.99.99.53"
WRONG_NTP = "10.99.99.123"
CONFIG_FAULTS = frozenset({"wrong-dns", "wrong-ntp", "config-reset"})
MEMORY_FAULTS = {"low-memory": "memory_low", "no-io-memory": "no_io_memory"}
"""Memory faults: the `DeviceState` flag each turns on."""
IGNORED = frozenset({"radio-disabled", "no-clients", "startup-screens", "echo-wrap"})
"""Wireless-AP and RouterOS-only faults: not applicable to an IOS router."""


def _interface(rt: Runtime, value: str | None, fault: str) -> str:
    """The port a link fault is for: ``value`` (IOS abbreviations allowed: ``gi0/1``) if the
    router has that port (`LabInputError` listing its ports if not), else the first LAN port."""
    if not value:
        return rt.hardware.first_lan_port
    ports = rt.hardware.physical
    try:
        name = expand_interface(value, physical=ports)
    except CliError:
        name = ""
    if name not in ports:
        raise LabInputError(
            f"{rt.spec.hostname} has no interface {value!r} for {fault}",
            hint=f"its interfaces: {', '.join(ports)}",
        )
    return name


def _number(value: str | None, default: int) -> int:
    try:
        return int(str(value).rstrip("%")) if value else default
    except ValueError:
        return default


def _replace(config: IOSConfig, prefix: str, value: str) -> None:
    config.remove_global(prefix.split())
    config.set_global(f"{prefix} {value}")


def _link_down(rt: Runtime, name: str) -> None:
    rt.state.links[name] = False
    rt.state.add_log(f"%LINK-3-UPDOWN: Interface {name}, changed state to down")
    rt.state.add_log(
        f"%LINEPROTO-5-UPDOWN: Line protocol on Interface {name}, changed state to down"
    )


ARMED_FAULTS = frozenset({"cut-on-change"})
"""Faults that only wait for something to happen (`IOSDevice._cut_on_change`)."""


def apply_fault(rt: Runtime, name: str, value: str | None) -> None:
    """Turn on one device fault; unknown or non-applicable names are ignored."""
    if name == "upgrade" and value:
        _upgrade(rt, value)
        rt.faults[name] = value
        return
    if name in CONFIG_FAULTS:
        if rt.pre_fault_config is None:
            rt.pre_fault_config = rt.running.copy()
        _apply_config_fault(rt, name)
    elif name not in ARMED_FAULTS and not _apply_state_fault(rt, name, value):
        return
    rt.faults[name] = value


def _apply_state_fault(rt: Runtime, name: str, value: str | None) -> bool:
    """A fault of the hardware or links; False for a name this router ignores."""
    state = rt.state
    if name == "interface-down":
        _link_down(rt, _interface(rt, value, name))
    elif name == "uplink-down":
        _link_down(rt, _interface(rt, value, name) if value else rt.hardware.wan)
    elif name == "flapping":
        state.flapping = _interface(rt, value, name)
    elif name == "high-cpu":
        state.cpu_override = _number(value, 97)
    elif name in MEMORY_FAULTS:
        setattr(state, MEMORY_FAULTS[name], True)
    elif name == "overheating":
        state.temperature_override = _number(value, 88)
    elif name == "wan-loss":
        state.wan_loss = max(0, min(100, _number(value, 100)))
    else:
        return False
    return True


def _apply_config_fault(rt: Runtime, name: str) -> None:
    if name == "wrong-dns":
        _replace(rt.running, "ip name-server", WRONG_DNS)
    elif name == "wrong-ntp":
        _replace(rt.running, "ntp server", WRONG_NTP)
    else:
        rt.running = factory_config(rt.spec)
        rt.startup = rt.running.copy()
        rt.booted = rt.running.copy()  # a factory reset is followed by a reload
    rt.mark_changed("teknisi")


def _upgrade(rt: Runtime, release: str) -> None:
    """The router was upgraded and reloaded: ``show version`` names ``release``, running and
    startup configuration carry its ``version X.Y`` line."""
    if "upgrade" not in rt.faults:
        rt.pre_upgrade = rt.spec.version
    rt.spec.version = release
    line = "version " + ".".join(release.split("(", maxsplit=1)[0].split(".")[:2])
    for config in (rt.running, rt.startup):
        block = config.find(next(config.heads("version"), "version"))
        if block is not None:
            block.head = line


def clear_faults(rt: Runtime) -> None:
    """Undo every device fault, restoring the pre-fault configuration."""
    if "upgrade" in rt.faults:
        _upgrade(rt, rt.pre_upgrade or DEFAULT_VERSION)
        rt.spec.version = rt.pre_upgrade
    if rt.pre_fault_config is not None:
        if "config-reset" in rt.faults:
            rt.startup = rt.pre_fault_config.copy()
            rt.booted = rt.pre_fault_config.copy()
        rt.running = rt.pre_fault_config
        rt.pre_fault_config = None
    state = rt.state
    state.links = dict.fromkeys(rt.hardware.cabled, True)
    state.flapping = None
    state.cpu_override = None
    state.memory_low = False
    state.no_io_memory = False
    state.temperature_override = None
    state.wan_loss = 0
    rt.archive.reset()
    rt.faults.clear()
