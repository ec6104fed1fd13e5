"""Benchmark: napalm-ros getters over the lab's RouterOS API, a fleet at once.

    .venv/bin/python bench/api_getters.py [--devices 50] [--workers 20] [--extra-lines 0]

Starts a lab of ``--devices`` RouterOS routers with the API on (``--extra-lines`` pads each
configuration, for big exports), then from ``--workers`` threads opens napalm-ros on every
device and runs get_facts, get_interfaces, get_interfaces_counters, get_environment and
get_config (an ``/export`` to a file read back over the API). Prints one JSON line: seconds,
devices per minute, the slowest device, the config size, failures.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import napalm

from netrawat_lab.fleet import LabCredentials, Layout, Site, make_device
from netrawat_lab.handle import Lab
from netrawat_lab.opds import BUILTIN_OPDS
from netrawat_lab.spec import DeviceSpec
from netrawat_lab.testing import on_port, private_slot

GETTERS = (
    "get_facts",
    "get_interfaces",
    "get_interfaces_counters",
    "get_environment",
    "get_config",
)


def fleet(count: int, extra_lines: int) -> list[DeviceSpec]:
    """``count`` RouterOS routers with the API on, cycling through the OPDs."""
    slot = private_slot()
    layout = Layout(slot.block, LabCredentials.generate())
    specs = []
    for n in range(count):
        site = Site(BUILTIN_OPDS[n % len(BUILTIN_OPDS)], n // len(BUILTIN_OPDS))
        spec = make_device(
            layout, f"RTR-API-{n:03d}", site, "mikrotik_routeros", "router", api=True
        )
        if extra_lines:
            spec.seed["extra_lines"] = extra_lines
        specs.append(on_port(spec, slot.port))
    return specs


def one_device(spec: DeviceSpec) -> tuple[float, int]:
    """Seconds for every getter on one device, and the size of its configuration."""
    started = time.perf_counter()
    driver = napalm.get_network_driver("ros")(
        spec.address,
        spec.username,
        spec.password,
        timeout=60,
        optional_args={"port": spec.api_port},
    )
    driver.open()
    try:
        size = 0
        for getter in GETTERS:
            result = getattr(driver, getter)()
            if getter == "get_config":
                size = len(result["running"])
    finally:
        driver.close()
    return time.perf_counter() - started, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--extra-lines", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netrawat-bench-api-") as tmp:
        lab = Lab.up(Path(tmp) / "lab", specs=fleet(args.devices, args.extra_lines))
        try:
            started = time.perf_counter()
            failures = 0
            results: list[tuple[float, int]] = []
            with ThreadPoolExecutor(args.workers) as pool:
                for future in [pool.submit(one_device, s) for s in lab.specs]:
                    try:
                        results.append(future.result())
                    except Exception:  # a failed device is a figure, not a crash
                        failures += 1
            took = time.perf_counter() - started
        finally:
            lab.down()
    figures = {
        "devices": args.devices,
        "workers": args.workers,
        "extra_lines": args.extra_lines,
        "seconds": round(took, 2),
        "devices_per_minute": round(len(results) / took * 60, 1) if took else None,
        "slowest_device_s": round(max((r[0] for r in results), default=0.0), 2),
        "config_bytes": max((r[1] for r in results), default=0),
        "failures": failures,
    }
    print(json.dumps(figures))
    return 0 if not failures else 1


if __name__ == "__main__":
    raise SystemExit(main())
