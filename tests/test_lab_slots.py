"""Lab address blocks reserved with an flock (`netrawat drill`'s private lab): two reservations
at once never share a block, whether in one process or two; a released block is free again."""

from __future__ import annotations

import subprocess
import sys

from netrawat_lab.testing import Slot, reserve_slot

START = Slot(block=101, port=23000)
HOLDER = """
import sys
from netrawat_lab.testing import Slot, reserve_slot
with reserve_slot(Slot(block=101, port=23000)) as slot:
    print(slot.block, flush=True)
    sys.stdin.readline()
"""


def test_two_reservations_at_once_get_different_blocks() -> None:
    with reserve_slot(START) as first, reserve_slot(START) as second:
        assert first.block != second.block
    with reserve_slot(second) as again:  # released: free again
        assert again == second


def test_a_reservation_in_another_process_is_respected() -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        held = int(holder.stdout.readline())
        with reserve_slot(START) as mine:
            assert mine.block != held
        holder.stdin.write("\n")
        holder.stdin.flush()
    finally:
        holder.communicate(timeout=30)
    assert holder.returncode == 0
