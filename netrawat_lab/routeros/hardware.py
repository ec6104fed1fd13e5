"""The RouterBOARD models the lab can be, as data: ports, CPU, memory, sensors, firmware."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

VERSION = "7.16.1"
"""The one pinned RouterOS release the lab speaks."""
BUILD_TIME = "2024-10-10 14:03:32"
"""``build-time`` of 7.16.1 in the 7.16+ layout (``YYYY-MM-DD HH:MM:SS``)."""


@dataclass(frozen=True)
class Sensor:
    """One ``/system health`` row: name, nominal value, unit type (``C``, ``V``, ``RPM``)."""

    name: str
    value: str
    type: str


@dataclass(frozen=True)
class Hardware:
    """What ``/system resource`` and ``/system routerboard`` say about a model."""

    model: str
    board_name: str
    cpu: str
    cpu_count: int
    cpu_frequency_mhz: int
    architecture: str
    total_memory_mib: float
    total_hdd_mib: float
    firmware_type: str
    factory_software: str
    ethernet: tuple[str, ...]
    wifi: tuple[tuple[str, str], ...] = ()
    """(name, band) of each built-in radio."""
    sensors: tuple[Sensor, ...] = ()


RB4011 = Hardware(
    model="RB4011iGS+",
    board_name="RB4011iGS+",
    cpu="ARMv7",
    cpu_count=4,
    cpu_frequency_mhz=1400,
    architecture="arm",
    total_memory_mib=1024.0,
    total_hdd_mib=512.0,
    firmware_type="al2",
    factory_software="6.45.9",
    ethernet=(*(f"ether{n}" for n in range(1, 11)), "sfp-sfpplus1"),
    sensors=(Sensor("voltage", "24.3", "V"), Sensor("temperature", "41", "C")),
)
RB5009 = Hardware(
    model="RB5009UG+S+",
    board_name="RB5009UG+S+",
    cpu="ARM64",
    cpu_count=4,
    cpu_frequency_mhz=1400,
    architecture="arm64",
    total_memory_mib=1024.0,
    total_hdd_mib=1024.0,
    firmware_type="70x0",
    factory_software="7.8",
    ethernet=(*(f"ether{n}" for n in range(1, 9)), "sfp-sfpplus1"),
    sensors=(
        Sensor("voltage", "24.1", "V"),
        Sensor("cpu-temperature", "44", "C"),
        Sensor("board-temperature1", "37", "C"),
    ),
)
CAP_AX = Hardware(
    model="cAPGi-5HaxD2HaxD",
    board_name="cAP ax",
    cpu="ARM64",
    cpu_count=4,
    cpu_frequency_mhz=864,
    architecture="arm64",
    total_memory_mib=1024.0,
    total_hdd_mib=128.0,
    firmware_type="ipq6000",
    factory_software="7.13",
    ethernet=("ether1", "ether2"),
    wifi=(("wifi1", "5ghz-ax"), ("wifi2", "2ghz-ax")),
    sensors=(Sensor("cpu-temperature", "52", "C"),),
)

HARDWARE: dict[str, Hardware] = {
    "RB4011iGS+": RB4011,
    "RB4011iGS+RM": RB4011,
    "RB5009UG+S+": RB5009,
    "RB5009UG+S+IN": RB5009,
    "cAP ax": CAP_AX,
    "cAPGi-5HaxD2HaxD": CAP_AX,
}


def stable_number(*parts: object) -> int:
    """A number derived from names (MACs, serials, counters stay the same across restarts).

    >>> stable_number("RTR-DINKES") == stable_number("RTR-DINKES")
    True
    """
    text = "/".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2s(text.encode(), digest_size=4).digest(), "big")


def hardware_for(model: str, role: str) -> Hardware:
    """The hardware of a model name; unknown names get the role's usual model."""
    if model in HARDWARE:
        return HARDWARE[model]
    return CAP_AX if role == "ap" else RB4011
