"""Benchmark: how big a fleet one lab process carries.

    .venv/bin/python bench/lab_capacity.py [--up 200] [--devices 500] [--sessions 100] [--stub]

1. ``lab up`` of ``--up`` devices into a fresh directory (host keys generated): seconds until
   every device accepts connections (target < 5 s for 200).
2. A lab of ``--devices`` devices in one process: its RSS after start and after ``--sessions``
   concurrent SSH sessions (asyncssh clients, one exec command each, all at once) (target
   < 1 GB for 500), plus how long those sessions took and how many failed.

``--stub`` serves every device with the trivial test personality instead of the RouterOS/IOS
ones (measures the server alone). Prints one JSON line of figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import asyncssh

from netrawat_lab.fleet import LabCredentials, Layout, generate_fleet
from netrawat_lab.handle import Lab
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import Slot, private_slot, respecs, stub_env

EXEC_COMMANDS = {"mikrotik_routeros": "/system resource print", "cisco_ios": "show version"}


def rss_mb(pid: int) -> float:
    """Resident set size of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def fleet(count: int, slot: Slot) -> list[DeviceSpec]:
    specs = generate_fleet(count, Layout(slot.block, LabCredentials.generate()))
    return respecs(specs, slot)


def time_up(count: int, env: dict[str, str] | None, root: Path) -> float:
    """Seconds for ``lab up`` of ``count`` devices in a fresh directory."""
    slot = private_slot()
    started = time.perf_counter()
    lab = Lab.up(root / "up", specs=fleet(count, slot), env=env)
    elapsed = time.perf_counter() - started
    lab.down()
    return elapsed


async def one_session(spec: DeviceSpec) -> bool:
    try:
        async with asyncssh.connect(
            spec.address,
            spec.port,
            username=spec.username,
            password=spec.password,
            known_hosts=None,
            connect_timeout=60,
        ) as conn:
            result = await conn.run(EXEC_COMMANDS[spec.platform], timeout=60)
            return bool(result.stdout)
    except (TimeoutError, OSError, asyncssh.Error):
        return False


async def sessions(specs: list[DeviceSpec]) -> tuple[float, int]:
    started = time.perf_counter()
    results = await asyncio.gather(*(one_session(s) for s in specs))
    return time.perf_counter() - started, results.count(False)


def load(count: int, n_sessions: int, env: dict[str, str] | None, root: Path) -> dict[str, float]:
    slot = private_slot()
    started = time.perf_counter()
    lab = Lab.up(root / "load", specs=fleet(count, slot), env=env)
    up_s = time.perf_counter() - started
    try:
        assert lab.pid is not None
        idle = rss_mb(lab.pid)
        chosen = random.Random(7).sample(lab.specs, min(n_sessions, len(lab.specs)))
        took, failed = asyncio.run(sessions(chosen))
        busy = rss_mb(lab.pid)
    finally:
        lab.down()
    return {
        "devices": count,
        "up_s": round(up_s, 2),
        "rss_idle_mb": round(idle, 1),
        "sessions": len(chosen),
        "sessions_s": round(took, 2),
        "sessions_failed": failed,
        "rss_after_sessions_mb": round(busy, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--up", type=int, default=200, help="devices for the start-up timing")
    parser.add_argument("--devices", type=int, default=500, help="devices for the load test")
    parser.add_argument("--sessions", type=int, default=100, help="concurrent SSH sessions")
    parser.add_argument("--stub", action="store_true", help="trivial personality (server only)")
    args = parser.parse_args()
    env = stub_env(Path(__file__).resolve().parent.parent / "tests") if args.stub else None
    with tempfile.TemporaryDirectory(prefix="netrawat-bench-lab-") as tmp:
        root = Path(tmp)
        figures: dict[str, object] = {
            "personality": "stub" if args.stub else "real",
            "cpus": os.cpu_count(),
        }
        figures["up_devices"] = args.up
        figures["up_fresh_s"] = round(time_up(args.up, env, root), 2)
        figures["load"] = load(args.devices, args.sessions, env, root)
    json.dump(figures, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
