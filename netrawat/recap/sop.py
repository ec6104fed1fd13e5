"""The SOP's steps and time targets, and which playbook counts as which step: data, not code.

SOP *Pemeliharaan Komponen Jaringan* (Diskominfo Kota Pontianak, 2020), activities 1-5.
How each step is measured from the recorded times (see `netrawat.recap.timing`):

=====  ============  ======  =====================================================
step   key           target  measured from → to
=====  ============  ======  =====================================================
1      receipt       1 day   letter received → first run on the request
2      survey        2 h     first survey (health) run start → its last end
3      repair        1 day   first repair run start → last repair run end
4      light_repair  3 h     as 3, when the heaviest grade found is *ringan*
5      report        1 h     last run end → request closed
=====  ============  ======  =====================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class SopStep:
    """One activity of the SOP with its target time."""

    number: int
    key: str
    target: timedelta


SOP_STEPS: dict[str, SopStep] = {
    step.key: step
    for step in (
        SopStep(1, "receipt", timedelta(days=1)),
        SopStep(2, "survey", timedelta(hours=2)),
        SopStep(3, "repair", timedelta(days=1)),
        SopStep(4, "light_repair", timedelta(hours=3)),
        SopStep(5, "report", timedelta(hours=1)),
    )
}

PLAYBOOK_STEP: dict[str, str | None] = {
    "health": "survey",
    "repair": "repair",
    "backup": None,
    "diff": None,
    "preventive": None,
}
"""Playbook → SOP step it counts as; ``None``: a supporting action (backup, diff)."""

LIGHT_GRADE = "ringan"
"""Damage the section repairs itself (step 4, 3 hours); heavier damage follows step 3."""


def step_of(playbook: str) -> str | None:
    """The SOP step key a run of ``playbook`` counts as (``None``: supporting action)."""
    return PLAYBOOK_STEP.get(playbook)
