"""Shared pytest fixtures.

The device lab: ``lab`` is one lab per test session (per xdist worker, on its own addresses),
serving `netrawat_lab.testing.rehearsal_fleet` over real SSH; ``private_lab`` starts labs owned
by one test (for faults that would disturb others, or special fleets) and stops them after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from netrawat.state import StateDir
from netrawat_lab.handle import Lab
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import (
    private_slot,
    rehearsal_fleet,
    respecs,
    session_slot,
    start_test_lab,
)

PrivateLab = Callable[..., Lab]


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """The session's lab: RTR-DINKES (RouterOS, API on), AP-DINKES-1, CR-DINKES (IOS),
    RTR-DISDIKBUD (RouterOS), CR-DISDIKBUD (IOS). Use ``lab.faulted(host, fault)`` so faults
    are cleared after the test; ``lab.inventory`` is an ``--inventory`` directory."""
    slot = session_slot()
    handle = start_test_lab(tmp_path_factory.mktemp("lab"), rehearsal_fleet(slot), slot)
    yield handle
    handle.down()


@pytest.fixture
def clean_lab(lab: Lab) -> Iterator[Lab]:
    """The session lab, put back exactly as seeded after the test (`Lab.reset_all`: every
    device's configuration, files, safe mode, faults and history; sessions stay open)."""
    yield lab
    lab.reset_all()


@pytest.fixture
def state(tmp_path: Path) -> StateDir:
    """A fresh state directory of the test (created on first use)."""
    return StateDir.resolve(tmp_path / "state")


@pytest.fixture
def private_lab(tmp_path: Path) -> Iterator[PrivateLab]:
    """Start labs for this test only: ``private_lab()`` (the rehearsal fleet) or
    ``private_lab(specs, env={...}, latency_ms=...)``; all are stopped after the test."""
    started: list[Lab] = []

    def start(
        specs: list[DeviceSpec] | None = None,
        *,
        env: Mapping[str, str] | None = None,
        latency_ms: int = 0,
    ) -> Lab:
        slot = private_slot()
        fleet = respecs(specs, slot) if specs else rehearsal_fleet(slot)
        handle = start_test_lab(tmp_path / f"lab{len(started)}", fleet, slot, env, latency_ms)
        started.append(handle)
        return handle

    yield start
    for handle in started:
        handle.down()
