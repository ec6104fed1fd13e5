"""The values device faults turn on a RouterOS lab device (None = normal behaviour)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Knobs:
    """Values the device faults change (None = normal behaviour)."""

    cpu_load: int | None = None
    free_memory_fraction: float | None = None
    temperature: int | None = None
    ping_loss: int = 0
    clients: int = 7
    down: set[str] = field(default_factory=set)
    flapping: set[str] = field(default_factory=set)
