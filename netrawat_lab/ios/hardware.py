"""Hardware as data: what differs between the IOS 15 router models the lab can be.

Every model runs the same IOS release and CLI; they differ in ports, which port is the WAN
uplink, where the LAN gateway address lives (a routed port, or ``Vlan1`` over switch ports),
and what ``show version`` / ``show inventory`` say about the box.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HardwareProfile:
    """One router model."""

    model: str
    family: str
    """Software family naming the image: ``C2900`` -> ``C2900-UNIVERSALK9-M``."""
    physical: tuple[str, ...]
    wan: str
    lan: str
    """The interface carrying the OPD LAN gateway address."""
    lan_ports: tuple[str, ...]
    """Switch ports behind ``lan`` when it is an SVI (``Vlan1``); empty for a routed port."""
    cabled: tuple[str, ...]
    """Ports with a cable plugged in at the OPD."""
    spare: tuple[str, ...]
    """Unused routed ports, ``shutdown`` in the seed configuration."""
    memory: str
    port_lines: tuple[str, ...]
    psu: str

    @property
    def first_lan_port(self) -> str:
        """The port ``interface-down`` takes by default."""
        return self.lan_ports[0] if self.lan_ports else self.lan


ISR_2911 = HardwareProfile(
    model="CISCO2911/K9",
    family="C2900",
    physical=("GigabitEthernet0/0", "GigabitEthernet0/1", "GigabitEthernet0/2"),
    wan="GigabitEthernet0/0",
    lan="GigabitEthernet0/1",
    lan_ports=(),
    cabled=("GigabitEthernet0/0", "GigabitEthernet0/1"),
    spare=("GigabitEthernet0/2",),
    memory="483328K/40960K",
    port_lines=("3 Gigabit Ethernet interfaces", "1 terminal line"),
    psu="PWR-2911-AC",
)
ISR_891F = HardwareProfile(
    model="C891F-K9",
    family="C800",
    physical=tuple(f"GigabitEthernet{n}" for n in range(9)),
    wan="GigabitEthernet8",
    lan="Vlan1",
    lan_ports=tuple(f"GigabitEthernet{n}" for n in range(8)),
    cabled=("GigabitEthernet8", "GigabitEthernet0"),
    spare=(),
    memory="488524K/35763K",
    port_lines=("1 Virtual Private Network (VPN) Module", "9 Gigabit Ethernet interfaces"),
    psu="PWR-890-AC",
)
PROFILES = {p.model: p for p in (ISR_2911, ISR_891F)}


def hardware_for(model: str) -> HardwareProfile:
    """The profile of a model name; unknown models are served as a 2911 with that name."""
    return PROFILES.get(model, ISR_2911)
