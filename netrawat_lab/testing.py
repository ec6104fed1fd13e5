"""Labs for test sessions and benchmarks: a small rehearsal fleet on collision-free addresses.

Several pytest workers (``-n 2``) and several engineers' sessions run side by side on one
machine, each with its own lab. A lab's devices live in ``127.B.0.0/16`` on SSH port ``P``;
`session_slot` derives ``B`` from the xdist worker number and the session's parent pid and
``P`` from the worker's own pid, and `start_test_lab` moves to the next slot if an address is
taken anyway. `reserve_slot` holds a block for as long as it is needed (an ``flock`` per
block), so labs that reserve never meet on one block (``netrawat drill``'s private lab).
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from netrawat_lab.errors import LabCannotRunError
from netrawat_lab.fleet import API_PORT, SSH_PORT, LabCredentials, Layout, Site, make_device
from netrawat_lab.handle import Lab
from netrawat_lab.opds import BUILTIN_OPDS
from netrawat_lab.spec import DeviceSpec

ATTEMPTS = 4
_private_counter = itertools.count(1)


@dataclass(frozen=True)
class Slot:
    """Where one lab listens: address block ``127.block.0.0/16`` and base SSH port."""

    block: int
    port: int

    def next(self) -> Slot:
        return Slot(2 + (self.block - 2 + 37) % 250, 1025 + (self.port - 1025 + 101) % 60000)


def worker_number() -> int:
    """0 for ``gw0`` (or no xdist), 1 for ``gw1``, ..."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits or 0)


def session_slot(private: int = 0) -> Slot:
    """The slot of this worker's session lab (``private`` > 0: a function-scoped private lab)."""
    block = 2 + (os.getppid() * 13 + worker_number() * 41 + private * 7) % 250
    port = 10000 + (os.getpid() * 31 + private * 17) % 50000
    return Slot(block, port)


BLOCKS = 250


def slot_locks_dir() -> Path:
    """Where the block reservations live: one lock file per block, this user's."""
    return Path(tempfile.gettempdir()) / f"netrawat-lab-slots-{os.getuid()}"


@contextlib.contextmanager
def reserve_slot(start: Slot) -> Iterator[Slot]:
    """The first slot from ``start`` on (`Slot.next` visits every block) whose block no other
    reservation holds; held (an ``flock``, released by the kernel if the process dies) until
    the ``with`` ends. Two reservations at once, in one process or two, get different blocks."""
    folder = slot_locks_dir()
    folder.mkdir(mode=0o700, exist_ok=True)
    slot = start
    for _ in range(BLOCKS):
        fd = os.open(folder / f"{slot.block}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            slot = slot.next()
            continue
        try:
            yield slot
        finally:
            os.close(fd)  # closing the only descriptor releases the lock
        return
    raise LabCannotRunError(
        f"all {BLOCKS} lab address blocks are reserved", hint="stop a running drill or lab"
    )


def rehearsal_fleet(slot: Slot, credentials: LabCredentials | None = None) -> list[DeviceSpec]:
    """Two OPDs: RouterOS routers (one with the API on), a RouterOS AP, two Cisco IOS routers."""
    layout = Layout(slot.block, credentials or LabCredentials.generate())
    opds = {opd.code: opd for opd in BUILTIN_OPDS}
    dinkes, disdik = Site(opds["dinkes"], 0), Site(opds["disdikbud"], 1)
    ros, ios = "mikrotik_routeros", "cisco_ios"
    specs = [
        make_device(layout, "RTR-DINKES", dinkes, ros, "router", api=True),
        make_device(layout, "AP-DINKES-1", dinkes, ros, "ap", ap_number=1),
        make_device(layout, "CR-DINKES", dinkes, ios, "router"),
        make_device(layout, "RTR-DISDIKBUD", disdik, ros, "router"),
        make_device(layout, "CR-DISDIKBUD", disdik, ios, "router"),
    ]
    return [on_port(spec, slot.port) for spec in specs]


def on_port(spec: DeviceSpec, port: int) -> DeviceSpec:
    """The spec with SSH on ``port`` and, if it has the API, the API on ``port + 1``."""
    spec.port = port
    if spec.api_port:
        spec.api_port = port + 1
    return spec


def respecs(specs: list[DeviceSpec], slot: Slot) -> list[DeviceSpec]:
    """The same devices moved to another slot (for a retry after an address clash)."""
    for spec in specs:
        _, _, high, low = spec.address.split(".")
        spec.address = f"127.{slot.block}.{high}.{low}"
        on_port(spec, slot.port)
    return specs


def start_test_lab(
    lab_dir: Path,
    specs: list[DeviceSpec],
    slot: Slot,
    env: Mapping[str, str] | None = None,
    latency_ms: int = 0,
) -> Lab:
    """Start a lab owned by this process (it stops by itself if this process dies without
    stopping it), moving to the next slot when the addresses are taken."""
    error: LabCannotRunError | None = None
    for _ in range(ATTEMPTS):
        try:
            return Lab.up(
                lab_dir, specs=specs, env=env, latency_ms=latency_ms, owner_pid=os.getpid()
            )
        except LabCannotRunError as exc:
            if "in use" not in exc.message:
                raise
            error = exc
            slot = slot.next()
            specs = respecs(specs, slot)
    assert error is not None
    raise error


def stub_env(tests_dir: Path) -> dict[str, str]:
    """Environment for a lab serving every device with ``lab_stub.py``'s StubDevice (a
    prompt, echo, a long ``export``) from ``tests_dir``: for testing and measuring the server on
    its own."""
    tests = str(tests_dir)
    stub = "lab_stub:StubDevice"
    return {
        "NETRAWAT_LAB_PERSONALITIES": f"mikrotik_routeros={stub},cisco_ios={stub}",
        "PYTHONPATH": os.pathsep.join(p for p in (tests, os.environ.get("PYTHONPATH")) if p),
    }


def private_slot() -> Slot:
    """A fresh slot for a function-scoped private lab."""
    return session_slot(private=next(_private_counter))


__all__ = ["API_PORT", "SSH_PORT", "Slot", "rehearsal_fleet", "reserve_slot", "start_test_lab"]
