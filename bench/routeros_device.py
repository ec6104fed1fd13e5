"""Benchmark: the RouterOS lab personality alone (no SSH).

    .venv/bin/python bench/routeros_device.py [--devices 200] [--extra-lines 6000]

Prints one JSON line: memory and build time per device (a lab of 500 devices must stay well
under 1 GB), time of ``/export`` / ``/export terse`` / a full ``print`` on a device padded with
``--extra-lines`` address-list entries (oxidized #1966: 6,000-line exports), and of the
health-check reads (resource, interface stats, routes, ping) on a normal device.
"""

from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from collections.abc import Callable

from netrawat_lab.routeros.actions import ACTIONS
from netrawat_lab.routeros.commands import Session, run_line
from netrawat_lab.routeros.device import RouterOSDevice
from netrawat_lab.spec import DeviceSpec


def spec(n: int, role: str, extra_lines: int = 0) -> DeviceSpec:
    """A router (RB4011) or AP (cAP ax) of OPD number ``n``."""
    return DeviceSpec(
        hostname=f"{'RTR' if role == 'router' else 'AP'}-OPD{n}",
        opd=f"opd{n}",
        role=role,
        platform="mikrotik_routeros",
        address=f"127.9.{n // 250}.{n % 250 + 1}",
        port=2222,
        username="admin",
        password="bench",
        model="RB4011iGS+" if role == "router" else "cAP ax",
        seed={"lan_address": f"10.{20 + n // 250}.{n % 250}.1", "extra_lines": extra_lines},
    )


def timed(action: Callable[[], object], repeat: int = 5) -> float:
    """Best wall time of ``repeat`` runs, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--extra-lines", type=int, default=6000)
    args = parser.parse_args()

    tracemalloc.start()
    start = time.perf_counter()
    devices = [
        RouterOSDevice(spec(n, "ap" if n % 3 == 2 else "router")) for n in range(args.devices)
    ]
    build_s = time.perf_counter() - start
    memory, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    big = RouterOSDevice(spec(999, "router", args.extra_lines))
    session = Session("admin")

    def cli(device: RouterOSDevice, line: str) -> Callable[[], object]:
        return lambda: run_line(device, session, line, ACTIONS)

    normal = devices[0]
    figures = {
        "devices": args.devices,
        "kb_per_device": round(memory / 1024 / args.devices, 1),
        "build_ms_per_device": round(build_s * 1000 / args.devices, 2),
        "extra_lines": args.extra_lines,
        "export_ms": timed(cli(big, "/export")),
        "export_terse_ms": timed(cli(big, "/export terse")),
        "address_list_print_ms": timed(cli(big, "/ip firewall address-list print")),
        "export_lines": len(run_line(big, session, "/export", ACTIONS).lines),
        "health_reads_ms": timed(
            lambda: [
                run_line(normal, session, line, ACTIONS)
                for line in (
                    "/system resource print",
                    "/interface print stats",
                    "/ip route print",
                    "/system health print",
                    "/ping 100.64.0.1 count=4",
                )
            ]
        ),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
